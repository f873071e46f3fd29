"""Reads about people, organisations, roles and tokens."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from commonweal.accounts.models import ApiToken, Membership, Organisation, User
from commonweal.accounts.tokens import TOKEN_PREFIX, token_hash


def api_token_user_get(*, token: str) -> User | None:
    """The active user a bearer token belongs to, or None for a wrong, revoked or expired token."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    api_token = ApiToken.objects.usable().select_related("user").filter(token_hash=token_hash(token)).first()
    if api_token is None:
        return None
    now = timezone.now()
    if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
    return api_token.user


def membership_list(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.active().filter(user=user).select_related("organisation")


def organisation_list(*, kinds: list[str] | None = None) -> QuerySet[Organisation]:
    organisations = Organisation.objects.active().select_related("ward")
    return organisations.of_kind(*kinds) if kinds else organisations
