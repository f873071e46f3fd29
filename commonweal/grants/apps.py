from __future__ import annotations

from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "commonweal.grants"
    label = "grants"
    verbose_name = "Funds and small grants"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from commonweal.core.navigation import NavItem, nav_item_register

        nav_item_register(
            NavItem(
                label="Funds and grants",
                url_name="grants:home",
                order=40,
                description="Share an idea for your community, find others working on the same, and apply for a grant.",
            )
        )
