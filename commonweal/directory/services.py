"""Changes to the directory. Every change runs in a transaction, is validated and is audited.

Imports, moderation and the provider pages call these; none of them writes models directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone

from commonweal.core.audit import audit_record
from commonweal.directory.constants import (
    DirectoryAuditKind,
    Facility,
    InitiativeKind,
    LocalOfferQuestion,
    Publication,
)
from commonweal.directory.models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Funding,
    Initiative,
    Language,
    LocalOfferAnswer,
    Location,
    LocationFacility,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from commonweal.directory.search import search_index_update
from commonweal.outcomes.models import Outcome

SERVICE_EDITABLE_FIELDS = frozenset(
    {
        "name",
        "description",
        "url",
        "email",
        "status",
        "fees",
        "accreditations",
        "minimum_age",
        "maximum_age",
        "eligibility_description",
        "assured_date",
        "assurer_email",
        "alert",
        "referral_required",
        "referral_description",
        "ofsted_urn",
        "send_local_offer",
    }
)


def _snapshot(record: Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: _plain(getattr(record, name)) for name in fields}


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


@transaction.atomic
def organization_create(*, actor: Any, name: str, description: str, **fields: Any) -> Organization:
    organization = Organization(name=name, description=description, **fields)
    organization.full_clean()
    organization.save()
    audit_record(
        kind=DirectoryAuditKind.ORGANIZATION_SAVED,
        actor=actor,
        target=organization,
        after={"name": name},
    )
    return organization


@transaction.atomic
def service_create(
    *,
    actor: Any,
    organization: Organization,
    name: str,
    publication: str = Publication.DRAFT,
    public_id: UUID | None = None,
    **fields: Any,
) -> Service:
    unknown = set(fields) - SERVICE_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"service_create() got fields it cannot set: {', '.join(sorted(unknown))}")
    service = Service(organization=organization, name=name, publication=publication, **fields)
    if public_id is not None:
        service.public_id = public_id
    service.last_modified = timezone.now()
    service.full_clean()
    service.save()
    search_index_update([service.pk])
    audit_record(
        kind=DirectoryAuditKind.SERVICE_SAVED,
        actor=actor,
        target=service,
        after=_snapshot(service, ["name", "publication", *sorted(fields)]),
    )
    return service


@transaction.atomic
def service_update(*, actor: Any, service: Service, changes: Mapping[str, Any]) -> Service:
    """Change the given fields; ``last_modified`` moves only when something really changed."""
    unknown = set(changes) - SERVICE_EDITABLE_FIELDS
    if unknown:
        raise ValueError(
            f"These service fields cannot be changed here: {', '.join(sorted(unknown))}"
        )
    changed = [name for name, value in changes.items() if getattr(service, name) != value]
    if not changed:
        return service
    before = _snapshot(service, changed)
    for name in changed:
        setattr(service, name, changes[name])
    service.last_modified = timezone.now()
    service.full_clean()
    service.save()
    search_index_update([service.pk])
    audit_record(
        kind=DirectoryAuditKind.SERVICE_SAVED,
        actor=actor,
        target=service,
        before=before,
        after=_snapshot(service, changed),
    )
    return service


@transaction.atomic
def service_publication_set(*, actor: Any, service: Service, publication: Publication) -> Service:
    """Publish, withdraw or return a service to draft."""
    if service.publication == publication:
        return service
    before = {"publication": service.publication}
    service.publication = publication
    service.last_modified = timezone.now()
    service.full_clean()
    service.save(update_fields=["publication", "last_modified", "updated_at"])
    audit_record(
        kind=DirectoryAuditKind.SERVICE_PUBLICATION_CHANGED,
        actor=actor,
        target=service,
        before=before,
        after={"publication": str(publication)},
    )
    return service


def service_touch(*, service: Service) -> None:
    """Mark a service's published content as changed (a child record such as a schedule changed)."""
    Service.objects.filter(pk=service.pk).update(last_modified=timezone.now())


def _services_at_touch(location: Location) -> None:
    """Mark the services offered at ``location`` as changed: the place is part of what they publish."""
    Service.objects.filter(service_at_locations__location=location).update(
        last_modified=timezone.now()
    )


@transaction.atomic
def service_organization_set(
    *, actor: Any, service: Service, organization: Organization
) -> Service:
    """Move a service to another organisation (its listing then shows that organisation's name)."""
    if service.organization_id == organization.pk:
        return service
    before = {"organization": str(service.organization.public_id)}
    service.organization = organization
    service.last_modified = timezone.now()
    service.full_clean()
    service.save(update_fields=["organization", "last_modified", "updated_at"])
    search_index_update([service.pk])
    audit_record(
        kind=DirectoryAuditKind.SERVICE_SAVED,
        actor=actor,
        target=service,
        before=before,
        after={"organization": str(organization.public_id)},
    )
    return service


@transaction.atomic
def service_outcomes_set(*, actor: Any, service: Service, outcomes: Iterable[Outcome]) -> None:
    """Make ``outcomes`` exactly the outcomes the service intends to bring about."""
    wanted = {outcome.pk: outcome for outcome in outcomes}
    before = sorted(str(pk) for pk in service.intended_outcomes.values_list("public_id", flat=True))
    after = sorted(str(outcome.public_id) for outcome in wanted.values())
    if before == after:
        return
    service.intended_outcomes.set(list(wanted.values()))
    service_touch(service=service)
    audit_record(
        kind=DirectoryAuditKind.OUTCOMES_SET,
        actor=actor,
        target=service,
        before={"outcomes": before},
        after={"outcomes": after},
    )


@transaction.atomic
def location_create(*, actor: Any, name: str, **fields: Any) -> Location:
    location = Location(name=name, **fields)
    location.full_clean()
    location.save()
    audit_record(
        kind=DirectoryAuditKind.LOCATION_SAVED, actor=actor, target=location, after={"name": name}
    )
    return location


@transaction.atomic
def service_at_location_create(
    *,
    actor: Any,
    service: Service,
    location: Location,
    public_id: UUID | None = None,
    description: str = "",
) -> ServiceAtLocation:
    sal = ServiceAtLocation(service=service, location=location, description=description)
    if public_id is not None:
        sal.public_id = public_id
    sal.full_clean()
    sal.save()
    service_touch(service=service)
    audit_record(
        kind=DirectoryAuditKind.SERVICE_AT_LOCATION_SAVED,
        actor=actor,
        target=sal,
        after={"service": str(service.public_id), "location": str(location.public_id)},
    )
    return sal


@transaction.atomic
def taxonomy_create(
    *,
    actor: Any,
    name: str,
    description: str,
    uri: str = "",
    version: str = "",
    public_id: UUID | None = None,
) -> Taxonomy:
    taxonomy = Taxonomy(name=name, description=description, uri=uri, version=version)
    if public_id is not None:
        taxonomy.public_id = public_id
    taxonomy.full_clean()
    taxonomy.save()
    audit_record(
        kind=DirectoryAuditKind.TAXONOMY_SAVED, actor=actor, target=taxonomy, after={"name": name}
    )
    return taxonomy


@transaction.atomic
def taxonomy_term_create(
    *,
    actor: Any,
    taxonomy: Taxonomy,
    name: str,
    description: str,
    parent: TaxonomyTerm | None = None,
    code: str = "",
    term_uri: str = "",
    public_id: UUID | None = None,
) -> TaxonomyTerm:
    term = TaxonomyTerm(
        taxonomy=taxonomy,
        parent=parent,
        name=name,
        description=description,
        code=code,
        term_uri=term_uri,
    )
    if public_id is not None:
        term.public_id = public_id
    term.full_clean()
    term.save()
    audit_record(
        kind=DirectoryAuditKind.TAXONOMY_TERM_SAVED, actor=actor, target=term, after={"name": name}
    )
    return term


@transaction.atomic
def attributes_set(*, actor: Any, record: Model, terms: Iterable[TaxonomyTerm]) -> list[Attribute]:
    """Make ``terms`` exactly the taxonomy terms of ``record`` (a service, location, organisation...)."""
    if not hasattr(record, "oruk_link_type"):
        raise TypeError(f"{type(record).__name__} records cannot carry taxonomy terms")
    content_type = ContentType.objects.get_for_model(record)
    wanted = {term.pk: term for term in terms}
    existing = Attribute.objects.filter(link_content_type=content_type, link_object_id=record.pk)
    before = sorted(str(pk) for pk in existing.values_list("taxonomy_term__public_id", flat=True))
    existing.exclude(taxonomy_term_id__in=wanted).delete()
    have = set(existing.values_list("taxonomy_term_id", flat=True))
    for pk, term in wanted.items():
        if pk not in have:
            attribute = Attribute(
                taxonomy_term=term, link_content_type=content_type, link_object_id=record.pk
            )
            attribute.full_clean()
            attribute.save()
    after = sorted(str(term.public_id) for term in wanted.values())
    if before != after:
        if isinstance(record, Service):
            service_touch(service=record)
            search_index_update([record.pk])
        audit_record(
            kind=DirectoryAuditKind.ATTRIBUTES_SET,
            actor=actor,
            target=record,
            before={"terms": before},
            after={"terms": after},
        )
    return list(Attribute.objects.filter(link_content_type=content_type, link_object_id=record.pk))


# --- changes made by imports ---------------------------------------------------------------------

ORGANIZATION_EDITABLE_FIELDS = frozenset({"name", "description", "email", "website", "logo", "uri"})
LOCATION_EDITABLE_FIELDS = frozenset(
    {
        "name",
        "description",
        "location_type",
        "external_identifier",
        "external_identifier_type",
        "latitude",
        "longitude",
        "postcode",
        "ward",
        "lsoa",
        "organization",
        "mask_address",
        "asset_type",
        "is_meeting_place",
        "capacity",
    }
)


def _update(
    *, actor: Any, record: Model, changes: Mapping[str, Any], allowed: frozenset[str], kind: str
) -> bool:
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}")
    changed = [name for name, value in changes.items() if getattr(record, name) != value]
    if not changed:
        return False
    before = _snapshot(record, changed)
    for name in changed:
        setattr(record, name, changes[name])
    record.full_clean()
    record.save()
    audit_record(
        kind=kind, actor=actor, target=record, before=before, after=_snapshot(record, changed)
    )
    return True


@transaction.atomic
def organization_update(
    *, actor: Any, organization: Organization, changes: Mapping[str, Any]
) -> Organization:
    old_name = organization.name
    _update(
        actor=actor,
        record=organization,
        changes=changes,
        allowed=ORGANIZATION_EDITABLE_FIELDS,
        kind=DirectoryAuditKind.ORGANIZATION_UPDATED,
    )
    if organization.name != old_name:
        search_index_update(organization.services.values_list("pk", flat=True))
    return organization


@transaction.atomic
def location_update(*, actor: Any, location: Location, changes: Mapping[str, Any]) -> Location:
    """Change the given fields; the services offered there count as changed when the place did."""
    if _update(
        actor=actor,
        record=location,
        changes=changes,
        allowed=LOCATION_EDITABLE_FIELDS,
        kind=DirectoryAuditKind.LOCATION_UPDATED,
    ):
        _services_at_touch(location)
    return location


@transaction.atomic
def provenance_set(
    *, actor: Any, record: Model, source: str, source_id: str, digest: str | None = None
) -> None:
    """Record where an imported record came from (and, for a service, a digest of its content)."""
    fields = {"source": source, "source_id": source_id}
    if digest is not None:
        fields["source_digest"] = digest
    if all(getattr(record, name) == value for name, value in fields.items()):
        return
    before = _snapshot(record, fields)
    for name, value in fields.items():
        setattr(record, name, value)
    record.full_clean()
    record.save(update_fields=[*fields, "updated_at"])
    audit_record(
        kind=DirectoryAuditKind.PROVENANCE_SET,
        actor=actor,
        target=record,
        before=before,
        after=_snapshot(record, fields),
    )


@dataclass(frozen=True)
class ContactDetails:
    """A contact, its phone numbers and its taxonomy attributes, as model field values.

    Each phone may carry its ``languages`` as in ``ServiceDetails``; ``attributes`` are the contact's
    ``Attribute`` values (``taxonomy_term``, and ``value`` and ``public_id`` if any).
    """

    fields: Mapping[str, Any]
    phones: Sequence[Mapping[str, Any]] = ()
    attributes: Sequence[Mapping[str, Any]] = ()


@dataclass(frozen=True)
class ServiceDetails:
    """The records that hang off one service, as model field values (``public_id`` allowed).

    A schedule may name its venue with ``service_at_location`` (a venue of this service). A phone may
    carry ``languages``: the languages that line is answered in, as ``Language`` values; one may also
    name the service (``service``), as some records do, and still is not one of the service's own
    ``languages``.
    """

    schedules: Sequence[Mapping[str, Any]] = ()
    contacts: Sequence[ContactDetails] = ()
    phones: Sequence[Mapping[str, Any]] = ()
    languages: Sequence[Mapping[str, Any]] = ()
    funding: Sequence[Mapping[str, Any]] = ()
    cost_options: Sequence[Mapping[str, Any]] = ()
    service_areas: Sequence[Mapping[str, Any]] = ()


def _child_create(model: type[Model], **fields: Any) -> Model:
    """``public_id`` (the source's UUID) is kept when no other record has it."""
    public_id = fields.pop("public_id", None)
    record = model(**fields)
    if public_id is not None and not model._default_manager.filter(public_id=public_id).exists():
        setattr(record, "public_id", public_id)  # noqa: B010 (any directory model)
    record.full_clean()
    record.save()
    return record


def _counts(details: Any) -> dict[str, int]:
    return {name: len(getattr(details, name)) for name in details.__dataclass_fields__}


def _phone_create(listing: Service, fields: Mapping[str, Any], **owner: Any) -> Model:
    """A phone of ``owner`` (``listing`` or one of its contacts), with the languages it carries."""
    values = dict(fields)
    languages = values.pop("languages", None) or ()
    phone = _child_create(Phone, **owner, **values)
    for language in languages:
        language_values = dict(language)
        if language_values.get("service") is not None:
            language_values["service"] = listing
        _child_create(Language, phone=phone, **language_values)
    return phone


def _phone_languages(service: Service) -> Any:
    return Language.objects.filter(Q(phone__service=service) | Q(phone__contact__service=service))


def _contact_attributes(service: Service) -> Any:
    return Attribute.objects.filter(
        link_content_type=ContentType.objects.get_for_model(Contact),
        link_object_id__in=service.contacts.values("pk"),
    )


@transaction.atomic
def service_details_replace(*, actor: Any, service: Service, details: ServiceDetails) -> None:
    """Make ``details`` the service's schedules, contacts, phones, languages, funding, costs and areas.

    Everything is made afresh: the phones' languages and the contacts' attributes are those
    ``details`` gives them (a record given its old ``public_id`` keeps it).
    """
    before = {
        "schedules": service.schedules.count(),
        "contacts": service.contacts.count(),
        "phones": service.phones.count(),
        "languages": service.languages.filter(phone__isnull=True).count(),
        "funding": service.funding.count(),
        "cost_options": service.cost_options.count(),
        "service_areas": service.service_areas.count(),
        "phone_languages": _phone_languages(service).count(),
        "contact_attributes": _contact_attributes(service).count(),
    }
    for manager in (
        service.schedules,
        service.phones,
        service.contacts,
        service.languages,
        service.funding,
        service.cost_options,
        service.service_areas,
    ):
        manager.all().delete()
    for fields in details.schedules:
        _child_create(Schedule, service=service, **fields)
    contact_type = ContentType.objects.get_for_model(Contact)
    for contact_details in details.contacts:
        contact = _child_create(Contact, service=service, **contact_details.fields)
        for fields in contact_details.phones:
            _phone_create(service, fields, contact=contact)
        for fields in contact_details.attributes:
            _child_create(
                Attribute, link_content_type=contact_type, link_object_id=contact.pk, **fields
            )
    for fields in details.phones:
        _phone_create(service, fields, service=service)
    for fields in details.languages:
        _child_create(Language, service=service, **fields)
    for fields in details.funding:
        _child_create(Funding, service=service, **fields)
    for fields in details.cost_options:
        _child_create(CostOption, service=service, **fields)
    for fields in details.service_areas:
        _child_create(ServiceArea, service=service, **fields)
    service_touch(service=service)
    audit_record(
        kind=DirectoryAuditKind.SERVICE_DETAILS_REPLACED,
        actor=actor,
        target=service,
        before=before,
        after={
            **_counts(details),
            "phone_languages": sum(
                len(phone.get("languages") or ())
                for phone in (
                    *details.phones,
                    *(phone for contact in details.contacts for phone in contact.phones),
                )
            ),
            "contact_attributes": sum(len(contact.attributes) for contact in details.contacts),
        },
    )


@transaction.atomic
def location_details_replace(
    *,
    actor: Any,
    location: Location,
    addresses: Sequence[Mapping[str, Any]],
    accessibility: Sequence[Mapping[str, Any]] = (),
) -> None:
    """Make these the location's addresses and accessibility notes."""
    before = {
        "addresses": location.addresses.count(),
        "accessibility": location.accessibility.count(),
    }
    location.addresses.all().delete()
    location.accessibility.all().delete()
    for fields in addresses:
        _child_create(Address, location=location, **fields)
    for fields in accessibility:
        _child_create(Accessibility, location=location, **fields)
    audit_record(
        kind=DirectoryAuditKind.LOCATION_DETAILS_REPLACED,
        actor=actor,
        target=location,
        before=before,
        after={"addresses": len(addresses), "accessibility": len(accessibility)},
    )


@transaction.atomic
def service_locations_replace(
    *, actor: Any, service: Service, venues: Sequence[tuple[Location, UUID | None]]
) -> list[ServiceAtLocation]:
    """Make these locations the service's venues; kept venues keep their ids. Returns them in order."""
    wanted = {location.pk for location, _ in venues}
    existing = {sal.location_id: sal for sal in service.service_at_locations.all()}
    before = sorted(str(sal.public_id) for sal in existing.values())
    for location_pk, sal in existing.items():
        if location_pk not in wanted:
            sal.delete()
    result: list[ServiceAtLocation] = []
    for location, public_id in venues:
        kept = existing.get(location.pk)
        if kept is not None:
            result.append(kept)
            continue
        sal = ServiceAtLocation(service=service, location=location)
        if (
            public_id is not None
            and not ServiceAtLocation.objects.filter(public_id=public_id).exists()
        ):
            sal.public_id = public_id
        sal.full_clean()
        sal.save()
        result.append(sal)
    after = sorted(str(sal.public_id) for sal in result)
    if before != after:
        service_touch(service=service)
        audit_record(
            kind=DirectoryAuditKind.SERVICE_LOCATIONS_REPLACED,
            actor=actor,
            target=service,
            before={"venues": before},
            after={"venues": after},
        )
    return result


@transaction.atomic
def location_facilities_set(
    *,
    actor: Any,
    location: Location,
    facilities: Iterable[Facility | str],
    notes: Mapping[str, str] | None = None,
) -> list[str]:
    """Make ``facilities`` exactly the facilities the place offers. Returns their codes, sorted.

    ``notes`` (by facility code) replaces the facilities' notes; without it, kept facilities keep theirs.
    """
    wanted = sorted({Facility(code).value for code in facilities})
    before_notes = dict(location.facilities.values_list("facility", "note"))
    before = sorted(before_notes)
    wanted_notes = {
        code: (notes.get(code, "") if notes is not None else before_notes.get(code, ""))
        for code in wanted
    }
    if before == wanted and all(before_notes[code] == wanted_notes[code] for code in wanted):
        return wanted
    location.facilities.exclude(facility__in=wanted).delete()
    for code in wanted:
        if code not in before_notes:
            LocationFacility.objects.create(
                location=location, facility=code, note=wanted_notes[code]
            )
        elif before_notes[code] != wanted_notes[code]:
            location.facilities.filter(facility=code).update(note=wanted_notes[code])
    _services_at_touch(location)
    audit_record(
        kind=DirectoryAuditKind.FACILITIES_SET,
        actor=actor,
        target=location,
        before={"facilities": before},
        after={"facilities": wanted},
    )
    return wanted


@transaction.atomic
def local_offer_answers_set(
    *, actor: Any, service: Service, answers: Mapping[LocalOfferQuestion | str, str]
) -> None:
    """Make ``answers`` the service's SEND Local Offer answers; a blank answer removes the question."""
    cleaned = {
        LocalOfferQuestion(question).value: text.strip()
        for question, text in answers.items()
        if text and text.strip()
    }
    before = dict(service.local_offer_answers.values_list("question", "answer"))
    if before == cleaned:
        return
    service.local_offer_answers.exclude(question__in=cleaned).delete()
    for question, text in cleaned.items():
        LocalOfferAnswer.objects.update_or_create(
            service=service, question=question, defaults={"answer": text}
        )
    service_touch(service=service)
    audit_record(
        kind=DirectoryAuditKind.LOCAL_OFFER_SAVED,
        actor=actor,
        target=service,
        before={"questions": sorted(before)},
        after={"questions": sorted(cleaned)},
    )


@transaction.atomic
def initiative_save(
    *,
    actor: Any,
    name: str,
    kind: InitiativeKind | str,
    wards: Iterable[Any],
    initiative: Initiative | None = None,
    **fields: Any,
) -> Initiative:
    """Create an initiative, or change ``initiative``, and make ``wards`` exactly the wards it covers."""
    record = initiative or Initiative()
    before = (
        {"name": record.name, "wards": sorted(record.wards.values_list("code", flat=True))}
        if record.pk
        else None
    )
    record.name = name
    record.kind = InitiativeKind(kind).value
    for field, value in fields.items():
        setattr(record, field, value)
    record.full_clean()
    record.save()
    ward_list = list(wards)
    record.wards.set(ward_list)
    audit_record(
        kind=DirectoryAuditKind.INITIATIVE_SAVED,
        actor=actor,
        target=record,
        before=before,
        after={"name": name, "wards": sorted(ward.code for ward in ward_list)},
    )
    return record
