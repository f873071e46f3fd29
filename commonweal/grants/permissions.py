"""Who may do what with funds, canvases, panels and awards. Each check returns a Decision."""

from __future__ import annotations

from typing import Any

from commonweal.accounts.constants import Role
from commonweal.accounts.models import Membership
from commonweal.accounts.selectors import user_has_role
from commonweal.core.permissions import Decision
from commonweal.grants.constants import CanvasStatus
from commonweal.grants.models import Attachment, Canvas, PanelMember
from commonweal.grants.selectors import member_conflicts, user_conflicts_in_round

SIGN_IN_REASON = "You need to sign in first."

# Programme managers run funds: set up rounds, build panels, decide, award and publish.
FUND_OFFICER_ROLES = (Role.ANALYST, Role.ADMIN)


def _signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_fund_officer(user: Any) -> bool:
    return _signed_in(user) and user_has_role(user=user, roles=FUND_OFFICER_ROLES)


def can_manage_funds(user: Any) -> Decision:
    if not _signed_in(user):
        return Decision.deny(SIGN_IN_REASON)
    if is_fund_officer(user):
        return Decision.allow()
    return Decision.deny("Only programme managers can set up funds, panels and awards.")


def user_acts_for_canvas(user: Any, canvas: Canvas) -> bool:
    """The person who started the canvas, or someone who acts for its group now."""
    if not _signed_in(user):
        return False
    if canvas.created_by_id == user.pk:
        return True
    if canvas.organisation_id is None:
        return False
    return bool(
        Membership.objects.active()
        .filter(user=user, organisation_id=canvas.organisation_id)
        .exists()
    )


def can_edit_canvas(user: Any, canvas: Canvas) -> Decision:
    if not _signed_in(user):
        return Decision.deny(SIGN_IN_REASON)
    if not user_acts_for_canvas(user, canvas):
        return Decision.deny("Only the group that wrote this idea can change it.")
    if not canvas.is_draft:
        return Decision.deny("This idea has been sent in, so it can no longer be changed.")
    if canvas.round.has_closed:
        return Decision.deny("This round has closed, so ideas can no longer be changed.")
    return Decision.allow()


def conflict_with_canvas(user: Any, canvas: Canvas) -> str | None:
    """What the person's conflict of interest with the idea is, or None: an interest declared on a
    panel of its round, or one nobody needs to declare (sponsor, author, member of a group in it)."""
    if not _signed_in(user):
        return None
    return user_conflicts_in_round(user=user, round_id=canvas.round_id).get(canvas.pk)


def _conflict_reason(nature: str, what: str) -> str:
    return f"You have a conflict of interest with this idea ({nature}), so you cannot {what}."


def can_view_canvas(user: Any, canvas: Canvas) -> Decision:
    """The group, programme managers, its sponsor; panellists only through the panel pages.

    A programme manager with a conflict of interest in the idea does not see it."""
    if not _signed_in(user):
        return Decision.deny(SIGN_IN_REASON)
    if user_acts_for_canvas(user, canvas):
        return Decision.allow()
    if canvas.sponsor_id == user.pk:
        return Decision.allow()
    if is_fund_officer(user):
        nature = conflict_with_canvas(user, canvas)
        if nature is not None:
            return Decision.deny(_conflict_reason(nature, "see it"))
        return Decision.allow()
    return Decision.deny("Only the group, its sponsor and programme managers can see this idea.")


def can_decide_canvas(user: Any, canvas: Canvas) -> Decision:
    """Programme managers record and change decisions, never on an idea they have an interest in."""
    if not _signed_in(user):
        return Decision.deny(SIGN_IN_REASON)
    if not is_fund_officer(user):
        return Decision.deny("Only programme managers can record or change a decision.")
    nature = conflict_with_canvas(user, canvas)
    if nature is not None:
        return Decision.deny(_conflict_reason(nature, "record or change its decision"))
    return Decision.allow()


def can_award_canvas(user: Any, canvas: Canvas) -> Decision:
    """Making an idea's award and marking its payments follow the rule for decisions: programme
    managers only, never on an idea they have an interest in, whoever decided to fund it."""
    if not _signed_in(user):
        return Decision.deny(SIGN_IN_REASON)
    if not is_fund_officer(user):
        return Decision.deny("Only programme managers can make awards and mark payments.")
    nature = conflict_with_canvas(user, canvas)
    if nature is not None:
        return Decision.deny(_conflict_reason(nature, "make its award or mark its payments"))
    return Decision.allow()


def can_review_canvas(member: PanelMember, canvas: Canvas, conflicted_ids: set[int]) -> Decision:
    """A panellist sees and scores a canvas only once declared, and never with a conflict."""
    if member.removed_at is not None:
        return Decision.deny("You are no longer on this panel.")
    if member.declared_at is None:
        return Decision.deny(
            "Declare your interests first: you see the ideas only after your declaration."
        )
    if canvas.status in (CanvasStatus.DRAFT, CanvasStatus.MERGED):
        return Decision.deny("This idea has not been sent to the panel.")
    if canvas.pk in conflicted_ids or canvas.sponsor_id == member.user_id:
        return Decision.deny(
            "You have a conflict of interest with this idea, so you cannot see or score it."
        )
    if canvas.round_id != member.panel.round_id:
        return Decision.deny("This idea is not in your panel's round.")
    return Decision.allow()


def can_download_attachment(user: Any, attachment: Attachment) -> Decision:
    """Whoever may see the idea, and panellists of its round who have declared and have no conflict
    with it (they read its files to score it)."""
    canvas = attachment.canvas
    verdict = can_view_canvas(user, canvas)
    if verdict or not _signed_in(user):
        return verdict
    seats = (
        PanelMember.objects.active()
        .filter(user=user, panel__round_id=canvas.round_id)
        .select_related("panel")
    )
    for seat in seats:
        verdict = can_review_canvas(seat, canvas, set(member_conflicts(seat)))
        if verdict:
            return verdict
    return verdict
