"""The demo timebank: Thurrock Timebank, borough-wide, with locality groups, members, vetting and
restrictions, organisation accounts, the community pot, a year of exchanges, and a living gift board
(offers, needs and goods, with match suggestions and connections made).

Members join, and posts and connections are made, through the timebank's own services
(``membership``, ``giftboard``), exactly as people and brokers would make them.

Every name is invented. Everything is deterministic (one seeded ``random.Random``) and found again by
natural keys (the timebank's slug, members' emails and names, transactions' client ids), so loading
again adds nothing. Exchanges are written through ``commonweal.timebank.ledger``, as a member or a
broker would record them: the demo never writes ledger rows itself.
"""

from __future__ import annotations

import contextlib
import datetime
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.services import user_create
from commonweal.demo.borough import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, DemoResult
from commonweal.geo.models import Area, Postcode
from commonweal.timebank import giftboard, ledger, matching, membership
from commonweal.timebank.constants import (
    AccountKind,
    ConnectionStatus,
    GiftType,
    MemberStatus,
    PostKind,
    TransactionState,
    VettingKind,
)
from commonweal.timebank.models import (
    Account,
    Category,
    Connection,
    GiftPost,
    Locality,
    Member,
    Timebank,
    Transaction,
    VettingRecord,
)

TIMEBANK_SLUG = "thurrock"
TIMEBANK_NAME = "Thurrock Timebank (demo)"
RUNNING_ORGANISATION = "demo-cvs"  # the broker login is a broker there
SCHOOL = "demo-chadwell-primary"
HUB = "demo-grays-riverside-community-hub"
SEED = 4_2025
# Client ids of the demo's transactions: uuid5 of this namespace and a key, so reloading finds them.
CLIENT_ID_NAMESPACE = uuid.UUID("6b0f1c4e-5d1a-4f7e-9c3b-2a8d7e6f5a40")

# Locality groups and the demo's wards they cover.
LOCALITIES: list[tuple[str, list[str]]] = [
    ("Grays", ["E05002235", "E05002236", "E05002237", "E05002238", "E05002248"]),
    ("Tilbury and Chadwell", ["E05002246", "E05002247", "E05002231", "E05002234"]),
    ("South Ockendon and Chafford", ["E05002239", "E05002241", "E05002232", "E05002244"]),
    ("Stanford-le-Hope and Corringham", ["E05002242", "E05002243", "E05002233", "E05002245"]),
    ("Purfleet, Aveley and Orsett", ["E05002229", "E05002230", "E05002240"]),
]

# (slug, name, is goods, description)
CATEGORIES: list[tuple[str, str, bool, str]] = [
    ("gardening", "Gardening", False, "Weeding, mowing, planting, clearing a garden."),
    ("shopping", "Shopping", False, "Picking up shopping or going along to help."),
    ("befriending", "Befriending", False, "A chat, a cuppa, a phone call, company on a walk."),
    ("diy", "DIY and small repairs", False, "Putting up shelves, fixing a tap, flat-pack."),
    ("lifts", "Lifts", False, "A lift to an appointment, the shops or a group."),
    ("it-help", "IT help", False, "Phones, tablets, email, video calls, online forms."),
    ("cooking", "Cooking", False, "Cooking together, batch cooking, baking for an event."),
    (
        "language-practice",
        "Language practice",
        False,
        "Conversation practice in English or another language.",
    ),
    (
        "childcare-support",
        "Childcare support",
        False,
        "School runs and help for parents (vetted members).",
    ),
    ("admin-help", "Admin help", False, "Letters, forms and paperwork."),
    ("furniture", "Furniture", True, "Furniture to give away."),
    ("materials", "Materials", True, "Paint, wood, tools and craft materials."),
    ("clothes", "Clothes", True, "Clothes, shoes and school uniform."),
]
TIME_CATEGORIES = [slug for slug, _, goods, _ in CATEGORIES if not goods]

FIRST_NAMES = [
    "Aisha",
    "Alan",
    "Amara",
    "Barbara",
    "Bilal",
    "Bridget",
    "Callum",
    "Chioma",
    "Colin",
    "Dalia",
    "Declan",
    "Denise",
    "Dorota",
    "Eileen",
    "Emeka",
    "Farida",
    "Gareth",
    "Gloria",
    "Harjit",
    "Hazel",
    "Imran",
    "Irene",
    "Jade",
    "Jasmine",
    "Kofi",
    "Lena",
    "Leon",
    "Lorraine",
    "Malik",
    "Marek",
    "Maureen",
    "Nadia",
    "Niamh",
    "Olu",
    "Patrice",
    "Pauline",
    "Rashid",
    "Rita",
    "Ruth",
    "Samir",
    "Shirley",
    "Stan",
    "Tariq",
    "Tessa",
    "Tunde",
    "Valerie",
    "Wendy",
    "Yusuf",
    "Zofia",
    "Zara",
]
SURNAMES = [
    "Adeyemi",
    "Akhtar",
    "Baker",
    "Begum",
    "Brennan",
    "Chowdhury",
    "Cooper",
    "Dlamini",
    "Doyle",
    "Evans",
    "Fletcher",
    "Ghosh",
    "Hughes",
    "Iqbal",
    "Jarvis",
    "Kowalski",
    "Lambert",
    "Mensah",
    "Nowak",
    "Okafor",
    "Patel",
    "Quinn",
    "Rahman",
    "Sandhu",
    "Turner",
    "Walsh",
    "Yilmaz",
]

MEMBER_COUNT = 64
NEW_MEMBERS = 14  # joined during the demo year
PROXY_MEMBERS = 4  # no email or internet: the broker records for them
VULNERABLE_MEMBERS = 3


@dataclass
class DemoMember:
    key: str
    member: Member
    skills: list[str]
    joined: datetime.date
    is_proxy: bool = False


@dataclass
class DemoTimebank:
    timebank: Timebank
    broker: User
    members: list[DemoMember] = field(default_factory=list)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)


@contextlib.contextmanager
def _emails_held() -> Iterator[None]:
    """The services email brokers and members as they would for real; the demo's people are
    invented, so those emails are dropped rather than sent or printed."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        yield


def client_id(key: str) -> uuid.UUID:
    return uuid.uuid5(CLIENT_ID_NAMESPACE, key)


def _postcodes_by_ward(codes: set[str]) -> dict[str, list[str]]:
    by_ward: dict[str, list[str]] = {}
    rows = Postcode.objects.filter(ward_code__in=codes).order_by("postcode")
    for postcode, ward_code in rows.values_list("postcode", "ward_code"):
        by_ward.setdefault(ward_code, []).append(postcode)
    return by_ward


def _timebank_ensure(organisation: Organisation) -> Timebank:
    """The demo timebank and its locality groups, made by the timebank's own service."""
    timebank = Timebank.objects.filter(slug=TIMEBANK_SLUG).first()
    if timebank is None:
        timebank = membership.timebank_create(
            actor=None,
            name=TIMEBANK_NAME,
            slug=TIMEBANK_SLUG,
            organisation=organisation,
            localities=[name for name, _codes in LOCALITIES],
            description=(
                "One timebank for the whole borough, with a group in each locality: give an hour of "
                "help, get an hour back. Run by the demo CVS; every member is invented."
            ),
            max_backdate_days=400,
        )
    return timebank


def _localities_ensure(timebank: Timebank) -> dict[str, Locality]:
    wards = {area.code: area for area in Area.objects.wards().filter(code__in=_all_ward_codes())}
    localities = {}
    for name, codes in LOCALITIES:
        locality, _created = Locality.objects.get_or_create(timebank=timebank, name=name)
        if not locality.wards.exists():  # the wards each locality group covers
            locality.wards.set([wards[code] for code in codes if code in wards])
        for code in codes:
            localities[code] = locality
    return localities


def _all_ward_codes() -> set[str]:
    return {code for _, codes in LOCALITIES for code in codes}


def _categories_ensure() -> dict[str, Category]:
    existing = {category.slug: category for category in Category.objects.all()}
    for slug, name, goods, description in CATEGORIES:
        if slug not in existing:
            category = Category(slug=slug, name=name, is_goods=goods, description=description)
            category.full_clean()
            category.save()
            existing[slug] = category
    return existing


def _names(rng: random.Random) -> list[tuple[str, str]]:
    pairs = [(first, last) for first in FIRST_NAMES for last in SURNAMES]
    rng.shuffle(pairs)
    seen_first: set[str] = set()
    names = []
    for first, last in pairs:  # one of each first name, so display names read clearly
        if first in seen_first:
            continue
        seen_first.add(first)
        names.append((first, last))
    while len(names) < MEMBER_COUNT:
        first, last = pairs[len(names) * 7 % len(pairs)]
        if (first, last) not in names:
            names.append((first, last))
    return names[:MEMBER_COUNT]


def _member_user(email: str, full_name: str, password_hash: str) -> User:
    """A member's demo login (the demo password, hashed once for every member: hashing is slow)."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(
            actor=None, email=email, full_name=full_name, is_example=True, check_password=False
        )
        User.objects.filter(pk=user.pk).update(password=password_hash)
    return user


def _member_join(
    *,
    demo: DemoTimebank,
    user: User,
    display_name: str,
    postcode: str,
    locality: Locality | None,
    joined: datetime.date | None,
    can_offer: str,
) -> Member:
    """A member with a login, as they join: they apply, and (unless ``joined`` is None) the broker
    accepts them on the day they joined. Found again by their user."""
    member = Member.objects.filter(timebank=demo.timebank, user=user).first()
    if member is None:
        member = membership.member_apply(
            actor=user,
            timebank=demo.timebank,
            display_name=display_name,
            locality=locality,
            can_offer=can_offer,
            postcode=postcode,
            agrees=True,
        )
    if joined is not None and member.status == MemberStatus.APPLIED:
        member = membership.member_approve(actor=demo.broker, member=member, joined_on=joined)
    return member


def _proxy_join(
    *,
    demo: DemoTimebank,
    display_name: str,
    postcode: str,
    locality: Locality | None,
    joined: datetime.date,
    can_offer: str,
    vulnerable: bool,
) -> Member:
    """A member without email or internet, added by the broker. Found again by their name."""
    member = Member.objects.filter(
        timebank=demo.timebank, user__isnull=True, display_name=display_name
    ).first()
    if member is not None:
        return member
    return membership.proxy_member_create(
        actor=demo.broker,
        timebank=demo.timebank,
        display_name=display_name,
        locality=locality,
        contact_notes="Rings the hub on Tuesdays; no email. Prefers a call in the morning.",
        can_offer=can_offer,
        postcode=postcode,
        vulnerable=vulnerable,
        agreed=True,
        joined_on=joined,
    )


def _vetting_ensure(
    demo: DemoTimebank,
    member: Member,
    kind: str,
    checked: datetime.date,
    expires: datetime.date | None,
) -> None:
    """A check the broker recorded (once per kind)."""
    if VettingRecord.objects.filter(member=member, kind=kind).exists():
        return
    reference = (
        "A neighbour of ten years (demo referee)"
        if kind == VettingKind.REFERENCE
        else f"DEMO-{member.pk:05d}-{kind[:3].upper()}"
    )
    membership.vetting_record_add(
        actor=demo.broker,
        member=member,
        kind=kind,
        checked_on=checked,
        expires_on=expires,
        reference=reference,
    )


# Members a broker has restricted: (member index, vulnerable, no home visits, accompanied only, note).
RESTRICTED: list[tuple[int, bool, bool, bool, str]] = [
    (
        10,
        True,
        False,
        False,
        "Lives alone and has had a fall; her daughter asked us to keep an eye out.",
    ),
    (31, True, False, False, "Recently bereaved; referred by the GP practice."),
    (
        52,
        True,
        False,
        False,
        "Referred by adult social care: help with shopping and company.",
    ),
    (
        7,
        False,
        True,
        False,
        "Agreed at induction: meets people at the hub or the library, not at home.",
    ),
    (
        24,
        False,
        False,
        True,
        "New to the area and anxious meeting people: a broker or a friend goes along.",
    ),
]


def _restrictions_ensure(demo: DemoTimebank) -> None:
    by_key = {m.key: m for m in demo.members}
    for index, vulnerable, no_home, accompanied, note in RESTRICTED:
        demo_member = by_key.get(f"m{index:02d}")
        if demo_member is None:
            continue
        member = demo_member.member
        if (member.vulnerable, member.no_home_visits, member.accompanied_only) == (
            vulnerable,
            no_home,
            accompanied,
        ):
            continue
        demo_member.member = membership.member_restrictions_set(
            actor=demo.broker,
            member=member,
            vulnerable=vulnerable,
            no_home_visits=no_home,
            accompanied_only=accompanied,
            note=note,
        )


ABOUTS = {
    "gardening": "Happy with a spade or a mower.",
    "shopping": "I drive to the big shops every week.",
    "befriending": "I like a good chat over a cuppa.",
    "diy": "Handy with a drill and flat-pack.",
    "lifts": "I have a car and time in the mornings.",
    "it-help": "I can help with phones, tablets and online forms.",
    "cooking": "I love cooking for a crowd.",
    "language-practice": "I speak Polish, Bengali or Yoruba and like helping with English.",
    "childcare-support": "Mum of three, DBS-checked.",
    "admin-help": "Good with letters and forms.",
}


@transaction.atomic
def members_load(rng: random.Random, demo: DemoTimebank, today: datetime.date) -> None:
    """The members, joined through the timebank's own services: logins apply and the broker accepts
    them; the broker adds proxies; the broker records vetting and restrictions."""
    timebank = demo.timebank
    localities = _localities_ensure(timebank)
    ward_codes = sorted(_all_ward_codes())
    postcodes = _postcodes_by_ward(set(ward_codes))
    password_hash = make_password(DEMO_PASSWORD)
    year_ago = today - datetime.timedelta(days=364)
    names = _names(rng)
    for index, (first, last) in enumerate(names):
        ward_code = ward_codes[index % len(ward_codes)]
        ward_postcodes = postcodes.get(ward_code, [])
        postcode = ward_postcodes[(index * 37) % len(ward_postcodes)] if ward_postcodes else ""
        is_new = index >= MEMBER_COUNT - NEW_MEMBERS
        joined = (
            year_ago + datetime.timedelta(days=20 + (index - (MEMBER_COUNT - NEW_MEMBERS)) * 24)
            if is_new
            else year_ago - datetime.timedelta(days=30 + rng.randrange(900))
        )
        skills = rng.sample(TIME_CATEGORIES, 3)
        if "childcare-support" in skills and index % 3:
            skills.remove("childcare-support")
        is_proxy = index % 16 == 5 and index < PROXY_MEMBERS * 16
        can_offer = " ".join(ABOUTS[skill] for skill in skills[:2])
        display_name = f"{first} {last[0]}."
        locality = localities.get(ward_code)
        if is_proxy:
            member = _proxy_join(
                demo=demo,
                display_name=display_name,
                postcode=postcode,
                locality=locality,
                joined=joined,
                can_offer=can_offer,
                vulnerable=False,
            )
        else:
            user = _member_user(
                f"{first}.{last}.timebank@{DEMO_EMAIL_DOMAIN}".lower(),
                f"{first} {last}",
                password_hash,
            )
            member = _member_join(
                demo=demo,
                user=user,
                display_name=display_name,
                postcode=postcode,
                locality=locality,
                joined=joined,
                can_offer=can_offer,
            )
        demo.members.append(
            DemoMember(
                key=f"m{index:02d}", member=member, skills=skills, joined=joined, is_proxy=is_proxy
            )
        )
        # Vetting: everyone has an induction; some have references; a third a DBS check, some
        # of which run out in the next few weeks (the broker console shows them).
        _vetting_ensure(demo, member, VettingKind.INDUCTION, joined, None)
        if index % 2 == 0:
            _vetting_ensure(demo, member, VettingKind.REFERENCE, joined, None)
        if index % 3 == 0 or "childcare-support" in skills:
            if index % 9 == 0:
                expires = today + datetime.timedelta(days=7 + index % 30)
            else:
                expires = today + datetime.timedelta(days=200 + rng.randrange(700))
            checked = expires - datetime.timedelta(days=3 * 365)
            _vetting_ensure(demo, member, VettingKind.DBS_ENHANCED, checked, expires)
    _restrictions_ensure(demo)

    # The demo's own logins: Mo Member trades in Stanford-le-Hope; Gabriel (the Grays hub's group
    # rep) is a member too and runs the hub's account; Rosa Resident has just applied.
    stanford, grays = "E05002243", "E05002235"
    for key, email, name, ward, joined, skills, offer in (
        (
            "mo",
            f"member@{DEMO_EMAIL_DOMAIN}",
            "Mo M.",
            stanford,
            year_ago - datetime.timedelta(days=180),
            ["admin-help", "lifts", "it-help"],
            "Secretary of the Stanford Timebank Circle. Happy to help with forms and lifts.",
        ),
        (
            "gabriel",
            f"grouprep@{DEMO_EMAIL_DOMAIN}",
            "Gabriel G.",
            grays,
            year_ago - datetime.timedelta(days=400),
            ["it-help", "cooking", "befriending"],
            "I run the community hub's lunch club and digital drop-in.",
        ),
    ):
        member = _member_join(
            demo=demo,
            user=User.objects.get(email=email),
            display_name=name,
            postcode=(postcodes.get(ward) or [""] * 4)[3],
            locality=localities.get(ward),
            joined=joined,
            can_offer=offer,
        )
        _vetting_ensure(demo, member, VettingKind.INDUCTION, member.joined_on or today, None)
        demo.members.append(
            DemoMember(key=key, member=member, skills=skills, joined=member.joined_on or today)
        )
    _member_join(
        demo=demo,
        user=User.objects.get(email=f"resident@{DEMO_EMAIL_DOMAIN}"),
        display_name="Rosa R.",
        postcode=(postcodes.get(grays) or [""] * 6)[5],
        locality=localities.get(grays),
        joined=None,
        can_offer="New to Grays. I can cook and would love help with my garden.",
    )


# --- a year of exchanges -------------------------------------------------------------------------

SCHOOL_KEY, HUB_KEY, POT_KEY = "school", "hub", "pot"
MINUTES = [30, 45, 60, 60, 60, 90, 120, 120, 180]
LOWEST_PLANNED_BALANCE = -450  # keeps the demo well inside the -10 hour limit

HELP = {
    "gardening": [
        "Cleared the back garden",
        "Mowed the lawn and trimmed the hedge",
        "Planted bulbs",
    ],
    "shopping": ["Weekly big shop", "Picked up a prescription and some shopping"],
    "befriending": [
        "Afternoon tea and a chat",
        "A walk in the park together",
        "Phone call catch-up",
    ],
    "diy": ["Put up two shelves", "Built a flat-pack wardrobe", "Fixed a dripping tap"],
    "lifts": ["Lift to the hospital appointment", "Lift to the lunch club and back"],
    "it-help": ["Set up video calls with family", "Helped with an online form", "New phone set up"],
    "cooking": ["Batch-cooked meals for the freezer", "Baked for the school fair"],
    "language-practice": ["English conversation practice", "Polish conversation practice"],
    "childcare-support": ["School pick-up while mum was at work", "Helped with homework club"],
    "admin-help": ["Helped with a letter to the council", "Sorted out a benefits form"],
}
GROUP_ACTIVITIES = [
    ("befriending", "Coffee morning"),
    ("cooking", "Community lunch cook-along"),
    ("gardening", "Community garden day"),
    ("it-help", "Digital drop-in"),
    ("language-practice", "Conversation cafe"),
]
REVERSAL_REASONS = [
    "Recorded twice by mistake: the same lift was entered on two days.",
    "Wrong number of hours: it was one hour, not three. Recorded again correctly.",
]


@dataclass
class Planned:
    """One transaction of the demo year, decided before anything is written."""

    key: str
    kind: str  # "exchange", "group" or "donation"
    date: datetime.date
    minutes: int
    payer: str = ""  # a member's key, "school", "hub"; for groups the timebank pays
    payee: str = ""
    attendees: list[str] = field(default_factory=list)
    category: str = ""
    description: str = ""
    by_payee: bool = False  # recorded by the one who gave the help: waits for the payer
    home_visit: bool = False
    reverse_because: str = ""


def exchanges_plan(demo: DemoTimebank, today: datetime.date, rng: random.Random) -> list[Planned]:
    """A plausible year: weekly group activities, five or so exchanges a week, help for the school
    and the hub, donations to the community pot, two reversals, and a few still waiting."""
    members = {m.key: m for m in demo.members}
    balance = dict.fromkeys(members, 0)
    balance.update({SCHOOL_KEY: 0, HUB_KEY: 0})
    groups_attended = dict.fromkeys(members, 0)
    vetted = {
        m.key
        for m in demo.members
        if any(
            v.kind == VettingKind.DBS_ENHANCED and (v.expires_on or today) > today
            for v in m.member.vetting.all()
        )
    }
    localities = sorted({m.member.locality_id for m in demo.members if m.member.locality_id})
    start = today - datetime.timedelta(days=364)
    plan: list[Planned] = []

    def move(payer: str, payee: str, minutes: int) -> None:
        balance[payer] -= minutes
        balance[payee] += minutes

    # Before the demo year: two get-togethers in each locality group for the members of the time,
    # so established members have done the group activities new members start with.
    for n, (days_before, title) in enumerate(
        ((24, "Summer get-together"), (10, "Members' quiz night"))
    ):
        day = start - datetime.timedelta(days=days_before)
        for group_number, group_locality in enumerate(localities):
            attendees = sorted(
                m.key
                for m in demo.members
                if m.joined < day and m.member.locality_id == group_locality
            )
            if len(attendees) < 2:
                continue
            plan.append(
                Planned(
                    key=f"welcome-{n}-{group_number}",
                    kind="group",
                    date=day,
                    minutes=60,
                    attendees=attendees,
                    category="befriending",
                    description=title,
                )
            )
            for key in attendees:
                balance[key] += 60
                groups_attended[key] += 1

    for week in range(52):
        monday = start + datetime.timedelta(days=7 * week)
        days = [
            monday + datetime.timedelta(days=d)
            for d in range(7)
            if monday + datetime.timedelta(days=d) < today - datetime.timedelta(days=6)
        ]
        if not days:
            break
        # Ready for one-to-one exchanges: members who took part in two group activities before this week.
        ready = [m for m in demo.members if m.joined <= days[0] and groups_attended[m.key] >= 2]
        locality = localities[week % len(localities)] if localities else None
        category, title = GROUP_ACTIVITIES[week % len(GROUP_ACTIVITIES)]
        day = days[min(2, len(days) - 1)]
        present = [
            m.key for m in demo.members if m.joined <= day and m.member.locality_id == locality
        ]
        attendees = sorted(rng.sample(present, min(len(present), rng.randint(5, 9))))
        if len(attendees) >= 2:
            plan.append(
                Planned(
                    key=f"group-{week}",
                    kind="group",
                    date=day,
                    minutes=60,
                    attendees=attendees,
                    category=category,
                    description=title,
                )
            )
            for key in attendees:
                balance[key] += 60
                groups_attended[key] += 1

        for n in range(rng.randint(4, 7)):
            if len(ready) < 2:
                break
            giver = rng.choice(ready)
            category = rng.choice(giver.skills)
            if category == "childcare-support" and giver.key not in vetted:
                category = (
                    giver.skills[0] if giver.skills[0] != "childcare-support" else "befriending"
                )
            minutes = rng.choice(MINUTES)
            receivers = [
                m
                for m in ready
                if m.key != giver.key
                and balance[m.key] - minutes >= LOWEST_PLANNED_BALANCE
                and not (
                    (m.member.vulnerable or giver.member.vulnerable) and giver.key not in vetted
                )
            ]
            if not receivers:
                continue
            receiver = rng.choice(receivers)
            plan.append(
                Planned(
                    key=f"x-{week}-{n}",
                    kind="exchange",
                    date=rng.choice(days),
                    minutes=minutes,
                    payer=receiver.key,
                    payee=giver.key,
                    category=category,
                    description=rng.choice(HELP[category]),
                )
            )
            move(receiver.key, giver.key, minutes)

        online = [m for m in ready if not m.is_proxy]
        if week % 3 == 1 and online:  # a member helps the school or the hub: the organisation pays
            helper = rng.choice(online)
            org, category, text = (
                (SCHOOL_KEY, "gardening", "Allotment project: cleared the raised beds")
                if week % 2
                else (HUB_KEY, "cooking", "Cooked for the hub's community lunch")
            )
            minutes = rng.choice([60, 120, 180])
            plan.append(
                Planned(
                    key=f"org-{week}",
                    kind="exchange",
                    date=days[-1],
                    minutes=minutes,
                    payer=org,
                    payee=helper.key,
                    category=category,
                    description=text,
                )
            )
            move(org, helper.key, minutes)
        if week % 6 == 4 and ready:  # the hub's staff help a member: the member pays the hub
            learner = max(ready, key=lambda m: (balance[m.key], m.key))
            plan.append(
                Planned(
                    key=f"hub-{week}",
                    kind="exchange",
                    date=days[0],
                    minutes=60,
                    payer=learner.key,
                    payee=HUB_KEY,
                    category="it-help",
                    description="One-to-one digital skills session",
                )
            )
            move(learner.key, HUB_KEY, 60)
        if week % 6 == 2 and ready:  # someone with hours to spare gives some to the community pot
            donor = max(ready, key=lambda m: (balance[m.key], m.key))
            if balance[donor.key] >= 600:
                minutes = 60 * rng.randint(2, 4)
                plan.append(
                    Planned(
                        key=f"pot-{week}",
                        kind="donation",
                        date=days[-1],
                        minutes=minutes,
                        payer=donor.key,
                        payee=POT_KEY,
                        description="Hours for neighbours who need help",
                    )
                )
                balance[donor.key] -= minutes

    # Two mistakes, put right by the broker with a reason.
    one_to_one = [
        p for p in plan if p.kind == "exchange" and p.payer in members and p.payee in members
    ]
    for planned, reason in zip(
        [one_to_one[len(one_to_one) // 3], one_to_one[2 * len(one_to_one) // 3]],
        REVERSAL_REASONS,
        strict=True,
    ):
        planned.reverse_because = reason
        move(planned.payee, planned.payer, planned.minutes)

    # The last few days: some exchanges wait for the person helped to confirm, and two for a broker.
    recent = [today - datetime.timedelta(days=d) for d in (1, 2, 4)]
    ready = [
        m
        for m in demo.members
        if groups_attended[m.key] >= 2 and not m.is_proxy and not m.member.has_restrictions
    ]
    for n, day in enumerate(recent):
        giver, receiver = ready[n * 5 % len(ready)], ready[(n * 5 + 3) % len(ready)]
        plan.append(
            Planned(
                key=f"pending-{n}",
                kind="exchange",
                date=day,
                minutes=60,
                payer=receiver.key,
                payee=giver.key,
                category=giver.skills[0],
                description=HELP[giver.skills[0]][0],
                by_payee=True,
            )
        )
    unvetted = [m for m in ready if m.key not in vetted]
    for n in range(2):
        giver, receiver = unvetted[n], unvetted[-1 - n]
        plan.append(
            Planned(
                key=f"home-visit-{n}",
                kind="exchange",
                date=today - datetime.timedelta(days=3),
                minutes=90,
                payer=receiver.key,
                payee=giver.key,
                category="diy",
                description="Fitted a grab rail in the bathroom (home visit)",
                home_visit=True,
            )
        )
    return plan


def _accounts_ensure(demo: DemoTimebank) -> dict[str, Account]:
    """Every demo member's account, the school's and the hub's, and the community pot, opened by the
    broker through the ledger."""
    timebank, broker = demo.timebank, demo.broker
    pot, _issuer = ledger.timebank_accounts_ensure(timebank=timebank)
    existing = {
        account.member_id: account
        for account in Account.objects.filter(timebank=timebank, member__isnull=False)
    }
    accounts: dict[str, Account] = {POT_KEY: pot}
    for demo_member in demo.members:
        member = demo_member.member
        if member.status != MemberStatus.ACTIVE:
            continue
        account = existing.get(member.pk) or ledger.account_open(
            actor=broker, timebank=timebank, kind=AccountKind.MEMBER, member=member
        )
        account.member = member
        accounts[demo_member.key] = account
    for key, slug in ((SCHOOL_KEY, SCHOOL), (HUB_KEY, HUB)):
        organisation = demo.organisations[slug]
        account = Account.objects.filter(
            timebank=timebank, kind=AccountKind.ORGANISATION, organisation=organisation
        ).first() or ledger.account_open(
            actor=broker,
            timebank=timebank,
            kind=AccountKind.ORGANISATION,
            organisation=organisation,
        )
        accounts[key] = account
    return accounts


def _record(
    planned: Planned,
    demo: DemoTimebank,
    accounts: dict[str, Account],
    members: dict[str, DemoMember],
) -> Transaction:
    """Write one planned transaction through the ledger, as the person or broker who would record it."""
    broker = demo.broker
    category = demo.categories.get(planned.category) if planned.category else None
    key = client_id(planned.key)
    if planned.kind == "group":
        tx, _ = ledger.group_activity_record(
            actor=broker,
            client_id=key,
            timebank=demo.timebank,
            attendees=[accounts[k] for k in planned.attendees],
            minutes_each=planned.minutes,
            description=planned.description,
            service_date=planned.date,
            category=category,
        )
        return tx
    payer = accounts[planned.payer]
    if planned.kind == "donation":
        donor = members[planned.payer]
        tx, _ = ledger.donation_record(
            actor=donor.member.user or broker,
            client_id=key,
            donor=payer,
            minutes=planned.minutes,
            description=planned.description,
            service_date=planned.date,
        )
        return tx
    payee = accounts[planned.payee]
    giver, receiver = members.get(planned.payee), members.get(planned.payer)
    on_behalf_of = None
    if planned.by_payee and giver is not None:
        actor = giver.member.user or broker
    elif receiver is not None and receiver.member.user is not None:
        actor = receiver.member.user
    else:
        # An organisation paying, or a proxy member the broker records for.
        actor = broker
        on_behalf_of = receiver.member if receiver is not None else None
        if on_behalf_of is None and giver is not None:
            on_behalf_of = giver.member
    accompanied = [m.member for m in (receiver, giver) if m and m.member.accompanied_only]
    if accompanied:
        # The broker went along, and records it: that is the broker's approval.
        actor, on_behalf_of = broker, accompanied[0]
    tx, _ = ledger.exchange_record(
        actor=actor,
        client_id=key,
        payer=payer,
        payee=payee,
        minutes=planned.minutes,
        description=planned.description,
        service_date=planned.date,
        category=category,
        on_behalf_of=on_behalf_of,
        home_visit=planned.home_visit,
    )
    return tx


_KIND_ORDER = {"group": 0, "exchange": 1, "donation": 2}


def exchanges_load(demo: DemoTimebank, today: datetime.date, rng: random.Random) -> int:
    """Record the planned year, in date order (group activities first on each day), then the two
    reversals. Transactions already recorded by an earlier load are left as they are."""
    plan = exchanges_plan(demo, today, rng)
    done = set(
        Transaction.objects.filter(
            timebank=demo.timebank, public_id__in=[client_id(p.key) for p in plan]
        ).values_list("public_id", flat=True)
    )
    accounts = _accounts_ensure(demo)
    members = {m.key: m for m in demo.members}
    written = 0
    for planned in sorted(plan, key=lambda p: (p.date, _KIND_ORDER[p.kind], p.key)):
        if client_id(planned.key) in done:
            continue
        tx = _record(planned, demo, accounts, members)
        written += 1
        if planned.reverse_because and tx.state == TransactionState.COMMITTED:
            ledger.transaction_reverse(
                actor=demo.broker,
                transaction=tx,
                reason=planned.reverse_because,
                client_id=client_id(f"reverse-{planned.key}"),
            )
    return written


# --- the gift board ------------------------------------------------------------------------------

GIFT_TYPES = {
    "gardening": GiftType.HANDS,
    "shopping": GiftType.HANDS,
    "befriending": GiftType.HEART,
    "diy": GiftType.HANDS,
    "lifts": GiftType.HANDS,
    "it-help": GiftType.HEAD,
    "cooking": GiftType.HANDS,
    "language-practice": GiftType.HEAD,
    "childcare-support": GiftType.HEART,
    "admin-help": GiftType.HEAD,
}
# Help that happens in someone's home (never suggested to a member with "no home visits").
AT_HOME = {"gardening", "diy", "befriending"}
OFFER_TITLES = {
    "gardening": ("Garden tidy-ups and mowing", "I have my own mower and strimmer."),
    "shopping": ("A lift to the big shop on Thursdays", "Room for two and their bags."),
    "befriending": ("A cuppa and a chat", "I'm a good listener and love a natter."),
    "diy": ("Shelves, flat-pack and small jobs", "I bring my own drill."),
    "lifts": ("Lifts to appointments", "Weekday mornings, across the borough."),
    "it-help": ("Help with phones and tablets", "Video calls, the NHS App, online forms."),
    "cooking": ("Batch cooking for the freezer", "Tell me what you like to eat."),
    "language-practice": ("English conversation practice", "Relaxed chats at the library."),
    "childcare-support": ("School pick-ups in a pinch", "DBS-checked mum of three."),
    "admin-help": ("Help with letters and forms", "Council, benefits, school forms."),
}
NEED_TITLES = {
    "gardening": ("Help to clear my back garden", "It has got away from me since my operation."),
    "shopping": ("Someone to come shopping with me", "I can walk but not carry much."),
    "befriending": ("A weekly chat", "I'd love someone to talk to now and then."),
    "diy": ("Put up a curtain rail", "I have the rail and the screws."),
    "lifts": ("A lift to the eye clinic", "Basildon hospital, a morning appointment."),
    "it-help": ("Learn to video call my grandchildren", "I have a tablet but it baffles me."),
    "cooking": ("Learn to cook simple meals", "On my own for the first time."),
    "language-practice": ("Practise my English", "I understand more than I can say."),
    "admin-help": ("Help to fill in a blue badge form", "The form is long and confusing."),
}
GOODS: list[tuple[str, str, str, str]] = [
    ("offer", "furniture", "Pine single bed frame", "Taken apart, all the bolts in a bag."),
    ("offer", "furniture", "Two kitchen chairs", "Sturdy, a bit scuffed."),
    ("offer", "materials", "Half tins of emulsion paint", "White and magnolia, five tins."),
    ("offer", "materials", "Offcuts of timber", "Good for raised beds or a bug hotel."),
    ("offer", "clothes", "School uniform, age 7 to 8", "Chadwell Primary jumpers and polo shirts."),
    ("offer", "clothes", "Winter coats, adult sizes", "Three coats, clean and warm."),
    ("need", "furniture", "A chest of drawers", "Moving into a flat with nothing in it."),
    ("need", "materials", "Wool for a knitting group", "Any colours: we knit for the baby unit."),
]


@dataclass
class _PostPlan:
    key: str  # a member's key
    kind: str
    category: str
    title: str
    description: str
    home_visit: bool = False
    organisation: str = ""


def _gift_plan(demo: DemoTimebank) -> list[_PostPlan]:
    """Who offers and needs what: offers from members' skills, needs from others, goods, the hub's
    own posts, and the demo logins' posts (so Mo sees match suggestions on his)."""
    people = [
        m
        for m in demo.members
        if m.member.status == MemberStatus.ACTIVE and m.key not in ("mo", "gabriel")
    ]
    plan: list[_PostPlan] = []
    offered: set[str] = set()
    for m in people[::3]:  # a third of the members offer something they are good at
        category = next((c for c in m.skills if c not in offered), m.skills[0])
        offered.add(category)
        if len(offered) == len(OFFER_TITLES):
            offered.clear()
        title, text = OFFER_TITLES[category]
        at_home = category in AT_HOME and not m.member.no_home_visits
        plan.append(_PostPlan(m.key, PostKind.OFFER, category, title, text, at_home))
    need_categories = sorted(NEED_TITLES)
    for n, m in enumerate(people[1::4]):  # a quarter say what they need
        if m.member.is_proxy:
            continue
        category = need_categories[(n * 4) % len(need_categories)]
        title, text = NEED_TITLES[category]
        at_home = category in AT_HOME and not m.member.no_home_visits
        plan.append(_PostPlan(m.key, PostKind.NEED, category, title, text, at_home))
    for m in people:  # a member who must not have home visits asks for company elsewhere
        if m.member.no_home_visits:
            plan.append(
                _PostPlan(
                    m.key,
                    PostKind.NEED,
                    "befriending",
                    "Company for a cuppa at the library",
                    "I'd love a chat once a week, at the library or the hub.",
                )
            )
    givers = [m for m in people if not m.member.is_proxy]
    for n, (kind, category, title, text) in enumerate(GOODS):
        plan.append(_PostPlan(givers[(n * 7 + 2) % len(givers)].key, kind, category, title, text))
    plan += [
        _PostPlan(
            "mo",
            PostKind.OFFER,
            "admin-help",
            "Help with letters and forms",
            "I'm the Stanford circle's secretary: forms hold no fear for me.",
        ),
        _PostPlan(
            "mo",
            PostKind.NEED,
            "gardening",
            "Help to tidy my front garden",
            "Brambles by the gate; I'll make the tea.",
            True,
        ),
        _PostPlan(
            "gabriel",
            PostKind.OFFER,
            "it-help",
            "Digital drop-in at the hub",
            "Tuesdays 10 to 12: bring your phone or tablet and your questions.",
            organisation=HUB,
        ),
        _PostPlan(
            "gabriel",
            PostKind.NEED,
            "cooking",
            "Cooks for the community lunch",
            "Wednesdays from 10: chopping, cooking, washing up. Aprons provided.",
            organisation=HUB,
        ),
    ]
    return plan


# Neighbours with a need who ask about the best suggested offer: (which need, asked through the hub,
# connection made). All but one meet; one has agreed to be in touch and not met yet.
CONNECTIONS: list[tuple[int, bool, bool]] = [
    (0, False, True),
    (1, False, True),
    (2, False, True),
    (3, True, True),
    (4, False, True),
    (5, False, False),
    (6, False, True),
]


def giftboard_load(demo: DemoTimebank) -> tuple[int, int]:
    """Offers, needs and goods on the gift board, posted through its services, and the connections
    made from match suggestions. Found again by poster and title, so loading again adds nothing."""
    members = {m.key: m.member for m in demo.members}
    posts: list[GiftPost] = []
    for plan in _gift_plan(demo):
        member = members[plan.key]
        actor = member.user or demo.broker  # the broker posts for a proxy member
        existing = GiftPost.objects.filter(
            timebank=demo.timebank, member=member, title=plan.title
        ).first()
        if existing is None:
            category = demo.categories[plan.category]
            existing = giftboard.post_save(
                actor=actor,
                member=member,
                organisation=demo.organisations[plan.organisation] if plan.organisation else None,
                data={
                    "kind": plan.kind,
                    "title": plan.title,
                    "description": plan.description,
                    "category": category,
                    "gift_type": "" if category.is_goods else GIFT_TYPES[plan.category],
                    "availability": "Most weekday mornings" if plan.kind == PostKind.OFFER else "",
                    "home_visit": plan.home_visit,
                },
            )
        posts.append(existing)

    # Neighbours with a need ask about the best suggested offer, and most of them meet.
    needs = [
        post
        for post in posts
        if post.kind == PostKind.NEED
        and not post.is_goods
        and post.organisation_id is None
        and post.member is not None
        and post.member.user is not None
    ]
    made = 0
    for index, via_hub, connected in CONNECTIONS:
        if index >= len(needs):
            break
        need = needs[index]
        asker = need.member
        if asker is None or asker.user is None:
            continue
        offer = next(
            (
                s.post
                for s in matching.match_suggestions(need)
                if s.post.member is not None and s.post.member.user is not None
            ),
            None,
        )
        if offer is None:
            continue
        connection = Connection.objects.filter(post=offer, asked_by=asker.user).first()
        if connection is None:
            connection = giftboard.connection_request(
                actor=asker.user,
                member=asker,
                post=offer,
                message=f"Hello! I posted '{need.title}'. Could you help? I'm in most days.",
                via_hub=via_hub,
                their_post=need,
            )
            if not via_hub:
                connection = giftboard.connection_answer(
                    actor=offer.posted_by, connection=connection, accept=True
                )
            if connected:
                connection = giftboard.connection_mark_connected(
                    actor=asker.user, connection=connection
                )
        made += connection.status == ConnectionStatus.CONNECTED
    return len(posts), made


def timebank_load(result: DemoResult, today: datetime.date | None = None) -> DemoTimebank:
    """The demo timebank and its year. Safe to run again: it adds only what is missing."""
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    organisations = {
        organisation.slug: organisation
        for organisation in Organisation.objects.filter(
            slug__in=[RUNNING_ORGANISATION, SCHOOL, HUB]
        )
    }
    broker = User.objects.get(email=f"broker@{DEMO_EMAIL_DOMAIN}")
    with transaction.atomic():
        timebank = _timebank_ensure(organisations[RUNNING_ORGANISATION])
        demo = DemoTimebank(
            timebank=timebank,
            broker=broker,
            organisations=organisations,
            categories=_categories_ensure(),
        )
        with _emails_held():
            members_load(rng, demo, today)
            exchanges_load(demo, today, rng)
            giftboard_load(demo)
    counts = Transaction.objects.filter(timebank=timebank)
    result.counts["timebank members"] = Member.objects.filter(timebank=timebank).count()
    result.counts["timebank exchanges (confirmed)"] = counts.filter(
        state=TransactionState.COMMITTED
    ).count()
    result.counts["gift board posts"] = GiftPost.objects.filter(timebank=timebank).count()
    result.counts["gift board connections made"] = Connection.objects.filter(
        post__timebank=timebank, status=ConnectionStatus.CONNECTED
    ).count()
    return demo
