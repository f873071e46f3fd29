from __future__ import annotations

from django.apps import AppConfig


class TimebankConfig(AppConfig):
    name = "commonweal.timebank"
    label = "timebank"
    verbose_name = "Timebank and gift board"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from commonweal.core.navigation import NavItem, nav_item_register

        nav_item_register(
            NavItem(
                label="Timebank",
                url_name="timebank:home",
                order=20,
                description="Give an hour of help, get an hour back, and find neighbours' gifts and needs.",
            )
        )
