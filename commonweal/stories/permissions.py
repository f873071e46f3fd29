"""Who may do what with stories. Each check returns a Decision a page can explain."""

from __future__ import annotations

from typing import Any

from commonweal.accounts.constants import Role
from commonweal.accounts.permissions import can_act_in_role
from commonweal.core.permissions import Decision

MODERATOR_ROLES = (Role.MODERATOR, Role.ADMIN)
GATHERER_ROLES = (Role.VOLUNTEER, Role.COORDINATOR, Role.MODERATOR, Role.ADMIN)
EXPORT_ROLES = (Role.MODERATOR, Role.ANALYST, Role.ADMIN)


def can_moderate_stories(user: Any) -> Decision:
    return can_act_in_role(user, MODERATOR_ROLES)


def can_gather_stories(user: Any) -> Decision:
    """Trained gatherers: volunteers, coordinators and moderators."""
    return can_act_in_role(user, GATHERER_ROLES)


def can_export_internal_stories(user: Any) -> Decision:
    """Staff exports include stories kept for internal use."""
    return can_act_in_role(user, EXPORT_ROLES)


PANEL_ROLES = (Role.PANEL_MEMBER, Role.MODERATOR, Role.ADMIN)


def can_select_msc(user: Any) -> Decision:
    """Panel members (and moderators) choose the most significant stories."""
    return can_act_in_role(user, PANEL_ROLES)


NUGGET_ROLES = (Role.MODERATOR, Role.ANALYST, Role.COORDINATOR, Role.ADMIN)


def can_keep_nuggets(user: Any) -> Decision:
    """Staff (moderators, analysts, coordinators) flag golden nuggets and read them."""
    return can_act_in_role(user, NUGGET_ROLES)


COLLECTION_ROLES = (Role.MODERATOR, Role.COORDINATOR, Role.ADMIN)


def can_manage_collections(user: Any) -> Decision:
    """Moderators and coordinators set up collections and their triads and dyads."""
    return can_act_in_role(user, COLLECTION_ROLES)
