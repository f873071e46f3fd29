"""The admin, for a deployer setting up timebanks, their locality groups and the categories of help.

Everything else (members, accounts, exchanges) is run from the timebank's own pages, where the
rules are: the ledger is the only writer of accounts and entries, so none of them is here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from commonweal.timebank.membership import timebank_save
from commonweal.timebank.models import Category, Locality, Timebank


class LocalityInline(admin.TabularInline[Locality, Timebank]):
    model = Locality
    fields = ["name"]
    extra = 0
    show_change_link = True


@admin.register(Timebank)
class TimebankAdmin(admin.ModelAdmin[Timebank]):
    """Saving goes through ``membership.timebank_save``: it opens the community pot and the account
    that pays for group activities, and audits the change."""

    list_display = ["name", "slug", "organisation", "limit_policy", "confirmation_policy"]
    search_fields = ["name", "slug", "organisation__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organisation"]
    inlines = [LocalityInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "organisation"]}),
        (
            "Exchanges",
            {
                "fields": [
                    "rounding_minutes",
                    "confirmation_policy",
                    "auto_confirm_after_days",
                    "max_backdate_days",
                    "group_activities_first",
                ]
            },
        ),
        (
            "Balance limits",
            {"fields": ["default_min_balance", "default_max_balance", "limit_policy"]},
        ),
    ]

    def save_model(self, request: HttpRequest, obj: Timebank, form: Any, change: bool) -> None:
        timebank_save(actor=request.user, timebank=obj)  # type: ignore[arg-type]


@admin.register(Locality)
class LocalityAdmin(admin.ModelAdmin[Locality]):
    list_display = ["name", "timebank"]
    list_filter = ["timebank"]
    search_fields = ["name", "timebank__name"]
    filter_horizontal = ["wards"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    """One vocabulary for exchanges, offers, needs and goods. A category in use cannot be deleted."""

    list_display = ["name", "slug", "parent", "is_goods"]
    list_filter = ["is_goods"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
