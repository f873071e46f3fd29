from __future__ import annotations

from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "commonweal.directory"
    label = "directory"
    verbose_name = "Community directory"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from commonweal.core.navigation import NavItem, nav_item_register

        nav_item_register(
            NavItem(
                label="Directory",
                url_name="directory:search",
                order=10,
                description="Find groups, activities, services and places to meet near you.",
            )
        )
