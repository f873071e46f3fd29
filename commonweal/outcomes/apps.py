from __future__ import annotations

from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "commonweal.outcomes"
    label = "outcomes"
    default_auto_field = "django.db.models.BigAutoField"
