"""Reads of the directory, shared by the ORUK API and (later) the public pages.

Everything here reads published records only: a service the public may not see never leaves this
module through these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from commonweal.directory.models import (
    Attribute,
    Organization,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from commonweal.directory.querysets import ServiceQuerySet
from commonweal.directory.search import published_match_window, service_search_filter
from commonweal.geo.constants import AreaKind
from commonweal.geo.distance import bbox_around, haversine_metres
from commonweal.geo.exceptions import GeoError
from commonweal.geo.models import Area
from commonweal.geo.selectors import postcode_point_get
from commonweal.geo.types import PostcodePoint

# Venues checked against the caller's filters per query in distance searches (bound parameters).
NEAR_CHUNK = 2000
AttributePrefetch = Prefetch[str, QuerySet[Attribute], str]


@dataclass(frozen=True, slots=True)
class PointAndAreas:
    """Where a postcode is, with the ONS codes of the areas it lies in."""

    latitude: float
    longitude: float
    area_codes: frozenset[str]


class ServiceFilters(TypedDict):
    """The filters of ``service_list`` and ``service_list_window`` (None: not filtered)."""

    search: str | None
    taxonomy_term_id: UUID | None
    taxonomy_id: UUID | None
    organization_id: UUID | None
    modified_after: datetime | None


# --- prefetching -------------------------------------------------------------------------------


def _attributes_prefetch(lookup: str = "attributes") -> AttributePrefetch:
    return Prefetch(
        lookup,
        queryset=Attribute.objects.select_related(
            "taxonomy_term__taxonomy", "taxonomy_term__parent"
        ),
    )


def _location_full_prefetches(prefix: str) -> list[str | AttributePrefetch]:
    return [
        f"{prefix}addresses",
        _attributes_prefetch(f"{prefix}addresses__attributes"),
        f"{prefix}accessibility",
        _attributes_prefetch(f"{prefix}accessibility__attributes"),
        _attributes_prefetch(f"{prefix}attributes"),
    ]


def service_list_queryset(queryset: QuerySet[Service]) -> QuerySet[Service]:
    """What a list item needs: the service and its organisation."""
    return queryset.select_related("organization__parent")


def service_full_queryset(queryset: QuerySet[Service]) -> QuerySet[Service]:
    """Everything a fully nested service needs, in a fixed number of queries."""
    return service_list_queryset(queryset).prefetch_related(
        Prefetch("schedules", queryset=Schedule.objects.select_related("service_at_location")),
        "service_areas",
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location"),
        ),
        *_location_full_prefetches("service_at_locations__location__"),
        "languages",
        "funding",
        "cost_options",
        "contacts",
        _attributes_prefetch("contacts__attributes"),
        _attributes_prefetch(),
        "intended_outcomes",
    )


# --- filters -----------------------------------------------------------------------------------


def _linked_ids(model: type[Service] | type[Organization], *, term: Q) -> QuerySet[Attribute, int]:
    return Attribute.objects.filter(
        term, link_content_type=ContentType.objects.get_for_model(model)
    ).values_list("link_object_id", flat=True)


def _filter_services(
    services: ServiceQuerySet,
    *,
    search: str | None = None,
    taxonomy_term_id: UUID | None = None,
    taxonomy_id: UUID | None = None,
    organization_id: UUID | None = None,
    modified_after: datetime | None = None,
) -> ServiceQuerySet:
    """Each given filter narrows the result (AND across parameters)."""
    if search:
        services = service_search_filter(services, search)
    if taxonomy_term_id is not None:
        services = services.filter(
            pk__in=_linked_ids(Service, term=Q(taxonomy_term__public_id=taxonomy_term_id))
        )
    if taxonomy_id is not None:
        services = services.filter(
            pk__in=_linked_ids(Service, term=Q(taxonomy_term__taxonomy__public_id=taxonomy_id))
        )
    if organization_id is not None:
        services = services.filter(organization__public_id=organization_id)
    if modified_after is not None:
        services = services.modified_since(modified_after)
    return services


def service_list(
    *,
    search: str | None = None,
    taxonomy_term_id: UUID | None = None,
    taxonomy_id: UUID | None = None,
    organization_id: UUID | None = None,
    modified_after: datetime | None = None,
) -> QuerySet[Service]:
    """Published services matching every given filter, by name."""
    return _filter_services(
        Service.objects.published(),
        search=search,
        taxonomy_term_id=taxonomy_term_id,
        taxonomy_id=taxonomy_id,
        organization_id=organization_id,
        modified_after=modified_after,
    ).order_by("name", "id")


def service_list_window(
    *,
    offset: int,
    limit: int,
    search: str | None = None,
    taxonomy_term_id: UUID | None = None,
    taxonomy_id: UUID | None = None,
    organization_id: UUID | None = None,
    modified_after: datetime | None = None,
) -> tuple[int, list[int]]:
    """How many services ``service_list`` gives for these filters, and the ids of ``limit`` of them
    from ``offset`` on, in its order.

    A keyword search with no other filter, the commonest query at national scale, is counted and
    paged by the full-text index (``published_match_window``) without reading every match's row.
    """
    others = (taxonomy_term_id, taxonomy_id, organization_id, modified_after)
    if search and all(value is None for value in others):
        window = published_match_window(search, offset=offset, limit=limit)
        if window is not None:
            return window
    services = service_list(
        search=search,
        taxonomy_term_id=taxonomy_term_id,
        taxonomy_id=taxonomy_id,
        organization_id=organization_id,
        modified_after=modified_after,
    )
    total = services.count()
    if offset >= total:
        return total, []
    return total, list(services.values_list("pk", flat=True)[offset : offset + limit])


def service_page(ids: list[int], *, full: bool) -> list[Service]:
    """The published services with these ids, in the order given, loaded for a list or in full."""
    if not ids:
        return []
    chosen = Service.objects.published().filter(pk__in=ids)
    found = (service_full_queryset(chosen) if full else service_list_queryset(chosen)).in_bulk()
    return [found[pk] for pk in ids if pk in found]


def service_get(*, public_id: UUID) -> Service | None:
    """One published service, fully loaded, or None."""
    return service_full_queryset(Service.objects.published().filter(public_id=public_id)).first()


def taxonomy_list(*, search: str | None = None) -> QuerySet[Taxonomy]:
    taxonomies = Taxonomy.objects.all()
    if search:
        taxonomies = taxonomies.filter(Q(name__icontains=search) | Q(description__icontains=search))
    return taxonomies.order_by("name", "id")


def taxonomy_get(*, public_id: UUID) -> Taxonomy | None:
    terms = TaxonomyTerm.objects.select_related("taxonomy", "parent").order_by("name", "id")
    return (
        Taxonomy.objects.filter(public_id=public_id)
        .prefetch_related(Prefetch("terms", queryset=terms))
        .first()
    )


def taxonomy_term_list(
    *,
    search: str | None = None,
    taxonomy_id: UUID | None = None,
    parent_id: UUID | None = None,
    top_only: bool = False,
) -> QuerySet[TaxonomyTerm]:
    terms = TaxonomyTerm.objects.select_related("taxonomy", "parent")
    if search:
        terms = terms.filter(
            Q(name__icontains=search) | Q(description__icontains=search) | Q(code__iexact=search)
        )
    if taxonomy_id is not None:
        terms = terms.filter(taxonomy__public_id=taxonomy_id)
    if parent_id is not None:
        terms = terms.filter(parent__public_id=parent_id)
    if top_only:
        terms = terms.top_level()
    return terms.order_by("taxonomy__name", "name", "id")


def taxonomy_term_get(*, public_id: UUID) -> TaxonomyTerm | None:
    return (
        TaxonomyTerm.objects.select_related("taxonomy", "parent")
        .filter(public_id=public_id)
        .first()
    )


def organization_list(*, search: str | None = None) -> QuerySet[Organization]:
    """Organisations with at least one published service."""
    organizations = Organization.objects.filter(
        pk__in=Service.objects.published().values("organization_id")
    ).select_related("parent")
    if search:
        organizations = organizations.filter(
            Q(name__icontains=search) | Q(description__icontains=search)
        )
    return organizations.order_by("name", "id")


def organization_full_queryset(queryset: QuerySet[Organization]) -> QuerySet[Organization]:
    return queryset.select_related("parent").prefetch_related(
        "identifiers", _attributes_prefetch("identifiers__attributes"), _attributes_prefetch()
    )


def organization_full_services_queryset(
    queryset: QuerySet[Organization],
) -> QuerySet[Organization]:
    """Organisations in full, each with its published services in full as ``published_services``
    (ORUK's ``full_service``), in a fixed number of queries per page."""
    services = service_full_queryset(Service.objects.published().order_by("name", "id"))
    return organization_full_queryset(queryset).prefetch_related(
        Prefetch("services", queryset=services, to_attr="published_services")
    )


def organization_get(*, public_id: UUID) -> Organization | None:
    return organization_full_queryset(organization_list().filter(public_id=public_id)).first()


def organization_services(*, organization: Organization, full: bool) -> list[Service]:
    services = Service.objects.published().filter(organization=organization).order_by("name", "id")
    return list(service_full_queryset(services) if full else service_list_queryset(services))


def service_at_location_list(
    *,
    search: str | None = None,
    taxonomy_term_id: UUID | None = None,
    taxonomy_id: UUID | None = None,
    organization_id: UUID | None = None,
    modified_after: datetime | None = None,
    covering: PointAndAreas | None = None,
) -> QuerySet[ServiceAtLocation]:
    """Venues of published services matching every filter.

    ``covering``: services with service areas must have one that contains the postcode's areas
    (matched on the area's ONS code); services without service areas are not excluded.
    """
    services = _filter_services(
        Service.objects.published(),
        search=search,
        taxonomy_term_id=taxonomy_term_id,
        taxonomy_id=taxonomy_id,
        organization_id=organization_id,
        modified_after=modified_after,
    )
    if covering is not None:
        restricted = ServiceArea.objects.filter(area__isnull=False).values("service_id")
        covers = ServiceArea.objects.filter(area__code__in=covering.area_codes).values("service_id")
        services = services.filter(~Q(pk__in=restricted) | Q(pk__in=covers))
    # A correlated EXISTS, not "service_id IN (...)": SQLite would otherwise drive a narrowed list
    # (a page of venues, the venues near a point) from every published service.
    return ServiceAtLocation.objects.filter(
        Exists(services.filter(pk=OuterRef("service_id")))
    ).order_by("service__name", "service_id", "id")


def service_at_location_page_queryset(
    queryset: QuerySet[ServiceAtLocation], *, full: bool
) -> QuerySet[ServiceAtLocation]:
    queryset = queryset.select_related("service__organization__parent", "location")
    if full:
        queryset = queryset.prefetch_related(*_location_full_prefetches("location__"))
    return queryset


def service_at_location_get(*, public_id: UUID) -> ServiceAtLocation | None:
    queryset = ServiceAtLocation.objects.published().filter(public_id=public_id)
    return service_at_location_page_queryset(queryset, full=True).first()


# --- geography ---------------------------------------------------------------------------------


def _postcode_point(postcode: str) -> PostcodePoint | None:
    """geo's answer for a postcode, or None when it is not a postcode or nobody knows it."""
    try:
        return postcode_point_get(postcode)
    except GeoError:
        return None


def postcode_point_and_areas(postcode: str) -> PointAndAreas | None:
    """The point and ONS area codes of a postcode, or None if it is not a postcode we know."""
    point = _postcode_point(postcode)
    if point is None:
        return None
    codes = {point.district_code, point.ward_code, point.lsoa_code, point.msoa_code} - {""}
    return PointAndAreas(
        latitude=point.latitude, longitude=point.longitude, area_codes=frozenset(codes)
    )


@dataclass(frozen=True, slots=True)
class PostcodePlace:
    """Where a postcode is and the ward and LSOA it lies in (None where the area table lacks them)."""

    postcode: str
    latitude: float
    longitude: float
    ward: Area | None
    lsoa: Area | None


def postcode_place_get(postcode: str) -> PostcodePlace | None:
    """The point, ward and LSOA of a postcode, or None if it is not a postcode we know."""
    point = _postcode_point(postcode)
    if point is None:
        return None
    areas = {
        (area.kind, area.code): area
        for area in Area.objects.filter(
            Q(kind=AreaKind.WARD, code=point.ward_code)
            | Q(kind=AreaKind.LSOA, code=point.lsoa_code)
        )
    }
    return PostcodePlace(
        postcode=point.postcode,
        latitude=point.latitude,
        longitude=point.longitude,
        ward=areas.get((AreaKind.WARD, point.ward_code)),
        lsoa=areas.get((AreaKind.LSOA, point.lsoa_code)),
    )


def services_for_export() -> QuerySet[Service]:
    """Every published service with everything the full ORUK record and the CSV export need."""
    return service_full_queryset(
        Service.objects.published().select_related("organization__parent").order_by("name", "id")
    ).prefetch_related("service_at_locations__location__ward")


def service_at_locations_near(
    queryset: QuerySet[ServiceAtLocation], *, latitude: float, longitude: float, metres: float
) -> list[tuple[int, float]]:
    """``(pk, distance)`` of the venues within ``metres`` of a point, nearest first.

    The venues inside a bounding box come first, from the locations' point index alone, and their
    exact distances are computed here; only those near enough are then checked against ``queryset``
    (by primary key). Joining the box to ``queryset``'s filters in one query lets the database start
    from every published service instead, which takes seconds at national scale.
    Masked (sensitive) locations never take part in distance searches.
    """
    min_lat, max_lat, min_lon, max_lon = bbox_around(latitude, longitude, metres)
    boxed = (
        ServiceAtLocation.objects.filter(
            location__mask_address=False,
            location__latitude__gte=min_lat,
            location__latitude__lte=max_lat,
            location__longitude__gte=min_lon,
            location__longitude__lte=max_lon,
        )
        .order_by()
        .values_list("pk", "location__latitude", "location__longitude")
    )
    distances: dict[int, float] = {}
    for pk, lat, lon in boxed:
        if lat is None or lon is None:
            continue
        distance = haversine_metres(latitude, longitude, float(lat), float(lon))
        if distance <= metres:
            distances[pk] = distance
    candidates = sorted(distances)
    kept: set[int] = set()
    for start in range(0, len(candidates), NEAR_CHUNK):
        chunk = candidates[start : start + NEAR_CHUNK]
        kept.update(queryset.filter(pk__in=chunk).order_by().values_list("pk", flat=True))
    near = [(pk, distances[pk]) for pk in kept]
    near.sort(key=lambda item: (item[1], item[0]))
    return near
