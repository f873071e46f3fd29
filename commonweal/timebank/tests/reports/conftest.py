"""A small hand-made ledger for the funders' report, January to June 2025.

Wards: Grays (6 members, locality "Grays"), Tilbury (5) and Aveley (3, two of them new in February;
both in locality "Tilbury and Aveley"). What counts:

- January: seven one-to-one exchanges (390 minutes): a1 helps a2 (gardening, 60), a3 helps a4
  (gardening, 90), a5 helps a6 (shopping, 30), b1 helps a1 (shopping, 120), b3 helps b2 (gardening, 45),
  b5 helps b4 (shopping, 15), b1 helps b2 (shopping, 30).
- February: a coffee morning (befriending) where a1-a6 and b1-b5 each earn an hour (660 minutes).
- March: a3 helps Riverside School (gardening, 120).

What does not count: a2 helping b2 in March, reversed in April; a pending exchange; an exchange in
December 2024; a donation to the community pot (reported on its own line).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest

from commonweal.accounts.constants import Role
from commonweal.accounts.tests.factories import OrganisationFactory, UserFactory
from commonweal.geo.tests.factories import AreaFactory
from commonweal.timebank.constants import (
    AccountKind,
    MemberStatus,
    TransactionKind,
    TransactionState,
)
from commonweal.timebank.models import Account, Category, Timebank
from commonweal.timebank.tests.factories import (
    AccountFactory,
    CategoryFactory,
    LocalityFactory,
    MemberFactory,
    TimebankFactory,
    committed_transaction_for_tests,
    exchange_for_tests,
    organisation_account,
    reversal_for_tests,
    special_account,
)

START = datetime.date(2025, 1, 1)
END = datetime.date(2025, 6, 30)
PERIOD = {"start": START.isoformat(), "end": END.isoformat()}


@dataclass
class Ledger:
    timebank: Timebank
    accounts: dict[str, Account] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    broker: object = None


def day(month: int, day_of_month: int = 10, year: int = 2025) -> datetime.date:
    return datetime.date(year, month, day_of_month)


@pytest.fixture
def ledger(db, settings) -> Ledger:
    settings.COMMONWEAL_REQUIRE_STAFF_2FA = False
    runner = OrganisationFactory(name="Thurrock Timebank CIC", slug="thurrock-timebank-cic")
    timebank = TimebankFactory(name="Thurrock Timebank", slug="thurrock", organisation=runner)
    grays = AreaFactory(code="E05002235", name="Grays Riverside")
    tilbury = AreaFactory(code="E05002246", name="Tilbury Riverside and Thurrock Park")
    aveley = AreaFactory(code="E05002229", name="Aveley and Uplands")
    grays_group = LocalityFactory(timebank=timebank, name="Grays")
    grays_group.wards.add(grays)
    south = LocalityFactory(timebank=timebank, name="Tilbury and Aveley")
    south.wards.add(tilbury, aveley)

    result = Ledger(timebank=timebank)
    result.broker = UserFactory(roles=[Role.BROKER], roles__organisation=runner)
    joined_long_ago = datetime.date(2024, 1, 15)
    for prefix, ward, locality, count in (
        ("a", grays, grays_group, 6),
        ("b", tilbury, south, 5),
        ("c", aveley, south, 3),
    ):
        for n in range(1, count + 1):
            joined = datetime.date(2025, 2, 3) if prefix == "c" and n < 3 else joined_long_ago
            member = MemberFactory(
                timebank=timebank,
                display_name=f"{prefix}{n}",
                ward=ward,
                locality=locality,
                joined_on=joined,
            )
            result.accounts[f"{prefix}{n}"] = AccountFactory(member=member)
    # Neither registered nor new: one still waiting for approval, one who left.
    MemberFactory(timebank=timebank, ward=grays, status=MemberStatus.APPLIED, joined_on=None)
    MemberFactory(
        timebank=timebank, ward=grays, status=MemberStatus.LEFT, joined_on=joined_long_ago
    )

    cats = {
        slug: CategoryFactory(name=slug.title(), slug=slug)
        for slug in ("gardening", "shopping", "befriending")
    }
    result.categories = cats
    acc = result.accounts
    gardening, shopping = cats["gardening"], cats["shopping"]
    for giver, receiver, minutes, category in (
        ("a1", "a2", 60, gardening),
        ("a3", "a4", 90, gardening),
        ("a5", "a6", 30, shopping),
        ("b1", "a1", 120, shopping),
        ("b3", "b2", 45, gardening),
        ("b5", "b4", 15, shopping),
        ("b1", "b2", 30, shopping),
    ):
        exchange_for_tests(
            acc[receiver], acc[giver], minutes, service_date=day(1), category=category
        )

    issuer = special_account(timebank, AccountKind.ISSUANCE)
    attendees = [acc[f"a{n}"] for n in range(1, 7)] + [acc[f"b{n}"] for n in range(1, 6)]
    committed_transaction_for_tests(
        timebank=timebank,
        kind=TransactionKind.GROUP,
        entries=[(issuer, -60 * len(attendees)), *[(account, 60) for account in attendees]],
        service_date=day(2),
        category=cats["befriending"],
        description="Coffee morning",
    )
    school = organisation_account(
        timebank, organisation=OrganisationFactory(name="Riverside School")
    )
    result.accounts["school"] = school
    exchange_for_tests(school, acc["a3"], 120, service_date=day(3), category=gardening)

    # Left out of the activity figures.
    mistake = exchange_for_tests(acc["b2"], acc["a2"], 60, service_date=day(3), category=gardening)
    reversal_for_tests(mistake, service_date=day(4))
    exchange_for_tests(
        acc["a3"], acc["a1"], 60, service_date=day(3), state=TransactionState.PENDING
    )
    exchange_for_tests(acc["a2"], acc["a1"], 60, service_date=day(12, 5, 2024), category=gardening)
    pot = special_account(timebank, AccountKind.COMMUNITY_POT)
    committed_transaction_for_tests(
        timebank=timebank,
        kind=TransactionKind.DONATION,
        entries=[(acc["a1"], -60), (pot, 60)],
        service_date=day(3),
    )
    return result
