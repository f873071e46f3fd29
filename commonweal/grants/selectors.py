"""Reads for the grants pages: rounds, canvases, panel results and the money in a round."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from commonweal.accounts.models import Membership
from commonweal.grants.constants import CanvasStatus, DecisionOutcome
from commonweal.grants.models import (
    Canvas,
    Conflict,
    Criterion,
    Decision,
    Fund,
    Panel,
    PanelMember,
    Round,
    Score,
)


def fund_list() -> QuerySet[Fund]:
    return Fund.objects.select_related("funder").prefetch_related("rounds")


def round_list_open() -> QuerySet[Round]:
    return Round.objects.open_now().select_related("fund").order_by("closes_at")


def round_get(*, public_id: Any) -> Round | None:
    return Round.objects.select_related("fund").filter(public_id=public_id).first()


def round_money_committed(*, round_: Round) -> Decimal:
    """Money decided for funded ideas in the round (awards come from these decisions)."""
    total = Decision.objects.filter(canvas__round=round_, outcome=DecisionOutcome.FUNDED).aggregate(
        total=Sum("amount")
    )["total"]
    return total or Decimal("0")


def canvas_list_for_user(*, user: Any) -> QuerySet[Canvas]:
    organisation_ids = Membership.objects.active().filter(user=user).values("organisation_id")
    return (
        Canvas.objects.filter(Q(created_by=user) | Q(organisation_id__in=organisation_ids))
        .select_related("round__fund", "organisation")
        .distinct()
    )


def canvas_get(*, public_id: Any) -> Canvas | None:
    return (
        Canvas.objects.select_related(
            "round__fund", "organisation", "created_by", "ward", "sponsor"
        )
        .filter(public_id=public_id)
        .first()
    )


def panel_member_for(*, panel: Panel, user: Any) -> PanelMember | None:
    if not user.is_authenticated:
        return None
    return PanelMember.objects.select_related("panel__round").filter(panel=panel, user=user).first()


def panel_seats_for(*, user: Any) -> QuerySet[PanelMember]:
    return PanelMember.objects.active().filter(user=user).select_related("panel__round__fund")


@dataclass
class CriterionResult:
    criterion: Criterion
    mean: float | None
    spread: int | None
    flagged: bool


@dataclass
class CanvasResult:
    canvas: Canvas
    scorers: int
    weighted: float | None
    zscore: float | None
    criteria: list[CriterionResult] = field(default_factory=list)
    conflicted_members: list[PanelMember] = field(default_factory=list)
    rank: int = 0
    cumulative: Decimal = Decimal("0")
    within_budget: bool = False

    @property
    def flags(self) -> list[str]:
        return [item.criterion.name for item in self.criteria if item.flagged]


def _weighted(values: dict[int, float], criteria: list[Criterion]) -> float | None:
    """Weighted mean of scores normalised to 0-1, out of 100; criteria without scores are left out."""
    total = 0.0
    weights = 0.0
    for criterion in criteria:
        value = values.get(criterion.pk)
        if value is None:
            continue
        weight = float(criterion.weight)
        total += weight * value / criterion.scale_max
        weights += weight
    if weights == 0:
        return None
    return round(100 * total / weights, 1)


def panel_results(*, panel: Panel) -> list[CanvasResult]:
    """Every submitted canvas of the panel's round with its weighted, normalised result.

    N/A scores are missing, not zero; removed members' scores do not count. The z-score is advisory:
    each scorer's own weighted totals standardised across the canvases they scored, then averaged.
    Ranked by weighted result (best first).
    """
    round_ = panel.round
    criteria = list(Criterion.objects.filter(round=round_))
    members = list(PanelMember.objects.filter(panel=panel).select_related("user"))
    active_ids = {member.pk for member in members if member.removed_at is None}
    members_by_id = {member.pk: member for member in members}
    canvases = list(
        Canvas.objects.filter(round=round_)
        .exclude(status__in=[CanvasStatus.DRAFT, CanvasStatus.MERGED])
        .select_related("organisation", "ward", "decision")
        .order_by("pk")
    )
    rows = Score.objects.filter(
        canvas__round=round_, member_id__in=active_ids, value__isnull=False
    ).values_list("canvas_id", "member_id", "criterion_id", "value")
    # canvas -> criterion -> [values]; member -> canvas -> criterion -> value
    by_canvas: dict[int, dict[int, list[int]]] = {}
    by_member: dict[int, dict[int, dict[int, float]]] = {}
    for canvas_id, member_id, criterion_id, value in rows:
        by_canvas.setdefault(canvas_id, {}).setdefault(criterion_id, []).append(value)
        by_member.setdefault(member_id, {}).setdefault(canvas_id, {})[criterion_id] = value
    conflicts: dict[int, list[PanelMember]] = {}
    for member_id, canvas_id in Conflict.objects.filter(member__panel=panel).values_list(
        "member_id", "canvas_id"
    ):
        conflicts.setdefault(canvas_id, []).append(members_by_id[member_id])
    # Per-scorer z-scores of their own weighted totals.
    z_by_canvas: dict[int, list[float]] = {}
    for _member_id, scored in by_member.items():
        totals = {cid: _weighted(values, criteria) for cid, values in scored.items()}
        present = {cid: total for cid, total in totals.items() if total is not None}
        if len(present) < 2:
            continue
        mean = statistics.fmean(present.values())
        sd = statistics.pstdev(present.values())
        for cid, total in present.items():
            z_by_canvas.setdefault(cid, []).append(0.0 if sd == 0 else (total - mean) / sd)
    threshold = round_.disagreement_threshold
    results = []
    for canvas in canvases:
        per_criterion = by_canvas.get(canvas.pk, {})
        items = []
        means: dict[int, float] = {}
        scorers = set()
        for criterion in criteria:
            values = per_criterion.get(criterion.pk, [])
            if values:
                means[criterion.pk] = statistics.fmean(values)
                spread = max(values) - min(values)
            else:
                spread = None
            items.append(
                CriterionResult(
                    criterion=criterion,
                    mean=round(means[criterion.pk], 2) if criterion.pk in means else None,
                    spread=spread,
                    flagged=spread is not None and spread >= threshold,
                )
            )
        for member_id, scored in by_member.items():
            if canvas.pk in scored:
                scorers.add(member_id)
        zs = z_by_canvas.get(canvas.pk)
        results.append(
            CanvasResult(
                canvas=canvas,
                scorers=len(scorers),
                weighted=_weighted(means, criteria),
                zscore=round(statistics.fmean(zs), 2) if zs else None,
                criteria=items,
                conflicted_members=conflicts.get(canvas.pk, []),
            )
        )
    results.sort(
        key=lambda r: (-(r.weighted if r.weighted is not None else -math.inf), r.canvas.pk)
    )
    running = Decimal("0")
    for rank, result in enumerate(results, start=1):
        result.rank = rank
        running += result.canvas.amount_requested or Decimal("0")
        result.cumulative = running
        result.within_budget = running <= round_.budget
    return results


def panel_progress(*, panel: Panel) -> list[dict[str, Any]]:
    """How far each member has got: declared, ideas scored, conflicts."""
    return list(
        PanelMember.objects.filter(panel=panel)
        .select_related("user")
        .annotate(
            scored=Count("scores__canvas", distinct=True),
            conflict_count=Count("conflicts", distinct=True),
        )
        .values(
            "public_id",
            "user__full_name",
            "user__email",
            "kind",
            "declared_at",
            "removed_at",
            "scored",
            "conflict_count",
        )
    )
