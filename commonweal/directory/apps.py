from __future__ import annotations

from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "commonweal.directory"
    label = "directory"
    verbose_name = "Community directory"
    default_auto_field = "django.db.models.BigAutoField"
