"""Reads for the asset map, the initiatives x wards matrix and the ward counts.

Every function here reads what the public may see: published services only, and never a place whose
address is masked (a refuge, a safe house). Masked places are left out of counts too, since a count
of one in a small ward would give such a place away.

The page and its CSV download are built from the same rows, so they always agree.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from commonweal.directory.constants import (
    SEND_NEEDS_TAXONOMY_URI,
    AssetType,
    Facility,
    InitiativeKind,
    Publication,
)
from commonweal.directory.models import (
    Attribute,
    Initiative,
    Location,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from commonweal.geo.models import Area
from commonweal.geo.selectors import ward_list

# --- the borough's wards -----------------------------------------------------------------------


def borough_wards() -> list[Area]:
    """The wards of the borough the site serves, by name.

    ``COMMONWEAL_DISTRICT_CODE`` names the borough. Without it, the districts of the wards that the
    directory's places and initiatives are in stand for the borough.
    """
    code = settings.COMMONWEAL_DISTRICT_CODE
    if code:
        return list(ward_list(code))
    used = Area.objects.filter(
        Q(pk__in=Location.objects.filter(ward__isnull=False).values("ward_id"))
        | Q(pk__in=Initiative.wards.through.objects.values("area_id"))
    ).values("district_code")
    districts = {district for district in used.values_list("district_code", flat=True) if district}
    if not districts:
        return []
    return list(ward_list().filter(district_code__in=districts))


def borough_ward_get(code: str) -> Area | None:
    """One of the borough's wards by its ONS code, or None."""
    code = code.strip().upper()
    return next((ward for ward in borough_wards() if ward.code == code), None)


# --- the asset map -----------------------------------------------------------------------------

# One colour and one letter per asset type: the letter is drawn on the marker and shown in the legend,
# so that nobody has to tell the colours apart. Colours are from GOV.UK Frontend's palette.
ASSET_STYLE: dict[str, tuple[str, str]] = {
    AssetType.ASSOCIATION: ("#1d70b8", "A"),
    AssetType.INSTITUTION: ("#4c2c92", "I"),
    AssetType.PHYSICAL_SPACE: ("#00703c", "P"),
    AssetType.ECONOMIC: ("#a35200", "E"),
    AssetType.CULTURAL: ("#d4351c", "C"),
}
MEETING_PLACE_STYLE = ("#505a5f", "M")  # a meeting place with no asset type


@dataclass(frozen=True)
class AssetFilters:
    asset_type: str = ""
    ward: str = ""
    meeting_places_only: bool = False
    facility: str = ""


@dataclass(frozen=True)
class PlaceService:
    name: str
    public_id: UUID


@dataclass(frozen=True)
class AssetPlace:
    """One place on the asset map and in its list and CSV."""

    public_id: UUID
    name: str
    asset_type: str  # the place's own type, else its organisation's; "" for a plain meeting place
    asset_label: str
    colour: str
    symbol: str
    is_meeting_place: bool
    capacity: int | None
    ward_code: str
    ward_name: str
    postcode: str
    organisation: str
    facilities: tuple[str, ...]  # labels
    services: tuple[PlaceService, ...]
    latitude: float | None
    longitude: float | None

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def asset_type_label(code: str) -> str:
    if code in AssetType.values:
        return str(AssetType(code).label)
    return "Place to meet"


def asset_short_label(code: str) -> str:
    """ "Physical space" rather than "Physical space (a hall, park, garden)"."""
    return asset_type_label(code).split(" (")[0]


def public_places() -> QuerySet[Location]:
    """Places the asset map shows: not masked; with an asset type (their own or their organisation's)
    or marked as a place to meet; and belonging to an organisation or hosting a published service."""
    published = ServiceAtLocation.objects.filter(service__publication=Publication.PUBLISHED)
    return (
        Location.objects.unmasked()
        .filter(
            Q(asset_type__gt="") | Q(is_meeting_place=True) | Q(organization__asset_type__gt="")
        )
        .filter(Q(organization__isnull=False) | Q(pk__in=published.values("location_id")))
    )


def _asset_places_queryset(filters: AssetFilters) -> QuerySet[Location]:
    published = ServiceAtLocation.objects.filter(service__publication=Publication.PUBLISHED)
    locations = public_places()
    if filters.asset_type:
        locations = locations.filter(
            Q(asset_type=filters.asset_type)
            | Q(asset_type="", organization__asset_type=filters.asset_type)
        )
    if filters.ward:
        locations = locations.filter(ward__code=filters.ward)
    if filters.meeting_places_only:
        locations = locations.filter(is_meeting_place=True)
    if filters.facility:
        locations = locations.filter(facilities__facility=filters.facility)
    return (
        locations.select_related("ward", "organization")
        .prefetch_related(
            "facilities",
            Prefetch(
                "service_at_locations",
                queryset=published.select_related("service").order_by("service__name", "id"),
                to_attr="published_venues",
            ),
        )
        .order_by("name", "id")
        .distinct()
    )


def asset_place_list(filters: AssetFilters | None = None) -> list[AssetPlace]:
    """The places of the asset map: places with an asset type, or where people meet, that belong to an
    organisation or host a published service. Never a masked place. In a fixed number of queries."""
    places = []
    for location in _asset_places_queryset(filters or AssetFilters()):
        organisation = location.organization
        asset_type = location.asset_type or (organisation.asset_type if organisation else "")
        colour, symbol = ASSET_STYLE.get(asset_type, MEETING_PLACE_STYLE)
        venues: Sequence[ServiceAtLocation] = getattr(location, "published_venues", [])
        places.append(
            AssetPlace(
                public_id=location.public_id,
                name=str(location),
                asset_type=asset_type,
                asset_label=asset_short_label(asset_type),
                colour=colour,
                symbol=symbol,
                is_meeting_place=location.is_meeting_place,
                capacity=location.capacity,
                ward_code=location.ward.code if location.ward else "",
                ward_name=location.ward.name if location.ward else "",
                postcode=location.postcode,
                organisation=organisation.name if organisation else "",
                facilities=tuple(
                    facility.get_facility_display() for facility in location.facilities.all()
                ),
                services=tuple(
                    PlaceService(name=venue.service.name, public_id=venue.service.public_id)
                    for venue in venues
                ),
                latitude=float(location.latitude) if location.latitude is not None else None,
                longitude=float(location.longitude) if location.longitude is not None else None,
            )
        )
    return places


@dataclass(frozen=True)
class LegendEntry:
    code: str
    label: str
    colour: str
    symbol: str
    count: int


def asset_legend(places: Iterable[AssetPlace]) -> list[LegendEntry]:
    """Every asset type with its colour, letter and how many of ``places`` are of that type."""
    counts: dict[str, int] = defaultdict(int)
    for place in places:
        counts[place.asset_type] += 1
    entries = [
        LegendEntry(code, asset_short_label(code), *ASSET_STYLE[code], counts.get(code, 0))
        for code in AssetType.values
    ]
    entries.append(LegendEntry("", "Place to meet", *MEETING_PLACE_STYLE, counts.get("", 0)))
    return entries


def asset_map_features(places: Iterable[AssetPlace], *, url_of: Any = None) -> dict[str, Any]:
    """The places that have a point, as a GeoJSON FeatureCollection for ``components/map.html``."""
    features = []
    for place in places:
        if not place.has_point:
            continue
        summary = place.asset_label
        if place.is_meeting_place and place.asset_type:
            summary += ", a place to meet"
        if place.ward_name:
            summary += f", {place.ward_name}"
        first_service = place.services[0] if place.services else None
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [place.longitude, place.latitude]},
                "properties": {
                    "name": place.name,
                    "url": url_of(first_service) if url_of and first_service else "",
                    "summary": summary,
                    "colour": place.colour,
                    "symbol": place.symbol,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


ASSET_CSV_HEADER = [
    "Name",
    "Asset type",
    "Place to meet",
    "Capacity",
    "Ward code",
    "Ward",
    "Postcode",
    "Organisation",
    "Facilities",
    "Services",
]


def asset_csv_rows(places: Iterable[AssetPlace]) -> list[list[str]]:
    return [
        [
            place.name,
            place.asset_label,
            "Yes" if place.is_meeting_place else "No",
            "" if place.capacity is None else str(place.capacity),
            place.ward_code,
            place.ward_name,
            place.postcode,
            place.organisation,
            "; ".join(place.facilities),
            "; ".join(service.name for service in place.services),
        ]
        for place in places
    ]


def facility_choices() -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in Facility.choices]


# --- the initiatives x wards matrix --------------------------------------------------------------


@dataclass(frozen=True)
class MatrixRow:
    initiative: Initiative
    cells: tuple[bool, ...]  # one per ward, in the order of the matrix's wards

    @property
    def ward_count(self) -> int:
        return sum(self.cells)


@dataclass(frozen=True)
class MatrixGroup:
    kind: str
    label: str
    rows: tuple[MatrixRow, ...]
    gaps: tuple[bool, ...]  # True where no initiative of this kind works in the ward

    @property
    def gap_count(self) -> int:
        return sum(self.gaps)


@dataclass(frozen=True)
class WardMatrix:
    wards: tuple[Area, ...]
    groups: tuple[MatrixGroup, ...]


def initiatives_current() -> QuerySet[Initiative]:
    """Initiatives that have not ended, with their wards, organisation and listing."""
    today = timezone.localdate()
    return (
        Initiative.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .select_related("organization", "service")
        .prefetch_related("wards")
        .order_by("kind", "name", "id")
    )


def ward_matrix(wards: Sequence[Area] | None = None) -> WardMatrix:
    """Current initiatives by kind against the borough's wards, with a gap row per kind."""
    wards = tuple(borough_wards() if wards is None else wards)
    by_kind: dict[str, list[MatrixRow]] = defaultdict(list)
    for initiative in initiatives_current():
        covered = {ward.pk for ward in initiative.wards.all()}
        by_kind[initiative.kind].append(
            MatrixRow(initiative, tuple(ward.pk in covered for ward in wards))
        )
    groups = []
    for kind, label in InitiativeKind.choices:
        rows = by_kind.get(kind)
        if not rows:
            continue
        gaps = tuple(not any(row.cells[i] for row in rows) for i in range(len(wards)))
        groups.append(MatrixGroup(kind=kind, label=str(label), rows=tuple(rows), gaps=gaps))
    return WardMatrix(wards=wards, groups=tuple(groups))


def ward_matrix_csv_rows(matrix: WardMatrix) -> list[list[str]]:
    """Header, then per kind its initiatives ("Yes" where they work) and its gap row ("Gap")."""
    rows = [["Kind", "Initiative", *(ward.name for ward in matrix.wards)]]
    for group in matrix.groups:
        for row in group.rows:
            rows.append(
                [group.label, row.initiative.name, *("Yes" if cell else "" for cell in row.cells)]
            )
        rows.append(
            [
                group.label,
                f"Wards with no {group.label.lower()}",
                *("Gap" if gap else "" for gap in group.gaps),
            ]
        )
    return rows


# --- ward counts -------------------------------------------------------------------------------

# A count is a gap when it is zero, or below this fraction of the borough's median for its column.
GAP_FRACTION = 0.5


@dataclass(frozen=True)
class Category:
    pk: int
    name: str


@dataclass(frozen=True)
class Cell:
    count: int
    is_gap: bool
    level: int  # 0 to 4: the count against the column's largest, for the heat-table's shading


@dataclass(frozen=True)
class WardCountRow:
    ward: Area
    places_to_meet: Cell
    services: Cell
    by_category: tuple[Cell, ...]


@dataclass(frozen=True)
class ColumnSummary:
    name: str
    median: float
    threshold: float
    gap_count: int


@dataclass(frozen=True)
class WardCounts:
    categories: tuple[Category, ...]
    rows: tuple[WardCountRow, ...]
    columns: tuple[ColumnSummary, ...]  # places to meet, all services, then each category
    gap_fraction: float = GAP_FRACTION


def category_terms() -> list[Category]:
    """The top-level terms of the category taxonomies (every taxonomy but the SEND needs list)."""
    terms = TaxonomyTerm.objects.top_level().exclude(taxonomy__uri=SEND_NEEDS_TAXONOMY_URI)
    return [
        Category(pk, name) for pk, name in terms.order_by("name", "id").values_list("pk", "name")
    ]


def _root_of_terms() -> dict[int, int]:
    """Every category term's top-level ancestor."""
    parents = dict(
        TaxonomyTerm.objects.exclude(taxonomy__uri=SEND_NEEDS_TAXONOMY_URI).values_list(
            "pk", "parent_id"
        )
    )
    roots: dict[int, int] = {}
    for pk in parents:
        seen: list[int] = []
        current: int | None = pk
        while current is not None and current not in roots and current not in seen:
            seen.append(current)
            current = parents.get(current)
        root = roots[current] if current in roots else seen[-1]
        for term in seen:
            roots[term] = root
    return roots


def column_cells(counts: Sequence[int]) -> tuple[list[Cell], ColumnSummary]:
    """One column's cells, gaps marked (zero, or under GAP_FRACTION of the column's median)."""
    median = float(statistics.median(counts)) if counts else 0.0
    threshold = median * GAP_FRACTION
    top = max(counts, default=0)
    cells = [
        Cell(
            count=count,
            is_gap=count == 0 or count < threshold,
            level=0 if count == 0 or top == 0 else min(4, 1 + (3 * count) // top),
        )
        for count in counts
    ]
    return cells, ColumnSummary("", median, threshold, sum(cell.is_gap for cell in cells))


def ward_counts(wards: Sequence[Area] | None = None) -> WardCounts:
    """Per ward: places to meet, published services, and published services by category.

    A service counts in a ward when it has a venue there; a service with venues in two wards counts
    in both. Masked places count nowhere.
    """
    wards = tuple(borough_wards() if wards is None else wards)
    ward_pks = [ward.pk for ward in wards]
    categories = category_terms()
    meeting: dict[int, int] = defaultdict(int)
    for ward_id in (
        public_places()
        .filter(is_meeting_place=True, ward_id__in=ward_pks)
        .values_list("ward_id", flat=True)
    ):
        meeting[ward_id] += 1
    services_in_ward: dict[int, set[int]] = defaultdict(set)
    venues = ServiceAtLocation.objects.filter(
        service__publication=Publication.PUBLISHED,
        location__mask_address=False,
        location__ward_id__in=ward_pks,
    ).values_list("location__ward_id", "service_id")
    for ward_id, service_id in venues:
        services_in_ward[ward_id].add(service_id)
    roots = _root_of_terms()
    service_categories: dict[int, set[int]] = defaultdict(set)
    tags = Attribute.objects.filter(
        link_content_type=ContentType.objects.get_for_model(Service),
        link_object_id__in=Service.objects.published()
        .filter(
            service_at_locations__location__mask_address=False,
            service_at_locations__location__ward_id__in=ward_pks,
        )
        .values("pk"),
    ).exclude(taxonomy_term__taxonomy__uri=SEND_NEEDS_TAXONOMY_URI)
    for service_id, term_id in tags.values_list("link_object_id", "taxonomy_term_id"):
        if term_id in roots:
            service_categories[service_id].add(roots[term_id])

    columns: list[list[int]] = [
        [meeting.get(pk, 0) for pk in ward_pks],
        [len(services_in_ward.get(pk, ())) for pk in ward_pks],
    ]
    for category in categories:
        columns.append(
            [
                sum(
                    1
                    for service_id in services_in_ward.get(pk, ())
                    if category.pk in service_categories.get(service_id, ())
                )
                for pk in ward_pks
            ]
        )
    names = ["Places to meet", "All activities and services", *(c.name for c in categories)]
    cell_columns: list[list[Cell]] = []
    summaries: list[ColumnSummary] = []
    for name, counts in zip(names, columns, strict=True):
        cells, summary = column_cells(counts)
        cell_columns.append(cells)
        summaries.append(ColumnSummary(name, summary.median, summary.threshold, summary.gap_count))
    rows = tuple(
        WardCountRow(
            ward=ward,
            places_to_meet=cell_columns[0][index],
            services=cell_columns[1][index],
            by_category=tuple(column[index] for column in cell_columns[2:]),
        )
        for index, ward in enumerate(wards)
    )
    return WardCounts(categories=tuple(categories), rows=rows, columns=tuple(summaries))


def ward_counts_csv_rows(counts: WardCounts) -> list[list[str]]:
    """Header, then per ward its counts; a gap is written as the count followed by " (gap)"."""

    def text(cell: Cell) -> str:
        return f"{cell.count} (gap)" if cell.is_gap else str(cell.count)

    rows = [["Ward code", "Ward", *(column.name for column in counts.columns)]]
    for row in counts.rows:
        rows.append(
            [
                row.ward.code,
                row.ward.name,
                text(row.places_to_meet),
                text(row.services),
                *(text(cell) for cell in row.by_category),
            ]
        )
    return rows


# --- one ward ----------------------------------------------------------------------------------


@dataclass
class WardDetail:
    ward: Area
    places: list[AssetPlace] = field(default_factory=list)
    initiatives: list[Initiative] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)


def ward_detail(ward: Area) -> WardDetail:
    """The places, current initiatives and published activities (with a venue there) of one ward."""
    services = (
        Service.objects.published()
        .filter(
            pk__in=ServiceAtLocation.objects.filter(
                location__ward=ward, location__mask_address=False
            ).values("service_id")
        )
        .select_related("organization")
        .order_by("name", "id")
    )
    return WardDetail(
        ward=ward,
        places=asset_place_list(AssetFilters(ward=ward.code)),
        initiatives=list(initiatives_current().filter(wards=ward)),
        services=list(services),
    )
