"""Changes to the directory. Every change runs in a transaction, is validated and is audited.

Imports, moderation and the provider pages call these; none of them writes models directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from commonweal.core.audit import audit_record
from commonweal.directory.constants import DirectoryAuditKind, Publication
from commonweal.directory.models import (
    Attribute,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

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
    **fields: Any,
) -> Service:
    unknown = set(fields) - SERVICE_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"service_create() got fields it cannot set: {', '.join(sorted(unknown))}")
    service = Service(organization=organization, name=name, publication=publication, **fields)
    service.last_modified = timezone.now()
    service.full_clean()
    service.save()
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
    *, actor: Any, service: Service, location: Location
) -> ServiceAtLocation:
    sal = ServiceAtLocation(service=service, location=location)
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
    *, actor: Any, name: str, description: str, uri: str = "", version: str = ""
) -> Taxonomy:
    taxonomy = Taxonomy(name=name, description=description, uri=uri, version=version)
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
) -> TaxonomyTerm:
    term = TaxonomyTerm(
        taxonomy=taxonomy,
        parent=parent,
        name=name,
        description=description,
        code=code,
        term_uri=term_uri,
    )
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
        audit_record(
            kind=DirectoryAuditKind.ATTRIBUTES_SET,
            actor=actor,
            target=record,
            before={"terms": before},
            after={"terms": after},
        )
    return list(Attribute.objects.filter(link_content_type=content_type, link_object_id=record.pk))
