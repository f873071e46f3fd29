from __future__ import annotations

from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "commonweal.geo"
    label = "geo"
    verbose_name = "Geography"
    default_auto_field = "django.db.models.BigAutoField"
