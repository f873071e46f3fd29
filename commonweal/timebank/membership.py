"""Members and organisations of a timebank: joining, a broker's decision, proxy members, vetting.

Who may act: ``can_broker`` (brokers, coordinators and administrators of the organisation that runs the
timebank) and ``can_see_member``. Services take ``actor``, run in one transaction, validate, and write the
audit log. Accounts are opened only through ``commonweal.timebank.ledger``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commonweal.accounts.constants import ConsentPurpose, LawfulBasis, Role
from commonweal.accounts.models import Organisation, User
from commonweal.accounts.selectors import user_list_with_role
from commonweal.accounts.services import consent_give
from commonweal.core.audit import audit_record
from commonweal.core.emails import email_send
from commonweal.core.permissions import Decision
from commonweal.geo.exceptions import GeoError, InvalidPostcodeError
from commonweal.geo.postcodes import postcode_canonical
from commonweal.geo.services import located_model_fill_from_postcode
from commonweal.timebank import ledger, selectors
from commonweal.timebank.constants import (
    AccountKind,
    MemberStatus,
    TimebankAuditKind,
    VettingKind,
    VettingOutcome,
)
from commonweal.timebank.models import Account, Locality, Member, Timebank, VettingRecord

# Roles that broker a timebank, held in the organisation that runs it (the ledger's rule).
BROKER_ROLES: tuple[str, ...] = tuple(str(role) for role in selectors.BROKER_ROLES)

# The words a person agrees to when they join (kept, word for word, in their consent record).
TIMEBANK_CONSENT_WORDING = (
    "I agree to the members' agreement: I give and receive help as a good neighbour, not a "
    "professional service; I take no money, gifts or tips; I tell the broker if anything goes wrong. "
    "The timebank may keep my name, postcode, what I offer and need, and a record of the hours I give "
    "and receive, and its brokers may contact me about exchanges."
)
TIMEBANK_CONSENT_VERSION = "1"

DBS_KINDS = frozenset(
    {
        VettingKind.DBS_BASIC,
        VettingKind.DBS_STANDARD,
        VettingKind.DBS_ENHANCED,
        VettingKind.DBS_ENHANCED_BARRED,
    }
)


# --- Permissions -------------------------------------------------------------------------------------


def _signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_broker(user: Any, timebank: Timebank) -> Decision:
    """Broker this timebank: its organisation's brokers, coordinators and administrators."""
    if not _signed_in(user):
        return Decision.deny("You need to sign in first.")
    if selectors.user_is_broker(user=user, timebank=timebank):
        return Decision.allow()
    return Decision.deny(f"Only the brokers of {timebank.name} can see this page.")


def can_see_member(user: Any, member: Member) -> Decision:
    """A member's own records: the member, or a broker of their timebank."""
    if not _signed_in(user):
        return Decision.deny("You need to sign in first.")
    if member.user_id is not None and member.user_id == user.pk:
        return Decision.allow("These are your own records.")
    return can_broker(user, member.timebank)


def can_use_organisation_account(user: Any, account: Account) -> Decision:
    """An organisation's timebank account: its group reps (and its own coordinators and admins)."""
    if not _signed_in(user):
        return Decision.deny("You need to sign in first.")
    if account.kind == AccountKind.ORGANISATION and selectors.account_acts_for(
        user=user, account=account
    ):
        return Decision.allow()
    name = account.organisation.name if account.organisation else account.name
    return Decision.deny(
        f"Only the representatives of {name} can use its timebank account. "
        "Ask the organisation to add you as a group representative."
    )


def _require_broker(actor: User, timebank: Timebank) -> None:
    decision = can_broker(actor, timebank)
    if not decision:
        raise ValidationError(decision.reason)


def broker_emails(timebank: Timebank) -> list[str]:
    """The addresses of a timebank's brokers (those with the broker role; else its coordinators)."""
    if timebank.organisation is None:
        return []
    for role in (Role.BROKER, Role.COORDINATOR):
        emails = list(
            user_list_with_role(role=role, organisation=timebank.organisation).values_list(
                "email", flat=True
            )
        )
        if emails:
            return sorted(emails)
    return []


# --- Timebanks ---------------------------------------------------------------------------------------


@transaction.atomic
def timebank_create(
    *,
    actor: User | None,
    name: str,
    slug: str,
    organisation: Organisation | None,
    localities: list[str] | tuple[str, ...] = (),
    **settings: Any,
) -> Timebank:
    """A new timebank with its locality groups, its community pot and its own issuing account."""
    timebank = Timebank(name=name, slug=slug, organisation=organisation, **settings)
    timebank.full_clean()
    timebank.save()
    for locality_name in localities:
        Locality.objects.create(timebank=timebank, name=locality_name)
    ledger.timebank_accounts_ensure(timebank=timebank)
    audit_record(
        kind=TimebankAuditKind.TIMEBANK_SAVED,
        actor=actor,
        target=timebank,
        after={"name": name, "slug": slug, "localities": list(localities)},
    )
    return timebank


_TIMEBANK_RULES = (
    "name",
    "slug",
    "organisation_id",
    "rounding_minutes",
    "default_min_balance",
    "default_max_balance",
    "limit_policy",
    "confirmation_policy",
    "auto_confirm_after_days",
    "max_backdate_days",
    "group_activities_first",
)


@transaction.atomic
def timebank_save(*, actor: User | None, timebank: Timebank) -> Timebank:
    """Save a timebank a deployer set up or changed (the admin): checked, with its community pot and
    issuing account opened through the ledger, and audited with what changed."""
    creating = timebank.pk is None
    before: dict[str, Any] = {}
    if not creating:
        old = Timebank.objects.filter(pk=timebank.pk).values(*_TIMEBANK_RULES).first() or {}
        before = {name: old.get(name) for name in _TIMEBANK_RULES}
    timebank.full_clean()
    timebank.save()
    ledger.timebank_accounts_ensure(timebank=timebank)
    after = {name: getattr(timebank, name) for name in _TIMEBANK_RULES}
    audit_record(
        kind=TimebankAuditKind.TIMEBANK_SAVED,
        actor=actor,
        target=timebank,
        before={name: value for name, value in before.items() if value != after[name]},
        after={name: value for name, value in after.items() if creating or value != before[name]},
    )
    return timebank


# --- Joining -----------------------------------------------------------------------------------------


def _place(member: Member, postcode: str) -> None:
    """The postcode only (never an address), and the ward it is in where geo knows it."""
    member.postcode = postcode_canonical(postcode) if postcode.strip() else ""
    member.latitude = member.longitude = None
    member.ward = member.lsoa = None
    if not member.postcode:
        return
    try:
        located_model_fill_from_postcode(instance=member, postcode=member.postcode)
    except InvalidPostcodeError as error:
        raise ValidationError({"postcode": str(error)}) from error
    except GeoError:
        return  # a new street: kept without a ward


def _locality_problem(timebank: Timebank, locality: Locality | None) -> str | None:
    if locality is not None and locality.timebank_id != timebank.pk:
        return f"Choose one of {timebank.name}'s locality groups."
    if locality is None and timebank.localities.exists():
        return "Choose the locality group nearest to you."
    return None


@transaction.atomic
def member_apply(
    *,
    actor: User,
    timebank: Timebank,
    display_name: str,
    locality: Locality | None,
    can_offer: str,
    might_need: str = "",
    postcode: str = "",
    agrees: bool,
) -> Member:
    """A signed-in person asks to join a timebank. A broker decides; the brokers are emailed.

    Someone whose earlier application was not accepted may apply again. Agreeing is recorded as consent
    for the timebank purpose, with the words they agreed to.
    """
    if not _signed_in(actor):
        raise ValidationError("Sign in to apply to join a timebank.")
    errors: dict[str, str] = {}
    if not display_name.strip():
        errors["display_name"] = "Enter the name other members will see."
    if not can_offer.strip():
        errors["can_offer"] = (
            "Say something you could offer: everyone has something, "
            "such as a chat over a cup of tea."
        )
    if problem := _locality_problem(timebank, locality):
        errors["locality"] = problem
    if not agrees:
        errors["agrees"] = "Agree to the members' agreement to join."
    if errors:
        raise ValidationError(errors)

    member = Member.objects.select_for_update().filter(timebank=timebank, user=actor).first()
    if member is not None and member.status != MemberStatus.DECLINED:
        raise ValidationError(
            "You have already applied to this timebank."
            if member.status == MemberStatus.APPLIED
            else "You are already a member of this timebank."
        )
    if member is None:
        member = Member(timebank=timebank, user=actor)
    member.display_name = display_name.strip()
    member.locality = locality
    member.can_offer = can_offer.strip()
    member.might_need = might_need.strip()
    member.status = MemberStatus.APPLIED
    member.decision_note = ""
    member.terms_agreed_at = timezone.now()
    _place(member, postcode)
    member.full_clean()
    member.save()
    consent_give(
        actor=actor,
        user=actor,
        purpose=ConsentPurpose.TIMEBANK,
        lawful_basis=LawfulBasis.CONSENT,
        wording=TIMEBANK_CONSENT_WORDING,
        wording_version=TIMEBANK_CONSENT_VERSION,
    )
    audit_record(
        kind=TimebankAuditKind.MEMBER_APPLIED,
        actor=actor,
        target=member,
        after={"timebank": timebank.slug, "locality": locality.name if locality else None},
    )
    email_send(
        to=broker_emails(timebank),
        template="timebank/emails/application_received.txt",
        context={"member": member, "timebank": timebank},
    )
    return member


def _open_member_account(actor: User, member: Member) -> Account:
    ledger.timebank_accounts_ensure(timebank=member.timebank)
    existing = Account.objects.filter(member=member).first()
    if existing is not None:
        return existing
    return ledger.account_open(
        actor=actor, timebank=member.timebank, kind=AccountKind.MEMBER, member=member
    )


def _joined_on(joined_on: datetime.date | None) -> datetime.date:
    """The day someone joined: today, or an earlier day a broker records (a paper form, a register
    brought across from another system). Never in the future."""
    today = timezone.localdate()
    if joined_on is None:
        return today
    if joined_on > today:
        raise ValidationError({"joined_on": "The date they joined cannot be in the future."})
    return joined_on


@transaction.atomic
def member_approve(
    *, actor: User, member: Member, joined_on: datetime.date | None = None
) -> Member:
    """A broker accepts an application: the member becomes active, their account opens, they are told.

    ``joined_on`` is for a decision a broker made earlier (on paper): by default, today.
    """
    _require_broker(actor, member.timebank)
    joined = _joined_on(joined_on)
    member = (
        Member.objects.select_for_update(of=("self",))
        .select_related("timebank", "user")
        .get(pk=member.pk)
    )
    if member.status != MemberStatus.APPLIED:
        raise ValidationError("This application has already been decided.")
    member.status = MemberStatus.ACTIVE
    member.approved_by = actor
    member.approved_at = timezone.now()
    member.joined_on = joined
    member.decision_note = ""
    member.save()
    _open_member_account(actor, member)
    audit_record(
        kind=TimebankAuditKind.MEMBER_APPROVED,
        actor=actor,
        target=member,
        before={"status": MemberStatus.APPLIED},
        after={"status": MemberStatus.ACTIVE},
    )
    if member.user is not None:
        email_send(
            to=[member.user.email],
            template="timebank/emails/application_approved.txt",
            context={"member": member, "timebank": member.timebank},
        )
    return member


@transaction.atomic
def member_decline(*, actor: User, member: Member, reason: str) -> Member:
    """A broker does not accept an application, and says why (the applicant is emailed the reason)."""
    _require_broker(actor, member.timebank)
    if not reason.strip():
        raise ValidationError({"reason": "Say why, in words the applicant will read."})
    member = (
        Member.objects.select_for_update(of=("self",))
        .select_related("timebank", "user")
        .get(pk=member.pk)
    )
    if member.status != MemberStatus.APPLIED:
        raise ValidationError("This application has already been decided.")
    member.status = MemberStatus.DECLINED
    member.decision_note = reason.strip()
    member.save()
    audit_record(
        kind=TimebankAuditKind.MEMBER_STATUS_CHANGED,
        actor=actor,
        target=member,
        before={"status": MemberStatus.APPLIED},
        after={"status": MemberStatus.DECLINED},
        note=member.decision_note,
    )
    if member.user is not None:
        email_send(
            to=[member.user.email],
            template="timebank/emails/application_declined.txt",
            context={"member": member, "timebank": member.timebank, "reason": member.decision_note},
        )
    return member


@transaction.atomic
def proxy_member_create(
    *,
    actor: User,
    timebank: Timebank,
    display_name: str,
    locality: Locality | None,
    contact_notes: str,
    can_offer: str = "",
    might_need: str = "",
    postcode: str = "",
    vulnerable: bool = False,
    agreed: bool,
    joined_on: datetime.date | None = None,
) -> Member:
    """A broker adds a member who has no email or internet; the broker records exchanges for them.

    The member joins at once (the broker has met them) and their agreement is recorded as consent given
    through the broker. ``joined_on`` is for someone who joined earlier on paper: by default, today.
    """
    _require_broker(actor, timebank)
    joined = _joined_on(joined_on)
    errors: dict[str, str] = {}
    if not display_name.strip():
        errors["display_name"] = "Enter the member's name."
    if not contact_notes.strip():
        errors["contact_notes"] = "Say how you reach them, for example a phone number or a visit."
    if problem := _locality_problem(timebank, locality):
        errors["locality"] = problem
    if not agreed:
        errors["agreed"] = "Confirm that they have agreed to the members' agreement."
    if errors:
        raise ValidationError(errors)
    member = Member(
        timebank=timebank,
        user=None,
        is_proxy=True,
        proxy_broker=actor,
        display_name=display_name.strip(),
        locality=locality,
        contact_notes=contact_notes.strip(),
        can_offer=can_offer.strip(),
        might_need=might_need.strip(),
        vulnerable=vulnerable,
        status=MemberStatus.ACTIVE,
        approved_by=actor,
        approved_at=timezone.now(),
        joined_on=joined,
        terms_agreed_at=timezone.now(),
    )
    _place(member, postcode)
    member.full_clean()
    member.save()
    consent_give(
        actor=actor,
        person_name=member.display_name,
        given_by_proxy=actor.get_full_name() or actor.email,
        purpose=ConsentPurpose.TIMEBANK,
        wording=TIMEBANK_CONSENT_WORDING,
        wording_version=TIMEBANK_CONSENT_VERSION,
    )
    audit_record(
        kind=TimebankAuditKind.MEMBER_APPROVED,
        actor=actor,
        target=member,
        after={"status": MemberStatus.ACTIVE, "proxy": True},
    )
    _open_member_account(actor, member)
    return member


@transaction.atomic
def organisation_account_add(
    *, actor: User, timebank: Timebank, organisation: Organisation
) -> Account:
    """A broker adds an organisation (a school, a community hub) as an account holder."""
    _require_broker(actor, timebank)
    if Account.objects.filter(
        timebank=timebank, kind=AccountKind.ORGANISATION, organisation=organisation
    ).exists():
        raise ValidationError(
            {"organisation": f"{organisation.name} already has an account in {timebank.name}."}
        )
    try:
        return ledger.account_open(
            actor=actor, timebank=timebank, kind=AccountKind.ORGANISATION, organisation=organisation
        )
    except ledger.LedgerError as error:
        raise ValidationError({"organisation": str(error)}) from error


# --- Vetting -----------------------------------------------------------------------------------------


@transaction.atomic
def vetting_record_add(
    *,
    actor: User,
    member: Member,
    kind: str,
    checked_on: datetime.date,
    outcome: str = VettingOutcome.CLEAR,
    expires_on: datetime.date | None = None,
    reference: str = "",
    notes: str = "",
) -> VettingRecord:
    """A broker records a DBS check, a reference, an induction or an identity check."""
    _require_broker(actor, member.timebank)
    errors: dict[str, str] = {}
    if checked_on > timezone.localdate():
        errors["checked_on"] = "The date it was checked cannot be in the future."
    if expires_on is not None and expires_on <= checked_on:
        errors["expires_on"] = "The expiry date must be after the date it was checked."
    if kind in DBS_KINDS and not reference.strip():
        errors["reference"] = "Enter the DBS certificate number."
    if kind == VettingKind.REFERENCE and not reference.strip():
        errors["reference"] = "Enter the referee's name."
    if errors:
        raise ValidationError(errors)
    record = VettingRecord(
        member=member,
        kind=kind,
        outcome=outcome,
        checked_on=checked_on,
        expires_on=expires_on,
        reference=reference.strip(),
        notes=notes.strip(),
        recorded_by=actor,
    )
    record.full_clean()
    record.save()
    audit_record(
        kind=TimebankAuditKind.VETTING_RECORDED,
        actor=actor,
        target=member,
        after={
            "kind": kind,
            "outcome": outcome,
            "checked_on": checked_on.isoformat(),
            "expires_on": expires_on.isoformat() if expires_on else None,
        },
    )
    return record


# --- Safeguarding restrictions -----------------------------------------------------------------------

RESTRICTION_FIELDS = ("vulnerable", "no_home_visits", "accompanied_only", "restriction_note")


@transaction.atomic
def member_restrictions_set(
    *,
    actor: User,
    member: Member,
    vulnerable: bool,
    no_home_visits: bool,
    accompanied_only: bool,
    note: str,
) -> Member:
    """A broker records what a member may do: "no home visits", "accompanied only", whether they may
    be vulnerable, and a note for brokers on why. The ledger, matching and the gift board enforce them.

    Setting or lifting a restriction needs a note (what was agreed, and why); every change is audited.
    """
    _require_broker(actor, member.timebank)
    member = Member.objects.select_for_update().get(pk=member.pk)
    note = note.strip()
    restricting = no_home_visits or accompanied_only
    changes_restrictions = (no_home_visits, accompanied_only) != (
        member.no_home_visits,
        member.accompanied_only,
    )
    if (restricting or changes_restrictions) and not note:
        raise ValidationError(
            {"note": "Say why, and what was agreed: other brokers read this before an exchange."}
        )
    before = {name: getattr(member, name) for name in RESTRICTION_FIELDS}
    member.vulnerable = vulnerable
    member.no_home_visits = no_home_visits
    member.accompanied_only = accompanied_only
    member.restriction_note = note
    after = {name: getattr(member, name) for name in RESTRICTION_FIELDS}
    if after == before:
        return member
    member.save(update_fields=[*RESTRICTION_FIELDS, "updated_at"])
    audit_record(
        kind=TimebankAuditKind.MEMBER_RESTRICTIONS_CHANGED,
        actor=actor,
        target=member,
        before={k: v for k, v in before.items() if k != "restriction_note"},
        after={k: v for k, v in after.items() if k != "restriction_note"},
        note=note,
    )
    return member
