"""Reads for the grants pages: rounds, canvases, panel results and the money in a round."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum

from commonweal.accounts.models import Membership
from commonweal.grants.constants import CanvasStatus, DecisionOutcome
from commonweal.grants.models import (
    Canvas,
    Conflict,
    Criterion,
    Decision,
    Fund,
    MonitoringReport,
    Panel,
    PanelMember,
    Round,
    Score,
)
from commonweal.stories.models import Story
from commonweal.stories.selectors import StoryFilters, story_public_list


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


def panel_results(*, panel: Panel, with_zscores: bool = True) -> list[CanvasResult]:
    """Every submitted canvas of the panel's round with its weighted, normalised result.

    N/A scores are missing, not zero; removed members' scores do not count. The z-score is advisory:
    each scorer's own weighted totals standardised across the canvases they scored, then averaged.
    Ranked by weighted result (best first). The sums are done by the database, grouped by idea and
    line of the rubric (and by scorer and idea for the z-scores), so the page stays fast for big rounds.
    """
    round_ = panel.round
    criteria = list(Criterion.objects.filter(round=round_))
    members = list(PanelMember.objects.filter(panel=panel).select_related("user"))
    active_ids = [member.pk for member in members if member.removed_at is None]
    members_by_id = {member.pk: member for member in members}
    canvases = list(
        Canvas.objects.filter(round=round_)
        .exclude(status__in=[CanvasStatus.DRAFT, CanvasStatus.MERGED])
        .select_related("organisation", "ward")
        .only(
            "pk",
            "public_id",
            "title",
            "status",
            "amount_requested",
            "group_name",
            "round_id",
            "organisation__name",
            "ward__name",
        )
        .order_by("pk")
    )
    criterion_ids = [criterion.pk for criterion in criteria]
    lines: dict[int, dict[int, tuple[float, int]]] = {}
    scorers: dict[int, int] = {}
    if criterion_ids and active_ids:
        for canvas_id, criterion_id, mean, spread, count in _line_rows(criterion_ids, active_ids):
            # Panellists score every line at once (N/A included), so the most scores on a line
            # is the number of panellists who scored the idea.
            scorers[canvas_id] = max(scorers.get(canvas_id, 0), int(count))
            if mean is not None:
                lines.setdefault(canvas_id, {})[criterion_id] = (float(mean), int(spread))
    conflicts: dict[int, list[PanelMember]] = {}
    for member_id, canvas_id in Conflict.objects.filter(member__panel=panel).values_list(
        "member_id", "canvas_id"
    ):
        conflicts.setdefault(canvas_id, []).append(members_by_id[member_id])
    z_by_canvas = _zscores(criteria, active_ids) if with_zscores and active_ids else {}
    threshold = round_.disagreement_threshold
    results = []
    for canvas in canvases:
        per_line = lines.get(canvas.pk, {})
        items = []
        means: dict[int, float] = {}
        for criterion in criteria:
            found = per_line.get(criterion.pk)
            if found is not None:
                means[criterion.pk] = found[0]
            items.append(
                CriterionResult(
                    criterion=criterion,
                    mean=round(found[0], 2) if found else None,
                    spread=found[1] if found else None,
                    flagged=found is not None and found[1] >= threshold,
                )
            )
        zs = z_by_canvas.get(canvas.pk)
        results.append(
            CanvasResult(
                canvas=canvas,
                scorers=scorers.get(canvas.pk, 0),
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


def _placeholders(values: list[int]) -> str:
    return ", ".join(["%s"] * len(values))


def _line_rows(criterion_ids: list[int], member_ids: list[int]) -> list[tuple[Any, ...]]:
    """(idea, line, mean, spread, scores given) for every idea and rubric line scored at all.

    N/A is NULL: left out of the mean and the spread, counted among the scores given. Plain SQL that
    both SQLite and PostgreSQL run: the ORM's per-row converters cost more than the query itself for
    the 18,000 scores of a big round.
    """
    table = Score._meta.db_table
    sql = (
        f"SELECT canvas_id, criterion_id, AVG(value * 1.0), MAX(value) - MIN(value), COUNT(*) "
        f"FROM {table} WHERE criterion_id IN ({_placeholders(criterion_ids)}) "
        f"AND member_id IN ({_placeholders(member_ids)}) GROUP BY canvas_id, criterion_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*criterion_ids, *member_ids])
        return list(cursor.fetchall())


def _zscores(criteria: list[Criterion], member_ids: list[int]) -> dict[int, list[float]]:
    """Each scorer's weighted totals (0-100) per idea, standardised over the ideas they scored."""
    factors = {
        criterion.pk: (float(criterion.weight), criterion.scale_max) for criterion in criteria
    }
    table = Score._meta.db_table
    ids = list(factors)
    sql = (
        f"SELECT member_id, canvas_id, criterion_id, value FROM {table} "
        f"WHERE criterion_id IN ({_placeholders(ids)}) AND member_id IN ({_placeholders(member_ids)}) "
        "AND value IS NOT NULL"
    )
    sums: dict[tuple[int, int], list[float]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, *member_ids])
        for member_id, canvas_id, criterion_id, value in cursor.fetchall():
            weight, scale = factors[criterion_id]
            pair = sums.get((member_id, canvas_id))
            if pair is None:
                sums[(member_id, canvas_id)] = [weight * value / scale, weight]
            else:
                pair[0] += weight * value / scale
                pair[1] += weight
    totals = [
        (member_id, canvas_id, part, weights)
        for (member_id, canvas_id), (part, weights) in sums.items()
    ]
    by_member: dict[int, dict[int, float]] = {}
    for member_id, canvas_id, part, weights in totals:
        if weights:
            by_member.setdefault(member_id, {})[canvas_id] = 100 * part / weights
    z_by_canvas: dict[int, list[float]] = {}
    for present in by_member.values():
        if len(present) < 2:
            continue
        mean = statistics.fmean(present.values())
        sd = statistics.pstdev(present.values())
        for canvas_id, total in present.items():
            z_by_canvas.setdefault(canvas_id, []).append(0.0 if sd == 0 else (total - mean) / sd)
    return z_by_canvas


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


def gallery_list(*, round_: Round | None = None) -> QuerySet[Canvas]:
    """Ideas shared in the gallery of rounds still open."""
    canvases = Canvas.objects.in_gallery().filter(round__in=Round.objects.open_now())
    if round_ is not None:
        canvases = canvases.filter(round=round_)
    return canvases.select_related("round__fund", "organisation", "ward").order_by("-updated_at")


def similar_ideas_for(*, canvas: Canvas) -> list[tuple[Canvas, float]]:
    """The stored similar ideas still in the gallery, most similar first."""
    from commonweal.grants.models import SimilarIdea

    rows = (
        SimilarIdea.objects.filter(canvas=canvas, other__in_gallery=True)
        .exclude(other__status=CanvasStatus.MERGED)
        .select_related("other__organisation", "other__ward")
        .order_by("-score")
    )
    return [(row.other, row.score) for row in rows]


def practice_funds_for(*, user: Any) -> QuerySet[Fund]:
    """The funds whose community of practice the person belongs to."""
    return Fund.objects.filter(practice_members__user=user).order_by("name")


@dataclass
class CalibrationRow:
    canvas: Canvas
    criterion: Criterion
    scores: list[int | None]
    spread: int | None


def panel_calibration(*, panel: Panel) -> dict[str, Any]:
    """Each member's scores of the calibration ideas side by side, and how far each member sits from
    the panel's mean (a positive offset: more generous than the others), on a 0-1 scale."""
    members = list(PanelMember.objects.active().filter(panel=panel).select_related("user"))
    canvases = list(panel.calibration_canvases.all().order_by("title"))
    criteria = list(Criterion.objects.filter(round_id=panel.round_id))
    values = {
        (member_id, canvas_id, criterion_id): value
        for member_id, canvas_id, criterion_id, value in Score.objects.filter(
            member__in=members, canvas__in=canvases
        ).values_list("member_id", "canvas_id", "criterion_id", "value")
    }
    rows = []
    offsets: dict[int, list[float]] = {member.pk: [] for member in members}
    for canvas in canvases:
        for criterion in criteria:
            scores = [values.get((member.pk, canvas.pk, criterion.pk)) for member in members]
            given = [value for value in scores if value is not None]
            rows.append(
                CalibrationRow(
                    canvas=canvas,
                    criterion=criterion,
                    scores=scores,
                    spread=max(given) - min(given) if given else None,
                )
            )
            if len(given) >= 2:
                mean = statistics.fmean(given)
                for member, value in zip(members, scores, strict=True):
                    if value is not None:
                        offsets[member.pk].append((value - mean) / criterion.scale_max)
    leniency = [
        (member, round(statistics.fmean(offsets[member.pk]), 2) if offsets[member.pk] else None)
        for member in members
    ]
    return {"members": members, "rows": rows, "leniency": leniency, "canvases": canvases}


def report_stories(report: MonitoringReport) -> list[Story]:
    """The stories linked to a report that may be shown now: a story withdrawn or unpublished after it
    was linked drops out at once, since consent is checked when the page is read."""
    linked = report.story_links.values("story_id")
    return list(story_public_list(filters=StoryFilters()).filter(pk__in=linked))


def report_story_candidates(
    report: MonitoringReport, *, q: str = "", limit: int = 20
) -> tuple[list[Story], str]:
    """Published stories a group may link: those matching a search, or else those told in the
    project's ward. Returns the stories and a few words on where they come from."""
    canvas = report.award.canvas
    if q.strip():
        filters, source = StoryFilters(q=q), f"Stories matching “{q.strip()}”"
    elif canvas.ward is not None:
        filters, source = StoryFilters(ward=canvas.ward.code), f"Stories told in {canvas.ward.name}"
    else:
        return [], ""
    linked = report.story_links.values("story_id")
    stories = story_public_list(filters=filters).exclude(pk__in=linked)[:limit]
    return list(stories), source
