"""Check ORUK 3.0 service records and write them through the directory's services.

A record is a service with everything nested in it. Each record is checked first (every problem is
collected, each naming its file, row or JSON pointer and field), then written in a savepoint; a
record with any problem writes nothing. Records carry provenance (``source`` and ``source_id``), so
importing the same source again updates the records it made instead of adding new ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model

from commonweal.directory import selectors, services
from commonweal.directory.constants import (
    AddressType,
    AttendingType,
    ExtentType,
    LocationType,
    Publication,
    ScheduleFrequency,
    ServiceStatus,
)
from commonweal.directory.importers.batch import BATCH_SIZE, BatchGivenBack, BatchWriter
from commonweal.directory.importers.records import ImportSummary, Rejection, ServiceRecord, Where
from commonweal.directory.models import (
    Location,
    Organization,
    Service,
    Taxonomy,
    TaxonomyTerm,
)
from commonweal.directory.search import search_index_update
from commonweal.geo.postcodes import postcode_canonical, postcode_display

UK_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")
UK_COUNTRY_NAMES = {"UK": "GB", "UNITED KINGDOM": "GB", "GREAT BRITAIN": "GB", "ENGLAND": "GB"}
IMPORTED_TAXONOMY = "Imported categories"


class _Rejected(Exception):
    """Unwinds the savepoint of a record that could not be written."""


class _RollBack(Exception):
    """Unwinds the whole import (atomic mode with rejections, or a dry run)."""


# --- checking ----------------------------------------------------------------------------------


@dataclass
class _Checker:
    """Reads typed values out of source objects, collecting a rejection for each bad one."""

    problems: list[Rejection] = field(default_factory=list)

    def reject(self, where: Where, name: str, reason: str) -> None:
        self.problems.append(Rejection(where.file, where.at, name, reason))

    def text(self, obj: dict[str, Any], name: str, where: Where, *, required: bool = False) -> str:
        value = obj.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.reject(where, name, "missing required field")
            return ""
        if not isinstance(value, str | int | float):
            self.reject(where, name, "should be text")
            return ""
        return str(value).strip()

    def uuid(self, obj: dict[str, Any], name: str, where: Where) -> UUID | None:
        value = obj.get(name)
        if value in (None, ""):
            return None
        try:
            return UUID(str(value))
        except ValueError:
            self.reject(where, name, f"bad UUID {value!r}")
            return None

    def integer(self, obj: dict[str, Any], name: str, where: Where) -> int | None:
        value = obj.get(name)
        if value in (None, ""):
            return None
        try:
            number = int(str(value).strip())
        except ValueError:
            self.reject(where, name, f"should be a whole number, not {value!r}")
            return None
        if number < 0:
            self.reject(where, name, "must not be negative")
            return None
        return number

    def number(
        self, obj: dict[str, Any], name: str, where: Where, *, low: float, high: float
    ) -> Decimal | None:
        value = obj.get(name)
        if value in (None, ""):
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            self.reject(where, name, f"should be a number, not {value!r}")
            return None
        if not low <= number <= high:
            self.reject(where, name, f"{value} is outside {low:g} to {high:g}")
            return None
        return number

    def date(self, obj: dict[str, Any], name: str, where: Where) -> dt.date | None:
        value = obj.get(name)
        if value in (None, ""):
            return None
        try:
            return dt.date.fromisoformat(str(value).strip()[:10])
        except ValueError:
            self.reject(where, name, f"bad date {value!r} (use YYYY-MM-DD)")
            return None

    def time(self, obj: dict[str, Any], name: str, where: Where) -> dt.time | None:
        value = obj.get(name)
        if value in (None, ""):
            return None
        match = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?(?:Z|[+-]\d{2}:?\d{2})?", str(value))
        if match is None or int(match[1]) > 23 or int(match[2]) > 59:
            self.reject(where, name, f"bad time {value!r} (use HH:MM)")
            return None
        return dt.time(int(match[1]), int(match[2]), int(match[3] or 0))

    def choice(
        self, obj: dict[str, Any], name: str, where: Where, choices: Any, *, default: str = ""
    ) -> str:
        value = self.text(obj, name, where)
        if not value:
            return default
        for option in choices.values:
            if value.lower() == option.lower():
                return str(option)
        allowed = ", ".join(choices.values)
        self.reject(where, name, f"{value!r} is not one of: {allowed}")
        return default

    def items(
        self, obj: dict[str, Any], name: str, where: Where
    ) -> list[tuple[dict[str, Any], Where]]:
        value = obj.get(name) or []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.reject(where, name, "should be a list of objects")
            return []
        return [
            (item, item.get("_where") or where.child(name, index))
            for index, item in enumerate(value)
        ]


# --- the parsed record ---------------------------------------------------------------------------


@dataclass
class _Taxonomy:
    source_id: str
    public_id: UUID | None
    name: str
    description: str
    uri: str = ""
    version: str = ""


@dataclass
class _Term:
    source_id: str
    public_id: UUID | None
    where: Where
    name: str = ""
    description: str = ""
    code: str = ""
    term_uri: str = ""
    parent_source_id: str = ""
    taxonomy: _Taxonomy | None = None


@dataclass
class _Organization:
    source_id: str
    public_id: UUID | None
    where: Where
    fields: dict[str, Any]


@dataclass
class _Location:
    source_id: str
    public_id: UUID | None
    where: Where
    fields: dict[str, Any]
    postcode: str
    addresses: list[dict[str, Any]]
    accessibility: list[dict[str, Any]]
    terms: list[_Term]


@dataclass
class _Venue:
    source_id: str
    public_id: UUID | None
    location: _Location


@dataclass
class _Service:
    source_id: str
    public_id: UUID | None
    where: Where
    fields: dict[str, Any]
    publication: str
    organization: _Organization | None
    organization_ref: str
    venues: list[_Venue]
    schedules: list[tuple[dict[str, Any], str]]
    contacts: list[services.ContactDetails]
    phones: list[dict[str, Any]]
    languages: list[dict[str, Any]]
    funding: list[dict[str, Any]]
    cost_options: list[dict[str, Any]]
    service_areas: list[dict[str, Any]]
    terms: list[_Term]
    digest: str


def _digest(data: Any) -> str:
    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                key: clean(item)
                for key, item in value.items()
                if key not in {"_where", "last_modified"}
            }
        if isinstance(value, list):
            return [clean(item) for item in value]
        if isinstance(value, Where):
            return None
        return value

    text = json.dumps(clean(data), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class _Parser:
    def __init__(self, record: ServiceRecord) -> None:
        self.record = record
        self.check = _Checker(list(record.problems))

    def source_id(
        self, obj: dict[str, Any], where: Where, *, required: bool = True
    ) -> tuple[str, UUID | None]:
        raw = self.check.text(obj, "id", where, required=required)
        if not raw:
            return "", None
        if self.record.ids_are_uuids:
            return raw, self.check.uuid(obj, "id", where)
        try:
            return raw, UUID(raw)
        except ValueError:
            return raw, None

    def child_id(self, obj: dict[str, Any]) -> UUID | None:
        """A nested record's UUID, kept as its id when free; other ids are not needed after import."""
        return _uuid_or_none(str(obj.get("id") or ""))

    def service(self) -> _Service:
        data, where = self.record.data, self.record.where
        check = self.check
        source_id, public_id = self.source_id(data, where)
        fields: dict[str, Any] = {
            "name": check.text(data, "name", where, required=True),
            "description": check.text(data, "description", where),
            "url": check.text(data, "url", where),
            "email": check.text(data, "email", where),
            "status": check.choice(
                data, "status", where, ServiceStatus, default=ServiceStatus.ACTIVE
            ),
            "fees": check.text(data, "fees", where),
            "accreditations": check.text(data, "accreditations", where),
            "minimum_age": check.integer(data, "minimum_age", where),
            "maximum_age": check.integer(data, "maximum_age", where),
            "assured_date": check.date(data, "assured_date", where),
            "assurer_email": check.text(data, "assurer_email", where),
            "alert": check.text(data, "alert", where),
            "referral_required": bool(data.get("commonweal_referral_required") or False),
            "referral_description": check.text(data, "commonweal_referral_description", where),
            "eligibility_description": check.text(
                data, "commonweal_eligibility_description", where
            ),
            "ofsted_urn": check.text(data, "commonweal_ofsted_urn", where),
        }
        publication = check.choice(
            data, "commonweal_publication", where, Publication, default=Publication.PUBLISHED
        )
        organization = None
        organization_ref = check.text(data, "organization_id", where)
        nested = data.get("organization")
        if isinstance(nested, dict):
            organization = self.organization(
                nested, nested.get("_where") or where.child("organization")
            )
        elif not organization_ref:
            check.reject(where, "organization", "missing required field")
        venues = []
        for item, item_where in check.items(data, "service_at_locations", where):
            sal_id, sal_public = self.source_id(item, item_where, required=False)
            location = item.get("location")
            if not isinstance(location, dict):
                check.reject(item_where, "location", "missing required field")
                continue
            venues.append(
                _Venue(
                    sal_id,
                    sal_public,
                    self.location(location, location.get("_where") or item_where.child("location")),
                )
            )
        return _Service(
            source_id=source_id,
            public_id=public_id,
            where=where,
            fields=fields,
            publication=publication,
            organization=organization,
            organization_ref=organization_ref,
            venues=venues,
            schedules=[
                self.schedule(item, item_where)
                for item, item_where in check.items(data, "schedules", where)
            ],
            contacts=[
                self.contact(item, item_where)
                for item, item_where in check.items(data, "contacts", where)
            ],
            phones=[
                self.phone(item, item_where)
                for item, item_where in check.items(data, "phones", where)
            ],
            languages=[
                {
                    "public_id": self.child_id(item),
                    "name": check.text(item, "name", w, required=True),
                    "code": check.text(item, "code", w),
                }
                for item, w in check.items(data, "languages", where)
            ],
            funding=[
                {
                    "public_id": self.child_id(item),
                    "source": check.text(item, "source", w, required=True),
                }
                for item, w in check.items(data, "funding", where)
            ],
            cost_options=[
                self.cost_option(item, w) for item, w in check.items(data, "cost_options", where)
            ],
            service_areas=[
                {
                    "public_id": self.child_id(item),
                    "name": check.text(item, "name", w),
                    "description": check.text(item, "service_area", w),
                    "extent": check.text(item, "extent", w),
                    "extent_type": check.choice(item, "extent_type", w, ExtentType),
                    "uri": check.text(item, "uri", w),
                }
                for item, w in check.items(data, "service_areas", where)
            ],
            terms=self.terms(data, where),
            digest=_digest(data),
        )

    def organization(self, obj: dict[str, Any], where: Where) -> _Organization:
        check = self.check
        source_id, public_id = self.source_id(obj, where)
        return _Organization(
            source_id,
            public_id,
            where,
            {
                "name": check.text(obj, "name", where, required=True),
                "description": check.text(obj, "description", where, required=True),
                "email": check.text(obj, "email", where),
                "website": check.text(obj, "website", where),
                "logo": check.text(obj, "logo", where),
                "uri": check.text(obj, "uri", where),
            },
        )

    def location(self, obj: dict[str, Any], where: Where) -> _Location:
        check = self.check
        source_id, public_id = self.source_id(obj, where)
        fields = {
            "name": check.text(obj, "name", where),
            "description": check.text(obj, "description", where),
            "location_type": check.choice(
                obj, "location_type", where, LocationType, default=LocationType.PHYSICAL
            ),
            "external_identifier": check.text(obj, "external_identifier", where),
            "external_identifier_type": check.text(obj, "external_identifier_type", where),
            "latitude": check.number(obj, "latitude", where, low=-90, high=90),
            "longitude": check.number(obj, "longitude", where, low=-180, high=180),
        }
        addresses = []
        postcode = ""
        for item, item_where in check.items(obj, "addresses", where):
            address = self.address(item, item_where)
            addresses.append(address)
            if not postcode and address["country"] == "GB" and address["postal_code"]:
                postcode = postcode_canonical(address["postal_code"])
        accessibility = [
            {
                "public_id": self.child_id(item),
                "description": check.text(item, "description", w),
                "details": check.text(item, "details", w),
                "url": check.text(item, "url", w),
            }
            for item, w in check.items(obj, "accessibility", where)
        ]
        return _Location(
            source_id,
            public_id,
            where,
            fields,
            postcode,
            addresses,
            accessibility,
            self.terms(obj, where),
        )

    def address(self, obj: dict[str, Any], where: Where) -> dict[str, Any]:
        check = self.check
        country = check.text(obj, "country", where).upper() or "GB"
        country = UK_COUNTRY_NAMES.get(country, country)
        if len(country) != 2:
            check.reject(where, "country", f"{country!r} is not a two-letter ISO 3166 country code")
        postal_code = check.text(obj, "postal_code", where, required=True)
        if country == "GB" and postal_code:
            canonical = postcode_canonical(postal_code)
            if not UK_POSTCODE.match(canonical):
                check.reject(where, "postal_code", f"bad postcode {postal_code!r}")
            postal_code = postcode_display(canonical)
        return {
            "public_id": self.child_id(obj),
            "attention": check.text(obj, "attention", where),
            "address_1": check.text(obj, "address_1", where, required=True),
            "address_2": check.text(obj, "address_2", where),
            "city": check.text(obj, "city", where, required=True),
            "region": check.text(obj, "region", where),
            "state_province": check.text(obj, "state_province", where, required=True),
            "postal_code": postal_code,
            "country": country,
            "address_type": check.choice(
                obj, "address_type", where, AddressType, default=AddressType.PHYSICAL
            ),
        }

    def schedule(self, obj: dict[str, Any], where: Where) -> tuple[dict[str, Any], str]:
        check = self.check
        notes = check.text(obj, "notes", where)
        attending = check.text(obj, "attending_type", where)
        if attending and attending.lower() not in AttendingType.values:
            # The standard leaves this free text; keep a sentence rather than lose it.
            notes = f"{attending}\n{notes}".strip()
            attending = ""
        fields = {
            "public_id": self.child_id(obj),
            "freq": check.choice(obj, "freq", where, ScheduleFrequency),
            "interval": check.integer(obj, "interval", where),
            "byday": check.text(obj, "byday", where).upper(),
            "bymonthday": check.text(obj, "bymonthday", where),
            "dtstart": check.date(obj, "dtstart", where),
            "until": check.date(obj, "until", where),
            "valid_from": check.date(obj, "valid_from", where),
            "valid_to": check.date(obj, "valid_to", where),
            "opens_at": check.time(obj, "opens_at", where),
            "closes_at": check.time(obj, "closes_at", where),
            "description": check.text(obj, "description", where),
            "schedule_link": check.text(obj, "schedule_link", where),
            "attending_type": attending.lower(),
            "notes": notes,
        }
        return fields, check.text(obj, "service_at_location_id", where)

    def phone(self, obj: dict[str, Any], where: Where) -> dict[str, Any]:
        return {
            "public_id": self.child_id(obj),
            "number": self.check.text(obj, "number", where, required=True),
            "description": self.check.text(obj, "description", where),
        }

    def contact(self, obj: dict[str, Any], where: Where) -> services.ContactDetails:
        check = self.check
        return services.ContactDetails(
            fields={
                "public_id": self.child_id(obj),
                "name": check.text(obj, "name", where),
                "title": check.text(obj, "title", where),
                "email": check.text(obj, "email", where),
            },
            phones=[self.phone(item, w) for item, w in check.items(obj, "phones", where)],
        )

    def cost_option(self, obj: dict[str, Any], where: Where) -> dict[str, Any]:
        check = self.check
        return {
            "public_id": self.child_id(obj),
            "option": check.text(obj, "option", where),
            "amount": check.number(obj, "amount", where, low=0, high=99_999_999),
            "amount_description": check.text(obj, "amount_description", where),
            "valid_from": check.date(obj, "valid_from", where),
            "valid_to": check.date(obj, "valid_to", where),
        }

    def terms(self, obj: dict[str, Any], where: Where) -> list[_Term]:
        check = self.check
        terms = []
        for item, item_where in check.items(obj, "attributes", where):
            nested = item.get("taxonomy_term")
            term_where = item_where
            if isinstance(nested, dict):
                term_where = nested.get("_where") or item_where.child("taxonomy_term")
                ref = check.text(nested, "id", term_where) or check.text(
                    item, "taxonomy_term_id", item_where
                )
            else:
                nested = {}
                ref = check.text(item, "taxonomy_term_id", item_where, required=True)
            if not ref:
                continue
            public_id = None
            try:
                public_id = UUID(ref)
            except ValueError:
                if self.record.ids_are_uuids:
                    check.reject(item_where, "taxonomy_term_id", f"bad UUID {ref!r}")
                    continue
            taxonomy = None
            taxonomy_name = check.text(nested, "taxonomy", term_where)
            taxonomy_ref = check.text(nested, "taxonomy_id", term_where)
            if taxonomy_name or taxonomy_ref:
                try:
                    taxonomy_public: UUID | None = UUID(taxonomy_ref)
                except ValueError:
                    taxonomy_public = None
                taxonomy = _Taxonomy(
                    taxonomy_ref or taxonomy_name,
                    taxonomy_public,
                    taxonomy_name or IMPORTED_TAXONOMY,
                    taxonomy_name or IMPORTED_TAXONOMY,
                )
            name = check.text(nested, "name", term_where)
            terms.append(
                _Term(
                    source_id=ref,
                    public_id=public_id,
                    where=item_where,
                    name=name,
                    description=check.text(nested, "description", term_where) or name,
                    code=check.text(nested, "term", term_where),
                    term_uri=check.text(nested, "term_uri", term_where),
                    parent_source_id=check.text(nested, "parent_id", term_where),
                    taxonomy=taxonomy,
                )
            )
        return terms


# --- writing -----------------------------------------------------------------------------------


def _find(model: type[Model], *, source: str, source_id: str, public_id: UUID | None) -> Any:
    """The record this source made before, else the record with this public id, else None."""
    if source_id:
        found = model._default_manager.filter(source=source, source_id=source_id).first()
        if found is not None:
            return found
    if public_id is not None:
        return model._default_manager.filter(public_id=public_id).first()
    return None


def _free(model: type[Model], public_id: UUID | None) -> UUID | None:
    """Keep the source's UUID as our id when no other record has it."""
    if public_id is None or model._default_manager.filter(public_id=public_id).exists():
        return None
    return public_id


class Writer:
    """Writes parsed records for one source; ``seen`` keeps records shared between services."""

    def __init__(self, *, actor: Any, source: str) -> None:
        self.actor = actor
        self.source = source
        self.seen: dict[tuple[str, str], Any] = {}

    @contextmanager
    def at(self, where: Where) -> Iterator[None]:
        """Problems raised inside are reported against ``where`` (the innermost one wins)."""
        try:
            yield
        except ValidationError as error:
            if not hasattr(error, "source_where"):
                error.source_where = where  # type: ignore[attr-defined]
            raise

    def _provenance(self, record: Model, source_id: str, digest: str | None = None) -> None:
        services.provenance_set(
            actor=self.actor, record=record, source=self.source, source_id=source_id, digest=digest
        )

    def organization(self, parsed: _Organization) -> Organization:
        key = ("organization", parsed.source_id)
        if key in self.seen:
            return self.seen[key]  # type: ignore[no-any-return]
        with self.at(parsed.where):
            found = _find(
                Organization,
                source=self.source,
                source_id=parsed.source_id,
                public_id=parsed.public_id,
            )
            if found is None:
                found = services.organization_create(
                    actor=self.actor,
                    public_id=_free(Organization, parsed.public_id) or _new(),
                    **parsed.fields,
                )
            else:
                services.organization_update(
                    actor=self.actor, organization=found, changes=parsed.fields
                )
            self._provenance(found, parsed.source_id)
        self.seen[key] = found
        return found  # type: ignore[no-any-return]

    def organization_by_reference(self, parsed: _Service) -> Organization:
        """The organisation a service names by id only (tabular sources)."""
        key = ("organization", parsed.organization_ref)
        if key in self.seen:
            return self.seen[key]  # type: ignore[no-any-return]
        with self.at(parsed.where):
            organization = _find(
                Organization,
                source=self.source,
                source_id=parsed.organization_ref,
                public_id=_uuid_or_none(parsed.organization_ref),
            )
            if organization is None:
                raise ValidationError(
                    {"organization_id": f"unknown organisation {parsed.organization_ref!r}"}
                )
        return organization  # type: ignore[no-any-return]

    def location(self, parsed: _Location) -> Location:
        key = ("location", parsed.source_id)
        if key in self.seen:
            return self.seen[key]  # type: ignore[no-any-return]
        fields = dict(parsed.fields)
        fields["postcode"] = parsed.postcode
        place = selectors.postcode_place_get(parsed.postcode) if parsed.postcode else None
        if place is not None:
            fields.update(
                latitude=Decimal(str(round(place.latitude, 6))),
                longitude=Decimal(str(round(place.longitude, 6))),
                ward=place.ward,
                lsoa=place.lsoa,
            )
        else:
            fields.update(ward=None, lsoa=None)
        with self.at(parsed.where):
            found = _find(
                Location, source=self.source, source_id=parsed.source_id, public_id=parsed.public_id
            )
            if found is None:
                found = services.location_create(
                    actor=self.actor,
                    public_id=_free(Location, parsed.public_id) or _new(),
                    **fields,
                )
            else:
                services.location_update(actor=self.actor, location=found, changes=fields)
            self._provenance(found, parsed.source_id)
            services.location_details_replace(
                actor=self.actor,
                location=found,
                addresses=parsed.addresses,
                accessibility=parsed.accessibility,
            )
            services.attributes_set(actor=self.actor, record=found, terms=self.terms(parsed.terms))
        self.seen[key] = found
        return found  # type: ignore[no-any-return]

    def taxonomy(self, parsed: _Taxonomy | None) -> Taxonomy:
        if parsed is None:
            parsed = _Taxonomy(
                IMPORTED_TAXONOMY, None, IMPORTED_TAXONOMY, f"Terms imported from {self.source}"
            )
        key = ("taxonomy", parsed.source_id)
        if key in self.seen:
            return self.seen[key]  # type: ignore[no-any-return]
        found = _find(
            Taxonomy, source=self.source, source_id=parsed.source_id, public_id=parsed.public_id
        )
        if found is None:
            found = Taxonomy.objects.filter(name=parsed.name).first()
        if found is None:
            found = services.taxonomy_create(
                actor=self.actor,
                name=parsed.name,
                description=parsed.description,
                public_id=_free(Taxonomy, parsed.public_id),
            )
            self._provenance(found, parsed.source_id)
        self.seen[key] = found
        return found  # type: ignore[no-any-return]

    def term(self, parsed: _Term) -> TaxonomyTerm:
        key = ("term", parsed.source_id)
        if key in self.seen:
            return self.seen[key]  # type: ignore[no-any-return]
        with self.at(parsed.where):
            found = _find(
                TaxonomyTerm,
                source=self.source,
                source_id=parsed.source_id,
                public_id=parsed.public_id,
            )
            if found is None:
                if not parsed.name:
                    raise ValidationError(
                        {"taxonomy_term_id": f"unknown taxonomy term {parsed.source_id!r}"}
                    )
                parent = None
                if parsed.parent_source_id:
                    parent = self.seen.get(("term", parsed.parent_source_id)) or _find(
                        TaxonomyTerm,
                        source=self.source,
                        source_id=parsed.parent_source_id,
                        public_id=_uuid_or_none(parsed.parent_source_id),
                    )
                found = services.taxonomy_term_create(
                    actor=self.actor,
                    taxonomy=self.taxonomy(parsed.taxonomy),
                    parent=parent,
                    name=parsed.name,
                    description=parsed.description or parsed.name,
                    code=parsed.code,
                    term_uri=parsed.term_uri,
                    public_id=_free(TaxonomyTerm, parsed.public_id),
                )
                self._provenance(found, parsed.source_id)
        self.seen[key] = found
        return found  # type: ignore[no-any-return]

    def terms(self, parsed: Iterable[_Term]) -> list[TaxonomyTerm]:
        return [self.term(item) for item in parsed]

    def service(self, parsed: _Service) -> str:
        """Write one service; returns "created", "updated" or "unchanged"."""
        found = _find(
            Service, source=self.source, source_id=parsed.source_id, public_id=parsed.public_id
        )
        if (
            found is not None
            and found.source == self.source
            and found.source_digest == parsed.digest
        ):
            return "unchanged"
        with self.at(parsed.where):
            if parsed.organization is not None:
                organization = self.organization(parsed.organization)
            else:
                organization = self.organization_by_reference(parsed)
            fields = dict(parsed.fields)
            if found is None:
                name = fields.pop("name")
                service = services.service_create(
                    actor=self.actor,
                    organization=organization,
                    name=name,
                    publication=parsed.publication,
                    public_id=_free(Service, parsed.public_id),
                    **fields,
                )
                outcome = "created"
            else:
                service = found
                if service.organization_id != organization.pk:
                    Service.objects.filter(pk=service.pk).update(organization=organization)
                    service.organization = organization
                    search_index_update([service.pk])
                services.service_update(actor=self.actor, service=service, changes=fields)
                # A listing a moderator withdrew here (a duplicate merged into another, say) stays
                # withdrawn: the source cannot publish it again.
                if service.publication != Publication.WITHDRAWN:
                    services.service_publication_set(
                        actor=self.actor,
                        service=service,
                        publication=Publication(parsed.publication),
                    )
                outcome = "updated"
        venues: list[tuple[Location, UUID | None]] = []
        for venue in parsed.venues:
            venues.append((self.location(venue.location), venue.public_id))
        with self.at(parsed.where):
            sals = services.service_locations_replace(
                actor=self.actor, service=service, venues=venues
            )
            by_source = {
                venue.source_id: sal
                for venue, sal in zip(parsed.venues, sals, strict=True)
                if venue.source_id
            }
            by_source.update({str(sal.public_id): sal for sal in sals})
            schedules = []
            for fields, sal_ref in parsed.schedules:
                if sal_ref:
                    if sal_ref not in by_source:
                        raise ValidationError(
                            {
                                "service_at_location_id": f"{sal_ref!r} is not one of this service's venues"
                            }
                        )
                    fields = {**fields, "service_at_location": by_source[sal_ref]}
                schedules.append(fields)
            services.service_details_replace(
                actor=self.actor,
                service=service,
                details=services.ServiceDetails(
                    schedules=schedules,
                    contacts=parsed.contacts,
                    phones=parsed.phones,
                    languages=parsed.languages,
                    funding=parsed.funding,
                    cost_options=parsed.cost_options,
                    service_areas=parsed.service_areas,
                ),
            )
            services.attributes_set(
                actor=self.actor, record=service, terms=self.terms(parsed.terms)
            )
            self._provenance(service, parsed.source_id, digest=parsed.digest)
        return outcome


def _new() -> UUID:
    from uuid import uuid4

    return uuid4()


def _uuid_or_none(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None


def _validation_rejections(error: ValidationError, where: Where) -> list[Rejection]:
    if hasattr(error, "error_dict"):
        return [
            Rejection(where.file, where.at, name if name != "__all__" else "", " ".join(messages))
            for name, messages in error.message_dict.items()
        ]
    return [Rejection(where.file, where.at, "", " ".join(error.messages))]


def records_import(
    records: Iterable[ServiceRecord],
    *,
    actor: Any,
    source: str,
    partial: bool = False,
    dry_run: bool = False,
) -> ImportSummary:
    """Check and write every record. Atomic unless ``partial``; a dry run writes nothing at all.

    In atomic mode any rejection rolls back the whole import; the summary still counts what would have
    been written, and lists every rejection.
    """
    summary = ImportSummary()
    writer = Writer(actor=actor, source=source)
    fast = BatchWriter(writer)
    batch: list[_Service] = []

    def careful(parsed: _Service) -> None:
        seen = dict(writer.seen)
        try:
            with transaction.atomic():
                outcome = writer.service(parsed)
        except ValidationError as error:
            writer.seen = seen
            summary.rejections.extend(
                _validation_rejections(error, getattr(error, "source_where", parsed.where))
            )
            summary.rejected_records += 1
            return
        setattr(summary, outcome, getattr(summary, outcome) + 1)

    def flush() -> None:
        new, rest = fast.new_only(batch)
        if new:
            try:
                summary.created += fast.write(new)
            except BatchGivenBack:
                new, rest = [], list(batch)
        for parsed in rest:
            careful(parsed)
        batch.clear()

    try:
        with transaction.atomic():
            for record in records:
                parser = _Parser(record)
                parsed = parser.service()
                if parser.check.problems:
                    summary.rejections.extend(parser.check.problems)
                    summary.rejected_records += 1
                    continue
                batch.append(parsed)
                if len(batch) >= BATCH_SIZE:
                    flush()
            flush()
            if dry_run or (summary.rejected_records and not partial):
                raise _RollBack
    except _RollBack:
        pass
    return summary
