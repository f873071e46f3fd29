"""Reports for programme managers: ideas and money by round, ward, fund and outcome; time to decision."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q

from commonweal.geo.models import AreaDeprivation
from commonweal.grants.constants import CanvasStatus, CriterionKind, DecisionOutcome
from commonweal.grants.models import Canvas, Criterion, Fund, MonitoringReport, Round, Score

SENT_IN = [CanvasStatus.SUBMITTED, CanvasStatus.FUNDED, CanvasStatus.NOT_FUNDED]


@dataclass
class Row:
    label: str
    code: str = ""
    sent_in: int = 0
    funded: int = 0
    not_funded: int = 0
    money: Decimal = Decimal("0")
    awarded: Decimal = Decimal("0")
    days_to_decision: list[float] = field(default_factory=list)

    @property
    def median_days(self) -> float | None:
        return round(statistics.median(self.days_to_decision), 1) if self.days_to_decision else None


def _ideas(fund: Fund | None) -> Any:
    canvases = Canvas.objects.filter(status__in=SENT_IN).select_related(
        "round__fund", "ward", "decision", "award"
    )
    return canvases.filter(round__fund=fund) if fund is not None else canvases


def _add(row: Row, canvas: Canvas) -> None:
    row.sent_in += 1
    award = getattr(canvas, "award", None)
    if award is not None:
        row.awarded += award.amount
    decision = getattr(canvas, "decision", None)
    if decision is None:
        return
    if decision.outcome == DecisionOutcome.FUNDED:
        row.funded += 1
        row.money += decision.amount
    else:
        row.not_funded += 1
    if canvas.submitted_at:
        row.days_to_decision.append(
            (decision.decided_at - canvas.submitted_at).total_seconds() / 86400
        )


def _round_outcomes(fund: Fund | None) -> dict[int, set[str]]:
    """The outcomes each round aims at, as {round: outcome names}: those chosen for the round and
    those on its rubric."""
    rounds = Round.objects.all() if fund is None else Round.objects.filter(fund=fund)
    found: dict[int, set[str]] = {}
    for round_id, name in rounds.filter(outcomes__isnull=False).values_list("pk", "outcomes__name"):
        found.setdefault(round_id, set()).add(name)
    for round_id, name in Criterion.objects.filter(
        round__in=rounds, kind=CriterionKind.OUTCOME, outcome__isnull=False
    ).values_list("round_id", "outcome__name"):
        found.setdefault(round_id, set()).add(name)
    return found


def grants_report(*, fund: Fund | None = None) -> dict[str, Any]:
    """Ideas sent in, decisions, money and days to decision by round, ward, fund and outcome.

    An idea counts under each outcome its round aims at, so the outcome rows add up to more than the
    total when a round aims at several."""
    by_round: dict[int, Row] = {}
    by_ward: dict[str, Row] = {}
    by_fund: dict[int, Row] = {}
    by_outcome: dict[str, Row] = {}
    round_outcomes = _round_outcomes(fund)
    total = Row(label="All")
    for canvas in _ideas(fund):
        round_ = canvas.round
        row = by_round.setdefault(round_.pk, Row(label=f"{round_.fund.name}: {round_.name}"))
        _add(row, canvas)
        fund_row = by_fund.setdefault(
            round_.fund_id, Row(label=round_.fund.name, code=round_.fund.slug)
        )
        _add(fund_row, canvas)
        for name in round_outcomes.get(round_.pk, ()):
            _add(by_outcome.setdefault(name, Row(label=name)), canvas)
        ward = canvas.ward
        ward_row = by_ward.setdefault(
            ward.code if ward else "",
            Row(label=ward.name if ward else "Ward not known", code=ward.code if ward else ""),
        )
        _add(ward_row, canvas)
        _add(total, canvas)
    scores = Score.objects.filter(criterion__kind=CriterionKind.OUTCOME, value__isnull=False)
    reports = MonitoringReport.objects.filter(received_at__isnull=False)
    if fund is not None:
        scores = scores.filter(canvas__round__fund=fund)
        reports = reports.filter(award__canvas__round__fund=fund)
    outcome_scores = {
        row["criterion__outcome__name"]: row
        for row in scores.values("criterion__outcome__name")
        .annotate(
            mean=Avg("value"),
            funded_mean=Avg("value", filter=Q(canvas__status=CanvasStatus.FUNDED)),
        )
        .order_by("criterion__outcome__name")
    }
    achieved = dict(
        reports.values("outcomes_achieved__name")
        .annotate(n=Count("pk"))
        .filter(outcomes_achieved__name__isnull=False)
        .values_list("outcomes_achieved__name", "n")
    )
    outcomes = [
        {
            "name": name,
            "mean": round(float(row["mean"]), 2) if row["mean"] is not None else None,
            "funded_mean": round(float(row["funded_mean"]), 2)
            if row["funded_mean"] is not None
            else None,
            "achieved": achieved.get(name, 0),
        }
        for name, row in outcome_scores.items()
        if name
    ]
    for name, count in achieved.items():
        if name not in outcome_scores:
            outcomes.append({"name": name, "mean": None, "funded_mean": None, "achieved": count})
    for name in by_outcome:
        if name not in outcome_scores and name not in achieved:
            outcomes.append({"name": name, "mean": None, "funded_mean": None, "achieved": 0})
    for outcome in outcomes:
        money = by_outcome.get(outcome["name"]) or Row(label=outcome["name"])
        outcome.update(
            sent_in=money.sent_in,
            funded=money.funded,
            not_funded=money.not_funded,
            money=money.money,
            awarded=money.awarded,
        )
    outcomes.sort(key=lambda outcome: outcome["name"])
    funds = sorted(by_fund.values(), key=lambda r: r.label)
    return {
        "follow_up": _follow_up(fund),
        "rounds": list(by_round.values()),
        "wards": sorted(by_ward.values(), key=lambda r: (-r.sent_in, r.label)),
        "funds": funds,
        "fund_chart": bar_chart(
            [(row.label, row.awarded) for row in funds], title="Money awarded by fund"
        ),
        "outcomes": outcomes,
        "outcome_chart": bar_chart(
            [(outcome["name"], outcome["awarded"]) for outcome in outcomes],
            title="Money awarded by outcome",
        ),
        "total": total,
    }


@dataclass
class Bar:
    label: str
    value: Decimal
    y: int
    width: float


def bar_chart(values: list[tuple[str, Decimal]], *, title: str) -> dict[str, Any]:
    """A horizontal bar chart of pounds, drawn as SVG by ``grants/includes/_bar_chart.html``, with a
    description that gives every figure in words (the same figures are in the table beside it)."""
    top = max((value for _, value in values), default=Decimal("0"))
    room = CHART_WIDTH - CHART_WIDE_LABELS - 90
    bars = [
        Bar(
            label=label,
            value=value,
            y=index * (CHART_BAR + CHART_GAP),
            width=round(float(value / top) * room, 1) if top else 0,
        )
        for index, (label, value) in enumerate(values)
    ]
    return {
        "title": title,
        "bars": bars,
        "width": CHART_WIDTH,
        "height": max(len(bars), 1) * (CHART_BAR + CHART_GAP),
        "labels": CHART_WIDE_LABELS,
        "bar": CHART_BAR,
        "description": "; ".join(f"{bar.label}: £{bar.value:,.2f}" for bar in bars),
    }


def _follow_up(fund: Fund | None) -> list[dict[str, Any]]:
    """Funded and not funded ideas: how many have a sponsor and how many heard from them after the decision."""
    from django.db.models import F

    from commonweal.grants.models import SponsorContact

    rows = []
    for outcome, label in DecisionOutcome.choices:
        canvases = Canvas.objects.filter(decision__outcome=outcome)
        if fund is not None:
            canvases = canvases.filter(round__fund=fund)
        followed = (
            SponsorContact.objects.filter(
                canvas__in=canvases, happened_on__gte=F("canvas__decision__decided_at__date")
            )
            .values("canvas_id")
            .distinct()
            .count()
        )
        rows.append(
            {
                "label": label,
                "ideas": canvases.count(),
                "with_sponsor": canvases.filter(sponsor__isnull=False).count(),
                "followed_up": followed,
            }
        )
    return rows


@dataclass
class DeprivationBar:
    row: Row
    y: int
    width: float


CHART_WIDTH = 640
CHART_LABELS = 150
CHART_WIDE_LABELS = 230
CHART_BAR = 22
CHART_GAP = 8


def deprivation_report(*, fund: Fund | None = None) -> dict[str, Any]:
    """Ideas, awards and money by the deprivation decile of each idea's LSOA (1 the most deprived).

    ``imported`` is False when no index has been imported: the page then says how to add one.
    """
    first = AreaDeprivation.objects.only("index_name").first()
    if first is None:
        return {"imported": False, "rows": [], "bars": [], "unknown": Row(label="")}
    rows = [Row(label=f"Decile {decile}", code=str(decile)) for decile in range(1, 11)]
    rows[0].label += " (most deprived)"
    rows[-1].label += " (least deprived)"
    unknown = Row(label="LSOA not known or not in the index")
    for canvas in _ideas(fund).select_related("lsoa__deprivation"):
        deprivation = getattr(canvas.lsoa, "deprivation", None) if canvas.lsoa else None
        _add(rows[deprivation.decile - 1] if deprivation else unknown, canvas)
    top = max((row.money for row in rows), default=Decimal("0"))
    room = CHART_WIDTH - CHART_LABELS - 90
    bars = [
        DeprivationBar(
            row=row,
            y=index * (CHART_BAR + CHART_GAP),
            width=round(float(row.money / top) * room, 1) if top else 0,
        )
        for index, row in enumerate(rows)
    ]
    return {
        "imported": True,
        "index_name": first.index_name,
        "rows": rows,
        "unknown": unknown,
        "bars": bars,
        "chart": {
            "width": CHART_WIDTH,
            "height": len(rows) * (CHART_BAR + CHART_GAP),
            "labels": CHART_LABELS,
            "bar": CHART_BAR,
        },
        "description": "; ".join(f"{row.label}: £{row.money:,.2f}" for row in rows),
    }
