"""Reads about people, organisations, roles, consent, tokens and two-factor devices."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from commonweal.accounts.constants import STAFF_ROLES, Role
from commonweal.accounts.models import (
    ApiToken,
    ConsentRecord,
    Membership,
    Organisation,
    Profile,
    User,
)
from commonweal.accounts.tokens import TOKEN_PREFIX, token_hash


def api_token_user_get(*, token: str) -> User | None:
    """The active user a bearer token belongs to, or None for a wrong, revoked or expired token."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    api_token = (
        ApiToken.objects.usable()
        .select_related("user")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if api_token is None:
        return None
    now = timezone.now()
    if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
    return api_token.user


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    """A person's tokens, newest first, revoked and expired ones included (the page marks them)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def user_get_by_email(*, email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


def profile_get(*, user: User) -> Profile | None:
    return Profile.objects.filter(user=user).select_related("ward").first()


def membership_list(*, user: User) -> QuerySet[Membership]:
    """The memberships a person holds now, with their organisations."""
    return Membership.objects.active().filter(user=user).select_related("organisation")


def organisation_list(*, kinds: list[str] | None = None) -> QuerySet[Organisation]:
    organisations = Organisation.objects.active().select_related("ward")
    return organisations.of_kind(*kinds) if kinds else organisations


def organisation_get(*, slug: str) -> Organisation | None:
    return Organisation.objects.filter(slug=slug).first()


def organisation_list_for_user(
    *, user: User, roles: Iterable[str] | None = None
) -> QuerySet[Organisation]:
    """The organisations a person acts for now (optionally only through some roles)."""
    memberships = Membership.objects.active().filter(user=user)
    if roles is not None:
        memberships = memberships.with_role(*roles)
    return Organisation.objects.filter(pk__in=memberships.values("organisation_id")).order_by(
        "name"
    )


def user_roles_in(*, user: User, organisation: Organisation) -> set[str]:
    """The roles a person holds now in one organisation."""
    if not user.is_authenticated:
        return set()
    return set(
        Membership.objects.active()
        .filter(user=user, organisation=organisation)
        .values_list("role", flat=True)
    )


def user_has_role(
    *, user: User, roles: Iterable[str], organisation: Organisation | None = None
) -> bool:
    """Whether a person holds one of ``roles`` now (in ``organisation`` when given). Superusers hold every role."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    wanted = {str(role) for role in roles}
    if organisation is None:
        return bool(user.active_roles() & wanted)
    return bool(user_roles_in(user=user, organisation=organisation) & wanted)


def user_is_staff_role(*, user: User) -> bool:
    """Whether a person holds a role that sees other people's records (and so needs two-factor sign-in)."""
    return user_has_role(user=user, roles=STAFF_ROLES)


def user_list_with_role(
    *, role: str | Role, organisation: Organisation | None = None
) -> QuerySet[User]:
    memberships = Membership.objects.active().with_role(str(role))
    if organisation is not None:
        memberships = memberships.filter(organisation=organisation)
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id"))


def consent_list(*, user: User) -> QuerySet[ConsentRecord]:
    """A person's consent records, current and withdrawn, newest first."""
    return ConsentRecord.objects.filter(user=user).order_by("-given_at", "-id")


def consent_current_get(
    *, purpose: str, user: User | None = None, person_name: str = ""
) -> ConsentRecord | None:
    """The latest consent a person has given for ``purpose`` and not withdrawn, or None."""
    consents = ConsentRecord.objects.current().filter(purpose=str(purpose))
    if user is not None:
        consents = consents.filter(user=user)
    elif person_name:
        consents = consents.filter(user__isnull=True, person_name=person_name)
    else:
        return None
    return consents.order_by("-given_at", "-id").first()


def consent_is_current(*, user: User, purpose: str) -> bool:
    return consent_current_get(user=user, purpose=purpose) is not None


def totp_device_confirmed_get(*, user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator device, if they have set two-factor sign-in up."""
    device: TOTPDevice | None = (
        TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    )
    return device


def two_factor_is_set_up(*, user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())
