"""Set up funds and rounds: money, dates, wards, outcomes, the rubric and the canvas questions."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction

from commonweal.accounts.models import Organisation
from commonweal.core.audit import audit_record
from commonweal.geo.models import Area
from commonweal.grants.constants import (
    CriterionKind,
    FieldKind,
    FundKind,
    GrantsAuditKind,
    MatchRule,
)
from commonweal.grants.exceptions import GrantRefused
from commonweal.grants.models import CanvasField, Criterion, Fund, Round, Score
from commonweal.outcomes.models import Outcome

# The three criteria Dudley's panels scored against, beside the outcomes.
DEFAULT_CRITERIA: list[tuple[str, dict[str, str]]] = [
    (
        "Innovation",
        {
            "1": "Repeats what already happens nearby.",
            "3": "A fresh take on something known.",
            "5": "A new idea for this place, clearly thought through.",
        },
    ),
    (
        "Community involvement",
        {
            "1": "Done for people, not with them.",
            "3": "Some residents helped shape it.",
            "5": "Led by residents, with many neighbours taking part.",
        },
    ),
    (
        "Sustainability",
        {
            "1": "Stops when the money runs out.",
            "3": "Some plans to carry on.",
            "5": "Clear plans, partners and volunteers to keep it going.",
        },
    ),
]

OUTCOME_DESCRIPTORS = {
    "0": "Does not contribute to this outcome.",
    "1": "Contributes a little.",
    "2": "Contributes clearly.",
    "3": "Contributes strongly: it is at the heart of the idea.",
}

# (key, label, hint, kind, required, max length)
DEFAULT_FIELDS: list[tuple[str, str, str, str, bool, int]] = [
    (
        "idea",
        "What is your idea?",
        "In a few sentences, as you would tell a neighbour.",
        FieldKind.LONG_TEXT,
        True,
        1500,
    ),
    (
        "who",
        "Who will it help?",
        "The people or the street, estate or village.",
        FieldKind.LONG_TEXT,
        True,
        1000,
    ),
    (
        "difference",
        "What difference will it make?",
        "What will be better in a year?",
        FieldKind.LONG_TEXT,
        True,
        1000,
    ),
    (
        "together",
        "Who are you working with?",
        "Other groups, neighbours, a school, a business.",
        FieldKind.LONG_TEXT,
        False,
        1000,
    ),
    (
        "money",
        "What will you spend the money on?",
        "A short list is fine.",
        FieldKind.LONG_TEXT,
        True,
        1000,
    ),
]


def _round_snapshot(round_: Round) -> dict[str, Any]:
    return {
        "name": round_.name,
        "opens_at": round_.opens_at.isoformat(),
        "closes_at": round_.closes_at.isoformat(),
        "budget": str(round_.budget),
        "max_award": str(round_.max_award),
        "match_rule": round_.match_rule,
        "hourly_rate": str(round_.hourly_rate),
    }


@transaction.atomic
def fund_create(
    *,
    actor: Any,
    name: str,
    slug: str,
    kind: str | FundKind,
    funder: Organisation,
    publisher_prefix: str,
    description: str = "",
) -> Fund:
    fund = Fund(
        name=name.strip(),
        slug=slug,
        kind=str(kind),
        funder=funder,
        publisher_prefix=publisher_prefix.strip(),
        description=description,
    )
    fund.full_clean()
    fund.save()
    audit_record(
        kind=GrantsAuditKind.FUND_SAVED,
        actor=actor,
        target=fund,
        after={"name": fund.name, "kind": fund.kind},
    )
    return fund


def _check_round_money(budget: Decimal, max_award: Decimal) -> None:
    if max_award > budget:
        raise GrantRefused("The largest award cannot be more than the round's whole budget.")


@transaction.atomic
def round_create(
    *,
    actor: Any,
    fund: Fund,
    name: str,
    slug: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    budget: Decimal,
    max_award: Decimal,
    wards: Iterable[Area] = (),
    outcomes: Iterable[Outcome] = (),
    match_rule: str | MatchRule = MatchRule.NONE,
    hourly_rate: Decimal = Decimal("0"),
    description: str = "",
    disagreement_threshold: int = 2,
    default_rubric: bool = True,
    default_fields: bool = True,
) -> Round:
    """Open a round. With the defaults it gets a rubric (each outcome 0-3, the three criteria 1-5)."""
    if closes_at <= opens_at:
        raise GrantRefused("The round must close after it opens.")
    _check_round_money(budget, max_award)
    if str(match_rule) == MatchRule.VOLUNTEER_HOURS and hourly_rate <= 0:
        raise GrantRefused("Give the hourly rate volunteer hours are valued at.")
    round_ = Round(
        fund=fund,
        name=name.strip(),
        slug=slug,
        description=description,
        opens_at=opens_at,
        closes_at=closes_at,
        budget=budget,
        max_award=max_award,
        match_rule=str(match_rule),
        hourly_rate=hourly_rate,
        disagreement_threshold=disagreement_threshold,
    )
    round_.full_clean()
    round_.save()
    round_.wards.set(list(wards))
    outcome_list = list(outcomes)
    round_.outcomes.set(outcome_list)
    if default_rubric:
        position = 0
        for outcome in outcome_list:
            Criterion.objects.create(
                round=round_,
                kind=CriterionKind.OUTCOME,
                outcome=outcome,
                name=outcome.name,
                weight=Decimal("1"),
                scale_max=3,
                descriptors=OUTCOME_DESCRIPTORS,
                position=position,
            )
            position += 1
        for criterion_name, descriptors in DEFAULT_CRITERIA:
            Criterion.objects.create(
                round=round_,
                kind=CriterionKind.CRITERION,
                name=criterion_name,
                weight=Decimal("2"),
                scale_max=5,
                descriptors=descriptors,
                position=position,
            )
            position += 1
    if default_fields:
        for position, (key, label, hint, kind, required, max_length) in enumerate(DEFAULT_FIELDS):
            CanvasField.objects.create(
                round=round_,
                key=key,
                label=label,
                hint=hint,
                kind=kind,
                required=required,
                max_length=max_length,
                position=position,
            )
    audit_record(
        kind=GrantsAuditKind.ROUND_SAVED, actor=actor, target=round_, after=_round_snapshot(round_)
    )
    return round_


@transaction.atomic
def round_update(
    *,
    actor: Any,
    round_: Round,
    name: str,
    description: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    budget: Decimal,
    max_award: Decimal,
    wards: Iterable[Area],
    outcomes: Iterable[Outcome],
    match_rule: str,
    hourly_rate: Decimal,
    disagreement_threshold: int,
) -> Round:
    if closes_at <= opens_at:
        raise GrantRefused("The round must close after it opens.")
    _check_round_money(budget, max_award)
    if match_rule == MatchRule.VOLUNTEER_HOURS and hourly_rate <= 0:
        raise GrantRefused("Give the hourly rate volunteer hours are valued at.")
    from commonweal.grants.selectors import round_money_committed

    if budget < round_money_committed(round_=round_):
        raise GrantRefused("The budget cannot be less than the money already decided or awarded.")
    before = _round_snapshot(round_)
    round_.name = name.strip()
    round_.description = description
    round_.opens_at = opens_at
    round_.closes_at = closes_at
    round_.budget = budget
    round_.max_award = max_award
    round_.match_rule = match_rule
    round_.hourly_rate = hourly_rate
    round_.disagreement_threshold = disagreement_threshold
    round_.full_clean()
    round_.save()
    round_.wards.set(list(wards))
    round_.outcomes.set(list(outcomes))
    audit_record(
        kind=GrantsAuditKind.ROUND_SAVED,
        actor=actor,
        target=round_,
        before=before,
        after=_round_snapshot(round_),
    )
    return round_


def _rubric_locked(round_: Round) -> None:
    if Score.objects.filter(criterion__round=round_).exists():
        raise GrantRefused(
            "Scoring has started, so the rubric is fixed: weights and descriptors were published."
        )


@transaction.atomic
def criterion_save(
    *,
    actor: Any,
    round_: Round,
    name: str,
    kind: str,
    weight: Decimal,
    scale_max: int,
    descriptors: dict[str, str],
    outcome: Outcome | None = None,
    criterion: Criterion | None = None,
) -> Criterion:
    _rubric_locked(round_)
    if criterion is None:
        criterion = Criterion(round=round_, position=round_.criteria.count())
    bad = [key for key in descriptors if not key.isdigit() or not 0 <= int(key) <= scale_max]
    if bad:
        raise GrantRefused(f"Descriptors must be for scores from 0 to {scale_max}.")
    criterion.name = name.strip()
    criterion.kind = kind
    criterion.weight = weight
    criterion.scale_max = scale_max
    criterion.descriptors = {
        key: value.strip() for key, value in descriptors.items() if value.strip()
    }
    criterion.outcome = outcome
    criterion.full_clean()
    criterion.save()
    audit_record(
        kind=GrantsAuditKind.CRITERION_SAVED,
        actor=actor,
        target=criterion,
        after={"name": criterion.name, "weight": str(weight), "scale_max": scale_max},
    )
    return criterion


@transaction.atomic
def criterion_delete(*, actor: Any, criterion: Criterion) -> None:
    _rubric_locked(criterion.round)
    audit_record(
        kind=GrantsAuditKind.CRITERION_SAVED,
        actor=actor,
        target=criterion,
        before={"name": criterion.name},
        after={"deleted": True},
    )
    criterion.delete()


@transaction.atomic
def canvas_field_save(
    *,
    actor: Any,
    round_: Round,
    key: str,
    label: str,
    hint: str = "",
    kind: str = FieldKind.LONG_TEXT,
    required: bool = True,
    max_length: int = 1000,
    field: CanvasField | None = None,
) -> CanvasField:
    if field is None:
        if round_.canvas_fields.filter(key=key).exists():
            raise GrantRefused(f"The round already has a question with the key '{key}'.")
        field = CanvasField(round=round_, key=key, position=round_.canvas_fields.count())
    field.label = label.strip()
    field.hint = hint.strip()
    field.kind = kind
    field.required = required
    field.max_length = max_length
    field.full_clean()
    field.save()
    audit_record(
        kind=GrantsAuditKind.FIELD_SAVED,
        actor=actor,
        target=field,
        after={"key": field.key, "label": field.label, "required": required},
    )
    return field


@transaction.atomic
def canvas_field_delete(*, actor: Any, field: CanvasField) -> None:
    if field.round.canvases.exclude(status="draft").exists():
        raise GrantRefused("Ideas have been sent in with this question, so it cannot be removed.")
    audit_record(
        kind=GrantsAuditKind.FIELD_SAVED,
        actor=actor,
        target=field,
        before={"key": field.key},
        after={"deleted": True},
    )
    field.delete()
