"""Changes to people, organisations, memberships, consent, API tokens and two-factor devices.

Every function takes the person making the change as ``actor`` (None for the system itself, for
example a management command), runs in one transaction, validates before saving and writes the audit log.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django_otp.plugins.otp_totp.models import TOTPDevice

from commonweal.accounts.constants import (
    AccountsAuditKind,
    ConsentPurpose,
    LawfulBasis,
    OrganisationKind,
    Role,
)
from commonweal.accounts.models import (
    ApiToken,
    ConsentRecord,
    Membership,
    Organisation,
    Profile,
    User,
)
from commonweal.accounts.tokens import token_generate, token_hash
from commonweal.core.audit import audit_record
from commonweal.geo.exceptions import GeoError, InvalidPostcodeError
from commonweal.geo.postcodes import postcode_canonical
from commonweal.geo.services import located_model_fill_from_postcode

# How many characters of a token are kept in clear, so that people can tell their tokens apart.
TOKEN_PREFIX_LENGTH = 10
TWO_FACTOR_DEVICE_NAME = "Authenticator app"

WRONG_CODE_MESSAGE = (
    "The code is not right. Enter the 6-digit code your authenticator app shows now."
)
THROTTLED_CODE_MESSAGE = (
    "You have entered too many wrong codes. Wait a minute, then enter the code your app shows."
)

_UNSET: Any = object()


def _forget_roles(user: User) -> None:
    """Drop the roles cached on the instance (see ``User.active_roles``)."""
    user.__dict__.pop("_active_roles", None)


# --- People ----------------------------------------------------------------------------------------


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    email: str,
    password: str | None = None,
    full_name: str = "",
    preferred_name: str = "",
    is_staff: bool = False,
    is_example: bool = False,
    check_password: bool = True,
) -> User:
    """Create a person who signs in with ``email`` (stored in lower case) and a profile for them.

    Without a password the account cannot sign in until a password is set. ``check_password`` runs
    the password rules of ``AUTH_PASSWORD_VALIDATORS``; turn it off only for invented demo people.
    """
    user = User(
        email=email.strip().lower(),
        full_name=full_name.strip(),
        preferred_name=preferred_name.strip(),
        is_staff=is_staff,
        is_example=is_example,
    )
    if password:
        if check_password:
            try:
                validate_password(password, user)
            except ValidationError as error:
                raise ValidationError({"password": error.messages}) from error
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    Profile.objects.create(user=user)
    audit_record(
        kind=AccountsAuditKind.USER_CREATED,
        actor=actor,
        target=user,
        after={"email": user.email, "is_staff": is_staff},
    )
    return user


@transaction.atomic
def user_update(
    *,
    actor: User | None,
    user: User,
    email: str | None = None,
    full_name: str | None = None,
    preferred_name: str | None = None,
    is_active: bool | None = None,
    is_staff: bool | None = None,
) -> User:
    """Change what is given (None leaves a field as it is)."""
    changes: dict[str, Any] = {}
    if email is not None:
        changes["email"] = email.strip().lower()
    if full_name is not None:
        changes["full_name"] = full_name.strip()
    if preferred_name is not None:
        changes["preferred_name"] = preferred_name.strip()
    if is_active is not None:
        changes["is_active"] = is_active
    if is_staff is not None:
        changes["is_staff"] = is_staff
    changed = {name: value for name, value in changes.items() if getattr(user, name) != value}
    if not changed:
        return user
    before = {name: getattr(user, name) for name in changed}
    for name, value in changed.items():
        setattr(user, name, value)
    user.full_clean()
    user.save()
    audit_record(
        kind=AccountsAuditKind.USER_UPDATED, actor=actor, target=user, before=before, after=changed
    )
    return user


def _place_from_postcode(instance: Profile | Organisation, postcode: str) -> None:
    """Set the canonical postcode and, where geo knows it, the point, ward and LSOA it is in.

    A well-formed postcode that no one knows yet (a new street) is kept without a ward; one that is not a
    postcode at all is refused with a message naming the field.
    """
    instance.postcode = postcode_canonical(postcode)
    instance.latitude = instance.longitude = None
    instance.ward = instance.lsoa = None
    if not instance.postcode:
        return
    try:
        located_model_fill_from_postcode(instance=instance, postcode=instance.postcode)
    except InvalidPostcodeError as error:
        raise ValidationError({"postcode": str(error)}) from error
    except GeoError:
        # Unknown postcode, or the remote lookup failed: the postcode is kept, without a ward.
        return


@transaction.atomic
def profile_update(
    *,
    actor: User | None,
    user: User,
    full_name: str | None = None,
    preferred_name: str | None = None,
    phone: str | None = None,
    postcode: str | None = None,
    languages: str | None = None,
    access_needs: str | None = None,
    bio: str | None = None,
) -> Profile:
    """Change a person's name and profile. The postcode is stored canonically and placed in its ward.

    The audit log keeps the names of the changed fields, not their values: profiles hold personal data.
    """
    user_update(actor=actor, user=user, full_name=full_name, preferred_name=preferred_name)
    profile, _ = Profile.objects.get_or_create(user=user)
    changed: list[str] = []
    for name, value in (
        ("phone", phone),
        ("languages", languages),
        ("access_needs", access_needs),
        ("bio", bio),
    ):
        if value is not None and getattr(profile, name) != value.strip():
            setattr(profile, name, value.strip())
            changed.append(name)
    if postcode is not None:
        canonical = postcode_canonical(postcode)
        if canonical != profile.postcode or (canonical and profile.ward_id is None):
            _place_from_postcode(profile, canonical)
            changed.append("postcode")
    if not changed:
        return profile
    profile.full_clean()
    profile.save()
    audit_record(
        kind=AccountsAuditKind.PROFILE_UPDATED,
        actor=actor,
        target=profile,
        after={"changed": changed},
    )
    return profile


# --- Organisations and memberships -------------------------------------------------------------------

ORGANISATION_FIELDS = frozenset(
    {
        "name",
        "slug",
        "kind",
        "description",
        "charity_number",
        "company_number",
        "org_id",
        "ods_code",
        "website",
        "email",
        "phone",
        "postcode",
        "district",
        "is_active",
        "is_example",
    }
)


def _slug_free(base: str) -> str:
    base = (base or "organisation")[:190]
    slug, number = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _organisation_state(
    organisation: Organisation, names: set[str] | frozenset[str]
) -> dict[str, Any]:
    state: dict[str, Any] = {}
    for name in sorted(names):
        value = getattr(organisation, "district_id" if name == "district" else name)
        state[name] = value
    return state


@transaction.atomic
def organisation_create(
    *, actor: User | None, name: str, kind: str | OrganisationKind, slug: str = "", **fields: Any
) -> Organisation:
    """Create an organisation. Without a slug one is made from the name (and made unique)."""
    unknown = set(fields) - ORGANISATION_FIELDS
    if unknown:
        raise TypeError(f"organisation_create() got unknown fields: {', '.join(sorted(unknown))}")
    slug = slugify(slug) if slug else _slug_free(slugify(name))
    postcode = fields.pop("postcode", "")
    organisation = Organisation(name=name.strip(), kind=str(kind), slug=slug, **fields)
    if postcode:
        _place_from_postcode(organisation, postcode)
        fields["postcode"] = organisation.postcode
    organisation.full_clean()
    organisation.save()
    audit_record(
        kind=AccountsAuditKind.ORGANISATION_SAVED,
        actor=actor,
        target=organisation,
        after=_organisation_state(organisation, {"name", "slug", "kind", *fields}),
    )
    return organisation


@transaction.atomic
def organisation_update(
    *, actor: User | None, organisation: Organisation, **changes: Any
) -> Organisation:
    """Change the given fields of an organisation (a changed slug must still be unique)."""
    unknown = set(changes) - ORGANISATION_FIELDS
    if unknown:
        raise TypeError(f"organisation_update() got unknown fields: {', '.join(sorted(unknown))}")
    if "slug" in changes:
        changes["slug"] = slugify(changes["slug"])
    if "kind" in changes:
        changes["kind"] = str(changes["kind"])
    postcode = changes.pop("postcode", None)
    names = set(changes) | ({"postcode", "ward_id"} if postcode is not None else set())
    before = _organisation_state(organisation, names)
    for name, value in changes.items():
        setattr(organisation, name, value)
    if postcode is not None:
        canonical = postcode_canonical(postcode)
        if canonical != organisation.postcode or (canonical and organisation.ward_id is None):
            _place_from_postcode(organisation, canonical)
    after = _organisation_state(organisation, names)
    changed = {name for name in names if before[name] != after[name]}
    if not changed:
        return organisation
    organisation.full_clean()
    organisation.save()
    audit_record(
        kind=AccountsAuditKind.ORGANISATION_SAVED,
        actor=actor,
        target=organisation,
        before={name: before[name] for name in sorted(changed)},
        after={name: after[name] for name in sorted(changed)},
    )
    return organisation


@transaction.atomic
def membership_grant(
    *,
    actor: User | None,
    user: User,
    organisation: Organisation,
    role: str | Role,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> Membership:
    """Give a person a role in an organisation. Granting an ended role again reopens it."""
    role = str(role)
    starts_on = starts_on or timezone.localdate()
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": "The end date must be on or after the start date."})
    membership = Membership.objects.filter(user=user, organisation=organisation, role=role).first()
    before: dict[str, Any] = {}
    if membership is None:
        membership = Membership(
            user=user, organisation=organisation, role=role, starts_on=starts_on, ends_on=ends_on
        )
    else:
        before = {
            "starts_on": membership.starts_on.isoformat(),
            "ends_on": _iso(membership.ends_on),
        }
        if membership.ends_on is None and membership.starts_on <= starts_on and ends_on is None:
            return membership  # already held, nothing to change
        membership.starts_on, membership.ends_on = starts_on, ends_on
    membership.full_clean()
    membership.save()
    _forget_roles(user)
    audit_record(
        kind=AccountsAuditKind.MEMBERSHIP_GRANTED,
        actor=actor,
        target=membership,
        before=before,
        after={
            "user": user.email,
            "organisation": organisation.slug,
            "role": role,
            "starts_on": starts_on.isoformat(),
            "ends_on": _iso(ends_on),
        },
    )
    return membership


@transaction.atomic
def membership_end(
    *, actor: User | None, membership: Membership, ends_on: datetime.date | None = None
) -> Membership:
    """End a membership. Without a date it ends at once: its last day is yesterday."""
    ends_on = ends_on or timezone.localdate() - datetime.timedelta(days=1)
    if membership.ends_on is not None and membership.ends_on <= ends_on:
        return membership  # already ended by then
    before = {"ends_on": _iso(membership.ends_on)}
    membership.ends_on = ends_on
    membership.full_clean()
    membership.save()
    _forget_roles(membership.user)
    audit_record(
        kind=AccountsAuditKind.MEMBERSHIP_ENDED,
        actor=actor,
        target=membership,
        before=before,
        after={"ends_on": ends_on.isoformat()},
    )
    return membership


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


# --- Consent -------------------------------------------------------------------------------------------


@transaction.atomic
def consent_give(
    *,
    actor: User | None,
    purpose: str | ConsentPurpose,
    wording: str,
    user: User | None = None,
    person_name: str = "",
    lawful_basis: str | LawfulBasis = LawfulBasis.CONSENT,
    wording_version: str = "1",
    given_by_proxy: str = "",
    special_category_condition: str = "",
    given_at: datetime.datetime | None = None,
) -> ConsentRecord:
    """Record a person's consent (or another lawful basis) for one purpose, with the words they agreed to."""
    if user is None and not person_name.strip():
        raise ValidationError(
            {"person_name": "Say whose consent this is: an account or a person's name."}
        )
    if str(purpose) == ConsentPurpose.SPECIAL_CATEGORY and not special_category_condition.strip():
        raise ValidationError(
            {
                "special_category_condition": "Name the UK GDPR Article 9 condition for special category information."
            }
        )
    consent = ConsentRecord(
        user=user,
        person_name=person_name.strip(),
        purpose=str(purpose),
        lawful_basis=str(lawful_basis),
        wording=wording,
        wording_version=wording_version,
        given_by_proxy=given_by_proxy.strip(),
        special_category_condition=special_category_condition.strip(),
        given_at=given_at or timezone.now(),
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    consent.full_clean()
    consent.save()
    audit_record(
        kind=AccountsAuditKind.CONSENT_GIVEN,
        actor=actor,
        target=consent,
        after={
            "purpose": consent.purpose,
            "lawful_basis": consent.lawful_basis,
            "wording_version": wording_version,
            "by_proxy": bool(consent.given_by_proxy),
        },
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: User | None, consent: ConsentRecord) -> ConsentRecord:
    """Withdraw consent: the record is kept, with the time it was withdrawn. Withdrawing twice changes nothing."""
    if consent.withdrawn_at is not None:
        return consent
    consent.withdrawn_at = timezone.now()
    consent.full_clean()
    consent.save(update_fields=["withdrawn_at", "updated_at"])
    audit_record(
        kind=AccountsAuditKind.CONSENT_WITHDRAWN,
        actor=actor,
        target=consent,
        after={"purpose": consent.purpose, "withdrawn_at": consent.withdrawn_at.isoformat()},
    )
    return consent


# --- API tokens -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedApiToken:
    """A new token: ``token`` is the only time the plain token is known; keep it safe."""

    api_token: ApiToken
    token: str


@transaction.atomic
def api_token_create(
    *,
    actor: User | None,
    user: User,
    name: str = "API token",
    expires_in_days: int | None = None,
    expires_at: datetime.datetime | None = None,
) -> IssuedApiToken:
    """Make a bearer token for ``user``. Only its SHA-256 hash and a short prefix are stored."""
    if expires_in_days is not None:
        if expires_in_days < 1:
            raise ValidationError({"expires_in_days": "A token must last at least 1 day."})
        expires_at = timezone.now() + datetime.timedelta(days=expires_in_days)
    if not user.is_active:
        raise ValidationError({"user": "This account is not active, so it cannot have API tokens."})
    token = token_generate()
    api_token = ApiToken(
        user=user,
        name=name.strip() or "API token",
        prefix=token[:TOKEN_PREFIX_LENGTH],
        token_hash=token_hash(token),
        expires_at=expires_at,
    )
    api_token.full_clean()
    api_token.save()
    audit_record(
        kind=AccountsAuditKind.TOKEN_CREATED,
        actor=actor,
        target=api_token,
        after={
            "name": api_token.name,
            "prefix": api_token.prefix,
            "expires_at": _iso_dt(expires_at),
        },
    )
    return IssuedApiToken(api_token=api_token, token=token)


@transaction.atomic
def api_token_revoke(*, actor: User | None, api_token: ApiToken) -> ApiToken:
    """Stop a token working at once. Revoking twice changes nothing."""
    if api_token.revoked_at is not None:
        return api_token
    api_token.revoked_at = timezone.now()
    api_token.save(update_fields=["revoked_at", "updated_at"])
    audit_record(
        kind=AccountsAuditKind.TOKEN_REVOKED,
        actor=actor,
        target=api_token,
        after={"prefix": api_token.prefix},
    )
    return api_token


def _iso_dt(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# --- Two-factor sign-in (TOTP) ---------------------------------------------------------------------------


@transaction.atomic
def totp_device_create(
    *, actor: User | None, user: User, name: str = TWO_FACTOR_DEVICE_NAME
) -> TOTPDevice:
    """An unconfirmed authenticator device for ``user``. An unconfirmed one already made is reused,
    so that reloading the set-up page keeps the same secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is not None:
        return device
    device = TOTPDevice(user=user, name=name, confirmed=False)
    device.full_clean()
    device.save()
    audit_record(
        kind=AccountsAuditKind.TWO_FACTOR_DEVICE_CREATED,
        actor=actor,
        target=user,
        after={"device": name},
    )
    return device


def _code_problem(device: TOTPDevice, code: str) -> ValidationError | None:
    """Check a code against a device; None when it is right.

    Runs outside any transaction that the caller rolls back, so that django-otp's count of wrong
    codes (which slows further tries) is kept.
    """
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return ValidationError({"code": THROTTLED_CODE_MESSAGE}, code="throttled")
    if not device.verify_token("".join(code.split())):
        return ValidationError({"code": WRONG_CODE_MESSAGE}, code="wrong")
    return None


def totp_device_confirm(*, actor: User | None, device: TOTPDevice, code: str) -> TOTPDevice:
    """Confirm a new device with a code from it. Raises ValidationError (field ``code``) for a wrong code."""
    if device.confirmed:
        return device
    problem = _code_problem(device, code)
    if problem is not None:
        raise problem
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(
            kind=AccountsAuditKind.TWO_FACTOR_ENABLED,
            actor=actor,
            target=device.user,
            after={"device": device.name},
        )
    return device


def totp_device_verify(*, user: User, code: str) -> TOTPDevice:
    """The confirmed device that accepts ``code``, for signing in. Raises ValidationError when none does.

    A wrong code slows further tries (django-otp's throttling); a code already used is refused.
    """
    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id"))
    if not devices:
        raise ValidationError({"code": "Two-factor sign-in is not set up for this account yet."})
    problem: ValidationError | None = None
    for device in devices:
        problem = _code_problem(device, code)
        if problem is None:
            return device
    assert problem is not None
    raise problem
