"""Helpers that build funds, rounds, canvases and panels through the grants services.

``open_round()`` makes an innovation fund round open now with the default rubric (the outcomes given,
0-3, and the three criteria, 1-5) and questions; ``small_sparks_round()`` a round matched by volunteer
hours. ``ready_canvas(round_)`` fills in and sends an idea in; ``panel_with(round_, n)`` seats n
declared members.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from commonweal.accounts.constants import OrganisationKind, Role
from commonweal.accounts.models import Organisation, User
from commonweal.accounts.tests.factories import OrganisationFactory, UserFactory
from commonweal.geo.tests.factories import AreaFactory
from commonweal.grants.constants import FundKind, MatchRule, PanelMemberKind
from commonweal.grants.models import Canvas, Fund, Panel, PanelMember, Round
from commonweal.grants.services.canvas import canvas_save, canvas_start, canvas_submit
from commonweal.grants.services.funds import fund_create, round_create
from commonweal.grants.services.panels import declaration_make, panel_create, panel_member_add
from commonweal.outcomes.models import Outcome
from commonweal.outcomes.services import outcome_framework_ensure_default


def council() -> Organisation:
    return OrganisationFactory(
        name="Demo Council", slug="demo-council", kind=OrganisationKind.COUNCIL, org_id="GB-LAE-THR"
    )


def officer(organisation: Organisation | None = None) -> User:
    return UserFactory(roles=[Role.ANALYST], roles__organisation=organisation or council())


def fund(kind: str = FundKind.INNOVATION, slug: str = "innovation") -> Fund:
    return fund_create(
        actor=None,
        name=f"Fund {slug}",
        slug=slug,
        kind=kind,
        funder=council(),
        publisher_prefix="360G-democouncil",
    )


def outcomes() -> list[Outcome]:
    framework = outcome_framework_ensure_default()
    return list(framework.outcomes.all()[:2])


def open_round(
    fund_: Fund | None = None,
    *,
    slug: str = "round-1",
    budget: str = "10000",
    max_award: str = "2500",
    wards: Any = (),
    **extra: Any,
) -> Round:
    now = timezone.now()
    return round_create(
        actor=None,
        fund=fund_ or fund(),
        name=f"Round {slug}",
        slug=slug,
        opens_at=now - datetime.timedelta(days=10),
        closes_at=now + datetime.timedelta(days=10),
        budget=Decimal(budget),
        max_award=Decimal(max_award),
        outcomes=outcomes(),
        wards=wards,
        **extra,
    )


def small_sparks_round() -> Round:
    return open_round(
        fund(FundKind.SMALL_SPARKS, "small-sparks"),
        slug="sparks-1",
        budget="2000",
        max_award="250",
        match_rule=MatchRule.VOLUNTEER_HOURS,
        hourly_rate=Decimal("12.50"),
    )


def answers_for(round_: Round, text: str = "A friendly answer") -> dict[str, str]:
    return {field.key: text for field in round_.canvas_fields.all()}


def ready_canvas(
    round_: Round,
    *,
    user: User | None = None,
    amount: str = "1000",
    title: str = "Repair café",
    submit: bool = True,
    organisation: Organisation | None = None,
    text: str = "A friendly answer",
    hours: str = "0",
) -> Canvas:
    user = user or UserFactory()
    organisation = organisation or OrganisationFactory()
    ward = AreaFactory()
    canvas = canvas_start(actor=user, round_=round_, title=title, organisation=organisation)
    canvas = canvas_save(
        actor=user,
        canvas=canvas,
        title=title,
        summary=f"{title} for neighbours",
        answers=answers_for(round_, text),
        amount_requested=Decimal(amount),
        pledged_hours=Decimal(hours),
        ward=ward,
    )
    if submit:
        canvas = canvas_submit(actor=user, canvas=canvas)
    return canvas


def panel_with(
    round_: Round, count: int, *, declare: bool = True
) -> tuple[Panel, list[PanelMember]]:
    panel = panel_create(actor=None, round_=round_, name="Community panel")
    kinds = list(PanelMemberKind)
    members = []
    for index in range(count):
        user = UserFactory(roles=[Role.PANEL_MEMBER])
        member = panel_member_add(
            actor=None, panel=panel, user=user, kind=kinds[index % len(kinds)]
        )
        if declare:
            member = declaration_make(actor=user, member=member, conflicts={}, confirmed=True)
        members.append(member)
    return panel, members
