"""Who may review what in the directory, as a ``Decision`` a page can explain.

Information champions are moderators with a patch (``DirectoryPatch``: their own, or their
organisation's): they review the claims and changes of listings held in their patch's wards.
Moderators without a patch look after the whole borough, and administrators may review anywhere.
The checks on claiming, editing and history are in ``moderation.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from commonweal.core.permissions import Decision
from commonweal.directory.models import ListingClaim, ServiceEdit
from commonweal.directory.moderation import can_moderate
from commonweal.directory.moderation_selectors import (
    claims_in_wards,
    edits_in_wards,
    may_see_all,
    patch_ward_ids,
    ward_names,
)


def _in_patch(user: Any, in_wards: Callable[[set[int]], bool]) -> Decision:
    decision = can_moderate(user)
    if not decision:
        return decision
    if user.is_superuser or may_see_all(user=user):
        return Decision.allow()
    wards = patch_ward_ids(user=user)
    if not wards or in_wards(wards):
        return Decision.allow()
    return Decision.deny(
        "This listing is outside your patch ("
        + ", ".join(ward_names(wards))
        + "). The information champion for its ward, a moderator for the whole borough "
        "or an administrator can review it."
    )


def can_review_claim(user: Any, claim: ListingClaim) -> Decision:
    """Approve or reject a claim: moderators, champions only for listings in their patch."""
    return _in_patch(
        user,
        lambda wards: claims_in_wards(ListingClaim.objects.filter(pk=claim.pk), wards).exists(),
    )


def can_review_edit(user: Any, edit: ServiceEdit) -> Decision:
    """Approve or reject a change to a listing: moderators, champions only in their patch."""
    return _in_patch(
        user,
        lambda wards: edits_in_wards(ServiceEdit.objects.filter(pk=edit.pk), wards).exists(),
    )
