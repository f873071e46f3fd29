"""The demo borough: Thurrock's real wards and postcodes with an invented council, CVS, groups and people.

Everything made here is marked as example data (``is_example``) and every name is invented. Records are
found by natural keys (slug, email), so loading again changes nothing that is already there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from commonweal.accounts.constants import OrganisationKind, Role
from commonweal.accounts.models import Organisation, User
from commonweal.accounts.services import (
    membership_grant,
    organisation_create,
    profile_update,
    user_create,
)
from commonweal.geo.constants import AreaKind
from commonweal.geo.models import Area, Locality, Postcode

DEMO_PASSWORD = "commonweal-demo"  # noqa: S105 - printed for the demo logins, example data only
DEMO_EMAIL_DOMAIN = "example.org"
THURROCK = "E06000034"


@dataclass
class DemoResult:
    """What a demo loader made or found, for the summary `demo_load` prints."""

    counts: dict[str, int] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (email, role, organisation)


# (slug, name, kind, ward code, description)
ANCHOR_ORGANISATIONS: list[tuple[str, str, str, str, str]] = [
    (
        "demo-borough-council",
        "Thurrock Council (demo)",
        OrganisationKind.COUNCIL,
        "E05002236",
        "The council of the demo borough. Invented for the demo: not the real council's data.",
    ),
    (
        "demo-cvs",
        "Thurrock CVS (demo)",
        OrganisationKind.CVS,
        "E05002235",
        "The council for voluntary service of the demo borough: supports groups, moderates the directory.",
    ),
    (
        "demo-riverside-surgery",
        "Riverside Surgery (example)",
        OrganisationKind.GP_PRACTICE,
        "E05002246",
        "An invented GP practice whose receptionists refer residents to community hubs.",
    ),
    (
        "demo-health-partnership",
        "South Essex Health Partnership (example)",
        OrganisationKind.NHS_BODY,
        "E05002236",
        "An invented NHS partner that funds social prescribing.",
    ),
    (
        "demo-fire-station",
        "Grays Community Fire Station (example)",
        OrganisationKind.FIRE_SERVICE,
        "E05002236",
        "An invented fire station that runs safe and well visits.",
    ),
    (
        "demo-homes-trust",
        "Estuary Homes Trust (example)",
        OrganisationKind.HOUSING_PROVIDER,
        "E05002247",
        "An invented housing association with community rooms.",
    ),
    (
        "demo-chadwell-primary",
        "Chadwell Primary School (example)",
        OrganisationKind.SCHOOL,
        "E05002231",
        "An invented primary school with an allotment project.",
    ),
]

# Invented voluntary and community groups, spread across every ward: (name, kind, ward code, description).
GROUPS: list[tuple[str, str, str, str]] = [
    (
        "Aveley Knit and Natter",
        OrganisationKind.VCS_GROUP,
        "E05002229",
        "Weekly knitting circle and a cuppa.",
    ),
    (
        "Uplands Community Larder",
        OrganisationKind.CHARITY,
        "E05002229",
        "Low-cost food club run by neighbours.",
    ),
    (
        "Belhus Park Walkers",
        OrganisationKind.VCS_GROUP,
        "E05002230",
        "Gentle health walks around the park.",
    ),
    (
        "Belhus Men's Shed",
        OrganisationKind.VCS_GROUP,
        "E05002230",
        "Woodwork, repairs and conversation.",
    ),
    (
        "Chadwell Good Neighbours",
        OrganisationKind.VCS_GROUP,
        "E05002231",
        "Befriending and lifts to appointments.",
    ),
    (
        "St Mary's Lunch Club",
        OrganisationKind.FAITH_GROUP,
        "E05002231",
        "Hot lunch for older residents on Thursdays.",
    ),
    (
        "Chafford Hundred Parents Network",
        OrganisationKind.VCS_GROUP,
        "E05002232",
        "Stay and play for young families.",
    ),
    (
        "North Stifford Gardeners",
        OrganisationKind.VCS_GROUP,
        "E05002232",
        "Community garden and seed swaps.",
    ),
    (
        "Corringham Repair Café",
        OrganisationKind.VCS_GROUP,
        "E05002233",
        "Fix it together instead of throwing it away.",
    ),
    (
        "Fobbing Heritage Society",
        OrganisationKind.CHARITY,
        "E05002233",
        "Local history talks and walks.",
    ),
    (
        "East Tilbury Youth Football",
        OrganisationKind.VCS_GROUP,
        "E05002234",
        "Football for ages 6 to 16.",
    ),
    (
        "Coalhouse Fort Friends",
        OrganisationKind.CHARITY,
        "E05002234",
        "Volunteers caring for the fort and foreshore.",
    ),
    (
        "Grays Riverside Community Hub",
        OrganisationKind.CHARITY,
        "E05002235",
        "A hub with advice, cafe and activities.",
    ),
    (
        "Grays Beach Litter Pickers",
        OrganisationKind.VCS_GROUP,
        "E05002235",
        "Monthly clean-ups along the river.",
    ),
    (
        "Thurrock Carers' Café",
        OrganisationKind.CHARITY,
        "E05002236",
        "Peer support for unpaid carers.",
    ),
    (
        "Grays Chess and Games Club",
        OrganisationKind.VCS_GROUP,
        "E05002236",
        "Board games for all ages.",
    ),
    (
        "Blackshots Seniors Social",
        OrganisationKind.VCS_GROUP,
        "E05002237",
        "Bingo, tea dances and trips.",
    ),
    (
        "Little Thurrock Choir",
        OrganisationKind.VCS_GROUP,
        "E05002237",
        "Community choir: no auditions.",
    ),
    (
        "Rectory Road Allotment Society",
        OrganisationKind.VCS_GROUP,
        "E05002238",
        "Allotments and a shared polytunnel.",
    ),
    (
        "Little Thurrock Toddler Group",
        OrganisationKind.FAITH_GROUP,
        "E05002238",
        "Church hall toddler mornings.",
    ),
    (
        "Ockendon Community Fridge",
        OrganisationKind.CHARITY,
        "E05002239",
        "Surplus food shared, no questions asked.",
    ),
    (
        "Ockendon Bangla Women's Group",
        OrganisationKind.VCS_GROUP,
        "E05002239",
        "Sewing, English practice and support.",
    ),
    (
        "Orsett Village Hall Committee",
        OrganisationKind.CHARITY,
        "E05002240",
        "Runs the village hall and its events.",
    ),
    (
        "Orsett Riding for the Disabled",
        OrganisationKind.CHARITY,
        "E05002240",
        "Riding sessions for disabled people.",
    ),
    (
        "South Chafford Book Swap",
        OrganisationKind.VCS_GROUP,
        "E05002241",
        "Take a book, leave a book, stay for a chat.",
    ),
    (
        "Chafford Gorges Nature Volunteers",
        OrganisationKind.VCS_GROUP,
        "E05002241",
        "Conservation tasks on Saturdays.",
    ),
    (
        "Stanford Timebank Circle",
        OrganisationKind.VCS_GROUP,
        "E05002242",
        "Neighbours swapping skills by the hour.",
    ),
    (
        "Corringham Town Dementia Friends",
        OrganisationKind.CHARITY,
        "E05002242",
        "Memory café and carers' support.",
    ),
    (
        "Stanford-le-Hope Youth Theatre",
        OrganisationKind.VCS_GROUP,
        "E05002243",
        "Drama for young people aged 11 to 18.",
    ),
    (
        "Hope Community Pantry",
        OrganisationKind.FAITH_GROUP,
        "E05002243",
        "Weekly pantry and a warm space.",
    ),
    (
        "Stifford Clays Tenants' Association",
        OrganisationKind.VCS_GROUP,
        "E05002244",
        "Residents working together.",
    ),
    (
        "Stifford Clays Chair Yoga",
        OrganisationKind.BUSINESS,
        "E05002244",
        "Seated exercise in the community room.",
    ),
    (
        "Homesteads Bowls Club",
        OrganisationKind.VCS_GROUP,
        "E05002245",
        "Outdoor bowls in summer, short mat in winter.",
    ),
    (
        "Homesteads Mums' Walk and Talk",
        OrganisationKind.VCS_GROUP,
        "E05002245",
        "Buggy walks and peer support.",
    ),
    (
        "Tilbury Riverside Boxing Club",
        OrganisationKind.VCS_GROUP,
        "E05002246",
        "Boxing fitness and mentoring.",
    ),
    (
        "Thurrock Park Wildlife Watch",
        OrganisationKind.VCS_GROUP,
        "E05002246",
        "Bird counts and nature walks.",
    ),
    (
        "Tilbury St Chads Community Kitchen",
        OrganisationKind.CHARITY,
        "E05002247",
        "Cook and eat together sessions.",
    ),
    (
        "Chadwell and Tilbury ESOL Club",
        OrganisationKind.VCS_GROUP,
        "E05002247",
        "Friendly English conversation practice.",
    ),
    (
        "West Thurrock Cyclists",
        OrganisationKind.VCS_GROUP,
        "E05002248",
        "Bike rides, repairs and learn-to-ride.",
    ),
    (
        "South Stifford Warm Welcome",
        OrganisationKind.FAITH_GROUP,
        "E05002248",
        "A warm space with soup in winter.",
    ),
]

# Localities: the groups of wards the demo council works by.
LOCALITIES: list[tuple[str, str, list[str]]] = [
    (
        "grays-and-riverside",
        "Grays and the riverside",
        ["E05002235", "E05002236", "E05002237", "E05002238", "E05002248"],
    ),
    (
        "tilbury-and-chadwell",
        "Tilbury and Chadwell",
        ["E05002231", "E05002246", "E05002247", "E05002234"],
    ),
    (
        "stanford-and-corringham",
        "Stanford and Corringham",
        ["E05002233", "E05002242", "E05002243", "E05002245", "E05002240"],
    ),
    (
        "aveley-ockendon-chafford",
        "Aveley, Ockendon and Chafford",
        ["E05002229", "E05002230", "E05002232", "E05002239", "E05002241", "E05002244"],
    ),
]

# One demo login for every role: (local part, full name, role, organisation slug).
DEMO_PEOPLE: list[tuple[str, str, str, str]] = [
    ("admin", "Ada Administrator", Role.ADMIN, "demo-borough-council"),
    ("analyst", "Priya Analyst", Role.ANALYST, "demo-borough-council"),
    ("sponsor", "Sam Sponsor", Role.SPONSOR, "demo-borough-council"),
    ("coordinator", "Kemi Coordinator", Role.COORDINATOR, "demo-borough-council"),
    ("moderator", "Morgan Moderator", Role.MODERATOR, "demo-cvs"),
    ("broker", "Bea Broker", Role.BROKER, "demo-cvs"),
    ("panel", "Pat Panel", Role.PANEL_MEMBER, "demo-cvs"),
    ("volunteer", "Vic Volunteer", Role.VOLUNTEER, "demo-cvs"),
    ("grouprep", "Gabriel Group-Rep", Role.GROUP_REP, "demo-grays-riverside-community-hub"),
    ("member", "Mo Member", Role.MEMBER, "demo-stanford-timebank-circle"),
    ("receptionist", "Rita Receptionist", Role.COORDINATOR, "demo-riverside-surgery"),
]
# A resident with an account but no role: what a member of the public sees after signing up.
DEMO_RESIDENT = ("resident", "Rosa Resident")


def _slug(name: str) -> str:
    from django.utils.text import slugify

    return "demo-" + slugify(name)


def _postcodes_by_ward() -> dict[str, list[str]]:
    """The borough's real postcodes by ward, in order, so reloads place everything the same way."""
    by_ward: dict[str, list[str]] = {}
    rows = Postcode.objects.filter(district_code=THURROCK).order_by("postcode")
    for postcode, ward_code in rows.values_list("postcode", "ward_code"):
        by_ward.setdefault(ward_code, []).append(postcode)
    return by_ward


def _pick(postcodes: list[str], index: int) -> str:
    return postcodes[(index * 37) % len(postcodes)] if postcodes else ""


@transaction.atomic
def organisations_load(result: DemoResult) -> dict[str, Organisation]:
    district = Area.objects.filter(kind=AreaKind.DISTRICT, code=THURROCK).first()
    postcodes = _postcodes_by_ward()
    rows = [(slug, name, kind, ward, text) for slug, name, kind, ward, text in ANCHOR_ORGANISATIONS]
    rows += [(_slug(name), name, kind, ward, text) for name, kind, ward, text in GROUPS]
    organisations: dict[str, Organisation] = {}
    for index, (slug, name, kind, ward_code, description) in enumerate(rows):
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            organisation = organisation_create(
                actor=None,
                name=name,
                slug=slug,
                kind=kind,
                description=description,
                email=f"{slug.removeprefix('demo-')}@{DEMO_EMAIL_DOMAIN}",
                district=district,
                postcode=_pick(postcodes.get(ward_code, []), index),
                is_example=True,
            )
        organisations[slug] = organisation
    result.counts["organisations"] = len(organisations)
    return organisations


@transaction.atomic
def localities_load(result: DemoResult) -> None:
    wards = {area.code: area for area in Area.objects.wards().filter(district_code=THURROCK)}
    for slug, name, ward_codes in LOCALITIES:
        locality, _ = Locality.objects.get_or_create(
            slug=slug, defaults={"name": name, "district_code": THURROCK}
        )
        locality.wards.set([wards[code] for code in ward_codes if code in wards])
    result.counts["localities"] = len(LOCALITIES)


def _demo_user(email: str, full_name: str, postcode: str) -> User:
    """The demo person with this email, made (with a profile placed at ``postcode``) if missing."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(
            actor=None,
            email=email,
            password=DEMO_PASSWORD,
            full_name=full_name,
            is_example=True,
            check_password=False,
        )
        if postcode:
            profile_update(actor=None, user=user, postcode=postcode)
    return user


@transaction.atomic
def people_load(result: DemoResult, organisations: dict[str, Organisation]) -> None:
    postcodes = _postcodes_by_ward()
    for index, (local, full_name, role, organisation_slug) in enumerate(DEMO_PEOPLE):
        organisation = organisations[organisation_slug]
        ward_code = organisation.ward.code if organisation.ward else ""
        user = _demo_user(
            f"{local}@{DEMO_EMAIL_DOMAIN}",
            full_name,
            _pick(postcodes.get(ward_code, []), index + 100),
        )
        if role == Role.ADMIN and not user.is_superuser:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        membership_grant(actor=None, user=user, organisation=organisation, role=role)
        result.logins.append((user.email, Role(role).label, organisation.name))
    local, full_name = DEMO_RESIDENT
    resident = _demo_user(f"{local}@{DEMO_EMAIL_DOMAIN}", full_name, "")
    result.logins.append((resident.email, "Resident (no role)", ""))
    result.counts["demo logins"] = len(result.logins)
