"""The fast path for services a source brings for the first time: a batch written with bulk inserts.

A national or county feed brings thousands of services at once. Written one by one through the
directory's services, each costs about a hundred queries and seven audit entries; here a batch of new
services costs a few queries per table and one audit entry that lists every service it created.

The fast path only ever creates. Anything it is not sure of (a record that already exists, a field
that fails its model's checks, a clash in the database) makes it give the whole batch back, and the
caller writes those records one at a time through the careful path, which reports each problem
against its place in the source. The two paths store the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID, uuid4

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from commonweal.core.audit import audit_record
from commonweal.directory.constants import DirectoryAuditKind
from commonweal.directory.models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Funding,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)
from commonweal.directory.search import search_index_update
from commonweal.geo.constants import AreaKind
from commonweal.geo.models import Area
from commonweal.geo.selectors import postcode_points_get
from commonweal.geo.types import PostcodePoint

if TYPE_CHECKING:
    from commonweal.directory.importers.writer import Writer, _Location, _Organization, _Service

BATCH_SIZE = 500

M = TypeVar("M", bound=Model)


class BatchGivenBack(Exception):
    """The fast path declines this batch; write its records one by one instead."""


class _Ids:
    """Hands out public ids: the source's UUID when nobody (here or earlier in the batch) has it."""

    def __init__(self, model: type[Model], wanted: Iterable[UUID | None]) -> None:
        asked = {value for value in wanted if value is not None}
        taken: set[UUID] = set()
        asked_list = list(asked)
        for start in range(0, len(asked_list), 500):
            taken.update(
                model._default_manager.filter(
                    public_id__in=asked_list[start : start + 500]
                ).values_list("public_id", flat=True)
            )
        self.taken = taken

    def give(self, wanted: UUID | None) -> UUID:
        if wanted is not None and wanted not in self.taken:
            self.taken.add(wanted)
            return wanted
        return uuid4()


def _checked(record: M) -> M:
    """The model's own field and record checks.

    Uniqueness is left to the database, and so are the links to other records: each is a record
    this import has just read or written, and the database's foreign keys guard them anyway (a
    check per link would be a query per link).
    """
    links = [field.name for field in record._meta.concrete_fields if field.is_relation]
    try:
        record.full_clean(exclude=links, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise BatchGivenBack(str(error)) from error
    return record


def _known(
    model: type[Model], source: str, source_ids: Iterable[str], public_ids: Iterable[UUID | None]
) -> tuple[set[str], set[UUID]]:
    """Which of these source ids (for this source) and public ids the table already holds."""
    wanted_sources = [value for value in source_ids if value]
    wanted_public = [value for value in public_ids if value is not None]
    manager = model._default_manager
    known_sources: set[str] = set()
    known_public: set[UUID] = set()
    for start in range(0, len(wanted_sources), 500):
        known_sources.update(
            manager.filter(
                source=source, source_id__in=wanted_sources[start : start + 500]
            ).values_list("source_id", flat=True)
        )
    for start in range(0, len(wanted_public), 500):
        known_public.update(
            manager.filter(public_id__in=wanted_public[start : start + 500]).values_list(
                "public_id", flat=True
            )
        )
    return known_sources, known_public


def _child_fields(fields: dict[str, Any]) -> tuple[dict[str, Any], UUID | None]:
    values = dict(fields)
    return values, values.pop("public_id", None)


def _bulk_children(model: type[M], rows: Sequence[tuple[dict[str, Any], UUID | None]]) -> None:
    ids = _Ids(model, (public_id for _, public_id in rows))
    model._default_manager.bulk_create(
        [_checked(model(public_id=ids.give(pk), **values)) for values, pk in rows]
    )


class BatchWriter:
    """Creates the services of one batch, with their organisations, places and details."""

    def __init__(self, writer: Writer) -> None:
        self.writer = writer
        self.source = writer.source
        self.areas: dict[tuple[str, str], Area | None] = {}

    # --- which records are new ---------------------------------------------------------------

    def new_only(self, batch: Sequence[_Service]) -> tuple[list[_Service], list[_Service]]:
        """Split the batch into services this directory has never seen and the rest."""
        known_sources, known_public = _known(
            Service,
            self.source,
            (parsed.source_id for parsed in batch),
            (parsed.public_id for parsed in batch),
        )
        new: list[_Service] = []
        rest: list[_Service] = []
        batch_sources: set[str] = set()
        batch_public: set[UUID] = set()
        for parsed in batch:
            # The careful path finds a service by this source's id, else by its public id.
            seen_before = (
                parsed.source_id in known_sources
                or parsed.public_id in known_public
                or parsed.source_id in batch_sources
                or parsed.public_id in batch_public
            )
            (rest if seen_before else new).append(parsed)
            if parsed.source_id:
                batch_sources.add(parsed.source_id)
            if parsed.public_id is not None:
                batch_public.add(parsed.public_id)
        return new, rest

    # --- writing -------------------------------------------------------------------------------

    def write(self, batch: Sequence[_Service]) -> int:
        """Create every service of ``batch`` or nothing; raises BatchGivenBack to decline."""
        seen = dict(self.writer.seen)
        try:
            with transaction.atomic():
                created = self._write(batch)
        except (BatchGivenBack, IntegrityError, ValidationError) as error:
            self.writer.seen = seen
            raise BatchGivenBack(str(error)) from error
        return created

    def _write(self, batch: Sequence[_Service]) -> int:
        now = timezone.now()
        organizations = self._organizations(batch)
        locations = self._locations(batch)

        service_ids = _Ids(Service, (parsed.public_id for parsed in batch))
        services: list[Service] = []
        for parsed in batch:
            fields = dict(parsed.fields)
            service = Service(
                organization=organizations[id(parsed)],
                publication=parsed.publication,
                public_id=service_ids.give(parsed.public_id),
                last_modified=now,
                source=self.source,
                source_id=parsed.source_id,
                source_digest=parsed.digest,
                **fields,
            )
            services.append(_checked(service))
        Service.objects.bulk_create(services)

        venue_ids = _Ids(
            ServiceAtLocation,
            (venue.public_id for parsed in batch for venue in parsed.venues),
        )
        venues: list[ServiceAtLocation] = []
        venue_refs: list[dict[str, ServiceAtLocation]] = []
        for parsed, service in zip(batch, services, strict=True):
            refs: dict[str, ServiceAtLocation] = {}
            placed: set[int] = set()
            for venue in parsed.venues:
                location = locations[venue.location.source_id]
                if location.pk in placed:
                    raise BatchGivenBack("a service names the same place twice")
                placed.add(location.pk)
                sal = _checked(
                    ServiceAtLocation(
                        service=service,
                        location=location,
                        public_id=venue_ids.give(venue.public_id),
                    )
                )
                venues.append(sal)
                if venue.source_id:
                    refs[venue.source_id] = sal
                refs[str(sal.public_id)] = sal
            venue_refs.append(refs)
        ServiceAtLocation.objects.bulk_create(venues)

        self._details(batch, services, venue_refs)
        self._attributes(
            [(service, parsed.terms) for parsed, service in zip(batch, services, strict=True)]
        )
        search_index_update([service.pk for service in services])
        audit_record(
            kind=DirectoryAuditKind.IMPORT_BATCH_CREATED,
            actor=self.writer.actor,
            after={
                "source": self.source,
                "services": [str(service.public_id) for service in services],
                "venues": len(venues),
            },
        )
        return len(services)

    def _organizations(self, batch: Sequence[_Service]) -> dict[int, Organization]:
        """The organisation of each service (keyed by ``id(parsed)``), creating new ones in bulk."""
        result: dict[int, Organization] = {}
        pending: dict[str, _Organization] = {}
        for parsed in batch:
            nested = parsed.organization
            if nested is None:
                continue
            if ("organization", nested.source_id) not in self.writer.seen:
                pending.setdefault(nested.source_id, nested)
        known_sources, known_public = _known(
            Organization, self.source, pending, (o.public_id for o in pending.values())
        )
        fresh = []
        for nested in pending.values():
            if nested.source_id in known_sources or nested.public_id in known_public:
                # Already here (an earlier import, or the same id): the careful path updates it.
                self.writer.organization(nested)
            else:
                fresh.append(nested)
        ids = _Ids(Organization, (nested.public_id for nested in fresh))
        created = [
            _checked(
                Organization(
                    public_id=ids.give(nested.public_id),
                    source=self.source,
                    source_id=nested.source_id,
                    **nested.fields,
                )
            )
            for nested in fresh
        ]
        Organization.objects.bulk_create(created)
        for nested, organization in zip(fresh, created, strict=True):
            self.writer.seen[("organization", nested.source_id)] = organization
        for parsed in batch:
            if parsed.organization is not None:
                result[id(parsed)] = self.writer.seen[
                    ("organization", parsed.organization.source_id)
                ]
                continue
            found = self.writer.organization_by_reference(parsed)
            result[id(parsed)] = found
        return result

    def _area(self, kind: str, code: str) -> Area | None:
        key = (kind, code)
        if key not in self.areas:
            self.areas[key] = Area.objects.filter(kind=kind, code=code).first() if code else None
        return self.areas[key]

    def _place_fields(self, postcode: str, points: dict[str, PostcodePoint]) -> dict[str, Any]:
        point = points.get(postcode) if postcode else None
        if point is None:
            return {"ward": None, "lsoa": None}
        return {
            "latitude": Decimal(str(round(point.latitude, 6))),
            "longitude": Decimal(str(round(point.longitude, 6))),
            "ward": self._area(AreaKind.WARD, point.ward_code),
            "lsoa": self._area(AreaKind.LSOA, point.lsoa_code),
        }

    def _locations(self, batch: Sequence[_Service]) -> dict[str, Location]:
        """Every place the batch names (keyed by source id), creating new ones in bulk."""
        pending: dict[str, _Location] = {}
        for parsed in batch:
            for venue in parsed.venues:
                key = ("location", venue.location.source_id)
                if key not in self.writer.seen:
                    pending.setdefault(venue.location.source_id, venue.location)
        known_sources, known_public = _known(
            Location, self.source, pending, (p.public_id for p in pending.values())
        )
        fresh = []
        for parsed_location in pending.values():
            if (
                parsed_location.source_id in known_sources
                or parsed_location.public_id in known_public
            ):
                self.writer.location(parsed_location)
            else:
                fresh.append(parsed_location)
        ids = _Ids(Location, (p.public_id for p in fresh))
        points = postcode_points_get(p.postcode for p in fresh if p.postcode)
        created: list[Location] = []
        for parsed_location in fresh:
            fields = dict(parsed_location.fields)
            fields["postcode"] = parsed_location.postcode
            fields.update(self._place_fields(parsed_location.postcode, points))
            created.append(
                _checked(
                    Location(
                        public_id=ids.give(parsed_location.public_id),
                        source=self.source,
                        source_id=parsed_location.source_id,
                        **fields,
                    )
                )
            )
        Location.objects.bulk_create(created)
        for parsed_location, location in zip(fresh, created, strict=True):
            self.writer.seen[("location", parsed_location.source_id)] = location
        self._location_details(list(zip(fresh, created, strict=True)))
        self._attributes(
            [
                (location, parsed_location.terms)
                for parsed_location, location in zip(fresh, created, strict=True)
            ]
        )
        return {
            parsed_location.source_id: self.writer.seen[("location", parsed_location.source_id)]
            for parsed in batch
            for parsed_location in (venue.location for venue in parsed.venues)
        }

    def _location_details(self, pairs: Sequence[tuple[_Location, Location]]) -> None:
        address_fields = [
            (location, *_child_fields(fields))
            for parsed, location in pairs
            for fields in parsed.addresses
        ]
        access_fields = [
            (location, *_child_fields(fields))
            for parsed, location in pairs
            for fields in parsed.accessibility
        ]
        address_ids = _Ids(Address, (public_id for _, _, public_id in address_fields))
        access_ids = _Ids(Accessibility, (public_id for _, _, public_id in access_fields))
        Address.objects.bulk_create(
            [
                _checked(Address(location=location, public_id=address_ids.give(pk), **fields))
                for location, fields, pk in address_fields
            ]
        )
        Accessibility.objects.bulk_create(
            [
                _checked(Accessibility(location=location, public_id=access_ids.give(pk), **fields))
                for location, fields, pk in access_fields
            ]
        )

    def _details(
        self,
        batch: Sequence[_Service],
        services: Sequence[Service],
        venue_refs: Sequence[dict[str, ServiceAtLocation]],
    ) -> None:
        """Schedules, contacts and their phones, phones, languages, funding, costs and areas."""
        simple: dict[type[Model], list[tuple[dict[str, Any], UUID | None]]] = {
            Schedule: [],
            Phone: [],
            Language: [],
            Funding: [],
            CostOption: [],
            ServiceArea: [],
        }
        contacts: list[tuple[Service, dict[str, Any], UUID | None, list[dict[str, Any]]]] = []
        for parsed, service, refs in zip(batch, services, venue_refs, strict=True):
            for fields, sal_ref in parsed.schedules:
                values, public_id = _child_fields(fields)
                if sal_ref:
                    if sal_ref not in refs:
                        raise BatchGivenBack("a schedule names a venue the service does not have")
                    values["service_at_location"] = refs[sal_ref]
                simple[Schedule].append(({**values, "service": service}, public_id))
            kinds: tuple[tuple[str, type[Model]], ...] = (
                ("phones", Phone),
                ("languages", Language),
                ("funding", Funding),
                ("cost_options", CostOption),
                ("service_areas", ServiceArea),
            )
            for name, model in kinds:
                for fields in getattr(parsed, name):
                    values, public_id = _child_fields(fields)
                    simple[model].append(({**values, "service": service}, public_id))
            for contact in parsed.contacts:
                values, public_id = _child_fields(dict(contact.fields))
                contacts.append((service, values, public_id, [dict(p) for p in contact.phones]))

        contact_ids = _Ids(Contact, (public_id for _, _, public_id, _ in contacts))
        contact_rows = [
            _checked(Contact(service=service, public_id=contact_ids.give(pk), **values))
            for service, values, pk, _ in contacts
        ]
        Contact.objects.bulk_create(contact_rows)
        for row, (_, _, _, phones) in zip(contact_rows, contacts, strict=True):
            for fields in phones:
                values, public_id = _child_fields(fields)
                simple[Phone].append(({**values, "contact": row}, public_id))

        for child_model, rows in simple.items():
            _bulk_children(child_model, rows)

    def _attributes(self, pairs: Sequence[tuple[Model, Sequence[Any]]]) -> None:
        rows: list[Attribute] = []
        for record, parsed_terms in pairs:
            if not parsed_terms:
                continue
            content_type = ContentType.objects.get_for_model(record)
            terms: list[TaxonomyTerm] = self.writer.terms(parsed_terms)
            for term in {term.pk: term for term in terms}.values():
                rows.append(
                    _checked(
                        Attribute(
                            taxonomy_term=term,
                            link_content_type=content_type,
                            link_object_id=record.pk,
                        )
                    )
                )
        Attribute.objects.bulk_create(rows)
