"""Who may do what with accounts, organisations, consent records and API tokens.

Each check returns a Decision whose reason a page can show when the answer is no.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from commonweal.accounts.constants import Role
from commonweal.accounts.models import ApiToken, ConsentRecord, Organisation, User
from commonweal.accounts.selectors import user_has_role
from commonweal.core.permissions import Decision

SIGN_IN_REASON = "You need to sign in first."

# Roles that may read and record other people's consent.
CONSENT_ROLES = frozenset({Role.COORDINATOR, Role.BROKER, Role.MODERATOR, Role.ADMIN})


def _signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def role_names(roles: Iterable[str]) -> str:
    """ "Coordinator or Broker or timebank coordinator": role labels for messages."""
    labels = [Role(role).label if role in Role.values else str(role) for role in roles]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " or " + labels[-1]


def can_act_in_role(
    user: Any, roles: Iterable[str], organisation: Organisation | None = None
) -> Decision:
    """Whether the person holds one of ``roles`` now (in ``organisation`` when given)."""
    roles = [str(role) for role in roles]
    if not _signed_in(user):
        return Decision.deny(SIGN_IN_REASON)
    if user_has_role(user=user, roles=roles, organisation=organisation):
        return Decision.allow()
    where = f" at {organisation}" if organisation is not None else ""
    return Decision.deny(f"This is only for people with the role {role_names(roles)}{where}.")


def can_manage_organisation(user: Any, organisation: Organisation) -> Decision:
    """Change an organisation's details: its administrators and platform superusers."""
    if not _signed_in(user):
        return Decision.deny(SIGN_IN_REASON)
    if user.is_superuser or user_has_role(user=user, roles=[Role.ADMIN], organisation=organisation):
        return Decision.allow()
    return Decision.deny(f"Only an administrator of {organisation} can change its details.")


def can_manage_memberships(user: Any, organisation: Organisation) -> Decision:
    """Give or end roles in an organisation: its administrators and platform superusers."""
    if not _signed_in(user):
        return Decision.deny(SIGN_IN_REASON)
    if user.is_superuser or user_has_role(user=user, roles=[Role.ADMIN], organisation=organisation):
        return Decision.allow()
    return Decision.deny(f"Only an administrator of {organisation} can give or end roles there.")


def can_view_consents(user: Any, subject: User | None) -> Decision:
    """See a person's consent records: the person, or staff who work with consent."""
    if not _signed_in(user):
        return Decision.deny(SIGN_IN_REASON)
    if subject is not None and subject.pk == user.pk:
        return Decision.allow("These are your own records.")
    if user_has_role(user=user, roles=CONSENT_ROLES):
        return Decision.allow()
    return Decision.deny(
        "Only the person themselves or staff who work with consent can see these records."
    )


def can_withdraw_consent(user: Any, consent: ConsentRecord) -> Decision:
    """Withdraw consent: the person it belongs to, or staff who work with consent."""
    if not _signed_in(user):
        return Decision.deny(SIGN_IN_REASON)
    if not consent.is_current:
        return Decision.deny("This consent has already been withdrawn.")
    if consent.user_id is not None and consent.user_id == user.pk:
        return Decision.allow()
    if user_has_role(user=user, roles=CONSENT_ROLES):
        return Decision.allow()
    return Decision.deny(
        "Only the person who gave this consent, or staff who work with consent, can withdraw it."
    )


def can_create_api_token(user: Any, owner: User) -> Decision:
    """Make an API token: for yourself, or for anyone if you are a platform superuser."""
    if not _signed_in(user):
        return Decision.deny(SIGN_IN_REASON)
    if owner.pk == user.pk or user.is_superuser:
        return Decision.allow()
    return Decision.deny("You can only make API tokens for your own account.")


def can_revoke_api_token(user: Any, api_token: ApiToken) -> Decision:
    """Revoke an API token: its owner, or a platform superuser."""
    if not _signed_in(user):
        return Decision.deny(SIGN_IN_REASON)
    if api_token.user_id == user.pk or user.is_superuser:
        return Decision.allow()
    return Decision.deny("You can only revoke your own API tokens.")
