"""Administration of moderation records: champions' patches (edited here), and claims, edits,
versions and reminders (read here; decided in the moderation queue)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from commonweal.directory.models import (
    DirectoryPatch,
    ListingClaim,
    ReviewReminder,
    ServiceEdit,
    ServiceVersion,
)


@admin.register(DirectoryPatch)
class DirectoryPatchAdmin(admin.ModelAdmin[DirectoryPatch]):
    list_display = ["name", "user", "organisation"]
    search_fields = ["name", "user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    filter_horizontal = ["wards"]


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ListingClaim)
class ListingClaimAdmin(ReadOnlyAdmin):
    list_display = ["organization", "user", "status", "created_at", "decided_by"]
    list_filter = ["status"]
    search_fields = ["organization__name", "user__email"]


@admin.register(ServiceEdit)
class ServiceEditAdmin(ReadOnlyAdmin):
    list_display = ["service", "proposed_by", "status", "created_at", "decided_by"]
    list_filter = ["status"]
    search_fields = ["service__name", "proposed_by__email"]


@admin.register(ServiceVersion)
class ServiceVersionAdmin(ReadOnlyAdmin):
    list_display = ["service", "number", "created_at", "created_by"]
    search_fields = ["service__name"]


@admin.register(ReviewReminder)
class ReviewReminderAdmin(ReadOnlyAdmin):
    list_display = ["service", "sent_on"]
    search_fields = ["service__name"]
