"""Changes in self-service and moderation: claims, proposed edits, approvals, versions and reminders.

Every change is validated, runs in a transaction and is audited. Decisions lock the claim or edit
(``select_for_update``) and do nothing to one that is no longer pending, so a double-submitted form is
harmless. Emails go out after the transaction, to the address the person gave.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Model
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.constants import OrganisationKind, Role
from commonweal.accounts.models import Organisation, User
from commonweal.accounts.selectors import user_has_role, user_list_with_role
from commonweal.accounts.services import membership_grant, organisation_create
from commonweal.core.audit import audit_record
from commonweal.core.emails import email_send
from commonweal.directory import services as directory_services
from commonweal.directory.constants import (
    MODERATION_TRANSITIONS,
    ModerationAuditKind,
    ModerationStatus,
    Publication,
)
from commonweal.directory.listing import moderator_emails
from commonweal.directory.models import (
    Contact,
    ListingClaim,
    Location,
    Organization,
    Phone,
    ReviewReminder,
    Service,
    ServiceEdit,
    ServiceVersion,
)
from commonweal.directory.moderation import (
    DOCUMENT_KEYS,
    LIST_KEYS,
    SERVICE_FIELDS,
    amount_value,
    can_edit_listing,
    diff_sections,
    document_checked,
    document_diff,
    document_effective,
    listing_document,
    owned_places,
)
from commonweal.directory.permissions import can_review_claim, can_review_edit

REMINDER_INTERVAL_DAYS = 30

# A few common languages' ISO 639-1 codes, so a language a group types in gets its code.
LANGUAGE_CODES = {
    "arabic": "ar",
    "bengali": "bn",
    "british sign language": "bfi",
    "bsl": "bfi",
    "english": "en",
    "french": "fr",
    "gujarati": "gu",
    "lithuanian": "lt",
    "polish": "pl",
    "portuguese": "pt",
    "punjabi": "pa",
    "romanian": "ro",
    "somali": "so",
    "spanish": "es",
    "tamil": "ta",
    "turkish": "tr",
    "twi": "tw",
    "urdu": "ur",
    "yoruba": "yo",
}


def site_link(name: str, *args: Any) -> str:
    return settings.COMMONWEAL_SITE_URL + reverse(name, args=args)


def _decide(record: ListingClaim | ServiceEdit, actor: Any, status: str, reason: str = "") -> None:
    if status not in MODERATION_TRANSITIONS[record.status]:
        raise ValidationError(
            f"A {record.get_status_display().lower()} request cannot be {status}."
        )
    record.status = status
    record.decided_by = actor
    record.decided_at = timezone.now()
    record.reason = reason
    record.full_clean()
    record.save()


# --- Claims -----------------------------------------------------------------------------------------


@transaction.atomic
def claim_create(
    *,
    actor: User,
    service: Service,
    role_in_group: str,
    evidence: str,
    consent_to_contact: bool,
    notify: bool = True,
) -> ListingClaim:
    """Someone asks to keep the listings of ``service``'s organisation up to date."""
    organization = service.organization
    errors: dict[str, str] = {}
    if not role_in_group.strip():
        errors["role_in_group"] = "Say what you do in the group, for example secretary."
    if not evidence.strip():
        errors["evidence"] = "Say how a moderator can check that you act for the group."
    if not consent_to_contact:
        errors["consent_to_contact"] = (
            "Agree to a moderator contacting you, so they can check your claim."
        )
    if errors:
        raise ValidationError(errors)
    account = organization.account_organisation
    if account is not None and user_has_role(
        user=actor, roles=[Role.GROUP_REP], organisation=account
    ):
        raise ValidationError(f"You already look after the listings of {organization}.")
    if ListingClaim.objects.filter(
        user=actor, organization=organization, status=ModerationStatus.PENDING
    ).exists():
        raise ValidationError(
            f"You have already claimed {organization}. A moderator will be in touch."
        )
    claim = ListingClaim(
        organization=organization,
        service=service,
        user=actor,
        role_in_group=role_in_group.strip(),
        evidence=evidence.strip(),
        consent_to_contact=True,
    )
    claim.full_clean()
    claim.save()
    audit_record(
        kind=ModerationAuditKind.CLAIM_MADE,
        actor=actor,
        target=claim,
        after={"organization": str(organization.public_id), "role_in_group": claim.role_in_group},
    )
    if notify:
        email_send(
            to=moderator_emails(),
            template="directory/emails/claim_received.txt",
            context={
                "claim": claim,
                "organization": organization,
                "review_url": site_link("directory:claim_review", claim.public_id),
            },
        )
    return claim


def _account_organisation_ensure(*, actor: Any, organization: Organization) -> Organisation:
    """The Commonweal organisation whose members keep the listing current, made and linked if missing."""
    if organization.account_organisation is not None:
        return organization.account_organisation
    account = organisation_create(
        actor=actor,
        name=organization.name,
        kind=OrganisationKind.VCS_GROUP,
        description=organization.description,
        email=organization.email,
        website=organization.website,
    )
    organization_account_link(actor=actor, organization=organization, account=account)
    return account


@transaction.atomic
def organization_account_link(
    *, actor: Any, organization: Organization, account: Organisation
) -> Organization:
    """Make ``account``'s group representatives the keepers of ``organization``'s listings."""
    if organization.account_organisation_id == account.pk:
        return organization
    before = organization.account_organisation.slug if organization.account_organisation else None
    organization.account_organisation = account
    organization.full_clean()
    organization.save(update_fields=["account_organisation", "updated_at"])
    audit_record(
        kind=ModerationAuditKind.ACCOUNT_ORGANISATION_LINKED,
        actor=actor,
        target=organization,
        before={"account_organisation": before},
        after={"account_organisation": account.slug},
    )
    return organization


def claim_approve(*, actor: User, claim: ListingClaim) -> ListingClaim:
    """The claimant becomes a group representative of the listing's organisation, and is told."""
    can_review_claim(actor, claim).require()
    with transaction.atomic():
        locked = ListingClaim.objects.select_for_update().get(pk=claim.pk)
        if not locked.is_pending:
            return locked
        organization = Organization.objects.select_for_update().get(pk=locked.organization_id)
        account = _account_organisation_ensure(actor=actor, organization=organization)
        membership_grant(actor=actor, user=locked.user, organisation=account, role=Role.GROUP_REP)
        _decide(locked, actor, ModerationStatus.APPROVED)
        audit_record(
            kind=ModerationAuditKind.CLAIM_APPROVED,
            actor=actor,
            target=locked,
            before={"status": ModerationStatus.PENDING},
            after={"status": locked.status, "organisation": account.slug},
        )
    email_send(
        to=[locked.user.email],
        template="directory/emails/claim_approved.txt",
        context={
            "claim": locked,
            "organization": organization,
            "manage_url": site_link("directory:manage"),
        },
    )
    return locked


def claim_reject(*, actor: User, claim: ListingClaim, reason: str) -> ListingClaim:
    """Turn a claim down, with a reason the claimant is sent."""
    can_review_claim(actor, claim).require()
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the claim is rejected: the claimant is told."})
    with transaction.atomic():
        locked = ListingClaim.objects.select_for_update().get(pk=claim.pk)
        if not locked.is_pending:
            return locked
        _decide(locked, actor, ModerationStatus.REJECTED, reason)
        audit_record(
            kind=ModerationAuditKind.CLAIM_REJECTED,
            actor=actor,
            target=locked,
            before={"status": ModerationStatus.PENDING},
            after={"status": locked.status, "reason": reason},
        )
    email_send(
        to=[locked.user.email],
        template="directory/emails/claim_rejected.txt",
        context={"claim": locked, "organization": locked.organization, "reason": reason},
    )
    return locked


# --- Versions --------------------------------------------------------------------------------------


def _version_create(
    *, service: Service, actor: Any, proposed_by: Any = None, note: str = ""
) -> ServiceVersion:
    service = Service.objects.select_related("organization").get(pk=service.pk)
    number = (service.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = ServiceVersion(
        service=service,
        number=number,
        data=listing_document(service),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        proposed_by=proposed_by,
        note=note,
    )
    version.full_clean()
    version.save()
    audit_record(
        kind=ModerationAuditKind.VERSION_CREATED,
        actor=actor,
        target=service,
        after={"version": number},
        note=note,
    )
    return version


@transaction.atomic
def version_ensure(*, service: Service) -> ServiceVersion:
    """The listing's latest approved version; the first time, version 1 is made from the live listing.

    A latest version stored before the document held everything it holds now (phone numbers,
    contacts, costs) is followed by one of the live listing, so that an edit's base says what the
    group saw and approving it keeps changes made to those lists in the meantime.
    """
    Service.objects.select_for_update().filter(pk=service.pk).first()
    latest = service.versions.order_by("-number").first()
    if latest is not None and all(key in latest.data for key in DOCUMENT_KEYS):
        return latest
    if latest is not None:
        return _version_create(
            service=service,
            actor=None,
            note="The listing as it was before this change, with its phone numbers, "
            "contacts and costs.",
        )
    return _version_create(
        service=service, actor=None, note="The listing as it was before its first change here."
    )


@transaction.atomic
def version_record(*, actor: Any, service: Service, note: str) -> ServiceVersion | None:
    """Record the listing as it is now as a new version, unless the latest version already says the
    same (for changes made outside the moderation queue, such as in the administration site)."""
    Service.objects.select_for_update().filter(pk=service.pk).first()
    latest = service.versions.order_by("-number").first()
    if latest is not None and not document_diff(
        latest.data, listing_document(_service_loaded(service.pk))
    ):
        return None
    return _version_create(service=service, actor=actor, note=note)


# --- Edits -----------------------------------------------------------------------------------------


@transaction.atomic
def edit_propose(
    *, actor: User, service: Service, proposed: Mapping[str, Any], notify: bool = True
) -> ServiceEdit:
    """Keep a representative's proposed listing for a moderator; the live listing does not change."""
    can_edit_listing(actor, service).require()
    base = version_ensure(service=service)
    current = listing_document(_service_loaded(service.pk))
    document = {**current, **{key: value for key, value in proposed.items() if key in current}}
    document = document_checked(document, current=current)
    rows = document_diff(current, document)
    if not rows:
        raise ValidationError(
            "You have not changed anything. If the listing is right as it is, "
            "confirm that it is still correct instead."
        )
    edit = ServiceEdit(service=service, base_version=base, proposed=document, proposed_by=actor)
    edit.full_clean()
    edit.save()
    audit_record(
        kind=ModerationAuditKind.EDIT_PROPOSED,
        actor=actor,
        target=service,
        after={"edit": str(edit.public_id), "base_version": base.number},
    )
    if notify:
        email_send(
            to=moderator_emails(),
            template="directory/emails/edit_received.txt",
            context={
                "edit": edit,
                "service": service,
                "changes": diff_sections(rows),
                "review_url": site_link("directory:edit_review", edit.public_id),
            },
        )
    return edit


def _record_fields(record: Model, exclude: set[str]) -> dict[str, Any]:
    """A child record's field values (``public_id`` kept), to recreate it as it is."""
    values: dict[str, Any] = {}
    for model_field in record._meta.concrete_fields:
        name = model_field.name
        if name in exclude or name in ("id", "created_at", "updated_at"):
            continue
        values[name] = getattr(record, name)
    return values


def _time_value(text: str | None) -> dt.time | None:
    return dt.time.fromisoformat(text) if text else None


def _phone_fields(phone: Phone, keep_out: set[str]) -> dict[str, Any]:
    """A phone's field values and its languages (ids kept), to recreate it as it is."""
    fields = _record_fields(phone, keep_out)
    fields["languages"] = [
        _record_fields(language, {"phone"}) for language in phone.languages.all()
    ]
    return fields


def _attribute_rows(contact: Contact) -> list[dict[str, Any]]:
    """A contact's taxonomy attributes (ids kept), to recreate them as they are."""
    return [
        _record_fields(attribute, {"link_content_type", "link_object_id"})
        for attribute in contact.attributes.all()
    ]


def _phone_rows(
    items: list[dict[str, Any]], existing: Mapping[str, Phone], keep_out: set[str]
) -> list[dict[str, Any]]:
    """Phone records for ``items``: one that names an existing phone keeps what the form leaves out,
    its languages too."""
    rows = []
    for item in items:
        before = existing.get(item.get("id") or "")
        fields = _phone_fields(before, keep_out) if before is not None else {}
        fields.update({"number": item["number"], "description": item.get("description") or ""})
        rows.append(fields)
    return rows


def _contacts_with(
    service: Service, contacts: list[dict[str, Any]] | None
) -> list[directory_services.ContactDetails]:
    keep_out = {"service"}
    phone_keep_out = {"contact", "service"}
    existing = {
        str(contact.public_id): contact
        for contact in Contact.objects.filter(service=service).prefetch_related(
            "phones__languages", "attributes__taxonomy_term"
        )
    }
    if contacts is None:
        return [
            directory_services.ContactDetails(
                fields=_record_fields(contact, keep_out),
                phones=[_phone_fields(phone, phone_keep_out) for phone in contact.phones.all()],
                attributes=_attribute_rows(contact),
            )
            for contact in existing.values()
        ]
    details = []
    for item in contacts:
        before = existing.get(item.get("id") or "")
        fields = _record_fields(before, keep_out) if before is not None else {}
        fields.update({name: item.get(name) or "" for name in ("name", "title", "email")})
        phones = {str(p.public_id): p for p in before.phones.all()} if before is not None else {}
        details.append(
            directory_services.ContactDetails(
                fields=fields,
                phones=_phone_rows(item.get("phones") or [], phones, phone_keep_out),
                attributes=_attribute_rows(before) if before is not None else [],
            )
        )
    return details


def _details_with(
    *,
    service: Service,
    schedules: list[dict[str, Any]] | None = None,
    languages: list[str] | None = None,
    phones: list[dict[str, Any]] | None = None,
    contacts: list[dict[str, Any]] | None = None,
    cost_options: list[dict[str, Any]] | None = None,
) -> directory_services.ServiceDetails:
    """The service's details as they are, with the lists given (None: as they are) put in."""
    keep_out = {"service"}
    existing_schedules = {str(s.public_id): s for s in service.schedules.all()}
    if schedules is None:
        schedule_rows = [_record_fields(s, keep_out) for s in existing_schedules.values()]
    else:
        schedule_rows = []
        for item in schedules:
            simple = {
                "freq": item.get("freq") or "",
                "interval": item.get("interval") or None,
                "byday": item.get("byday") or "",
                "opens_at": _time_value(item.get("opens_at")),
                "closes_at": _time_value(item.get("closes_at")),
                "description": item.get("description") or "",
            }
            before = existing_schedules.get(item.get("id") or "")
            if before is not None:
                fields = _record_fields(before, keep_out)
                fields.update(simple)
                if simple["byday"]:
                    fields["bymonthday"] = ""
            else:
                fields = simple
            schedule_rows.append(fields)
    current_languages = [
        language for language in service.languages.all() if language.phone_id is None
    ]
    if languages is None:
        language_rows = [_record_fields(lang, keep_out | {"phone"}) for lang in current_languages]
    else:
        codes = {lang.name.casefold(): lang.code for lang in current_languages}
        language_rows = [
            {
                "name": name,
                "code": codes.get(name.casefold()) or LANGUAGE_CODES.get(name.casefold(), ""),
            }
            for name in languages
        ]
    existing_phones = {
        str(p.public_id): p
        for p in service.phones.filter(contact__isnull=True).prefetch_related("languages")
    }
    if phones is None:
        phone_rows = [_phone_fields(p, {"service", "contact"}) for p in existing_phones.values()]
    else:
        phone_rows = _phone_rows(phones, existing_phones, {"service", "contact"})
    existing_costs = {str(c.public_id): c for c in service.cost_options.all()}
    if cost_options is None:
        cost_rows = [_record_fields(c, keep_out) for c in existing_costs.values()]
    else:
        cost_rows = []
        for item in cost_options:
            cost_before = existing_costs.get(item.get("id") or "")
            fields = _record_fields(cost_before, keep_out) if cost_before is not None else {}
            fields.update(
                {
                    "option": item.get("option") or "",
                    "amount": amount_value(item.get("amount")),
                    "amount_description": item.get("amount_description") or "",
                }
            )
            cost_rows.append(fields)
    return directory_services.ServiceDetails(
        schedules=schedule_rows,
        contacts=_contacts_with(service, contacts),
        phones=phone_rows,
        languages=language_rows,
        funding=[_record_fields(f, keep_out) for f in service.funding.all()],
        cost_options=cost_rows,
        service_areas=[_record_fields(a, keep_out) for a in service.service_areas.all()],
    )


def _apply(
    *, actor: User, service: Service, current: dict[str, Any], target: dict[str, Any]
) -> None:
    """Make the live listing say what ``target`` says, through the directory's services."""
    changes = {
        name: target[name]
        for name in SERVICE_FIELDS
        if name in target and target[name] != current.get(name)
    }
    changes["assured_date"] = timezone.localdate()
    changes["assurer_email"] = actor.email
    directory_services.service_update(actor=actor, service=service, changes=changes)
    changed = {
        key
        for key in ("schedules", "languages", *LIST_KEYS)
        if key in target and target[key] != current.get(key)
    }
    if changed:
        directory_services.service_details_replace(
            actor=actor,
            service=service,
            details=_details_with(
                service=service,
                **{key: target[key] for key in changed},  # the rest as they are
            ),
        )
    if target.get("local_offer") != current.get("local_offer"):
        directory_services.local_offer_answers_set(
            actor=actor, service=service, answers=target.get("local_offer") or {}
        )
    places = {str(location.public_id): location for location in owned_places(service)}
    for place_id, wanted in (target.get("places") or {}).items():
        location: Location | None = places.get(place_id)
        if location is None or wanted == (current.get("places") or {}).get(place_id):
            continue
        directory_services.location_update(
            actor=actor,
            location=location,
            changes={
                "is_meeting_place": bool(wanted.get("is_meeting_place")),
                "capacity": wanted.get("capacity"),
            },
        )
        directory_services.location_facilities_set(
            actor=actor, location=location, facilities=wanted.get("facilities") or []
        )


def _service_loaded(pk: int) -> Service:
    return (
        Service.objects.select_related("organization")
        .prefetch_related(
            "languages",
            "local_offer_answers",
            "schedules",
            "phones",
            "contacts__phones",
            "cost_options",
            "service_at_locations__location__organization",
            "service_at_locations__location__facilities",
        )
        .get(pk=pk)
    )


def edit_approve(*, actor: User, edit: ServiceEdit) -> ServiceEdit:
    """Apply a proposed edit to the live listing, record the new version and tell the proposer."""
    can_review_edit(actor, edit).require()
    with transaction.atomic():
        locked = ServiceEdit.objects.select_for_update().get(pk=edit.pk)
        if not locked.is_pending:
            return locked
        Service.objects.select_for_update().filter(pk=locked.service_id).first()
        service = _service_loaded(locked.service_id)
        current = listing_document(service)
        base = ServiceVersion.objects.get(pk=locked.base_version_id)
        target = document_effective(base=base.data, proposed=locked.proposed, current=current)
        before_rows = len(document_diff(current, target))
        _apply(actor=actor, service=service, current=current, target=target)
        version = _version_create(
            service=service,
            actor=actor,
            proposed_by=locked.proposed_by,
            note=f"Change proposed by {locked.proposed_by or 'a representative'} approved.",
        )
        locked.result_version = version
        _decide(locked, actor, ModerationStatus.APPROVED)
        audit_record(
            kind=ModerationAuditKind.EDIT_APPROVED,
            actor=actor,
            target=service,
            before={"status": ModerationStatus.PENDING, "base_version": base.number},
            after={"status": locked.status, "version": version.number, "changes": before_rows},
        )
    if locked.proposed_by is not None:
        email_send(
            to=[locked.proposed_by.email],
            template="directory/emails/edit_approved.txt",
            context={
                "edit": locked,
                "service": service,
                "service_url": site_link("directory:service_detail", service.public_id),
                "manage_url": site_link("directory:manage"),
            },
        )
    return locked


def edit_reject(*, actor: User, edit: ServiceEdit, reason: str, notify: bool = True) -> ServiceEdit:
    """Turn a proposed edit down, with a reason the proposer is sent (unless ``notify`` is false, as
    for the demo's invented records). The listing does not change."""
    can_review_edit(actor, edit).require()
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the change is rejected: the proposer is told."})
    with transaction.atomic():
        locked = ServiceEdit.objects.select_for_update().get(pk=edit.pk)
        if not locked.is_pending:
            return locked
        _decide(locked, actor, ModerationStatus.REJECTED, reason)
        audit_record(
            kind=ModerationAuditKind.EDIT_REJECTED,
            actor=actor,
            target=locked.service,
            before={"status": ModerationStatus.PENDING},
            after={"status": locked.status, "reason": reason},
        )
    if notify and locked.proposed_by is not None:
        email_send(
            to=[locked.proposed_by.email],
            template="directory/emails/edit_rejected.txt",
            context={
                "edit": locked,
                "service": locked.service,
                "reason": reason,
                "edit_url": site_link("directory:service_edit", locked.service.public_id),
            },
        )
    return locked


@transaction.atomic
def listing_confirm(*, actor: User, service: Service) -> Service:
    """'Nothing has changed': the representative confirms the listing is still right, today."""
    can_edit_listing(actor, service).require()
    before = service.assured_date
    today = timezone.localdate()
    directory_services.service_update(
        actor=actor, service=service, changes={"assured_date": today, "assurer_email": actor.email}
    )
    audit_record(
        kind=ModerationAuditKind.LISTING_CONFIRMED,
        actor=actor,
        target=service,
        before={"assured_date": before.isoformat() if before else None},
        after={"assured_date": today.isoformat()},
    )
    return service


# --- Review reminders ------------------------------------------------------------------------------


@dataclass
class ReminderSummary:
    reminded: list[tuple[Service, list[str]]] = field(default_factory=list)
    recently_reminded: int = 0
    nobody_to_email: list[Service] = field(default_factory=list)


def listing_contacts(service: Service) -> list[str]:
    """Who is asked to check a listing: its group's representatives, else the listing's email."""
    account = service.organization.account_organisation
    if account is not None:
        reps = sorted(
            user_list_with_role(role=Role.GROUP_REP, organisation=account).values_list(
                "email", flat=True
            )
        )
        if reps:
            return reps
    return [address for address in (service.email or service.organization.email,) if address]


def review_reminders_send(*, today: dt.date, dry_run: bool = False) -> ReminderSummary:
    """Ask the groups of published listings nobody has checked for a while to check them.

    A listing is reminded at most once every 30 days; running twice on a day sends nothing new.
    """
    summary = ReminderSummary()
    since = today - dt.timedelta(days=REMINDER_INTERVAL_DAYS)
    overdue = (
        Service.objects.published()
        .review_overdue(today)
        .select_related("organization__account_organisation")
        .order_by("name", "id")
    )
    recent = set(
        ReviewReminder.objects.filter(sent_on__gt=since, service__in=overdue).values_list(
            "service_id", flat=True
        )
    )
    for service in overdue.iterator(chunk_size=500):
        if service.pk in recent:
            summary.recently_reminded += 1
            continue
        recipients = listing_contacts(service)
        if not recipients:
            summary.nobody_to_email.append(service)
            continue
        summary.reminded.append((service, recipients))
        if dry_run:
            continue
        with transaction.atomic():
            ReviewReminder.objects.create(service=service, sent_on=today, recipients=recipients)
            audit_record(
                kind=ModerationAuditKind.REVIEW_REMINDED,
                actor=None,
                target=service,
                after={"sent_on": today.isoformat(), "recipients": len(recipients)},
            )
        email_send(
            to=recipients,
            template="directory/emails/review_reminder.txt",
            context={
                "service": service,
                "assured_date": service.assured_date,
                "manage_url": site_link("directory:manage"),
                "edit_url": site_link("directory:service_edit", service.public_id),
                "service_url": site_link("directory:service_detail", service.public_id),
                "published": service.publication == Publication.PUBLISHED,
            },
        )
    return summary
