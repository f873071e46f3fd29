"""Panels: members, declarations of interest, scores, decisions with reasons and feedback."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from commonweal.accounts.models import User
from commonweal.core.audit import audit_record
from commonweal.core.emails import email_send
from commonweal.grants.constants import (
    CanvasStatus,
    DecisionOutcome,
    GrantsAuditKind,
    PanelMemberKind,
)
from commonweal.grants.exceptions import GrantRefused
from commonweal.grants.models import (
    Canvas,
    Conflict,
    Criterion,
    Decision,
    DecisionChange,
    Panel,
    PanelMember,
    Round,
    Score,
)
from commonweal.grants.permissions import can_decide_canvas, can_review_canvas
from commonweal.grants.selectors import automatic_conflicts_for, member_conflicts


@transaction.atomic
def panel_create(*, actor: Any, round_: Round, name: str, meets_on: Any = None) -> Panel:
    panel = Panel(round=round_, name=name.strip(), meets_on=meets_on)
    panel.full_clean()
    panel.save()
    audit_record(
        kind=GrantsAuditKind.PANEL_SAVED, actor=actor, target=panel, after={"name": panel.name}
    )
    return panel


@transaction.atomic
def panel_member_add(
    *, actor: Any, panel: Panel, user: User, kind: str | PanelMemberKind
) -> PanelMember:
    existing = PanelMember.objects.filter(panel=panel, user=user).first()
    if existing is not None and existing.removed_at is None:
        raise GrantRefused(f"{user} is already on this panel.")
    if existing is not None:
        raise GrantRefused(f"{user} was removed from this panel and cannot come back to it.")
    member = PanelMember(panel=panel, user=user, kind=str(kind))
    member.full_clean()
    member.save()
    audit_record(
        kind=GrantsAuditKind.PANEL_MEMBER_ADDED,
        actor=actor,
        target=panel,
        after={"user": user.email, "kind": member.kind},
    )
    return member


@transaction.atomic
def panel_member_remove(*, actor: Any, member: PanelMember, reason: str) -> PanelMember:
    if not reason.strip():
        raise GrantRefused("Say why the member leaves the panel.")
    member = PanelMember.objects.select_for_update().get(pk=member.pk)
    if member.removed_at is not None:
        raise GrantRefused("This member has already left the panel.")
    member.removed_at = timezone.now()
    member.removed_reason = reason.strip()[:300]
    member.save(update_fields=["removed_at", "removed_reason", "updated_at"])
    audit_record(
        kind=GrantsAuditKind.PANEL_MEMBER_REMOVED,
        actor=actor,
        target=member.panel,
        after={"user": member.user.email, "reason": member.removed_reason},
    )
    return member


def automatic_conflicts(member: PanelMember) -> dict[int, str]:
    """Conflicts nobody needs to declare: the member sponsors the idea, acts for a group in it, or
    wrote it. Worked out as things stand now."""
    found = automatic_conflicts_for(
        round_id=member.panel.round_id, users={member.pk: member.user_id}
    )
    return {canvas_id: by_member[member.pk] for canvas_id, by_member in found.items()}


@transaction.atomic
def declaration_make(
    *, actor: User, member: PanelMember, conflicts: Mapping[Canvas, str], confirmed: bool
) -> PanelMember:
    """The member declares their interests before seeing any idea; conflicts block those ideas.

    Automatic conflicts (sponsor, member or author of the group) are added whatever is declared.
    A declaration can add conflicts later but never take one away.
    """
    member = PanelMember.objects.select_for_update().select_related("panel").get(pk=member.pk)
    if member.user_id != actor.pk:
        raise GrantRefused("Only the panel member can make their own declaration.")
    if member.removed_at is not None:
        raise GrantRefused("You are no longer on this panel.")
    if not confirmed:
        raise GrantRefused(
            "Confirm that you have declared every interest before you see the ideas."
        )
    wanted: dict[int, str] = {}
    for canvas, nature in conflicts.items():
        if canvas.round_id != member.panel.round_id:
            raise GrantRefused("You can only declare interests in ideas in your panel's round.")
        if not nature.strip():
            raise GrantRefused(f"Say what your interest in '{canvas.title}' is.")
        wanted[canvas.pk] = nature.strip()[:300]
    for pk, nature in automatic_conflicts(member).items():
        wanted.setdefault(pk, nature)
    existing = set(member.conflicts.values_list("canvas_id", flat=True))
    Conflict.objects.bulk_create(
        [
            Conflict(member=member, canvas_id=pk, nature=nature)
            for pk, nature in wanted.items()
            if pk not in existing
        ]
    )
    member.declared_at = timezone.now()
    member.save(update_fields=["declared_at", "updated_at"])
    audit_record(
        kind=GrantsAuditKind.DECLARATION_MADE,
        actor=actor,
        target=member.panel,
        after={"member": actor.email, "conflicts": sorted(wanted)},
    )
    return member


def conflicted_canvas_ids(member: PanelMember) -> set[int]:
    """Every idea closed to the member: declared conflicts, and the automatic ones as they stand
    now (an idea their group sends in after they declared is closed to them at once)."""
    return set(member_conflicts(member))


@transaction.atomic
def score_record(
    *,
    actor: User,
    member: PanelMember,
    canvas: Canvas,
    scores: Mapping[int, tuple[int | None, str]],
) -> list[Score]:
    """Record a panellist's scores for one canvas: all of them or none.

    ``scores`` maps a criterion id to (value or None for N/A, comment).
    """
    member = PanelMember.objects.select_for_update().select_related("panel").get(pk=member.pk)
    if member.user_id != actor.pk:
        raise GrantRefused("Panel members score only for themselves.")
    decision = can_review_canvas(member, canvas, conflicted_canvas_ids(member))
    if not decision:
        raise GrantRefused(decision.reason)
    if canvas.status != CanvasStatus.SUBMITTED:
        raise GrantRefused("Only ideas sent in and not yet decided can be scored.")
    criteria = {
        criterion.pk: criterion for criterion in Criterion.objects.filter(round_id=canvas.round_id)
    }
    unknown = set(scores) - set(criteria)
    if unknown:
        raise GrantRefused("Some scores are for criteria that are not in this round's rubric.")
    saved = []
    for criterion_id, (value, comment) in scores.items():
        criterion = criteria[criterion_id]
        if value is not None and not 0 <= value <= criterion.scale_max:
            raise GrantRefused(f"'{criterion.name}' is scored from 0 to {criterion.scale_max}.")
        score, _ = Score.objects.update_or_create(
            member=member,
            canvas=canvas,
            criterion=criterion,
            defaults={"value": value, "comment": comment.strip()},
        )
        saved.append(score)
    audit_record(
        kind=GrantsAuditKind.SCORE_RECORDED,
        actor=actor,
        target=canvas,
        after={"member": member.pk, "criteria": len(saved)},
    )
    return saved


def _decision_snapshot(decision: Decision) -> dict[str, str]:
    return {
        "outcome": decision.outcome,
        "amount": f"{decision.amount:.2f}",
        "reasons": decision.reasons,
        "feedback": decision.feedback,
    }


def _check_money(
    canvas: Canvas, outcome: str, amount: Decimal, *, replacing: Decimal = Decimal("0")
) -> None:
    from commonweal.grants.selectors import round_money_committed

    if outcome != DecisionOutcome.FUNDED:
        if amount:
            raise GrantRefused("An idea that is not funded gets no money: leave the amount at 0.")
        return
    # One decision at a time per round, so two decisions cannot both spend the last of the budget.
    round_ = Round.objects.select_for_update().get(pk=canvas.round_id)
    if amount <= 0:
        raise GrantRefused("Give the amount awarded.")
    if amount > round_.max_award:
        raise GrantRefused(
            f"£{amount:,.2f} is more than this round's largest award, £{round_.max_award:,.2f}."
        )
    committed = round_money_committed(round_=round_) - replacing
    if committed + amount > round_.budget:
        left = round_.budget - committed
        raise GrantRefused(
            f"Over budget: £{left:,.2f} of the round's £{round_.budget:,.2f} is left, "
            f"and this would need £{amount:,.2f}."
        )


def _recipients(canvas: Canvas) -> list[str]:
    addresses = [canvas.created_by.email]
    if canvas.organisation is not None and canvas.organisation.email:
        addresses.append(canvas.organisation.email)
    return addresses


@transaction.atomic
def decision_make(
    *, actor: User, canvas: Canvas, outcome: str, amount: Decimal, reasons: str, feedback: str
) -> Decision:
    canvas = (
        Canvas.objects.select_for_update(of=("self",))
        .select_related("round", "organisation", "created_by")
        .get(pk=canvas.pk)
    )
    allowed = can_decide_canvas(actor, canvas)
    if not allowed:
        raise GrantRefused(allowed.reason)
    if canvas.status not in (CanvasStatus.SUBMITTED,):
        if hasattr(canvas, "decision"):
            raise GrantRefused("This idea already has a decision: change it with a reason instead.")
        raise GrantRefused("Only ideas that were sent in can be decided.")
    if not reasons.strip() or not feedback.strip():
        raise GrantRefused("Give the reasons for the decision and feedback for the applicant.")
    _check_money(canvas, outcome, amount)
    decision = Decision(
        canvas=canvas,
        outcome=outcome,
        amount=amount,
        reasons=reasons.strip(),
        feedback=feedback.strip(),
        decided_by=actor,
        decided_at=timezone.now(),
    )
    decision.full_clean()
    decision.save()
    canvas.status = (
        CanvasStatus.FUNDED if outcome == DecisionOutcome.FUNDED else CanvasStatus.NOT_FUNDED
    )
    canvas.save(update_fields=["status", "updated_at"])
    audit_record(
        kind=GrantsAuditKind.DECISION_MADE,
        actor=actor,
        target=canvas,
        after=_decision_snapshot(decision),
    )
    email_send(
        to=_recipients(canvas),
        template="grants/emails/decision.txt",
        context={"canvas": canvas, "decision": decision, "changed": False},
    )
    return decision


@transaction.atomic
def decision_change(
    *,
    actor: User,
    decision: Decision,
    outcome: str,
    amount: Decimal,
    reasons: str,
    feedback: str,
    change_reason: str,
) -> Decision:
    """Change a decision: only with a recorded reason, and never once money has been awarded."""
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("canvas__round", "canvas__organisation", "canvas__created_by")
        .get(pk=decision.pk)
    )
    canvas = decision.canvas
    allowed = can_decide_canvas(actor, canvas)
    if not allowed:
        raise GrantRefused(allowed.reason)
    if not change_reason.strip():
        raise GrantRefused("A decision can only change with a recorded reason.")
    if hasattr(canvas, "award"):
        raise GrantRefused("Money has been awarded on this decision, so it cannot change here.")
    if not reasons.strip() or not feedback.strip():
        raise GrantRefused("Give the reasons for the decision and feedback for the applicant.")
    replacing = decision.amount if decision.outcome == DecisionOutcome.FUNDED else Decimal("0")
    _check_money(canvas, outcome, amount, replacing=replacing)
    before = _decision_snapshot(decision)
    decision.outcome = outcome
    decision.amount = amount
    decision.reasons = reasons.strip()
    decision.feedback = feedback.strip()
    decision.full_clean()
    decision.save()
    after = _decision_snapshot(decision)
    DecisionChange.objects.create(
        decision=decision,
        before=before,
        after=after,
        reason=change_reason.strip(),
        changed_by=actor,
    )
    canvas.status = (
        CanvasStatus.FUNDED if outcome == DecisionOutcome.FUNDED else CanvasStatus.NOT_FUNDED
    )
    canvas.save(update_fields=["status", "updated_at"])
    audit_record(
        kind=GrantsAuditKind.DECISION_CHANGED,
        actor=actor,
        target=canvas,
        before=before,
        after=after,
        note=change_reason.strip(),
    )
    email_send(
        to=_recipients(canvas),
        template="grants/emails/decision.txt",
        context={"canvas": canvas, "decision": decision, "changed": True},
    )
    return decision


CALIBRATION_MOST = 3


@transaction.atomic
def panel_calibration_set(*, actor: Any, panel: Panel, canvases: list[Canvas]) -> Panel:
    """Choose the ideas every member scores first, to compare how each uses the rubric."""
    if len(canvases) > CALIBRATION_MOST:
        raise GrantRefused(f"Choose at most {CALIBRATION_MOST} ideas for calibration.")
    for canvas in canvases:
        if canvas.round_id != panel.round_id or canvas.status != CanvasStatus.SUBMITTED:
            raise GrantRefused(f"'{canvas.title}' is not an idea waiting for this panel.")
    panel.calibration_canvases.set(canvases)
    audit_record(
        kind=GrantsAuditKind.CALIBRATION_SET,
        actor=actor,
        target=panel,
        after={"canvases": [str(canvas.public_id) for canvas in canvases]},
    )
    return panel
