"""A synthetic national directory over real GB postcodes, for load tests and benchmarks.

``directory_generate(services=N, seed=S)`` writes about N/3 organisations, 0.6 N places at real
postcodes (with their points and wards, from the geo Postcode table that ``geo_import_codepoint``
fills), N services with their venues, schedules, categories, SEND needs, cost options and languages.
The same seed gives the same directory (names, ids, postcodes, schedules). It writes in batches with
``bulk_create``, one transaction per batch, bypassing the per-record services and the audit log, which
would take hours at national scale; everything it writes carries ``source = "generated:seed=S"`` so it
is never mistaken for real data. It ends by rebuilding the search index through
``commonweal.directory.search``.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from commonweal.directory.constants import (
    AssetType,
    AttendingType,
    Facility,
    LocationType,
    Publication,
    ScheduleFrequency,
    ServiceStatus,
)
from commonweal.directory.models import (
    Address,
    Attribute,
    CostOption,
    Language,
    Location,
    LocationFacility,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
)
from commonweal.directory.search import search_index_rebuild
from commonweal.directory.taxonomies import categories_ensure, send_needs_ensure
from commonweal.geo.models import Area, Postcode
from commonweal.geo.postcodes import postcode_display

LOCATIONS_PER_SERVICE = 0.6
SERVICES_PER_ORGANIZATION = 3


class GenerateError(Exception):
    """The directory cannot be generated here (no postcodes, or already generated)."""


def generated_source(seed: int) -> str:
    """The ``source`` every record generated with ``seed`` carries."""
    return f"generated:seed={seed}"


@dataclass(frozen=True)
class Activity:
    """A kind of listing: its name, category, description, ages, schedules, costs and venue kind."""

    name: str
    category: str
    description: str
    ages: tuple[int | None, int | None] = (None, None)
    schedules: tuple[str, ...] = ("weekly",)
    paid_share: float = 0.3
    venue: str = "hall"
    send_needs: tuple[str, ...] = ()


ACTIVITIES: list[Activity] = [
    Activity(
        "Coffee Morning",
        "social",
        "A friendly coffee morning with cake and conversation. Everyone welcome, come on your own or "
        "bring a friend.",
        schedules=("weekly", "monthly"),
        paid_share=0.4,
    ),
    Activity(
        "Walking Group",
        "physical-activity",
        "Gentle health walks of about an hour at an easy pace, led by trained volunteer walk leaders.",
        schedules=("weekly",),
        paid_share=0.0,
        venue="park",
    ),
    Activity(
        "Men's Shed",
        "social",
        "Woodwork, repairs and restoration in a shared workshop: a place for men to make things, "
        "share skills and talk.",
        ages=(18, None),
        schedules=("twice_weekly",),
        paid_share=0.5,
    ),
    Activity(
        "Parent and Toddler Group",
        "early-years",
        "Stay and play for babies and toddlers with their parents and carers: toys, songs, stories "
        "and a drink for the grown-ups.",
        ages=(0, 4),
        paid_share=0.6,
    ),
    Activity(
        "Youth Club",
        "youth",
        "Games, sport, cooking and trips for young people, with trained youth workers.",
        ages=(11, 18),
        schedules=("evening",),
    ),
    Activity(
        "Food Bank",
        "food",
        "Emergency food parcels for people in crisis, with a referral voucher from an agency. "
        "Signposting to debt and benefits advice.",
        schedules=("twice_weekly",),
        paid_share=0.0,
        venue="church",
    ),
    Activity(
        "Community Larder",
        "food",
        "A low-cost food club: members pay a small weekly amount and choose groceries worth much more.",
        paid_share=0.9,
    ),
    Activity(
        "Warm Space",
        "warm-spaces",
        "A warm, welcoming place to spend time in winter with hot drinks, soup, wifi and company.",
        schedules=("weekdays",),
        paid_share=0.0,
        venue="library",
    ),
    Activity(
        "Digital Help Drop-in",
        "digital",
        "Bring your phone, tablet or laptop: volunteers help with email, video calls, online "
        "shopping, NHS app and staying safe online.",
        ages=(16, None),
        paid_share=0.0,
        venue="library",
    ),
    Activity(
        "English Conversation Class",
        "english",
        "Informal English conversation practice for speakers of other languages. All levels welcome.",
        ages=(16, None),
        paid_share=0.1,
        venue="library",
    ),
    Activity(
        "Carers' Group",
        "carers",
        "Peer support for unpaid carers: a break, a cuppa and information from people who understand.",
        ages=(18, None),
        schedules=("monthly",),
        paid_share=0.0,
    ),
    Activity(
        "Dementia Cafe",
        "dementia",
        "A relaxed cafe for people living with dementia and their families, with music, reminiscence "
        "and advice from a dementia support worker.",
        schedules=("monthly",),
        paid_share=0.2,
        venue="church",
    ),
    Activity(
        "Allotment Society",
        "gardening",
        "Allotment plots to rent, a seed swap and a trading hut. Beginners are paired with a mentor.",
        schedules=("weekend",),
        paid_share=0.9,
        venue="park",
    ),
    Activity(
        "Community Lunch",
        "faith",
        "A hot two-course lunch cooked by volunteers, served every week to anyone who would like "
        "company.",
        ages=(50, None),
        paid_share=0.7,
        venue="church",
    ),
    Activity(
        "Football Club",
        "physical-activity",
        "Grassroots football training and matches for boys and girls, with FA-qualified coaches.",
        ages=(5, 16),
        schedules=("weekend", "evening"),
        paid_share=0.9,
        venue="park",
    ),
    Activity(
        "Chair Yoga",
        "physical-activity",
        "Gentle seated yoga to improve strength, balance and flexibility. No experience needed.",
        ages=(50, None),
        paid_share=0.8,
    ),
    Activity(
        "Citizens Advice Session",
        "advice",
        "Free, confidential advice on benefits, debt, housing, employment and consumer problems.",
        ages=(16, None),
        schedules=("weekdays",),
        paid_share=0.0,
        venue="centre",
    ),
    Activity(
        "Debt Advice Clinic",
        "advice",
        "One-to-one help to deal with debts, talk to creditors and make a budget.",
        ages=(18, None),
        schedules=("weekly",),
        paid_share=0.0,
        venue="centre",
    ),
    Activity(
        "Job Club",
        "employment",
        "Help with CVs, job searches, applications and interview practice, with access to computers.",
        ages=(16, None),
        paid_share=0.0,
        venue="library",
    ),
    Activity(
        "Talking Therapies Group",
        "mental-health",
        "NHS talking therapy group for low mood, stress and anxiety. Refer yourself or ask your GP.",
        ages=(18, None),
        paid_share=0.0,
        venue="centre",
    ),
    Activity(
        "Befriending Service",
        "befriending",
        "Weekly visits or phone calls from a trained volunteer befriender for people who feel lonely.",
        ages=(60, None),
        paid_share=0.0,
        venue="centre",
    ),
    Activity(
        "Autism Family Support Group",
        "send",
        "Meet other families of autistic children, share experience and hear from visiting "
        "specialists.",
        ages=(0, 25),
        schedules=("monthly",),
        paid_share=0.0,
        send_needs=("autism", "communication"),
    ),
    Activity(
        "SEND Short Breaks Club",
        "send",
        "Short breaks for disabled children and young people, with trained staff and one-to-one "
        "support where needed.",
        ages=(5, 18),
        schedules=("weekend",),
        paid_share=0.3,
        venue="school",
        send_needs=("autism", "learning", "mobility", "semh"),
    ),
    Activity(
        "Deaf Children's Club",
        "send",
        "Play and activities for deaf children and their siblings, with BSL-using staff.",
        ages=(4, 16),
        schedules=("monthly",),
        paid_share=0.0,
        send_needs=("hearing",),
    ),
    Activity(
        "Holiday Club",
        "childcare",
        "Ofsted-registered holiday childcare with sport, crafts and trips during school holidays.",
        ages=(4, 12),
        schedules=("weekdays",),
        paid_share=1.0,
        venue="school",
    ),
    Activity(
        "Knit and Natter",
        "arts",
        "Knitting, crochet and sewing circle: bring your own project or learn from others.",
        paid_share=0.3,
    ),
    Activity(
        "Community Choir",
        "arts",
        "A friendly choir singing pop, folk and gospel. No auditions and no need to read music.",
        schedules=("evening",),
        paid_share=0.7,
        venue="church",
    ),
    Activity(
        "Ukulele Group",
        "arts",
        "Learn to play the ukulele with others. Instruments available to borrow.",
        schedules=("fortnightly",),
        paid_share=0.6,
    ),
    Activity(
        "Volunteer Centre",
        "volunteering",
        "Find volunteering roles that suit you, with support to get started.",
        ages=(16, None),
        schedules=("weekdays",),
        paid_share=0.0,
        venue="centre",
    ),
    Activity(
        "Health Check Clinic",
        "health-services",
        "Free NHS Health Checks for adults aged 40 to 74: blood pressure, cholesterol and advice.",
        ages=(40, 74),
        schedules=("weekly",),
        paid_share=0.0,
        venue="centre",
    ),
]

# (asset type, is a meeting place, name pattern, facilities, capacity range)
VENUES: dict[str, list[tuple[str, bool, str, tuple[str, ...], tuple[int, int]]]] = {
    "hall": [
        (
            AssetType.PHYSICAL_SPACE,
            True,
            "{place} Community Centre",
            (Facility.HALL, Facility.KITCHEN, Facility.ACCESSIBLE_TOILET),
            (40, 200),
        ),
        (
            AssetType.PHYSICAL_SPACE,
            True,
            "{place} Village Hall",
            (Facility.HALL, Facility.KITCHEN, Facility.PARKING),
            (30, 150),
        ),
        (AssetType.PHYSICAL_SPACE, True, "{place} Scout Hut", (Facility.HALL,), (20, 60)),
        (
            AssetType.ECONOMIC,
            True,
            "The {pub} (function room)",
            (Facility.MEETING_ROOM, Facility.WIFI),
            (20, 80),
        ),
    ],
    "church": [
        (
            AssetType.CULTURAL,
            True,
            "St {saint}'s Church Hall",
            (Facility.HALL, Facility.KITCHEN, Facility.HEARING_LOOP),
            (40, 150),
        ),
        (
            AssetType.CULTURAL,
            True,
            "{place} Methodist Church",
            (Facility.HALL, Facility.KITCHEN, Facility.STEP_FREE),
            (30, 120),
        ),
    ],
    "library": [
        (
            AssetType.INSTITUTION,
            True,
            "{place} Library",
            (Facility.MEETING_ROOM, Facility.WIFI, Facility.COMPUTERS, Facility.WARM_SPACE),
            (15, 60),
        ),
    ],
    "park": [
        (
            AssetType.PHYSICAL_SPACE,
            False,
            "{place} Park",
            (Facility.OUTDOOR_SPACE, Facility.PARKING),
            (50, 500),
        ),
        (
            AssetType.PHYSICAL_SPACE,
            False,
            "{place} Recreation Ground",
            (Facility.OUTDOOR_SPACE,),
            (50, 300),
        ),
    ],
    "centre": [
        (
            AssetType.INSTITUTION,
            True,
            "{place} Health and Wellbeing Centre",
            (Facility.MEETING_ROOM, Facility.STEP_FREE, Facility.ACCESSIBLE_TOILET),
            (10, 40),
        ),
        (
            AssetType.INSTITUTION,
            True,
            "{place} Community Hub",
            (Facility.MEETING_ROOM, Facility.KITCHEN, Facility.WIFI, Facility.STEP_FREE),
            (20, 80),
        ),
    ],
    "school": [
        (
            AssetType.INSTITUTION,
            True,
            "{place} Primary School",
            (Facility.HALL, Facility.OUTDOOR_SPACE, Facility.ACCESSIBLE_TOILET),
            (50, 250),
        ),
    ],
}
SAINTS = ["Mary", "John", "Peter", "Andrew", "Michael", "Margaret", "Luke", "Thomas", "Anne"]
PUBS = ["Red Lion", "Royal Oak", "White Hart", "Crown", "Plough", "Bell", "Swan", "Anchor"]
STREETS = [
    "High Street",
    "Church Road",
    "Station Road",
    "Park Lane",
    "London Road",
    "Mill Lane",
    "Victoria Road",
    "The Green",
    "Queens Road",
    "School Lane",
]
ORGANIZATION_KINDS = [
    "{place} Community Association",
    "{place} Residents' Group",
    "Friends of {place}",
    "{place} Voluntary Action",
    "{place} Neighbourhood Trust",
    "{place} Churches Together",
]
# (name, ISO 639 code, share of services offered in it)
LANGUAGES = [
    ("Polish", "pl", 0.03),
    ("Punjabi", "pa", 0.02),
    ("Urdu", "ur", 0.02),
    ("Romanian", "ro", 0.02),
    ("British Sign Language", "bfi", 0.01),
]
# (kind, freq, interval, byday, opens, closes, description)
SCHEDULES: dict[str, list[tuple[str, int, str, dt.time, dt.time, str]]] = {
    "weekly": [
        ("WEEKLY", 1, "MO", dt.time(10), dt.time(12), "Mondays, 10am to 12 noon"),
        ("WEEKLY", 1, "TU", dt.time(13, 30), dt.time(15, 30), "Tuesdays, 1:30pm to 3:30pm"),
        ("WEEKLY", 1, "WE", dt.time(10), dt.time(11, 30), "Wednesdays, 10am to 11:30am"),
        ("WEEKLY", 1, "TH", dt.time(14), dt.time(16), "Thursdays, 2pm to 4pm"),
        ("WEEKLY", 1, "FR", dt.time(9, 30), dt.time(11, 30), "Fridays, 9:30am to 11:30am"),
    ],
    "twice_weekly": [
        ("WEEKLY", 1, "TU,TH", dt.time(10), dt.time(14), "Tuesdays and Thursdays, 10am to 2pm"),
        ("WEEKLY", 1, "MO,WE", dt.time(9), dt.time(12), "Mondays and Wednesdays, 9am to 12 noon"),
    ],
    "weekdays": [
        ("WEEKLY", 1, "MO,TU,WE,TH,FR", dt.time(9), dt.time(17), "Monday to Friday, 9am to 5pm"),
        ("WEEKLY", 1, "MO,TU,WE,TH,FR", dt.time(10), dt.time(16), "Monday to Friday, 10am to 4pm"),
    ],
    "evening": [
        ("WEEKLY", 1, "WE", dt.time(18, 30), dt.time(20, 30), "Wednesdays, 6:30pm to 8:30pm"),
        ("WEEKLY", 1, "FR", dt.time(19), dt.time(21), "Fridays, 7pm to 9pm"),
    ],
    "weekend": [
        ("WEEKLY", 1, "SA", dt.time(9), dt.time(12), "Saturdays, 9am to 12 noon"),
        ("WEEKLY", 1, "SU", dt.time(10), dt.time(13), "Sundays, 10am to 1pm"),
    ],
    "monthly": [
        ("MONTHLY", 1, "2MO", dt.time(10), dt.time(12), "2nd Monday of the month, 10am to 12 noon"),
        ("MONTHLY", 1, "-1FR", dt.time(14), dt.time(16), "Last Friday of the month, 2pm to 4pm"),
        ("MONTHLY", 1, "1WE", dt.time(18), dt.time(20), "1st Wednesday of the month, 6pm to 8pm"),
    ],
    "fortnightly": [
        ("WEEKLY", 2, "TH", dt.time(19), dt.time(21), "Every other Thursday, 7pm to 9pm"),
    ],
}


@dataclass
class GenerateSummary:
    """How many records of each kind ``directory_generate`` wrote."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, number: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + number


@dataclass(frozen=True, slots=True)
class _Place:
    postcode: str
    latitude: float
    longitude: float
    ward_code: str
    district_code: str


@dataclass
class _Built:
    """The records of one batch, built in memory before they are written."""

    activities: list[Activity]
    venue_of: list[int] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    facilities: list[list[str]] = field(default_factory=list)
    place_names: list[str] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _sample_postcodes(rng: random.Random, wanted: int, total: int) -> list[_Place]:
    """About ``wanted`` postcodes spread over the whole table (all of them when there are fewer)."""
    share = min(1.0, wanted * 1.1 / total)
    rows = Postcode.objects.order_by("postcode").values_list(
        "postcode", "latitude", "longitude", "ward_code", "district_code"
    )
    places = [_Place(*row) for row in rows.iterator(chunk_size=20_000) if rng.random() < share]
    if not places:
        places = [_Place(*row) for row in rows[:1]]
    rng.shuffle(places)
    return places


class _Batch:
    """What every batch needs: the random source, the places to use, wards, districts and terms."""

    def __init__(
        self,
        *,
        rng: random.Random,
        source: str,
        places: Iterator[_Place],
        wards: dict[str, tuple[int, str]],
        districts: dict[str, str],
        terms: dict[str, Any],
        send_terms: dict[str, Any],
        service_type: ContentType,
        today: dt.date,
        now: dt.datetime,
    ) -> None:
        self.rng = rng
        self.source = source
        self.places = places
        self.wards = wards
        self.districts = districts
        self.terms = terms
        self.send_terms = send_terms
        self.service_type = service_type
        self.today = today
        self.now = now

    def _place_name(self, place: _Place) -> str:
        ward = self.wards.get(place.ward_code)
        if ward is not None:
            return ward[1]
        return self.districts.get(place.district_code, "Community")

    def _location(self, index: int, kind: str) -> tuple[Location, Address, list[str], str]:
        rng = self.rng
        place = next(self.places)
        name_of_place = self._place_name(place)
        asset_type, meeting, pattern, facilities, capacity = rng.choice(VENUES[kind])
        name = pattern.format(place=name_of_place, saint=rng.choice(SAINTS), pub=rng.choice(PUBS))
        ward = self.wards.get(place.ward_code)
        location = Location(
            public_id=_uuid(rng),
            source=self.source,
            source_id=f"location-{index}",
            name=name,
            description=f"{name}, {name_of_place}.",
            location_type=LocationType.PHYSICAL,
            latitude=Decimal(f"{place.latitude:.6f}"),
            longitude=Decimal(f"{place.longitude:.6f}"),
            postcode=place.postcode,
            ward_id=ward[0] if ward else None,
            mask_address=rng.random() < 0.005,
            asset_type=asset_type,
            is_meeting_place=meeting,
            capacity=rng.randint(*capacity),
        )
        district = self.districts.get(place.district_code, name_of_place)
        address = Address(
            public_id=_uuid(rng),
            address_1=f"{rng.randint(1, 180)} {rng.choice(STREETS)}",
            address_2=name_of_place if name_of_place != district else "",
            city=district,
            state_province=district,
            postal_code=postcode_display(place.postcode),
            country="GB",
        )
        return location, address, [str(code) for code in facilities], name_of_place

    def build(self, start: int, count: int) -> _Built:
        rng = self.rng
        built = _Built(activities=[rng.choice(ACTIVITIES) for _ in range(count)])
        location_count = max(1, math.ceil(count * LOCATIONS_PER_SERVICE))
        # Services of a kind share the places of that kind (a hall, a park, a library...).
        pools: dict[str, list[int]] = {}
        for activity in built.activities:
            pool = pools.setdefault(activity.venue, [])
            if not pool or (
                len(built.locations) < location_count and rng.random() < LOCATIONS_PER_SERVICE
            ):
                location, address, facilities, place_name = self._location(
                    start + len(built.locations), activity.venue
                )
                built.locations.append(location)
                built.addresses.append(address)
                built.facilities.append(facilities)
                built.place_names.append(place_name)
                pool.append(len(built.locations) - 1)
                built.venue_of.append(pool[-1])
            else:
                built.venue_of.append(rng.choice(pool))
        for number in range(math.ceil(count / SERVICES_PER_ORGANIZATION)):
            place_name = built.place_names[built.venue_of[number * SERVICES_PER_ORGANIZATION]]
            name = rng.choice(ORGANIZATION_KINDS).format(place=place_name)
            built.organizations.append(
                Organization(
                    public_id=_uuid(rng),
                    source=self.source,
                    source_id=f"organization-{start}-{number}",
                    name=name,
                    description=f"{name} runs activities and support for people in and around "
                    f"{place_name}.",
                    email=f"hello{start + number}@example.org",
                    asset_type=AssetType.ASSOCIATION,
                )
            )
        for position, activity in enumerate(built.activities):
            service = self._service(start + position, activity)
            # Names read like listings: "Belhus Coffee Morning".
            service.name = f"{built.place_names[built.venue_of[position]]} {activity.name}"
            built.services.append(service)
        return built

    def _service(self, index: int, activity: Activity) -> Service:
        rng = self.rng
        roll = rng.random()
        publication = (
            Publication.PUBLISHED
            if roll < 0.94
            else Publication.DRAFT
            if roll < 0.98
            else Publication.WITHDRAWN
        )
        roll = rng.random()
        status = (
            ServiceStatus.ACTIVE
            if roll < 0.97
            else ServiceStatus.TEMPORARILY_CLOSED
            if roll < 0.99
            else ServiceStatus.INACTIVE
        )
        roll = rng.random()
        assured = (
            None
            if roll < 0.15
            else self.today - dt.timedelta(days=rng.randint(400, 900))
            if roll < 0.3
            else self.today - dt.timedelta(days=rng.randint(0, 360))
        )
        minimum_age, maximum_age = activity.ages
        return Service(
            public_id=_uuid(rng),
            source=self.source,
            source_id=f"service-{index}",
            name=activity.name,
            description=activity.description,
            url=f"https://example.org/listings/{index}" if rng.random() < 0.5 else "",
            email=f"listing{index}@example.org" if rng.random() < 0.6 else "",
            status=status,
            publication=publication,
            minimum_age=minimum_age,
            maximum_age=maximum_age,
            assured_date=assured,
            assurer_email="checker@example.org" if assured else "",
            last_modified=self.now - dt.timedelta(minutes=rng.randint(0, 60 * 24 * 720)),
            referral_required=activity.name in {"Food Bank", "Talking Therapies Group"},
            send_local_offer=bool(activity.send_needs),
            ofsted_urn=f"EY{rng.randint(100000, 999999)}"
            if activity.category == "childcare"
            else "",
        )


def _write(batch: _Batch, built: _Built, summary: GenerateSummary) -> None:
    rng = batch.rng
    activities, venue_of = built.activities, built.venue_of
    organizations = Organization.objects.bulk_create(built.organizations)
    locations = Location.objects.bulk_create(built.locations)
    for location, address in zip(locations, built.addresses, strict=True):
        address.location = location
    Address.objects.bulk_create(built.addresses)
    LocationFacility.objects.bulk_create(
        LocationFacility(public_id=_uuid(rng), location=location, facility=code)
        for location, codes in zip(locations, built.facilities, strict=True)
        if location.is_meeting_place
        for code in codes
    )
    for position, service in enumerate(built.services):
        service.organization = organizations[position // SERVICES_PER_ORGANIZATION]
    services = Service.objects.bulk_create(built.services)
    venues: list[ServiceAtLocation] = []
    for position, service in enumerate(services):
        venues.append(
            ServiceAtLocation(
                public_id=_uuid(rng), service=service, location=locations[venue_of[position]]
            )
        )
        if rng.random() < 0.1 and len(locations) > 1:
            other = rng.randrange(len(locations))
            if other != venue_of[position]:
                venues.append(
                    ServiceAtLocation(
                        public_id=_uuid(rng), service=service, location=locations[other]
                    )
                )
    ServiceAtLocation.objects.bulk_create(venues)
    schedules, attributes, costs, languages = [], [], [], []
    first_venue = {venue.service_id: venue for venue in reversed(venues)}
    for service, activity in zip(services, activities, strict=True):
        kind = rng.choice(activity.schedules)
        freq, interval, byday, opens, closes, description = rng.choice(SCHEDULES[kind])
        schedules.append(
            Schedule(
                public_id=_uuid(rng),
                service=service,
                service_at_location=first_venue[service.pk],
                freq=ScheduleFrequency(freq),
                interval=interval,
                byday=byday,
                dtstart=dt.date(2025, 1, 6),
                opens_at=opens,
                closes_at=closes,
                description=description,
                attending_type=AttendingType.IN_PERSON,
            )
        )
        term_codes = [activity.category]
        term_codes += [code for code in activity.send_needs if rng.random() < 0.7]
        for code in term_codes:
            term = batch.terms.get(code) or batch.send_terms[code]
            attributes.append(
                Attribute(
                    public_id=_uuid(rng),
                    taxonomy_term=term,
                    link_content_type=batch.service_type,
                    link_object_id=service.pk,
                )
            )
        if rng.random() < activity.paid_share:
            amount = Decimal(rng.choice(["1.00", "2.00", "2.50", "3.00", "4.00", "5.00", "6.50"]))
            costs.append(
                CostOption(
                    public_id=_uuid(rng),
                    service=service,
                    option="Per session",
                    amount=amount,
                    amount_description=f"£{amount} a session",
                )
            )
        else:
            costs.append(
                CostOption(
                    public_id=_uuid(rng),
                    service=service,
                    option="Free",
                    amount=Decimal("0.00"),
                    amount_description="Free",
                )
            )
        if rng.random() < 0.85:
            languages.append(
                Language(public_id=_uuid(rng), service=service, name="English", code="en")
            )
        for name, code, share in LANGUAGES:
            if rng.random() < share:
                languages.append(
                    Language(public_id=_uuid(rng), service=service, name=name, code=code)
                )
    Schedule.objects.bulk_create(schedules)
    Attribute.objects.bulk_create(attributes)
    CostOption.objects.bulk_create(costs)
    Language.objects.bulk_create(languages)
    summary.add("organisations", len(organizations))
    summary.add("locations", len(locations))
    summary.add("services", len(services))
    summary.add("services at locations", len(venues))
    summary.add("schedules", len(schedules))
    summary.add("taxonomy attributes", len(attributes))
    summary.add("cost options", len(costs))
    summary.add("languages", len(languages))


def directory_generate(
    *,
    services: int,
    seed: int,
    batch_size: int = 5000,
    actor: Any = None,
    progress: bool | None = None,
    say: Callable[[str], object] | None = None,
) -> GenerateSummary:
    """Write a synthetic directory of ``services`` services over real postcodes; see the module notes.

    Raises ``GenerateError`` when there are no postcodes or this seed's directory is already here.
    ``progress`` shows a progress bar (``None``: when standard error is a terminal).
    """
    if services < 1:
        raise GenerateError("Ask for at least one service.")
    if batch_size < 1:
        raise GenerateError("The batch size must be at least one.")
    total_postcodes = Postcode.objects.count()
    if total_postcodes == 0:
        raise GenerateError(
            "There are no postcodes to place the directory on. Import OS Code-Point Open first: "
            "commonweal geo_import_codepoint ../shared/data/geo/codepo_gb.zip (or, for a small "
            "directory, commonweal geo_load_demo)."
        )
    source = generated_source(seed)
    if Service.objects.filter(source=source).exists():
        raise GenerateError(
            f"A directory generated with seed {seed} is already in this database: use another "
            "seed or a fresh database."
        )
    tell = say or (lambda text: None)
    rng = random.Random(seed)
    terms = categories_ensure(actor=actor)
    send_terms = send_needs_ensure(actor=actor)
    tell(f"Choosing places among {total_postcodes:,} postcodes…")
    places = _sample_postcodes(
        rng, max(1, math.ceil(services * LOCATIONS_PER_SERVICE)), total_postcodes
    )

    def cycle() -> Iterator[_Place]:
        while True:
            yield from places

    wards = {
        code: (pk, name)
        for pk, code, name in Area.objects.wards().values_list("pk", "code", "name")
    }
    districts = dict(Area.objects.districts().values_list("code", "name"))
    batch = _Batch(
        rng=rng,
        source=source,
        places=cycle(),
        wards=wards,
        districts=districts,
        terms=terms,
        send_terms=send_terms,
        service_type=ContentType.objects.get_for_model(Service),
        today=timezone.localdate(),
        now=timezone.now(),
    )
    summary = GenerateSummary()
    bar = tqdm(
        total=services,
        unit="service",
        unit_scale=True,
        file=sys.stderr,
        disable=None if progress is None else not progress,
        desc="Generating",
    )
    with bar:
        for start in range(0, services, batch_size):
            count = min(batch_size, services - start)
            built = batch.build(start, count)
            with transaction.atomic():
                _write(batch, built, summary)
            bar.update(count)
    tell("Rebuilding the search index…")
    summary.counts["indexed for search"] = search_index_rebuild()
    return summary
