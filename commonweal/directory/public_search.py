"""The public search of the directory: what people ask for (``SearchCriteria``) and what they get.

``service_public_search(criteria)`` is the one selector behind the search page. Every filter narrows
the result (AND). Only published services appear. The work is done in the database and bounded: the
full-text index narrows first, the other filters are subqueries on indexed columns, distance uses a
bounding box on the indexed latitude and longitude with an equirectangular distance in SQL (exact
enough at these distances), results are counted in one query, and only the page shown is loaded, with
what it shows prefetched. Exact (haversine) distances are computed for the page shown only.

Decisions people may ask about:

- *Near a postcode* means a venue of the service within the distance; services with no venue
  (online or phone only) are left out of a postcode search. Sensitive (masked) venues never count
  and never appear on the map.
- *Free* means a cost option with an amount of 0, or no cost options at all and no fees written down.
- *Day* counts weekly schedules on that day (``byday=MO,WE``) and monthly ones (``byday=2MO``);
  schedules whose ``valid_to`` or ``until`` has passed do not count. *Time of day* is morning (opens
  before 12 noon), afternoon (open at some time from 12 noon to 5pm) or evening (open after 5pm); a
  day and a time together must be the same schedule.
- *Age*: services with no age limits suit every age.
- *Category*: a top-level term of any taxonomy other than the SEND needs one; a service tagged with
  the term or any term below it matches.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Cast
from django.utils import timezone

from commonweal.directory.constants import SEND_NEEDS_TAXONOMY_URI, Facility
from commonweal.directory.models import (
    Attribute,
    CostOption,
    Language,
    LocationFacility,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from commonweal.directory.schedules import WEEKDAY_CODES, next_occurrences
from commonweal.directory.search import search_ranks, service_search, service_search_filter
from commonweal.geo.distance import EARTH_RADIUS_METRES, bbox_around, haversine_metres
from commonweal.geo.exceptions import GeoError
from commonweal.geo.selectors import postcode_point_get

PER_PAGE = 25
MAX_PAGE = 400
METRES_PER_MILE = 1609.344
DISTANCE_MILES = (1, 3, 5, 10, 25)
DEFAULT_MILES = 3
_METRES_PER_DEGREE = math.pi * EARTH_RADIUS_METRES / 180

DAYS = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}
TIMES_OF_DAY = {"morning": "Morning", "afternoon": "Afternoon", "evening": "Evening"}
NOON = dt.time(12, 0)
FIVE_PM = dt.time(17, 0)
SORTS = {"relevance": "Best match", "distance": "Distance", "name": "Name (A to Z)"}
# The facilities offered as accessibility filters, in the order the page lists them.
ACCESS_FACILITIES = (
    Facility.STEP_FREE,
    Facility.ACCESSIBLE_TOILET,
    Facility.CHANGING_PLACES,
    Facility.HEARING_LOOP,
    Facility.BLUE_BADGE_PARKING,
    Facility.QUIET_ROOM,
    Facility.BABY_CHANGING,
)


@dataclass(frozen=True)
class SearchCriteria:
    """What someone asked for. Empty values do not filter."""

    text: str = ""
    postcode: str = ""
    miles: int = DEFAULT_MILES
    category: UUID | None = None
    day: str = ""
    time_of_day: str = ""
    age: int | None = None
    free_only: bool = False
    facilities: tuple[str, ...] = ()
    send_need: UUID | None = None
    language: str = ""
    sort: str = ""
    page: int = 1


@dataclass
class SearchHit:
    """One service on the page, with the venue nearest the postcode (or its first public venue)."""

    service: Service
    distance_metres: float | None = None
    latitude: float | None = None
    longitude: float | None = None
    venue_name: str = ""
    next_session: str = ""

    @property
    def distance_miles(self) -> float | None:
        return None if self.distance_metres is None else self.distance_metres / METRES_PER_MILE


@dataclass
class SearchResult:
    hits: list[SearchHit]
    total: int
    page: int
    pages: int
    sort: str
    per_page: int = PER_PAGE
    # The postcode as people write it, when one was asked for and found.
    postcode: str = ""
    # Set when a postcode was asked for but could not be used: the message to show.
    postcode_error: str = ""
    sorts: list[str] = field(default_factory=list)


# --- filters -----------------------------------------------------------------------------------


def _service_ids_tagged(term_ids: QuerySet[Any] | list[int]) -> QuerySet[Any]:
    return Attribute.objects.filter(
        link_content_type=ContentType.objects.get_for_model(Service),
        taxonomy_term_id__in=term_ids,
    ).values("link_object_id")


def _category_term_ids(public_id: UUID) -> list[int]:
    """The term and every term below it, in two small queries."""
    term = TaxonomyTerm.objects.filter(public_id=public_id).values("pk", "taxonomy_id").first()
    if term is None:
        return []
    children: dict[int | None, list[int]] = {}
    for pk, parent in TaxonomyTerm.objects.filter(taxonomy_id=term["taxonomy_id"]).values_list(
        "pk", "parent_id"
    ):
        children.setdefault(parent, []).append(pk)
    found, todo = [], [term["pk"]]
    while todo:
        pk = todo.pop()
        if pk in found:
            continue
        found.append(pk)
        todo.extend(children.get(pk, []))
    return found


def _schedule_filter(day: str, time_of_day: str, today: dt.date) -> Q:
    q = (Q(valid_to__isnull=True) | Q(valid_to__gte=today)) & (
        Q(until__isnull=True) | Q(until__gte=today)
    )
    if day:
        q &= Q(byday__contains=day)
    if time_of_day == "morning":
        q &= Q(opens_at__lt=NOON)
    elif time_of_day == "afternoon":
        q &= Q(opens_at__lt=FIVE_PM) & (
            Q(closes_at__gt=NOON) | Q(closes_at__isnull=True, opens_at__gte=NOON)
        )
    elif time_of_day == "evening":
        q &= Q(opens_at__isnull=False) & (Q(closes_at__gt=FIVE_PM) | Q(opens_at__gte=FIVE_PM))
    return q


def _filtered(services: QuerySet[Service], criteria: SearchCriteria) -> QuerySet[Service]:
    """Every filter but the text and the distance, each narrowing (AND)."""
    if criteria.category is not None:
        services = services.filter(
            pk__in=_service_ids_tagged(_category_term_ids(criteria.category))
        )
    if criteria.send_need is not None:
        needs = TaxonomyTerm.objects.filter(
            public_id=criteria.send_need, taxonomy__uri=SEND_NEEDS_TAXONOMY_URI
        ).values("pk")
        services = services.filter(pk__in=_service_ids_tagged(needs))
    if criteria.day or criteria.time_of_day:
        schedules = Schedule.objects.filter(
            _schedule_filter(criteria.day, criteria.time_of_day, timezone.localdate())
        )
        services = services.filter(pk__in=schedules.values("service_id"))
    if criteria.age is not None:
        services = services.filter(
            Q(minimum_age__isnull=True) | Q(minimum_age__lte=criteria.age),
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=criteria.age),
        )
    if criteria.free_only:
        services = services.filter(
            Q(pk__in=CostOption.objects.filter(amount=0).values("service_id"))
            | (Q(fees="") & ~Exists(CostOption.objects.filter(service_id=OuterRef("pk"))))
        )
    if criteria.facilities:
        wanted = sorted(set(criteria.facilities))
        places = (
            LocationFacility.objects.filter(facility__in=wanted)
            .values("location_id")
            .annotate(offered=Count("id"))
            .filter(offered=len(wanted))
            .values("location_id")
        )
        services = services.filter(
            pk__in=ServiceAtLocation.objects.filter(location_id__in=places).values("service_id")
        )
    if criteria.language:
        services = services.filter(
            pk__in=Language.objects.filter(
                Q(name__iexact=criteria.language) | Q(code__iexact=criteria.language)
            ).values("service_id")
        )
    return services


# --- distance ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Circle:
    latitude: float
    longitude: float
    metres: float

    def venues(self) -> QuerySet[ServiceAtLocation]:
        """Public venues in the circle's bounding box, annotated with ``near`` (squared degrees)."""
        south, north, west, east = bbox_around(self.latitude, self.longitude, self.metres)
        cos_lat = math.cos(math.radians(self.latitude))
        dlat = Cast("location__latitude", FloatField()) - self.latitude
        dlon = (Cast("location__longitude", FloatField()) - self.longitude) * cos_lat
        return ServiceAtLocation.objects.filter(
            location__mask_address=False,
            location__latitude__gte=Decimal(str(round(south, 6))),
            location__latitude__lte=Decimal(str(round(north, 6))),
            location__longitude__gte=Decimal(str(round(west, 6))),
            location__longitude__lte=Decimal(str(round(east, 6))),
        ).annotate(near=ExpressionWrapper(dlat * dlat + dlon * dlon, output_field=FloatField()))

    def within(self) -> QuerySet[ServiceAtLocation]:
        reach = self.metres / _METRES_PER_DEGREE
        return self.venues().filter(near__lte=reach * reach)  # type: ignore[misc]


def _postcode_circle(postcode: str, miles: int) -> tuple[_Circle | None, str, str]:
    """(circle, postcode as written, error message)."""
    try:
        point = postcode_point_get(postcode)
    except GeoError as error:
        return (
            None,
            "",
            f"We could not find that postcode ({error}). "
            "The results below are not limited by distance.",
        )
    return (
        _Circle(point.latitude, point.longitude, miles * METRES_PER_MILE),
        point.display,
        "",
    )


# --- the selector ------------------------------------------------------------------------------


def _page_queryset(queryset: QuerySet[Service]) -> QuerySet[Service]:
    venues = ServiceAtLocation.objects.select_related("location").filter(
        location__mask_address=False
    )
    return queryset.select_related("organization").prefetch_related(
        Prefetch("service_at_locations", queryset=venues.order_by("id"), to_attr="public_venues"),
        Prefetch("schedules", queryset=Schedule.objects.order_by("id")),
    )


def service_public_search(criteria: SearchCriteria) -> SearchResult:
    """Published services matching every criterion: one page of them, the total and the postcode."""
    filtered = _filtered(Service.objects.published(), criteria)
    circle, postcode, postcode_error = (None, "", "")
    if criteria.postcode:
        circle, postcode, postcode_error = _postcode_circle(criteria.postcode, criteria.miles)
    ranks: dict[int, float] | None = None
    if circle is not None:
        # Near a postcode, everything starts from the services in the circle: a list of ids read
        # from the places' point index, then ranked against the words (``search_ranks``), so no
        # query joins or sorts a common word's thousands of matches elsewhere.
        near = sorted(set(circle.within().values_list("service_id", flat=True)))
        ranks = search_ranks(criteria.text, near)
        services = filtered.filter(pk__in=sorted(ranks))
    else:
        # Counting needs no rank: the cheaper filter counts; only a relevance order joins the index.
        services = service_search_filter(filtered, criteria.text)

    sorts = [
        *(["relevance"] if criteria.text.strip() else []),
        *(["distance"] if circle is not None else []),
        "name",
    ]
    sort = criteria.sort if criteria.sort in sorts else sorts[0]

    total = services.count()
    pages = max(1, min(MAX_PAGE, math.ceil(total / PER_PAGE)))
    page = min(max(1, criteria.page), pages)
    offset = (page - 1) * PER_PAGE
    if sort == "distance" and circle is not None:
        nearest = (
            circle.venues()
            .filter(service_id=OuterRef("pk"))
            .order_by("near")  # type: ignore[misc]
            .values("near")[:1]
        )
        ordered: QuerySet[Service] = services.annotate(
            nearest=Subquery(nearest, output_field=FloatField())
        ).order_by("nearest", "name", "pk")
        rows = list(_page_queryset(ordered)[offset : offset + PER_PAGE]) if total else []
    elif ranks is not None:
        # A short list: order it here, then read one page of services.
        named = list(services.values_list("pk", "name"))
        if sort == "relevance":
            named.sort(key=lambda row: (-ranks[row[0]], row[1], row[0]))
        else:
            named.sort(key=lambda row: (row[1], row[0]))
        wanted = [pk for pk, _ in named[offset : offset + PER_PAGE]]
        found = _page_queryset(Service.objects.filter(pk__in=wanted)).in_bulk()
        rows = [found[pk] for pk in wanted if pk in found]
    else:
        if sort == "relevance":
            ordered = service_search(filtered, criteria.text).order_by("-search_rank", "name", "pk")
        else:
            ordered = services.order_by("name", "pk")
        rows = list(_page_queryset(ordered)[offset : offset + PER_PAGE]) if total else []

    now = timezone.now()
    hits = [_hit(service, circle, now) for service in rows]
    return SearchResult(
        hits=hits,
        total=total,
        page=page,
        pages=pages,
        sort=sort,
        postcode=postcode,
        postcode_error=postcode_error,
        sorts=sorts,
    )


def _hit(service: Service, circle: _Circle | None, now: dt.datetime) -> SearchHit:
    hit = SearchHit(service=service, next_session=_next_session(service.schedules.all(), now))
    best: tuple[float, Any] | None = None
    for venue in getattr(service, "public_venues", []):
        location = venue.location
        if location.latitude is None or location.longitude is None:
            continue
        lat, lon = float(location.latitude), float(location.longitude)
        distance = (
            haversine_metres(circle.latitude, circle.longitude, lat, lon)
            if circle is not None
            else 0.0
        )
        if best is None or distance < best[0]:
            best = (distance, location)
    if best is not None:
        distance, location = best
        hit.latitude = float(location.latitude)
        hit.longitude = float(location.longitude)
        hit.venue_name = location.name
        hit.distance_metres = distance if circle is not None else None
    return hit


# --- next session ------------------------------------------------------------------------------

# How far ahead a result says when the group next meets.
NEXT_SESSION_DAYS = 62


def _clock(time: dt.time) -> str:
    if time == NOON:
        return "12 noon"
    hour = time.hour % 12 or 12
    suffix = "am" if time.hour < 12 else "pm"
    return f"{hour}{suffix}" if time.minute == 0 else f"{hour}:{time.minute:02d}{suffix}"


def _next_session(schedules: Any, now: dt.datetime) -> str:
    """ "Next: Monday 12 May, 10am" for the soonest session in the next two months, or "".

    The dates come from ``schedules.next_occurrences``, as on the listing page, so both read a
    schedule's rule (``byday``, ``bymonthday``, the interval, start and end) the same way.
    """
    today = timezone.localdate(now)
    horizon = today + dt.timedelta(days=NEXT_SESSION_DAYS)
    soonest: tuple[dt.datetime, dt.time | None] | None = None
    for schedule in schedules:
        upcoming = next_occurrences(schedule, after=now, count=1, until=horizon)
        if upcoming and (soonest is None or upcoming[0] < soonest[0]):
            soonest = (upcoming[0], schedule.opens_at)
    if soonest is None:
        return ""
    start, opens = soonest
    day = timezone.localdate(start)
    if day == today:
        words = "today"
    elif day == today + dt.timedelta(days=1):
        words = "tomorrow"
    else:
        words = f"{DAYS[WEEKDAY_CODES[day.weekday()]]} {day.day} {day:%B}"
    return f"Next: {words}, {_clock(opens)}" if opens else f"Next: {words}"
