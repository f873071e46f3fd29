"""Reads for the grants pages: rounds, canvases, panel results and the money in a round."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from commonweal.accounts.models import Membership
from commonweal.geo.models import Area, Postcode
from commonweal.grants.constants import CanvasStatus, DecisionOutcome
from commonweal.grants.models import (
    Canvas,
    Collaborator,
    Conflict,
    Criterion,
    Decision,
    Fund,
    MonitoringReport,
    Panel,
    PanelMember,
    Round,
    Score,
    SponsorProfile,
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
    reader_conflict: str | None = None
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


def _automatic_by_user(*, round_id: int, user_ids: set[int]) -> dict[int, dict[int, str]]:
    """Conflicts nobody needs to declare, worked out now, as {idea: {person: nature}}.

    The person sponsors the idea, acts for the group applying or a group working on it, or wrote it.
    Worked out whenever asked, so an idea sent in after a panellist declared is closed to them too.
    """
    found: dict[int, dict[int, str]] = {}
    if not user_ids:
        return found
    acting: dict[int, set[int]] = {}
    for user_id, organisation_id in (
        Membership.objects.active()
        .filter(user_id__in=user_ids)
        .values_list("user_id", "organisation_id")
    ):
        acting.setdefault(organisation_id, set()).add(user_id)

    def add(canvas_id: int, people: Any, nature: str) -> None:
        for user_id in people:
            if user_id in user_ids:
                found.setdefault(canvas_id, {}).setdefault(user_id, nature)

    canvases = list(
        Canvas.objects.filter(round_id=round_id)
        .filter(
            Q(sponsor_id__in=user_ids)
            | Q(created_by_id__in=user_ids)
            | Q(organisation_id__in=acting)
        )
        .values_list("pk", "sponsor_id", "organisation_id", "created_by_id")
    )
    shared = (
        list(
            Collaborator.objects.filter(
                canvas__round_id=round_id, organisation_id__in=acting
            ).values_list("canvas_id", "organisation_id")
        )
        if acting
        else []
    )
    for canvas_id, sponsor_id, _organisation_id, _created_by_id in canvases:
        add(canvas_id, [sponsor_id], "Sponsor of this idea")
    for canvas_id, _sponsor_id, organisation_id, _created_by_id in canvases:
        add(canvas_id, acting.get(organisation_id, ()), "Member of the applying group")
    for canvas_id, organisation_id in shared:
        add(canvas_id, acting.get(organisation_id, ()), "Member of a group working on this idea")
    for canvas_id, _sponsor_id, _organisation_id, created_by_id in canvases:
        add(canvas_id, [created_by_id], "Wrote this idea")
    return found


def automatic_conflicts_for(*, round_id: int, users: dict[int, int]) -> dict[int, dict[int, str]]:
    """The automatic conflicts (see ``_automatic_by_user``) of panel members, as {idea: {member:
    nature}}; ``users`` maps each panel member to their person."""
    members_of: dict[int, list[int]] = {}
    for member_id, user_id in users.items():
        members_of.setdefault(user_id, []).append(member_id)
    found: dict[int, dict[int, str]] = {}
    for canvas_id, by_user in _automatic_by_user(
        round_id=round_id, user_ids=set(members_of)
    ).items():
        for user_id, nature in by_user.items():
            for member_id in members_of[user_id]:
                found.setdefault(canvas_id, {})[member_id] = nature
    return found


def _round_conflicts(
    *, round_id: int, users: dict[int, int], reader_id: int | None = None
) -> tuple[dict[int, dict[int, str]], dict[int, str]]:
    """Panel members' conflicts in a round as {idea: {member: nature}}, and one reader's as
    {idea: nature}, worked out together in four queries.

    ``users`` maps each panel member to their person. The rule the panel pages enforce: a conflict
    declared on a panel seat, and the automatic ones (``_automatic_by_user``) as they stand now. The
    reader's declared conflicts come from any of their seats on the round's panels.
    """
    by_member: dict[int, dict[int, str]] = {}
    by_reader: dict[int, str] = {}
    if not users and reader_id is None:
        return by_member, by_reader
    wanted = Q(member_id__in=list(users))
    if reader_id is not None:
        wanted |= Q(member__user_id=reader_id, member__panel__round_id=round_id)
    declared = Conflict.objects.filter(wanted).values_list(
        "member_id", "member__user_id", "canvas_id", "nature"
    )
    for member_id, user_id, canvas_id, nature in declared:
        if member_id in users:
            by_member.setdefault(canvas_id, {})[member_id] = nature
        if user_id == reader_id:
            by_reader.setdefault(canvas_id, nature)
    members_of: dict[int, list[int]] = {}
    for member_id, user_id in users.items():
        members_of.setdefault(user_id, []).append(member_id)
    people = set(members_of) | ({reader_id} if reader_id is not None else set())
    for canvas_id, by_user in _automatic_by_user(round_id=round_id, user_ids=people).items():
        for user_id, nature in by_user.items():
            for member_id in members_of.get(user_id, []):
                by_member.setdefault(canvas_id, {}).setdefault(member_id, nature)
            if user_id == reader_id:
                by_reader.setdefault(canvas_id, nature)
    return by_member, by_reader


def conflicts_for_members(*, round_id: int, users: dict[int, int]) -> dict[int, dict[int, str]]:
    """Who has an interest in which idea of a round, as {idea: {panel member: what the interest is}}.

    ``users`` maps each panel member to their person. The rule the panel pages enforce: a conflict the
    member declared, and the automatic ones as they stand now.
    """
    return _round_conflicts(round_id=round_id, users=users)[0]


def user_conflicts_in_round(*, user: Any, round_id: int) -> dict[int, str]:
    """The ideas of a round a person has a conflict with, and why: an interest declared on any of
    their panel seats in the round, or an automatic conflict, whether or not they sit on a panel.

    A programme manager with such a conflict neither sees the idea nor its scores, nor decides it.
    """
    if not getattr(user, "is_authenticated", False):
        return {}
    return _round_conflicts(round_id=round_id, users={}, reader_id=user.pk)[1]


def member_conflicts(member: PanelMember) -> dict[int, str]:
    """The ideas one panel member has a conflict with, declared or automatic, and why."""
    found = conflicts_for_members(round_id=member.panel.round_id, users={member.pk: member.user_id})
    return {canvas_id: by_member[member.pk] for canvas_id, by_member in found.items()}


def panel_conflicts(
    *, panel: Panel, members: list[PanelMember] | None = None
) -> dict[int, dict[int, str]]:
    """Every conflict on the panel (removed members' too), as {idea: {panel member: nature}}."""
    if members is None:
        members = list(PanelMember.objects.filter(panel=panel))
    return conflicts_for_members(
        round_id=panel.round_id, users={member.pk: member.user_id for member in members}
    )


def _conflicted_pairs(conflicts: dict[int, dict[int, str]]) -> set[tuple[int, int]]:
    return {(member_id, canvas_id) for canvas_id, found in conflicts.items() for member_id in found}


def panel_results(
    *, panel: Panel, with_zscores: bool = True, reader: Any = None
) -> list[CanvasResult]:
    """Every submitted canvas of the panel's round with its weighted, normalised result.

    N/A scores are missing, not zero; removed members' scores do not count, nor do the scores of a
    member on an idea they have a conflict with (declared after scoring, or a sponsor confirmed
    later): the conflict closes the idea to them, and their scores with it. The z-score is advisory:
    each scorer's own weighted totals standardised across the canvases they scored, then averaged.
    With a ``reader``, each result says whether the reader has a conflict with the idea, so their
    page can hide its scores. Ranked by weighted result (best first). The sums are done by the database, grouped by idea and
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
    reader_id = reader.pk if reader is not None and reader.is_authenticated else None
    conflicts, reader_conflicts = _round_conflicts(
        round_id=round_.pk,
        users={member.pk: member.user_id for member in members},
        reader_id=reader_id,
    )
    leave_out = _conflicted_pairs(conflicts)
    lines: dict[int, dict[int, tuple[float, int]]] = {}
    scorers: dict[int, int] = {}
    if criterion_ids and active_ids:
        rows = _line_rows(criterion_ids, active_ids, leave_out)
        for canvas_id, criterion_id, mean, spread, count in rows:
            # Panellists score every line at once (N/A included), so the most scores on a line
            # is the number of panellists who scored the idea.
            scorers[canvas_id] = max(scorers.get(canvas_id, 0), int(count))
            if mean is not None:
                lines.setdefault(canvas_id, {})[criterion_id] = (float(mean), int(spread))
    z_by_canvas = _zscores(criteria, active_ids, leave_out) if with_zscores and active_ids else {}
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
                conflicted_members=[
                    members_by_id[member_id] for member_id in sorted(conflicts.get(canvas.pk, {}))
                ],
                reader_conflict=reader_conflicts.get(canvas.pk),
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


def _leaving_out(pairs: set[tuple[int, int]]) -> tuple[str, list[int]]:
    """A WHERE condition that drops the scores of conflicted (member, idea) pairs, and its values.

    Grouped by member: a panel has a handful of conflicts, so the condition stays short."""
    if not pairs:
        return "", []
    by_member: dict[int, list[int]] = {}
    for member_id, canvas_id in sorted(pairs):
        by_member.setdefault(member_id, []).append(canvas_id)
    clauses = []
    params: list[int] = []
    for member_id, canvas_ids in by_member.items():
        clauses.append(f"(member_id = %s AND canvas_id IN ({_placeholders(canvas_ids)}))")
        params += [member_id, *canvas_ids]
    return f" AND NOT ({' OR '.join(clauses)})", params


def _line_rows(
    criterion_ids: list[int], member_ids: list[int], leave_out: set[tuple[int, int]]
) -> list[tuple[Any, ...]]:
    """(idea, line, mean, spread, scores given) for every idea and rubric line scored at all.

    N/A is NULL: left out of the mean and the spread, counted among the scores given. The scores of
    the (member, idea) pairs in ``leave_out`` are not read. Plain SQL that both SQLite and PostgreSQL
    run: the ORM's per-row converters cost more than the query itself for the 18,000 scores of a
    big round.
    """
    table = Score._meta.db_table
    excluding, excluded = _leaving_out(leave_out)
    sql = (
        f"SELECT canvas_id, criterion_id, AVG(value * 1.0), MAX(value) - MIN(value), COUNT(*) "
        f"FROM {table} WHERE criterion_id IN ({_placeholders(criterion_ids)}) "
        f"AND member_id IN ({_placeholders(member_ids)}){excluding} "
        "GROUP BY canvas_id, criterion_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*criterion_ids, *member_ids, *excluded])
        return list(cursor.fetchall())


def _zscores(
    criteria: list[Criterion], member_ids: list[int], leave_out: set[tuple[int, int]]
) -> dict[int, list[float]]:
    """Each scorer's weighted totals (0-100) per idea, standardised over the ideas they scored,
    leaving out the (member, idea) pairs in ``leave_out``."""
    factors = {
        criterion.pk: (float(criterion.weight), criterion.scale_max) for criterion in criteria
    }
    table = Score._meta.db_table
    ids = list(factors)
    excluding, excluded = _leaving_out(leave_out)
    sql = (
        f"SELECT member_id, canvas_id, criterion_id, value FROM {table} "
        f"WHERE criterion_id IN ({_placeholders(ids)}) AND member_id IN ({_placeholders(member_ids)}) "
        f"AND value IS NOT NULL{excluding}"
    )
    sums: dict[tuple[int, int], list[float]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, *member_ids, *excluded])
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


def lsoa_lies_in_ward(*, lsoa: Area, ward: Area) -> bool:
    """Whether the LSOA lies (at least partly) in the ward: some postcode known to geo is in both.
    LSOAs and wards do not nest, so this is the test; without postcode data it says no."""
    return Postcode.objects.filter(ward_code=ward.code, lsoa_code=lsoa.code).exists()


def still_sponsored() -> Q:
    """Ideas a sponsor still accompanies, so they count in the sponsor's load: waiting for a decision;
    decided in a round still open; funded and waiting for the award; or funded with an award not yet
    completed (the project has not ended, or a monitoring report is still to come in). An idea not
    funded, in a round that has closed, no longer counts: its follow-up is over."""
    decided = [CanvasStatus.FUNDED, CanvasStatus.NOT_FUNDED]
    return (
        Q(status=CanvasStatus.SUBMITTED)
        | Q(status__in=decided, round__closes_at__gt=timezone.now())
        | Q(status=CanvasStatus.FUNDED, award__isnull=True)
        | Q(status=CanvasStatus.FUNDED, award__ends_on__gte=timezone.localdate())
        | Q(
            status=CanvasStatus.FUNDED,
            award__reports__isnull=False,
            award__reports__received_at__isnull=True,
        )
    )


def sponsor_loads(*, user_ids: Any) -> dict[int, int]:
    """How many ideas each sponsor still accompanies (``still_sponsored``), as {person: count}."""
    rows = (
        Canvas.objects.filter(sponsor_id__in=list(user_ids))
        .filter(still_sponsored())
        .values("sponsor_id")
        .annotate(load=Count("pk", distinct=True))
        .order_by()
    )
    return {row["sponsor_id"]: row["load"] for row in rows}


def sponsor_profile_list() -> list[SponsorProfile]:
    """Every sponsor with their wards and, as ``load``, the ideas they still accompany."""
    profiles = list(
        SponsorProfile.objects.select_related("user")
        .prefetch_related("wards")
        .order_by("user__full_name", "user__email")
    )
    loads = sponsor_loads(user_ids=[profile.user_id for profile in profiles])
    for profile in profiles:
        profile.load = loads.get(profile.user_id, 0)  # type: ignore[attr-defined]
    return profiles


def practice_funds_for(*, user: Any) -> QuerySet[Fund]:
    """The funds whose community of practice the person belongs to."""
    return Fund.objects.filter(practice_members__user=user).order_by("name")


@dataclass
class CalibrationRow:
    canvas: Canvas
    criterion: Criterion | None
    scores: list[int | None]
    spread: int | None
    reader_conflict: str | None = None


def panel_calibration(*, panel: Panel, reader: Any = None) -> dict[str, Any]:
    """Each member's scores of the calibration ideas side by side, and how far each member sits from
    the panel's mean (a positive offset: more generous than the others), on a 0-1 scale. A member's
    scores of an idea they have a conflict with are left out, as in the results.

    With a ``reader``, the scores of an idea the reader has an interest in are not given at all (the
    row says why), and that idea does not count in the offsets they see, which could give them away.
    """
    members = list(PanelMember.objects.active().filter(panel=panel).select_related("user"))
    canvases = list(panel.calibration_canvases.all().order_by("title"))
    criteria = list(Criterion.objects.filter(round_id=panel.round_id))
    reader_id = reader.pk if reader is not None and reader.is_authenticated else None
    conflicts, reader_conflicts = _round_conflicts(
        round_id=panel.round_id,
        users={member.pk: member.user_id for member in members},
        reader_id=reader_id,
    )
    leave_out = _conflicted_pairs(conflicts)
    values = {
        (member_id, canvas_id, criterion_id): value
        for member_id, canvas_id, criterion_id, value in Score.objects.filter(
            member__in=members, canvas__in=canvases
        ).values_list("member_id", "canvas_id", "criterion_id", "value")
        if (member_id, canvas_id) not in leave_out
    }
    rows = []
    offsets: dict[int, list[float]] = {member.pk: [] for member in members}
    for canvas in canvases:
        interest = reader_conflicts.get(canvas.pk)
        if interest is not None:
            # One row for the idea, with no scores: the reader leaves the room for it.
            rows.append(
                CalibrationRow(
                    canvas=canvas,
                    criterion=None,
                    scores=[None for _ in members],
                    spread=None,
                    reader_conflict=interest,
                )
            )
            continue
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
