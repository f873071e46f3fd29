"""The demo borough's community directory: 300+ invented listings across Thurrock's 20 real wards.

Groups, clubs and activities, services (advice, health, SEND, childcare, employment), places to meet
with their facilities, community hubs and initiatives with the wards they cover (some wards are left
without on purpose, so the ward matrix shows gaps). Places sit at real Thurrock postcodes; every name,
email and phone number is invented (phone numbers are in Ofcom's range for drama, 01632 960xxx).

Everything is written through ``commonweal.directory.services`` in one transaction, chosen by a seeded
``random.Random``, so every load gives the same directory. Loading again changes nothing: the demo's
directory organisations carry ``source = DEMO_SOURCE`` and their presence means the directory is there.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from commonweal.accounts.models import Organisation
from commonweal.demo.borough import GROUPS, THURROCK, DemoResult
from commonweal.directory import services
from commonweal.directory.constants import (
    AssetType,
    AttendingType,
    Facility,
    InitiativeKind,
    LocalOfferQuestion,
    Publication,
    ServiceStatus,
)
from commonweal.directory.generate import SCHEDULES
from commonweal.directory.models import Location, Organization, Service, TaxonomyTerm
from commonweal.directory.taxonomies import categories_ensure, send_needs_ensure
from commonweal.geo.constants import AreaKind
from commonweal.geo.models import Area, Postcode
from commonweal.geo.postcodes import postcode_display
from commonweal.geo.services import located_model_fill_from_postcode
from commonweal.outcomes.selectors import outcome_list

DEMO_SOURCE = "commonweal-demo"
# The outcomes (of the default framework) a listing in a category intends, by category code.
OUTCOMES_BY_CATEGORY: dict[str, tuple[str, ...]] = {
    "physical-activity": ("being-active",),
    "gardening": ("being-active", "belonging-and-community"),
    "social": ("relationships-and-connections", "belonging-and-community"),
    "befriending": ("relationships-and-connections",),
    "warm-spaces": ("belonging-and-community",),
    "digital": ("opportunities-to-learn", "autonomy-and-control"),
    "english": ("opportunities-to-learn",),
    "employment": ("purpose", "opportunities-to-learn"),
    "volunteering": ("contributing-and-giving-back", "purpose"),
    "arts": ("opportunities-to-learn", "relationships-and-connections"),
    "youth": ("belonging-and-community", "opportunities-to-learn"),
}
SEED = 20250603

# (ward code, short name used in listings, post town)
WARDS: list[tuple[str, str, str]] = [
    ("E05002229", "Aveley", "South Ockendon"),
    ("E05002230", "Belhus", "South Ockendon"),
    ("E05002231", "Chadwell St Mary", "Grays"),
    ("E05002232", "North Stifford", "Grays"),
    ("E05002233", "Corringham", "Stanford-le-Hope"),
    ("E05002234", "East Tilbury", "Tilbury"),
    ("E05002235", "Grays Riverside", "Grays"),
    ("E05002236", "Grays", "Grays"),
    ("E05002237", "Blackshots", "Grays"),
    ("E05002238", "Little Thurrock", "Grays"),
    ("E05002239", "Ockendon", "South Ockendon"),
    ("E05002240", "Orsett", "Grays"),
    ("E05002241", "South Chafford", "Grays"),
    ("E05002242", "Stanford", "Stanford-le-Hope"),
    ("E05002243", "Stanford-le-Hope", "Stanford-le-Hope"),
    ("E05002244", "Stifford Clays", "Grays"),
    ("E05002245", "Homesteads", "Stanford-le-Hope"),
    ("E05002246", "Tilbury Riverside", "Tilbury"),
    ("E05002247", "Tilbury", "Tilbury"),
    ("E05002248", "West Thurrock", "Grays"),
]
# Wards with a library, and wards with a council community hub.
LIBRARY_WARDS = {
    "E05002229",
    "E05002230",
    "E05002231",
    "E05002233",
    "E05002234",
    "E05002236",
    "E05002237",
    "E05002242",
    "E05002247",
}
HUB_WARDS = {"E05002235", "E05002239", "E05002246", "E05002231", "E05002243", "E05002248"}
# Wards with deliberately few activities, so the ward counts show gaps.
SPARSE_WARDS = {"E05002241", "E05002245", "E05002232"}

STREETS = [
    "High Street",
    "Church Road",
    "Station Road",
    "Darenth Lane",
    "London Road",
    "Dock Road",
    "Lodge Lane",
    "Southend Road",
    "Rectory Road",
    "Hall Lane",
    "Brentwood Road",
    "Stanford Road",
]
SAINTS = ["Mary", "John", "Peter", "Andrew", "Michael", "Margaret", "Luke", "Clement", "Cedd"]
PUBS = ["Red Lion", "Royal Oak", "Ship", "Crown", "Plough", "Bull", "Kings Arms", "Anchor"]

# Venue kinds: (name pattern, asset type, meeting place, facilities, capacity, accessibility note)
VENUE_KINDS: dict[str, tuple[str, str, bool, tuple[str, ...], int, str]] = {
    "hall": (
        "{short} Community Hall",
        AssetType.PHYSICAL_SPACE,
        True,
        (Facility.HALL, Facility.KITCHEN, Facility.ACCESSIBLE_TOILET, Facility.STEP_FREE),
        120,
        "Step-free entrance from the car park; accessible toilet on the ground floor.",
    ),
    "church": (
        "St {saint}'s Church Hall, {short}",
        AssetType.CULTURAL,
        True,
        (Facility.HALL, Facility.KITCHEN, Facility.HEARING_LOOP, Facility.BABY_CHANGING),
        80,
        "Ramp at the side door; hearing loop in the hall.",
    ),
    "pub": (
        "The {pub}, {short}",
        AssetType.ECONOMIC,
        True,
        (Facility.MEETING_ROOM, Facility.WIFI, Facility.PARKING),
        40,
        "Function room on the ground floor.",
    ),
    "park": (
        "{short} Recreation Ground",
        AssetType.PHYSICAL_SPACE,
        True,
        (Facility.OUTDOOR_SPACE, Facility.PARKING),
        300,
        "Level paths around the playing field; pavilion with an accessible toilet.",
    ),
    "library": (
        "{short} Library",
        AssetType.INSTITUTION,
        True,
        (Facility.MEETING_ROOM, Facility.WIFI, Facility.COMPUTERS, Facility.WARM_SPACE),
        30,
        "Automatic doors and a lift to the first floor.",
    ),
    "hub": (
        "{short} Community Hub",
        AssetType.INSTITUTION,
        True,
        (
            Facility.MEETING_ROOM,
            Facility.KITCHEN,
            Facility.WIFI,
            Facility.COMPUTERS,
            Facility.WARM_SPACE,
            Facility.QUIET_ROOM,
            Facility.ACCESSIBLE_TOILET,
        ),
        50,
        "Step-free throughout, quiet room available on request.",
    ),
}


@dataclass(frozen=True)
class Activity:
    """One kind of local listing: name, categories, description, venue, schedules, cost, ages."""

    name: str
    categories: tuple[str, ...]
    description: str
    venue: str = "hall"
    schedules: tuple[str, ...] = ("weekly",)
    cost: str = "free"  # "free", "donation" or an amount such as "2.50"
    ages: tuple[int | None, int | None] = (None, None)
    organiser: str = "association"  # association, church, council, sport
    languages: tuple[tuple[str, str], ...] = ()


ACTIVITIES: list[Activity] = [
    Activity(
        "Coffee Morning",
        ("social",),
        "Tea, coffee, cake and a chat. Come on your own or bring a friend; there is always someone "
        "to talk to.",
        schedules=("weekly", "monthly"),
        cost="donation",
    ),
    Activity(
        "Health Walk",
        ("physical-activity",),
        "Free led walks of about an hour at a gentle pace, finishing with a cuppa. Good shoes "
        "recommended.",
        venue="park",
    ),
    Activity(
        "Men's Shed",
        ("social", "mental-health"),
        "A workshop where men make and mend things, share skills and look out for each other. Tools "
        "and tea provided.",
        schedules=("twice_weekly",),
        cost="2.00",
        ages=(18, None),
    ),
    Activity(
        "Parent and Toddler Group",
        ("early-years",),
        "Stay and play for under-fives and their grown-ups: toys, messy play, songs and a snack.",
        venue="church",
        cost="1.50",
        ages=(0, 4),
    ),
    Activity(
        "Youth Club",
        ("youth",),
        "Pool, table tennis, cooking, trips and someone to talk to, with qualified youth workers.",
        schedules=("evening",),
        cost="1.00",
        ages=(11, 18),
        organiser="council",
    ),
    Activity(
        "Food Bank",
        ("food",),
        "Three days of emergency food for people in crisis. Bring a referral voucher from an agency, "
        "or come and we will help you get one.",
        venue="church",
        schedules=("twice_weekly",),
        organiser="church",
    ),
    Activity(
        "Warm Space",
        ("warm-spaces", "social"),
        "A warm, welcoming place to spend time through the winter: hot drinks, soup, wifi, phone "
        "charging and friendly faces.",
        venue="library",
        schedules=("weekdays",),
        organiser="council",
    ),
    Activity(
        "Digital Help Drop-in",
        ("digital",),
        "Volunteers help with phones, tablets and laptops: email, video calls, the NHS App, online "
        "forms and staying safe from scams.",
        venue="library",
        organiser="council",
        ages=(16, None),
    ),
    Activity(
        "English Conversation Club",
        ("english",),
        "Practise everyday English in a friendly group. All levels welcome; volunteers speak Polish "
        "and Romanian too.",
        venue="library",
        ages=(16, None),
        languages=(("Polish", "pl"), ("Romanian", "ro")),
    ),
    Activity(
        "Carers' Cafe",
        ("carers",),
        "A break for unpaid carers: peer support, information and a relaxed cuppa. The person you "
        "care for is welcome too.",
        schedules=("monthly",),
    ),
    Activity(
        "Dementia Cafe",
        ("dementia", "social"),
        "Music, reminiscence and company for people living with dementia and the people who care "
        "for them, with a dementia adviser at every session.",
        venue="church",
        schedules=("monthly",),
        cost="donation",
        organiser="church",
    ),
    Activity(
        "Allotment Association",
        ("gardening",),
        "Half and full plots to rent, a seed swap every spring and a trading hut on Sunday mornings.",
        venue="park",
        schedules=("weekend",),
        cost="35.00",
    ),
    Activity(
        "Community Lunch",
        ("food", "faith", "social"),
        "A hot two-course lunch cooked by volunteers, with a raffle and good company.",
        venue="church",
        cost="4.00",
        ages=(55, None),
        organiser="church",
    ),
    Activity(
        "Junior Football",
        ("physical-activity", "youth"),
        "Training and Saturday matches for boys and girls, with qualified coaches and a kit loan.",
        venue="park",
        schedules=("weekend",),
        cost="3.00",
        ages=(5, 16),
        organiser="sport",
    ),
    Activity(
        "Chair Yoga",
        ("physical-activity",),
        "Gentle seated yoga for strength, balance and flexibility. No experience needed.",
        cost="3.50",
        ages=(50, None),
    ),
    Activity(
        "Knit and Natter",
        ("arts", "social"),
        "Knitting, crochet and sewing in good company; wool and needles to borrow.",
        venue="pub",
        cost="free",
    ),
    Activity(
        "Community Choir",
        ("arts",),
        "Pop, soul and folk songs for anyone who likes to sing. No auditions and no need to read "
        "music.",
        venue="church",
        schedules=("evening",),
        cost="3.00",
    ),
    Activity(
        "Bingo and Tea Afternoon",
        ("social",),
        "Bingo, a raffle and tea in the hall. Transport can be arranged for people who need it.",
        schedules=("fortnightly", "monthly"),
        cost="2.50",
        ages=(55, None),
    ),
    Activity(
        "Repair Cafe",
        ("volunteering",),
        "Bring broken toasters, lamps, clothes and bikes: volunteer fixers repair them with you.",
        schedules=("monthly",),
        cost="donation",
    ),
    Activity(
        "Bereavement Cafe",
        ("mental-health",),
        "A gentle space to talk about someone who has died, with trained volunteers.",
        venue="church",
        schedules=("monthly",),
        organiser="church",
        ages=(18, None),
    ),
    Activity(
        "Homework Club",
        ("youth",),
        "Quiet study space, computers and volunteer help with homework after school.",
        venue="library",
        schedules=("twice_weekly",),
        ages=(8, 16),
        organiser="council",
    ),
    Activity(
        "Baby Rhyme Time",
        ("early-years",),
        "Songs, rhymes and stories for babies and toddlers with their parents and carers.",
        venue="library",
        ages=(0, 3),
        organiser="council",
    ),
    Activity(
        "Tai Chi",
        ("physical-activity",),
        "Slow, flowing movement to improve balance and reduce falls. Suitable for beginners.",
        cost="3.00",
        ages=(50, None),
    ),
    Activity(
        "Quiz Night",
        ("social",),
        "A friendly pub quiz raising money for local causes: teams of up to six.",
        venue="pub",
        schedules=("monthly",),
        cost="2.00",
        ages=(18, None),
    ),
    Activity(
        "Punjabi Women's Group",
        ("social",),
        "Friendship, crafts and wellbeing talks for women, in Punjabi and English.",
        languages=(("Punjabi", "pa"), ("Urdu", "ur")),
        ages=(18, None),
    ),
    Activity(
        "Boxing Fitness",
        ("physical-activity", "youth"),
        "Non-contact boxing fitness and mentoring for young people.",
        venue="hall",
        schedules=("evening",),
        cost="2.00",
        ages=(10, 18),
        organiser="sport",
    ),
]

# Borough-wide services, each run from a hub or library: (name, categories, description, organiser
# key, schedule kind, ages, SEND needs, languages, referral needed)
BOROUGH_SERVICES: list[
    tuple[str, tuple[str, ...], str, str, str, tuple[int | None, int | None], tuple[str, ...]]
] = [
    (
        "Benefits and Debt Advice",
        ("advice",),
        "Free, confidential advice on benefits, debts, housing and work problems. Appointments and "
        "drop-in.",
        "advice",
        "weekdays",
        (16, None),
        (),
    ),
    (
        "Housing Options Drop-in",
        ("advice",),
        "Help if you are homeless or at risk of losing your home, from the council's housing team.",
        "council",
        "weekly",
        (16, None),
        (),
    ),
    (
        "Energy Bills Advice",
        ("advice", "warm-spaces"),
        "Help to cut energy bills, deal with arrears and claim grants for insulation.",
        "advice",
        "weekly",
        (18, None),
        (),
    ),
    (
        "Employment and Skills Support",
        ("employment",),
        "One-to-one help into work: CVs, applications, interview practice and free training courses.",
        "council",
        "weekdays",
        (16, None),
        (),
    ),
    (
        "Job Club",
        ("employment", "digital"),
        "Job searching with computers and a volunteer on hand to help with applications.",
        "council",
        "weekly",
        (16, None),
        (),
    ),
    (
        "Social Prescribing Link Workers",
        ("health-services", "mental-health"),
        "Link workers spend time with you to find groups, activities and support for what matters "
        "to you. Ask your GP practice to refer you, or refer yourself.",
        "health",
        "weekdays",
        (18, None),
        (),
    ),
    (
        "Talking Therapies",
        ("mental-health", "health-services"),
        "NHS talking therapy for stress, anxiety and low mood, in groups or one to one. Refer "
        "yourself online or by phone.",
        "health",
        "weekdays",
        (18, None),
        (),
    ),
    (
        "Stop Smoking Clinic",
        ("health-services",),
        "Free support and medication to stop smoking, with a trained adviser every week.",
        "health",
        "weekly",
        (12, None),
        (),
    ),
    (
        "Health Visitor Drop-in",
        ("early-years", "health-services"),
        "Weigh your baby and talk to a health visitor about feeding, sleep and development.",
        "health",
        "weekly",
        (0, 5),
        (),
    ),
    (
        "Breastfeeding Support Group",
        ("early-years", "health-services"),
        "Friendly help with breastfeeding from trained peer supporters and an infant feeding lead.",
        "health",
        "weekly",
        (None, None),
        (),
    ),
    (
        "SEND Information, Advice and Support Service",
        ("send", "advice"),
        "Impartial advice for parents and young people about special educational needs and "
        "disabilities, EHC plans and school support.",
        "council",
        "weekdays",
        (0, 25),
        ("autism", "learning", "communication", "semh", "adhd"),
    ),
    (
        "Autism Parent Support Group",
        ("send",),
        "Families of autistic children share experience, with talks from specialists every term.",
        "send",
        "monthly",
        (0, 25),
        ("autism", "communication"),
    ),
    (
        "Sensory Play Session",
        ("send", "early-years"),
        "Sensory play in a calm room for young children with additional needs and their families.",
        "send",
        "weekly",
        (0, 8),
        ("autism", "visual", "hearing", "learning"),
    ),
    (
        "SEND Short Breaks Saturday Club",
        ("send", "youth"),
        "Activities, trips and friendship for disabled children and young people, with one-to-one "
        "support where needed.",
        "send",
        "weekend",
        (5, 18),
        ("autism", "learning", "mobility", "semh"),
    ),
    (
        "Deaf Children's Club",
        ("send",),
        "Games and crafts for deaf children and their brothers and sisters, with BSL-using staff.",
        "send",
        "monthly",
        (4, 16),
        ("hearing",),
    ),
    (
        "Speech and Language Drop-in",
        ("send", "health-services"),
        "Talk to a speech and language therapist about your child's talking and understanding.",
        "health",
        "monthly",
        (0, 11),
        ("communication",),
    ),
    (
        "Wheelchair Sports Club",
        ("send", "physical-activity"),
        "Wheelchair basketball and boccia for young people; chairs provided.",
        "send",
        "weekend",
        (8, 25),
        ("mobility",),
    ),
    (
        "Family Hub",
        ("early-years", "advice"),
        "Help for families with children from pregnancy to 19 (25 with SEND): parenting courses, "
        "health visitors, money advice and activities.",
        "council",
        "weekdays",
        (0, 19),
        (),
    ),
    (
        "Domestic Abuse Support",
        ("advice", "mental-health"),
        "Confidential support, safety planning and refuge for people experiencing domestic abuse. "
        "Call first: the address is never published.",
        "refuge",
        "weekdays",
        (16, None),
        (),
    ),
    (
        "Volunteer Centre",
        ("volunteering",),
        "Find a volunteering role that suits you, and support to get started.",
        "cvs",
        "weekdays",
        (16, None),
        (),
    ),
]

# Organisations that run borough-wide services: key -> (name, description, accounts slug or "")
BOROUGH_ORGANISATIONS: dict[str, tuple[str, str, str]] = {
    "council": (
        "Thurrock Council (demo)",
        "The demo borough's council: libraries, family hubs, youth and housing services.",
        "demo-borough-council",
    ),
    "cvs": (
        "Thurrock CVS (demo)",
        "Supports voluntary groups, runs the volunteer centre and keeps the directory current.",
        "demo-cvs",
    ),
    "health": (
        "South Essex Health Partnership (example)",
        "NHS community services: health visiting, talking therapies and social prescribing.",
        "demo-health-partnership",
    ),
    "advice": (
        "Estuary Advice Centre (example)",
        "An independent advice charity: benefits, debt, housing and energy.",
        "",
    ),
    "send": (
        "Thurrock Parents' SEND Forum (example)",
        "Parents and carers of children with special educational needs supporting each other.",
        "",
    ),
    "refuge": (
        "Estuary Women's Aid (example)",
        "Support and refuge for women and children escaping domestic abuse.",
        "",
    ),
    "childcare": (
        "Thurrock Family Information Service (demo)",
        "Information about childcare, early education funding and activities for families.",
        "",
    ),
}

CHILDCARE: list[tuple[str, str, tuple[int, int], str]] = [
    ("{short} Pre-school", "A playgroup-style pre-school in the church hall.", (2, 5), "church"),
    ("Little Acorns Day Nursery, {short}", "Day nursery open all year.", (0, 5), "hall"),
    ("{short} Playgroup", "A parent-run playgroup with a garden.", (2, 5), "church"),
    ("{short} Breakfast and After-school Club", "Wraparound care for pupils.", (4, 11), "hall"),
]

LOCAL_OFFER_ANSWERS: dict[LocalOfferQuestion | str, str] = {
    LocalOfferQuestion.OUTCOMES: "Children build confidence, make friends and try new things at "
    "their own pace.",
    LocalOfferQuestion.STAFF_TRAINING: "All staff have autism awareness, safeguarding and first aid "
    "training; two are trained in Makaton.",
    LocalOfferQuestion.PARENT_INVOLVEMENT: "Parents and carers help plan each term's activities "
    "and can stay for sessions.",
    LocalOfferQuestion.PROGRESS: "We talk with families after each session and share a short "
    "note every term.",
    LocalOfferQuestion.ENVIRONMENT: "Step-free access, an accessible toilet, a quiet room and "
    "visual timetables.",
    LocalOfferQuestion.HOW_TO_START: "Call or email us and we will arrange a visit before the "
    "first session.",
    LocalOfferQuestion.FUTURE_PLANS: "Young people help run sessions as they get older, and we "
    "support moves to adult groups.",
}

INITIATIVES: list[tuple[str, str, str, str]] = [
    # (name, kind, organiser key, description)
    (
        "Local Area Coordination",
        InitiativeKind.LOCAL_AREA_COORDINATION,
        "council",
        "Local Area Coordinators walk alongside people to build a good life in their community.",
    ),
    (
        "Community hubs",
        InitiativeKind.COMMUNITY_HUB,
        "council",
        "Hubs run with volunteers: advice, activities and a place to meet.",
    ),
    (
        "Thurrock Timebank",
        InitiativeKind.TIMEBANK,
        "cvs",
        "Neighbours swap skills and time by the hour: one hour given, one hour received.",
    ),
    (
        "Community builders",
        InitiativeKind.COMMUNITY_BUILDERS,
        "cvs",
        "Community builders find and connect the gifts of local people and groups.",
    ),
    (
        "Good Neighbours befriending",
        InitiativeKind.BEFRIENDING,
        "cvs",
        "Volunteers visit or phone people who are lonely, every week.",
    ),
    (
        "Social prescribing",
        InitiativeKind.SOCIAL_PRESCRIBING,
        "health",
        "GP practices refer people to link workers, who connect them with local activities.",
    ),
    (
        "Warm spaces network",
        InitiativeKind.WARM_SPACES,
        "council",
        "Libraries, churches and halls open their doors as warm spaces each winter.",
    ),
]


def _phone(rng: random.Random) -> str:
    return f"01632 960{rng.randint(0, 999):03d}"


class _Loader:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.today = timezone.localdate()
        self.postcodes: dict[str, list[str]] = {}
        for postcode, ward_code in (
            Postcode.objects.filter(district_code=THURROCK)
            .order_by("postcode")
            .values_list("postcode", "ward_code")
        ):
            self.postcodes.setdefault(ward_code, []).append(postcode)
        self.wards = {
            area.code: area for area in Area.objects.wards().filter(code__startswith="E05")
        }
        self.district = Area.objects.filter(kind=AreaKind.DISTRICT, code=THURROCK).first()
        self.terms = categories_ensure()
        self.send_terms = send_needs_ensure()
        self.outcomes = {outcome.slug: outcome for outcome in outcome_list()}
        self.organisations: dict[str, Organization] = {}
        self.venues: dict[tuple[str, str], Location] = {}
        self.services: list[Service] = []
        self.service_count = 0
        self.draft_count = 0

    # --- organisations and places ----------------------------------------------------------------

    def organization(
        self, key: str, name: str, description: str, account_slug: str = ""
    ) -> Organization:
        if key not in self.organisations:
            account = (
                Organisation.objects.filter(slug=account_slug).first() if account_slug else None
            )
            self.organisations[key] = services.organization_create(
                actor=None,
                name=name,
                description=description,
                email=f"{key.replace(':', '-')}@example.org",
                website=f"https://example.org/{key.replace(':', '-')}",
                account_organisation=account,
                asset_type=AssetType.INSTITUTION if account_slug else AssetType.ASSOCIATION,
                source=DEMO_SOURCE,
                source_id=key,
            )
        return self.organisations[key]

    def local_organiser(
        self, ward_code: str, short: str, town: str, organiser: str
    ) -> Organization:
        if organiser == "council":
            return self.borough("council")
        if organiser == "church":
            saint = SAINTS[int(ward_code[-2:]) % len(SAINTS)]
            return self.organization(
                f"church:{ward_code}",
                f"St {saint}'s Church, {short}",
                f"The parish church of {short}, with lunches, cafes and a food bank run by "
                "volunteers.",
            )
        if organiser == "sport":
            return self.organization(
                f"sport:{ward_code}",
                f"{short} Sports Club",
                f"A volunteer-run sports club for young people in {short} and {town}.",
            )
        return self.organization(
            f"association:{ward_code}",
            f"{short} Community Association",
            f"Residents running activities for neighbours of all ages in {short}.",
        )

    def borough(self, key: str) -> Organization:
        name, description, slug = BOROUGH_ORGANISATIONS[key]
        return self.organization(key, name, description, slug)

    def _postcode(self, ward_code: str) -> str:
        return self.rng.choice(self.postcodes[ward_code])

    def venue(self, ward_code: str, kind: str, *, masked: bool = False) -> Location:
        """The ward's place of this kind (made the first time it is needed)."""
        key = (ward_code, "refuge" if masked else kind)
        if key in self.venues:
            return self.venues[key]
        rng = self.rng
        short, town = next((s, t) for code, s, t in WARDS if code == ward_code)
        pattern, asset, meeting, facilities, capacity, access = VENUE_KINDS[kind]
        name = pattern.format(short=short, saint=rng.choice(SAINTS), pub=rng.choice(PUBS))
        if masked:
            name, asset, meeting, facilities = "Refuge (address withheld)", "", False, ()
        placed = located_model_fill_from_postcode(
            instance=Location(), postcode=self._postcode(ward_code)
        )
        location = services.location_create(
            actor=None,
            name=name,
            description="" if masked else f"{name}, {town}.",
            latitude=placed.latitude,
            longitude=placed.longitude,
            postcode=placed.postcode,
            ward=placed.ward,
            lsoa=placed.lsoa,
            mask_address=masked,
            asset_type=asset,
            is_meeting_place=meeting,
            capacity=None if masked else capacity + rng.randint(-10, 40),
            source=DEMO_SOURCE,
            source_id=f"{ward_code}:{key[1]}",
        )
        services.location_details_replace(
            actor=None,
            location=location,
            addresses=[
                {
                    "address_1": f"{rng.randint(1, 140)} {rng.choice(STREETS)}",
                    "city": town,
                    "state_province": "Essex",
                    "postal_code": postcode_display(placed.postcode),
                    "country": "GB",
                }
            ],
            accessibility=[] if masked else [{"description": access}],
        )
        if facilities:
            services.location_facilities_set(actor=None, location=location, facilities=facilities)
        self.venues[key] = location
        return location

    # --- services ----------------------------------------------------------------------------------

    def service(
        self,
        *,
        organization: Organization,
        name: str,
        description: str,
        location: Location,
        categories: tuple[str, ...],
        schedule_kind: str,
        cost: str = "free",
        ages: tuple[int | None, int | None] = (None, None),
        send_needs: tuple[str, ...] = (),
        languages: tuple[tuple[str, str], ...] = (),
        ofsted_urn: str = "",
        service_area: bool = False,
        referral: str = "",
    ) -> Service:
        rng = self.rng
        self.service_count += 1
        number = self.service_count
        roll = rng.random()
        assured = (
            None
            if roll < 0.08
            else self.today - dt.timedelta(days=rng.randint(380, 800))
            if roll < 0.18
            else self.today - dt.timedelta(days=rng.randint(1, 330))
        )
        draft = number % 37 == 0
        self.draft_count += draft
        status = ServiceStatus.TEMPORARILY_CLOSED if number % 53 == 0 else ServiceStatus.ACTIVE
        fields: dict[str, Any] = {
            "description": description,
            "status": status,
            "email": f"listing{number}@example.org" if rng.random() < 0.7 else "",
            "url": f"https://example.org/listings/{number}" if rng.random() < 0.4 else "",
            "minimum_age": ages[0],
            "maximum_age": ages[1],
            "assured_date": assured,
            "assurer_email": "moderator@example.org" if assured else "",
            "ofsted_urn": ofsted_urn,
            "send_local_offer": bool(send_needs),
        }
        if referral:
            fields.update(referral_required=True, referral_description=referral)
        service = services.service_create(
            actor=None,
            organization=organization,
            name=name,
            publication=Publication.DRAFT if draft else Publication.PUBLISHED,
            **fields,
        )
        venue = services.service_at_location_create(actor=None, service=service, location=location)
        freq, interval, byday, opens, closes, words = rng.choice(SCHEDULES[schedule_kind])
        if cost == "free":
            costs = [{"option": "Free", "amount": Decimal("0.00"), "amount_description": "Free"}]
        elif cost == "donation":
            costs = [{"option": "Donation", "amount_description": "Pay what you can"}]
        else:
            costs = [
                {
                    "option": "Per session" if Decimal(cost) < 20 else "Per year",
                    "amount": Decimal(cost),
                    "amount_description": f"£{cost}",
                }
            ]
        spoken = [{"name": "English", "code": "en"}]
        spoken += [{"name": language, "code": code} for language, code in languages]
        if send_needs and rng.random() < 0.5:
            spoken.append({"name": "British Sign Language", "code": "bfi"})
        services.service_details_replace(
            actor=None,
            service=service,
            details=services.ServiceDetails(
                schedules=[
                    {
                        "service_at_location": venue,
                        "freq": freq,
                        "interval": interval,
                        "byday": byday,
                        "dtstart": dt.date(2025, 1, 6),
                        "opens_at": opens,
                        "closes_at": closes,
                        "description": words,
                        "attending_type": AttendingType.IN_PERSON,
                    }
                ],
                # A named role to ask for on a quarter of the listings (contacts stay private in ORUK).
                contacts=[
                    services.ContactDetails(
                        fields={"title": "Organiser", "email": f"organiser{number}@example.org"},
                        phones=[{"number": _phone(rng)}],
                    )
                ]
                if number % 4 == 0
                else [],
                phones=[{"number": _phone(rng), "description": "Enquiries"}],
                languages=spoken,
                cost_options=costs,
                service_areas=(
                    [{"name": "Thurrock", "description": "All of Thurrock", "area": self.district}]
                    if service_area and self.district is not None
                    else []
                ),
            ),
        )
        terms: list[TaxonomyTerm] = [self.terms[code] for code in categories]
        terms += [self.send_terms[code] for code in send_needs]
        services.attributes_set(actor=None, record=service, terms=terms)
        outcome_slugs = dict.fromkeys(
            slug for code in categories for slug in OUTCOMES_BY_CATEGORY.get(code, ())
        )
        outcomes = [self.outcomes[slug] for slug in outcome_slugs if slug in self.outcomes]
        if outcomes:
            services.service_outcomes_set(actor=None, service=service, outcomes=outcomes)
        if send_needs:
            services.local_offer_answers_set(
                actor=None, service=service, answers=LOCAL_OFFER_ANSWERS
            )
        self.services.append(service)
        return service

    # --- the borough -------------------------------------------------------------------------------

    def groups(self) -> None:
        """Each invented group of the demo borough gets its directory organisation and a listing."""
        for index, (name, _kind, ward_code, description) in enumerate(GROUPS):
            organization = self.organization(
                f"group:{slugify(name)}", name, description, f"demo-{slugify(name)}"
            )
            kind = ("hall", "church", "pub", "park")[index % 4]
            self.service(
                organization=organization,
                name=name,
                description=description,
                location=self.venue(ward_code, kind),
                categories=(self._group_category(name),),
                schedule_kind=("weekly", "monthly", "fortnightly", "weekend")[index % 4],
                cost="free" if index % 3 else "donation",
            )

    @staticmethod
    def _group_category(name: str) -> str:
        words = name.lower()
        for needle, code in (
            ("youth", "youth"),
            ("football", "physical-activity"),
            ("boxing", "physical-activity"),
            ("walk", "physical-activity"),
            ("cyclist", "physical-activity"),
            ("yoga", "physical-activity"),
            ("bowls", "physical-activity"),
            ("larder", "food"),
            ("pantry", "food"),
            ("fridge", "food"),
            ("kitchen", "food"),
            ("lunch", "food"),
            ("toddler", "early-years"),
            ("parent", "early-years"),
            ("mums", "early-years"),
            ("carer", "carers"),
            ("dementia", "dementia"),
            ("garden", "gardening"),
            ("allotment", "gardening"),
            ("choir", "arts"),
            ("theatre", "arts"),
            ("knit", "arts"),
            ("esol", "english"),
            ("timebank", "volunteering"),
            ("warm", "warm-spaces"),
            ("riding", "physical-activity"),
        ):
            if needle in words:
                return code
        return "social"

    def local_activities(self) -> None:
        for ward_code, short, town in WARDS:
            count = 4 if ward_code in SPARSE_WARDS else self.rng.randint(10, 15)
            chosen = self.rng.sample(ACTIVITIES, count)
            for activity in chosen:
                kind = activity.venue
                if kind == "library" and ward_code not in LIBRARY_WARDS:
                    kind = "hub" if ward_code in HUB_WARDS else "hall"
                name = f"{short} {activity.name}"
                self.service(
                    organization=self.local_organiser(ward_code, short, town, activity.organiser),
                    name=name,
                    description=activity.description,
                    location=self.venue(ward_code, kind),
                    categories=activity.categories,
                    schedule_kind=self.rng.choice(activity.schedules),
                    cost=activity.cost,
                    ages=activity.ages,
                    languages=activity.languages,
                )

    def borough_services(self) -> None:
        hub_wards = sorted(HUB_WARDS)
        for index, (name, categories, description, key, kind, ages, needs) in enumerate(
            BOROUGH_SERVICES
        ):
            # Each service runs from two or three hubs or libraries across the borough.
            places = sorted(LIBRARY_WARDS | HUB_WARDS)
            for offset in range(2 + index % 2):
                ward_code = places[(index * 3 + offset * 5) % len(places)]
                short = next(s for code, s, _ in WARDS if code == ward_code)
                masked = key == "refuge"
                location = (
                    self.venue(hub_wards[offset], "hub", masked=True)
                    if masked
                    else self.venue(ward_code, "hub" if ward_code in HUB_WARDS else "library")
                )
                self.service(
                    organization=self.borough(key),
                    name=f"{name}: refuge {offset + 1}" if masked else f"{name}, {short}",
                    description=description,
                    location=location,
                    categories=categories,
                    schedule_kind=kind,
                    ages=ages,
                    send_needs=needs,
                    languages=(("Polish", "pl"),) if "Advice" in name else (),
                    service_area=True,
                    referral=(
                        "Ask your GP practice, or refer yourself by phone."
                        if key == "health" and "Link" in name
                        else ""
                    ),
                )

    def childcare(self) -> None:
        organization = self.borough("childcare")
        for index, (ward_code, short, _town) in enumerate(WARDS):
            pattern, description, ages, kind = CHILDCARE[index % len(CHILDCARE)]
            self.service(
                organization=organization,
                name=pattern.format(short=short),
                description=f"{description} Funded places for 2, 3 and 4 year olds.",
                location=self.venue(ward_code, kind),
                categories=("childcare",),
                schedule_kind="weekdays",
                cost=f"{5 + index % 4}.50",
                ages=ages,
                ofsted_urn=f"EY{self.rng.randint(300000, 799999)}",
            )

    def initiatives(self) -> int:
        ward_codes = [code for code, _, _ in WARDS]
        made = 0
        for index, (name, kind, key, description) in enumerate(INITIATIVES):
            # Each initiative covers some wards; a few wards are left without, on purpose.
            covered = [
                code
                for position, code in enumerate(ward_codes)
                if code not in SPARSE_WARDS and (position + index) % (2 + index % 3) != 1
            ]
            if kind == InitiativeKind.COMMUNITY_HUB:
                covered = sorted(HUB_WARDS)
            services.initiative_save(
                actor=None,
                name=name,
                kind=kind,
                wards=[self.wards[code] for code in covered if code in self.wards],
                organization=self.borough(key),
                description=description,
                email=f"{slugify(name)}@example.org",
                url=f"https://example.org/initiatives/{slugify(name)}",
                started_on=dt.date(2019 + index % 5, 4, 1),
            )
            made += 1
        return made


def directory_load(result: DemoResult) -> None:
    """Load the demo directory, or count what is there when it is loaded already."""
    if Organization.objects.filter(source=DEMO_SOURCE).exists():
        _count(result)
        return
    with transaction.atomic():
        loader = _Loader()
        loader.groups()
        loader.local_activities()
        loader.borough_services()
        loader.childcare()
        loader.initiatives()
    _count(result)


def _count(result: DemoResult) -> None:
    from commonweal.directory.models import Initiative

    demo_services = Service.objects.filter(organization__source=DEMO_SOURCE)
    result.counts["directory listings"] = demo_services.count()
    result.counts["directory places"] = Location.objects.filter(source=DEMO_SOURCE).count()
    result.counts["initiatives"] = Initiative.objects.filter(
        organization__source=DEMO_SOURCE
    ).count()
