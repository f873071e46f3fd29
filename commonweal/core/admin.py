from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from commonweal.core.models import AccessLogEntry, AuditEntry


class ReadOnlyLogAdmin(admin.ModelAdmin[Any]):
    """The logs are append-only: administrators may read and search them, never change them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyLogAdmin):
    list_display = ["created_at", "kind", "actor", "target_repr"]
    list_filter = ["kind"]
    search_fields = ["target_repr", "target_id", "actor__email", "note"]
    date_hierarchy = "created_at"


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyLogAdmin):
    list_display = ["created_at", "actor", "target_repr", "purpose", "path"]
    search_fields = ["target_repr", "target_id", "actor__email", "purpose"]
    date_hierarchy = "created_at"
