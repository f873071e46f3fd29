from __future__ import annotations

from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "commonweal.stories"
    label = "stories"
    verbose_name = "Stories and listening"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from commonweal.core.navigation import NavItem, nav_item_register

        nav_item_register(
            NavItem(
                label="Stories",
                url_name="stories:home",
                order=30,
                description="Read and share residents' stories of what makes life better where they live.",
            )
        )
