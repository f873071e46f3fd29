"""The directory in Django's admin: initiatives, places with their facilities, services with their
SEND Local Offer answers, and the duplicate detector's pairs (read-only: moderators decide on the
duplicates page, so that merges go through the service that moves venues and audits).

Services and places saved here go through the directory's services, as every other change does: the
search index is refreshed, ``last_modified`` moves (so ORUK harvesters asking for ``modified_after``
see the change), each change is audited, and a changed listing gets a new version."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from commonweal.directory import (
    moderation_admin,  # noqa: F401  (registers claims, edits and patches)
    services,
)
from commonweal.directory.constants import Publication
from commonweal.directory.models import (
    DuplicateCandidate,
    Initiative,
    LocalOfferAnswer,
    Location,
    LocationFacility,
    Service,
)
from commonweal.directory.moderation_services import version_ensure, version_record

# Web addresses typed without a scheme are taken to be https.
URL_FIELDS_HTTPS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


class LocationFacilityInline(admin.TabularInline[LocationFacility, Location]):
    model = LocationFacility
    fields = ["facility", "note"]
    extra = 0


ADMIN_NOTE = "Changed in the administration site."


def _adopt(obj: models.Model, saved: models.Model) -> None:
    """Make the admin's unsaved ``obj`` the record a service just created, for its inlines and log
    (Django's admin saves the inlines and writes its log against the object its form built)."""
    obj.pk = saved.pk
    obj.public_id = saved.public_id  # type: ignore[attr-defined]
    obj._state.adding = False
    obj._state.db = saved._state.db


def _kept_forms(formset: BaseInlineFormSet[Any, Any, Any]) -> list[dict[str, Any]]:
    """The cleaned rows of an inline formset that are neither blank nor marked for deletion.

    A service saves them instead of the formset, so the admin's history message names no inline rows.
    """
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin[Location]):
    formfield_overrides = URL_FIELDS_HTTPS
    list_display = ["__str__", "asset_type", "is_meeting_place", "postcode", "ward", "mask_address"]
    list_filter = ["asset_type", "is_meeting_place", "mask_address"]
    search_fields = ["name", "postcode", "external_identifier"]
    raw_id_fields = ["organization", "ward", "lsoa"]
    inlines = [LocationFacilityInline]

    def save_model(
        self, request: HttpRequest, obj: Location, form: ModelForm[Location], change: bool
    ) -> None:
        fields = {name: getattr(obj, name) for name in services.LOCATION_EDITABLE_FIELDS}
        if not change:
            name = fields.pop("name")
            _adopt(obj, services.location_create(actor=request.user, name=name, **fields))
            return
        stored = Location.objects.get(pk=obj.pk)
        for service in Service.objects.filter(service_at_locations__location=stored):
            version_ensure(service=service)
        services.location_update(actor=request.user, location=stored, changes=fields)

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm[Location],
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        rows = _kept_forms(formset)
        services.location_facilities_set(
            actor=request.user,
            location=form.instance,
            facilities=[row["facility"] for row in rows],
            notes={row["facility"]: row.get("note", "") for row in rows},
        )

    def save_related(
        self,
        request: HttpRequest,
        form: ModelForm[Location],
        formsets: Any,
        change: bool,
    ) -> None:
        super().save_related(request, form, formsets, change)
        for service in Service.objects.filter(service_at_locations__location=form.instance):
            version_record(actor=request.user, service=service, note=ADMIN_NOTE)


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

    def save_model(
        self, request: HttpRequest, obj: Service, form: ModelForm[Service], change: bool
    ) -> None:
        fields = {name: getattr(obj, name) for name in services.SERVICE_EDITABLE_FIELDS}
        if not change:
            name = fields.pop("name")
            created = services.service_create(
                actor=request.user,
                organization=obj.organization,
                name=name,
                publication=obj.publication,
                public_id=obj.public_id,
                **fields,
            )
            _adopt(obj, created)
            return
        stored = Service.objects.select_related("organization").get(pk=obj.pk)
        version_ensure(service=stored)
        services.service_organization_set(
            actor=request.user, service=stored, organization=obj.organization
        )
        services.service_update(actor=request.user, service=stored, changes=fields)
        services.service_publication_set(
            actor=request.user, service=stored, publication=Publication(obj.publication)
        )

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm[Service],
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        services.local_offer_answers_set(
            actor=request.user,
            service=form.instance,
            answers={row["question"]: row["answer"] for row in _kept_forms(formset)},
        )

    def save_related(
        self,
        request: HttpRequest,
        form: ModelForm[Service],
        formsets: Any,
        change: bool,
    ) -> None:
        # No form.save_m2m(): the intended outcomes are the form's only many-to-many field.
        services.service_outcomes_set(
            actor=request.user,
            service=form.instance,
            outcomes=form.cleaned_data.get("intended_outcomes") or [],
        )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
        version_record(
            actor=request.user,
            service=form.instance,
            note=ADMIN_NOTE if change else "Added in the administration site.",
        )


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
