"""The directory in Django's admin: initiatives, places with their facilities, services with their
SEND Local Offer answers, and the duplicate detector's pairs (read-only: moderators decide on the
duplicates page, so that merges go through the service that moves venues and audits)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from commonweal.directory import moderation_admin  # noqa: F401  (registers claims, edits and patches)
from commonweal.directory.models import (
    DuplicateCandidate,
    Initiative,
    LocalOfferAnswer,
    Location,
    LocationFacility,
    Service,
)

# Web addresses typed without a scheme are taken to be https.
URL_FIELDS_HTTPS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


class LocationFacilityInline(admin.TabularInline[LocationFacility, Location]):
    model = LocationFacility
    fields = ["facility", "note"]
    extra = 0


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin[Location]):
    formfield_overrides = URL_FIELDS_HTTPS
    list_display = ["__str__", "asset_type", "is_meeting_place", "postcode", "ward", "mask_address"]
    list_filter = ["asset_type", "is_meeting_place", "mask_address"]
    search_fields = ["name", "postcode", "external_identifier"]
    raw_id_fields = ["organization", "ward", "lsoa"]
    inlines = [LocationFacilityInline]


class LocalOfferAnswerInline(admin.StackedInline[LocalOfferAnswer, Service]):
    model = LocalOfferAnswer
    fields = ["question", "answer"]
    extra = 0


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin[Service]):
    formfield_overrides = URL_FIELDS_HTTPS
    list_display = ["name", "organization", "publication", "status", "last_modified"]
    list_filter = ["publication", "status", "send_local_offer"]
    search_fields = ["name", "organization__name", "source_id"]
    raw_id_fields = ["organization"]
    readonly_fields = ["source", "source_id", "source_digest", "last_modified"]
    inlines = [LocalOfferAnswerInline]


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin[Initiative]):
    formfield_overrides = URL_FIELDS_HTTPS
    list_display = ["name", "kind", "organization", "started_on", "ended_on"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]
    raw_id_fields = ["organization", "service"]
    filter_horizontal = ["wards"]


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(admin.ModelAdmin[DuplicateCandidate]):
    list_display = ["__str__", "score", "status", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["service_a__name", "service_b__name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
