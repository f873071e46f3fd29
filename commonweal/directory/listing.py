"""The public listing pages: what a listing shows, the shortlist, "report a problem" and the widget.

Reads (``listing_*``, ``embed_*``, ``problem_report_list``) return published records only, and never
a masked place's address or point. Writes (``problem_report_*``) validate, run in a transaction and
are audited. The shortlist lives in the visitor's session, so it needs no account.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, MutableMapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.constants import Role
from commonweal.accounts.selectors import user_list_with_role
from commonweal.core.audit import audit_record
from commonweal.core.emails import email_send
from commonweal.directory.constants import (
    SEND_NEEDS_TAXONOMY_URI,
    AttendingType,
    ListingAuditKind,
    LocalOfferQuestion,
    ProblemKind,
    ProblemReportStatus,
)
from commonweal.directory.models import (
    Address,
    Attribute,
    CostOption,
    LocalOfferAnswer,
    Location,
    LocationFacility,
    Phone,
    ProblemReport,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from commonweal.directory.schedules import next_occurrences, schedule_describe
from commonweal.directory.selectors import postcode_point_and_areas, service_at_locations_near
from commonweal.geo.models import Area
from commonweal.outcomes.models import Outcome

SHORTLIST_SESSION_KEY = "directory_shortlist"
SHORTLIST_MAX = 50
PROBLEM_REPORTS_SESSION_KEY = "directory_problem_reports"
# At most this many reports from one browser session in PROBLEM_REPORT_WINDOW_SECONDS.
PROBLEM_REPORT_LIMIT = 5
PROBLEM_REPORT_WINDOW_SECONDS = 60 * 60
# And at most this many about one listing from everyone in that hour: a script that drops its
# cookie each time cannot flood the moderators' inbox about a listing.
PROBLEM_REPORT_LISTING_LIMIT = 20
EMBED_LIMITS = (3, 5, 10, 20)
EMBED_DEFAULT_LIMIT = 5
EMBED_DISTANCES_MILES = (1, 2, 5, 10)
METRES_PER_MILE = 1609.344

MASKED_ADDRESS_TEXT = "Address given when you get in touch"


# --- what a listing page shows -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScheduleLine:
    words: str
    notes: str
    link: str
    next: dt.datetime | None = None


@dataclass(slots=True)
class Venue:
    """One place a service runs, with what the public may know about it."""

    name: str
    masked: bool
    addresses: list[Address]
    postcode: str
    latitude: float | None
    longitude: float | None
    virtual: bool
    schedules: list[ScheduleLine] = field(default_factory=list)
    accessibility: list[Any] = field(default_factory=list)
    facilities: list[LocationFacility] = field(default_factory=list)
    anchor: str = ""

    @property
    def has_point(self) -> bool:
        return not self.masked and self.latitude is not None and self.longitude is not None


@dataclass(frozen=True, slots=True)
class CostLine:
    words: str


@dataclass(slots=True)
class Listing:
    """A published service and everything its page, print view and shortlist entry show."""

    service: Service
    venues: list[Venue]
    general_schedules: list[ScheduleLine]
    costs: list[CostLine]
    is_free: bool
    send_needs: list[TaxonomyTerm]
    categories: list[TaxonomyTerm]
    languages: list[str]
    phones: list[Phone]
    contacts: list[Any]
    local_offer: list[tuple[str, str]]
    online: bool
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def all_schedules(self) -> list[ScheduleLine]:
        lines = list(self.general_schedules)
        for venue in self.venues:
            lines += venue.schedules
        return lines

    @property
    def has_access_details(self) -> bool:
        return any(venue.accessibility or venue.facilities for venue in self.venues)

    @property
    def ages(self) -> str:
        return ages_words(self.service.minimum_age, self.service.maximum_age)

    @property
    def url(self) -> str:
        return reverse("directory:service_detail", args=[self.service.public_id])

    def map_features(self) -> dict[str, Any]:
        """A GeoJSON FeatureCollection of the venues whose address may be shown."""
        features = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [venue.longitude, venue.latitude]},
                "properties": {
                    "name": venue.name or self.service.name,
                    "summary": ", ".join(str(address) for address in venue.addresses[:1]),
                },
            }
            for venue in self.venues
            if venue.has_point
        ]
        return {"type": "FeatureCollection", "features": features}


def ages_words(minimum: int | None, maximum: int | None) -> str:
    """(18, 99) → "Ages 18 to 99"; (5, None) → "Ages 5 and over"; (None, 11) → "Up to age 11"."""
    if minimum and maximum is not None:
        return f"Age {minimum}" if minimum == maximum else f"Ages {minimum} to {maximum}"
    if minimum:
        return f"Ages {minimum} and over"
    if maximum is not None:
        return f"Up to age {maximum}"
    return "All ages"


def _listing_queryset(queryset: QuerySet[Service]) -> QuerySet[Service]:
    """Everything a listing page shows, in a fixed number of queries whatever the listing holds."""
    attributes = Attribute.objects.select_related("taxonomy_term__taxonomy").order_by(
        "taxonomy_term__name", "id"
    )
    return queryset.select_related("organization").prefetch_related(
        Prefetch(
            "schedules",
            queryset=Schedule.objects.order_by(
                "service_at_location_id", "dtstart", "opens_at", "id"
            ),
        ),
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location").order_by("id"),
        ),
        "service_at_locations__location__addresses",
        "service_at_locations__location__accessibility",
        "service_at_locations__location__facilities",
        Prefetch("cost_options", queryset=CostOption.objects.order_by("amount", "id")),
        "languages",
        Prefetch("phones", queryset=Phone.objects.filter(contact__isnull=True)),
        "contacts",
        Prefetch("local_offer_answers", queryset=LocalOfferAnswer.objects.all()),
        Prefetch("attributes", queryset=attributes),
        Prefetch(
            "intended_outcomes",
            queryset=Outcome.objects.active().order_by("position", "name", "id"),
        ),
    )


def _schedule_line(schedule: Schedule, now: dt.datetime) -> ScheduleLine:
    upcoming = next_occurrences(schedule, after=now, count=1)
    return ScheduleLine(
        words=schedule_describe(schedule, today=timezone.localdate(now)),
        notes=" ".join(str(schedule.notes or "").split()),
        link=schedule.schedule_link,
        next=upcoming[0] if upcoming else None,
    )


def _money(amount: Decimal) -> str:
    if amount == amount.to_integral_value():
        return f"£{amount:,.0f}"
    return f"£{amount:,.2f}"


def _costs(service: Service) -> tuple[list[CostLine], bool]:
    lines: list[CostLine] = []
    today = timezone.localdate()
    options = [
        option
        for option in service.cost_options.all()
        if (option.valid_to is None or option.valid_to >= today)
    ]
    for option in options:
        parts = []
        label = option.option.strip()
        if option.amount is not None:
            price = "Free" if option.amount == 0 else _money(option.amount)
            parts.append(f"{label}: {price}" if label else price)
        elif label:
            parts.append(label)
        if option.amount_description.strip():
            parts.append(option.amount_description.strip())
        if parts:
            lines.append(CostLine(" – ".join(parts)))
    if service.fees.strip():
        lines.append(CostLine(service.fees.strip()))
    is_free = (
        bool(options) and all(option.amount == 0 for option in options) and not service.fees.strip()
    )
    return lines, is_free


def _venue(sal: ServiceAtLocation, schedules: list[Schedule], now: dt.datetime) -> Venue:
    location: Location = sal.location
    masked = location.mask_address
    return Venue(
        name=location.name,
        masked=masked,
        addresses=[] if masked else list(location.addresses.all()),
        postcode="" if masked else location.postcode,
        latitude=None if masked or location.latitude is None else float(location.latitude),
        longitude=None if masked or location.longitude is None else float(location.longitude),
        virtual=location.location_type == "virtual",
        schedules=[_schedule_line(schedule, now) for schedule in schedules],
        accessibility=list(location.accessibility.all()),
        facilities=list(location.facilities.all()),
        anchor=f"venue-{sal.public_id}",
    )


def _listing(service: Service) -> Listing:
    now = timezone.now()
    by_venue: dict[int, list[Schedule]] = {}
    general: list[Schedule] = []
    schedules = list(service.schedules.all())
    for schedule in schedules:
        if schedule.service_at_location_id is None:
            general.append(schedule)
        else:
            by_venue.setdefault(schedule.service_at_location_id, []).append(schedule)
    venues = [
        _venue(sal, by_venue.pop(sal.pk, []), now) for sal in service.service_at_locations.all()
    ]
    # A schedule pointing at a venue of another service (bad data) still shows, with the general ones.
    for leftovers in by_venue.values():
        general += leftovers
    send_needs: list[TaxonomyTerm] = []
    categories: list[TaxonomyTerm] = []
    for attribute in service.attributes.all():
        term = attribute.taxonomy_term
        (send_needs if term.taxonomy.uri == SEND_NEEDS_TAXONOMY_URI else categories).append(term)
    order = {value: index for index, value in enumerate(LocalOfferQuestion.values)}
    answers = sorted(
        service.local_offer_answers.all(), key=lambda item: order.get(item.question, 99)
    )
    costs, is_free = _costs(service)
    return Listing(
        service=service,
        venues=venues,
        general_schedules=[_schedule_line(schedule, now) for schedule in general],
        costs=costs,
        is_free=is_free,
        send_needs=send_needs,
        categories=categories,
        languages=[language.name for language in service.languages.all() if language.name],
        phones=list(service.phones.all()),
        contacts=[contact for contact in service.contacts.all() if contact.name or contact.title],
        local_offer=[
            (answer.get_question_display(), answer.answer)
            for answer in answers
            if answer.answer.strip()
        ]
        if service.send_local_offer
        else [],
        online=any(schedule.attending_type == AttendingType.ONLINE for schedule in schedules)
        or any(venue.virtual for venue in venues),
        outcomes=list(service.intended_outcomes.all()),
    )


def listing_get(*, public_id: UUID) -> Listing | None:
    """One published listing with all it shows, or None (unknown, draft or withdrawn)."""
    service = _listing_queryset(Service.objects.published().filter(public_id=public_id)).first()
    return None if service is None else _listing(service)


def listing_list(*, public_ids: Sequence[UUID]) -> list[Listing]:
    """The published listings among ``public_ids``, in the order given; others are left out."""
    if not public_ids:
        return []
    services = {
        service.public_id: service
        for service in _listing_queryset(
            Service.objects.published().filter(public_id__in=list(public_ids))
        )
    }
    return [_listing(services[pid]) for pid in public_ids if pid in services]


# --- the shortlist -------------------------------------------------------------------------------


def parse_ids(values: Iterable[str], *, limit: int = SHORTLIST_MAX) -> list[UUID]:
    """UUIDs from text (a session, or ``?ids=a,b``): bad ones skipped, repeats dropped, at most ``limit``."""
    found: list[UUID] = []
    for value in values:
        try:
            parsed = uuid.UUID(str(value).strip())
        except (ValueError, AttributeError, TypeError):
            continue
        if parsed not in found:
            found.append(parsed)
        if len(found) >= limit:
            break
    return found


def shortlist_ids(session: MutableMapping[str, Any]) -> list[UUID]:
    stored = session.get(SHORTLIST_SESSION_KEY)
    return parse_ids(stored if isinstance(stored, list) else [])


def shortlist_add(session: MutableMapping[str, Any], public_id: UUID) -> bool:
    """Add a listing; False when the shortlist is already full."""
    ids = shortlist_ids(session)
    if public_id in ids:
        return True
    if len(ids) >= SHORTLIST_MAX:
        return False
    session[SHORTLIST_SESSION_KEY] = [str(item) for item in [*ids, public_id]]
    return True


def shortlist_remove(session: MutableMapping[str, Any], public_id: UUID) -> None:
    session[SHORTLIST_SESSION_KEY] = [
        str(item) for item in shortlist_ids(session) if item != public_id
    ]


def shortlist_share_path(public_ids: Sequence[UUID]) -> str:
    return reverse("directory:shortlist") + "?ids=" + ",".join(str(item) for item in public_ids)


# --- report a problem ----------------------------------------------------------------------------


def problem_reports_allowed(session: MutableMapping[str, Any]) -> bool:
    """A light brake on abuse: a few reports per browser session per hour."""
    return len(_recent_reports(session)) < PROBLEM_REPORT_LIMIT


def problem_reports_listing_full(service: Service) -> bool:
    """Whether the listing has had as many reports this hour as moderators take from everyone."""
    since = timezone.now() - dt.timedelta(seconds=PROBLEM_REPORT_WINDOW_SECONDS)
    recent = ProblemReport.objects.filter(service=service, created_at__gte=since).count()
    return recent >= PROBLEM_REPORT_LISTING_LIMIT


def problem_reports_count(session: MutableMapping[str, Any]) -> None:
    session[PROBLEM_REPORTS_SESSION_KEY] = [*_recent_reports(session), timezone.now().timestamp()]


def _recent_reports(session: MutableMapping[str, Any]) -> list[float]:
    stored = session.get(PROBLEM_REPORTS_SESSION_KEY)
    since = timezone.now().timestamp() - PROBLEM_REPORT_WINDOW_SECONDS
    if not isinstance(stored, list):
        return []
    return [moment for moment in stored if isinstance(moment, int | float) and moment > since]


def moderator_emails() -> list[str]:
    """Where reports about listings go: every moderator, or the site's contact address."""
    emails = sorted({user.email for user in user_list_with_role(role=Role.MODERATOR) if user.email})
    return emails or [settings.COMMONWEAL_CONTACT_EMAIL]


@transaction.atomic
def problem_report_create(
    *,
    actor: Any,
    service: Service,
    kind: str,
    details: str = "",
    reply_email: str = "",
    site_root: str = "",
) -> ProblemReport:
    """Save a member of the public's report, audit it and tell the moderators.

    ``site_root`` ("https://directory.example.org") makes the links in the email whole.
    """
    report = ProblemReport(
        service=service,
        kind=kind,
        details=details.strip(),
        reply_email=reply_email.strip(),
    )
    report.full_clean()
    report.save()
    audit_record(
        kind=ListingAuditKind.PROBLEM_REPORTED,
        actor=actor,
        target=report,
        after={"service": str(service.public_id), "kind": kind},
    )
    root = site_root.rstrip("/")
    reports_link = root + reverse("directory:problem_reports")
    listing_link = root + reverse("directory:service_detail", args=[service.public_id])
    transaction.on_commit(
        lambda: email_send(
            to=moderator_emails(),
            template="directory/emails/problem_reported.txt",
            context={
                "report": report,
                "service": service,
                "kind": ProblemKind(kind).label,
                "reports_link": reports_link,
                "listing_link": listing_link,
            },
        )
    )
    return report


@transaction.atomic
def problem_report_deal_with(*, actor: Any, report: ProblemReport, note: str = "") -> ProblemReport:
    """A moderator has dealt with a report (corrected the listing, or found nothing wrong)."""
    if report.status == ProblemReportStatus.DEALT_WITH:
        return report
    report.status = ProblemReportStatus.DEALT_WITH
    report.note = note.strip()
    report.dealt_with_by = actor
    report.dealt_with_at = timezone.now()
    report.full_clean()
    report.save()
    audit_record(
        kind=ListingAuditKind.PROBLEM_DEALT_WITH,
        actor=actor,
        target=report,
        before={"status": ProblemReportStatus.OPEN.value},
        after={"status": report.status, "note": report.note},
    )
    return report


def problem_report_list(*, status: str = ProblemReportStatus.OPEN) -> QuerySet[ProblemReport]:
    """Reports in one state, newest first, with their listings."""
    return (
        ProblemReport.objects.filter(status=status)
        .select_related("service__organization", "dealt_with_by")
        .order_by("-created_at", "-id")
    )


def problem_report_get_open(*, public_id: UUID) -> ProblemReport | None:
    return problem_report_list().filter(public_id=public_id).first()


# --- the embeddable widget -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EmbedQuery:
    """The widget's filters, checked. ``problems`` holds friendly messages about what was ignored."""

    ward: Area | None = None
    term: TaxonomyTerm | None = None
    postcode: str = ""
    latitude: float | None = None
    longitude: float | None = None
    miles: int = EMBED_DISTANCES_MILES[1]
    limit: int = EMBED_DEFAULT_LIMIT
    problems: tuple[str, ...] = ()

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True, slots=True)
class EmbedItem:
    listing_path: str
    name: str
    organization: str
    when: str
    where: str
    miles: float | None


def embed_wards() -> QuerySet[Area]:
    return Area.objects.wards().current().order_by("name", "code")


def embed_terms() -> QuerySet[TaxonomyTerm]:
    """Categories a widget can show: every term outside the SEND needs list, by taxonomy and name."""
    return (
        TaxonomyTerm.objects.select_related("taxonomy")
        .exclude(taxonomy__uri=SEND_NEEDS_TAXONOMY_URI)
        .order_by("taxonomy__name", "name", "id")
    )


def _choice(value: str, allowed: Sequence[int], default: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if number in allowed else default


def embed_query_parse(params: MutableMapping[str, Any] | Any) -> EmbedQuery:
    """Read the widget's address parameters. Nothing here raises: bad values become messages."""
    problems: list[str] = []
    ward: Area | None = None
    term: TaxonomyTerm | None = None
    ward_code = str(params.get("ward", "") or "").strip().upper()[:20]
    if ward_code:
        ward = embed_wards().filter(code=ward_code).first()
        if ward is None:
            problems.append("We could not find that ward, so listings from every ward are shown.")
    category = str(params.get("category", "") or "").strip()[:60]
    if category:
        try:
            term = embed_terms().filter(public_id=uuid.UUID(category)).first()
        except ValueError:
            term = None
        if term is None:
            problems.append("We could not find that category, so every category is shown.")
    postcode = " ".join(str(params.get("postcode", "") or "").split())[:12]
    latitude = longitude = None
    if postcode:
        place = postcode_point_and_areas(postcode)
        if place is None:
            problems.append(f"We could not find the postcode {postcode}, so distance is ignored.")
            postcode = ""
        else:
            latitude, longitude = place.latitude, place.longitude
    return EmbedQuery(
        ward=ward,
        term=term,
        postcode=postcode.upper(),
        latitude=latitude,
        longitude=longitude,
        miles=_choice(params.get("distance", ""), EMBED_DISTANCES_MILES, EMBED_DISTANCES_MILES[1]),
        limit=_choice(params.get("limit", ""), EMBED_LIMITS, EMBED_DEFAULT_LIMIT),
        problems=tuple(problems),
    )


def _term_and_descendants(term: TaxonomyTerm) -> list[int]:
    found = [term.pk]
    frontier = [term.pk]
    for _ in range(10):  # taxonomies are shallow; a cycle in bad data stops here
        frontier = list(
            TaxonomyTerm.objects.filter(parent_id__in=frontier)
            .exclude(pk__in=found)
            .values_list("pk", flat=True)
        )
        if not frontier:
            break
        found += frontier
    return found


def embed_results(query: EmbedQuery) -> list[EmbedItem]:
    """The published listings the widget shows: in the ward, of the category, near the postcode."""
    services = Service.objects.published()
    if query.ward is not None:
        services = services.filter(
            Q(service_at_locations__location__ward=query.ward) | Q(service_areas__area=query.ward)
        )
    if query.term is not None:
        term_ids = _term_and_descendants(query.term)
        tagged = Attribute.objects.linked_to_model(Service).filter(taxonomy_term_id__in=term_ids)
        services = services.filter(pk__in=tagged.values("link_object_id"))
    distances: dict[int, float] = {}
    if query.has_point:
        assert query.latitude is not None and query.longitude is not None
        near = service_at_locations_near(
            ServiceAtLocation.objects.filter(service__in=services.values("pk")),
            latitude=query.latitude,
            longitude=query.longitude,
            metres=query.miles * METRES_PER_MILE,
        )
        venue_service = dict(
            ServiceAtLocation.objects.filter(pk__in=[pk for pk, _ in near]).values_list(
                "pk", "service_id"
            )
        )
        for pk, metres in near:
            service_id = venue_service[pk]
            distances.setdefault(service_id, metres)
        ids = sorted(distances, key=lambda sid: (distances[sid], sid))[: query.limit]
        chosen = list(_listing_queryset(Service.objects.filter(pk__in=ids)))
        chosen.sort(key=lambda service: ids.index(service.pk))
    else:
        ids = list(
            services.order_by("name", "id").values_list("pk", flat=True).distinct()[: query.limit]
        )
        chosen = list(_listing_queryset(Service.objects.filter(pk__in=ids)).order_by("name", "id"))
    items = []
    for service in chosen:
        listing = _listing(service)
        first_place = listing.venues[0] if listing.venues else None
        where = ""
        if first_place is not None:
            if first_place.masked:
                where = MASKED_ADDRESS_TEXT
            elif first_place.addresses:
                address = first_place.addresses[0]
                where = f"{address.address_1}, {address.city}"
            else:
                where = first_place.name
        schedules = listing.all_schedules
        items.append(
            EmbedItem(
                listing_path=listing.url,
                name=service.name,
                organization=service.organization.name,
                when=schedules[0].words if schedules else "",
                where=where,
                miles=round(distances[service.pk] / METRES_PER_MILE, 1)
                if service.pk in distances
                else None,
            )
        )
    return items
