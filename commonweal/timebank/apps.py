from __future__ import annotations

from django.apps import AppConfig


class TimebankConfig(AppConfig):
    name = "commonweal.timebank"
    label = "timebank"
    verbose_name = "Timebank and gift board"
    default_auto_field = "django.db.models.BigAutoField"
