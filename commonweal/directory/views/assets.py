"""The asset map, the initiatives x wards matrix, ward counts, officers' initiative pages and the
moderators' duplicate listings page."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonweal.accounts.constants import Role
from commonweal.accounts.decorators import role_required, sensitive_view
from commonweal.accounts.permissions import can_act_in_role
from commonweal.core.spreadsheets import csv_safe
from commonweal.directory import assets as selectors
from commonweal.directory.asset_forms import AssetFilterForm, InitiativeForm
from commonweal.directory.duplicates import (
    DuplicateDecisionError,
    duplicate_dismiss,
    duplicate_merge,
    duplicate_open_get,
    duplicate_open_list,
    service_phone_numbers,
)
from commonweal.directory.models import Initiative, Service
from commonweal.directory.services import initiative_save

INITIATIVE_ROLES = (Role.COORDINATOR, Role.ADMIN)
DUPLICATE_ROLES = (Role.MODERATOR, Role.ADMIN)


def _csv_response(filename: str, rows: Iterable[Sequence[str]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    for row in rows:
        writer.writerow([csv_safe(cell) for cell in row])
    return response


def _service_url(service: selectors.PlaceService) -> str:
    return reverse("directory:service_detail", args=[service.public_id])


# --- asset map ---------------------------------------------------------------------------------


def _asset_places(request: HttpRequest) -> tuple[AssetFilterForm, list[selectors.AssetPlace]]:
    wards = selectors.borough_wards()
    form = AssetFilterForm(request.GET or None, wards=wards)
    return form, selectors.asset_place_list(form.filters())


@require_GET
def asset_map(request: HttpRequest) -> HttpResponse:
    form, places = _asset_places(request)
    csv_url = reverse("directory:asset_map_csv")
    if request.GET:
        csv_url += "?" + request.GET.urlencode()
    return render(
        request,
        "directory/asset_map.html",
        {
            "form": form,
            "places": places,
            "legend": selectors.asset_legend(places),
            "features": selectors.asset_map_features(places, url_of=_service_url),
            "without_point": sum(1 for place in places if not place.has_point),
            "csv_url": csv_url,
            "filtered": bool(request.GET) and form.is_valid() and any(form.cleaned_data.values()),
        },
    )


@require_GET
def asset_map_csv(request: HttpRequest) -> HttpResponse:
    _, places = _asset_places(request)
    return _csv_response(
        "community-assets.csv",
        [selectors.ASSET_CSV_HEADER, *selectors.asset_csv_rows(places)],
    )


# --- initiatives x wards -----------------------------------------------------------------------


@require_GET
def ward_matrix(request: HttpRequest) -> HttpResponse:
    matrix = selectors.ward_matrix()
    can_manage = bool(can_act_in_role(request.user, INITIATIVE_ROLES))
    return render(
        request, "directory/ward_matrix.html", {"matrix": matrix, "can_manage": can_manage}
    )


@require_GET
def ward_matrix_csv(request: HttpRequest) -> HttpResponse:
    return _csv_response(
        "initiatives-by-ward.csv", selectors.ward_matrix_csv_rows(selectors.ward_matrix())
    )


# --- ward counts -------------------------------------------------------------------------------


@require_GET
def ward_counts(request: HttpRequest) -> HttpResponse:
    counts = selectors.ward_counts()
    return render(
        request,
        "directory/ward_counts.html",
        {"counts": counts, "gap_percent": round(counts.gap_fraction * 100)},
    )


@require_GET
def ward_counts_csv(request: HttpRequest) -> HttpResponse:
    return _csv_response("ward-counts.csv", selectors.ward_counts_csv_rows(selectors.ward_counts()))


@require_GET
def ward_detail(request: HttpRequest, code: str) -> HttpResponse:
    ward = selectors.borough_ward_get(code[:20])
    if ward is None:
        raise Http404("No such ward in this borough")
    detail = selectors.ward_detail(ward)
    return render(
        request,
        "directory/ward_detail.html",
        {
            "detail": detail,
            "features": selectors.asset_map_features(detail.places, url_of=_service_url),
        },
    )


# --- officers: initiatives ---------------------------------------------------------------------


@require_GET
@role_required(*INITIATIVE_ROLES)
def initiative_list(request: HttpRequest) -> HttpResponse:
    initiatives = Initiative.objects.select_related("organization").prefetch_related("wards")
    return render(
        request,
        "directory/initiative_list.html",
        {"initiatives": initiatives.order_by("kind", "name", "id")},
    )


def _initiative_form_page(request: HttpRequest, initiative: Initiative | None) -> HttpResponse:
    wards = selectors.borough_wards()
    if request.method == "POST":
        form = InitiativeForm(request.POST, wards=wards, instance=initiative)
        if form.is_valid():
            saved = initiative_save(
                actor=request.user,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                wards=form.chosen_wards(),
                initiative=initiative,
                **form.fields_for_save(),
            )
            messages.success(request, f"Saved {saved.name}.")
            return redirect("directory:initiative_list")
    else:
        form = InitiativeForm(wards=wards, instance=initiative)
    return render(
        request,
        "directory/initiative_form.html",
        {"form": form, "initiative": initiative, "has_wards": bool(wards)},
    )


@require_http_methods(["GET", "POST"])
@role_required(*INITIATIVE_ROLES)
def initiative_add(request: HttpRequest) -> HttpResponse:
    return _initiative_form_page(request, None)


@require_http_methods(["GET", "POST"])
@role_required(*INITIATIVE_ROLES)
def initiative_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    initiative = get_object_or_404(
        Initiative.objects.prefetch_related("wards"), public_id=public_id
    )
    return _initiative_form_page(request, initiative)


# --- moderators: duplicates --------------------------------------------------------------------


def _side(service: Service) -> dict[str, object]:
    venues = [venue.location for venue in service.service_at_locations.all()]
    return {"service": service, "venues": venues, "phones": service_phone_numbers(service)}


@require_GET
@sensitive_view
@role_required(*DUPLICATE_ROLES)
def duplicates(request: HttpRequest) -> HttpResponse:
    page = Paginator(duplicate_open_list(), 25).get_page(request.GET.get("page"))
    pairs = [
        {"candidate": candidate, "sides": [_side(candidate.service_a), _side(candidate.service_b)]}
        for candidate in page.object_list
    ]
    return render(request, "directory/duplicates.html", {"page": page, "pairs": pairs})


@require_POST
@sensitive_view
@role_required(*DUPLICATE_ROLES)
def duplicate_decide(request: HttpRequest, public_id: UUID) -> HttpResponse:
    candidate = duplicate_open_get(public_id)
    if candidate is None:
        messages.info(request, "Someone has already decided about those two listings.")
        return redirect("directory:duplicates")
    action = request.POST.get("action", "")
    try:
        if action == "dismiss":
            duplicate_dismiss(actor=request.user, candidate=candidate)
            messages.success(
                request,
                f"Marked {candidate.service_a.name} and {candidate.service_b.name} as different.",
            )
        elif action == "merge":
            keep_id = request.POST.get("keep", "")
            keep = next(
                (
                    service
                    for service in (candidate.service_a, candidate.service_b)
                    if str(service.public_id) == keep_id
                ),
                None,
            )
            if keep is None:
                messages.error(request, "Choose which of the two listings to keep.")
                return redirect("directory:duplicates")
            duplicate_merge(actor=request.user, candidate=candidate, keep=keep)
            messages.success(request, f"Merged the two listings into {keep.name}.")
        else:
            messages.error(request, "Choose to merge the listings or to mark them as different.")
    except DuplicateDecisionError as error:
        messages.error(request, str(error))
    return redirect("directory:duplicates")
