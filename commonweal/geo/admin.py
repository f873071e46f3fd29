from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from commonweal.geo.models import Area, ImportLog, Locality, Postcode


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin[Area]):
    list_display = ["name", "kind", "code", "district_code", "vintage", "valid_to"]
    list_filter = ["kind", "vintage"]
    search_fields = ["name", "code"]


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin[Postcode]):
    """Postcodes come from imports (geo_import_codepoint, geo_import_onspd): read them here, do not edit."""

    list_display = ["postcode", "latitude", "longitude", "ward_code", "lsoa_code", "district_code"]
    search_fields = ["postcode"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Locality)
class LocalityAdmin(admin.ModelAdmin[Locality]):
    list_display = ["name", "district_code"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["wards"]


@admin.register(ImportLog)
class ImportLogAdmin(admin.ModelAdmin[ImportLog]):
    list_display = [
        "started_at",
        "source",
        "release",
        "status",
        "rows_read",
        "rows_written",
        "rows_rejected",
    ]
    list_filter = ["source", "status"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
