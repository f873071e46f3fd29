"""Turn directory records into ORUK 3.0 JSON objects (plain dicts).

Optional fields are left out rather than sent as ``null`` or ``""``, as the ORUK profile asks.
Functions never query the database: selectors prefetch everything they read (see
``commonweal.directory.selectors``), so serialising a page costs a fixed number of queries.
``full=False`` gives the one-to-one fields used in list pages; ``full=True`` the fully nested record.
Local extensions carry the ``commonweal_`` prefix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from uuid import UUID

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
    OrganizationIdentifier,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

JSON = dict[str, Any]


def _value(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _obj(**fields: Any) -> JSON:
    """A JSON object without the fields that are None, "" or an empty list."""
    return {
        key: _value(value)
        for key, value in fields.items()
        if value is not None and value != "" and value != []
    }


def _ids(obj: Any) -> UUID | None:
    return None if obj is None else obj.public_id


def taxonomy_term_dict(term: TaxonomyTerm) -> JSON:
    """Needs ``taxonomy`` and ``parent`` loaded (select_related)."""
    return _obj(
        id=term.public_id,
        name=term.name,
        description=term.description,
        parent_id=_ids(term.parent),
        taxonomy=term.taxonomy.name,
        taxonomy_id=term.taxonomy.public_id,
        term_uri=term.term_uri,
        term=term.code,
    )


def taxonomy_dict(taxonomy: Taxonomy, *, terms: Iterable[TaxonomyTerm] | None = None) -> JSON:
    data = _obj(
        id=taxonomy.public_id,
        name=taxonomy.name,
        description=taxonomy.description,
        uri=taxonomy.uri,
        version=taxonomy.version,
    )
    if terms is not None:
        data["taxonomy_terms"] = [taxonomy_term_dict(term) for term in terms]
    return data


def attribute_dict(attribute: Attribute, *, link_id: UUID, link_type: str) -> JSON:
    return _obj(
        id=attribute.public_id,
        link_id=link_id,
        link_type=link_type,
        taxonomy_term_id=attribute.taxonomy_term.public_id,
        taxonomy_term=taxonomy_term_dict(attribute.taxonomy_term),
    )


def _attributes(record: Any) -> list[JSON]:
    return [
        attribute_dict(attribute, link_id=record.public_id, link_type=record.oruk_link_type)
        for attribute in record.attributes.all()
    ]


def organization_identifier_dict(
    identifier: OrganizationIdentifier, *, organization_id: UUID
) -> JSON:
    return _obj(
        id=identifier.public_id,
        organization_id=organization_id,
        identifier_scheme=identifier.identifier_scheme,
        identifier_type=identifier.identifier_type,
        identifier=identifier.identifier,
        attributes=_attributes(identifier),
    )


def organization_dict(organization: Organization, *, full: bool = False) -> JSON:
    """Needs ``parent`` loaded; with ``full``, ``identifiers`` and ``attributes`` prefetched."""
    data = _obj(
        id=organization.public_id,
        name=organization.name,
        description=organization.description,
        email=organization.email,
        website=organization.website,
        logo=organization.logo,
        uri=organization.uri,
        parent_organization_id=_ids(organization.parent),
    )
    if full:
        data.update(
            _obj(
                organization_identifiers=[
                    organization_identifier_dict(identifier, organization_id=organization.public_id)
                    for identifier in organization.identifiers.all()
                ],
                attributes=_attributes(organization),
            )
        )
    return data


def address_dict(address: Address, *, location_id: UUID) -> JSON:
    return _obj(
        id=address.public_id,
        location_id=location_id,
        attention=address.attention,
        address_1=address.address_1,
        city=address.city,
        region=address.region,
        state_province=address.state_province,
        postal_code=address.postal_code,
        country=address.country,
        address_type=address.address_type,
        attributes=_attributes(address),
    )


def accessibility_dict(accessibility: Accessibility, *, location_id: UUID) -> JSON:
    return _obj(
        id=accessibility.public_id,
        location_id=location_id,
        description=accessibility.description,
        details=accessibility.details,
        url=accessibility.url,
        attributes=_attributes(accessibility),
    )


def location_dict(location: Location, *, full: bool = False) -> JSON:
    """A masked location keeps its name and type but never its point, UPRN or addresses."""
    masked = location.mask_address
    data = _obj(
        id=location.public_id,
        location_type=location.location_type,
        name=location.name,
        description=location.description,
        latitude=None if masked else location.latitude,
        longitude=None if masked else location.longitude,
        external_identifier=None if masked else location.external_identifier,
        external_identifier_type=None if masked else location.external_identifier_type,
    )
    if full:
        data.update(
            _obj(
                addresses=[]
                if masked
                else [
                    address_dict(address, location_id=location.public_id)
                    for address in location.addresses.all()
                ],
                accessibility=[
                    accessibility_dict(item, location_id=location.public_id)
                    for item in location.accessibility.all()
                ],
                attributes=_attributes(location),
            )
        )
    return data


def schedule_dict(schedule: Schedule, *, service_id: UUID) -> JSON:
    return _obj(
        id=schedule.public_id,
        service_id=service_id,
        service_at_location_id=_ids(schedule.service_at_location),
        valid_from=schedule.valid_from,
        valid_to=schedule.valid_to,
        dtstart=schedule.dtstart,
        freq=schedule.freq,
        interval=schedule.interval,
        byday=schedule.byday,
        bymonthday=schedule.bymonthday,
        description=schedule.description,
        opens_at=schedule.opens_at,
        closes_at=schedule.closes_at,
        schedule_link=schedule.schedule_link,
        attending_type=schedule.attending_type,
        notes=schedule.notes,
    )


def service_area_dict(area: ServiceArea, *, service_id: UUID) -> JSON:
    return _obj(
        id=area.public_id,
        service_id=service_id,
        name=area.name,
        extent=area.extent,
        extent_type=area.extent_type,
        uri=area.uri,
        service_area=area.description,
    )


def language_dict(language: Language, *, service_id: UUID) -> JSON:
    return _obj(
        id=language.public_id, service_id=service_id, name=language.name, code=language.code
    )


def cost_option_dict(cost: CostOption, *, service_id: UUID) -> JSON:
    return _obj(
        id=cost.public_id,
        service_id=service_id,
        valid_from=cost.valid_from,
        valid_to=cost.valid_to,
        option=cost.option,
        amount=cost.amount,
        amount_description=cost.amount_description,
    )


def funding_dict(funding: Funding, *, service_id: UUID) -> JSON:
    return _obj(id=funding.public_id, service_id=service_id, source=funding.source)


def contact_dict(contact: Contact, *, service_id: UUID) -> JSON:
    """Contact emails and phone numbers are private: ORUK 3.0 leaves them out."""
    return _obj(
        id=contact.public_id,
        service_id=service_id,
        name=contact.name,
        title=contact.title,
        attributes=_attributes(contact),
    )


def service_at_location_dict(
    sal: ServiceAtLocation,
    *,
    full: bool = False,
    with_service: bool = False,
    distance: float | None = None,
) -> JSON:
    data = _obj(
        id=sal.public_id,
        service_id=sal.service.public_id,
        location_id=sal.location.public_id,
        location=location_dict(sal.location, full=full),
    )
    if with_service:
        data["service"] = service_dict(sal.service, full=False)
    if distance is not None:
        data["commonweal_distance_metres"] = round(distance)
    return data


def service_dict(service: Service, *, full: bool = False) -> JSON:
    """Needs ``organization__parent`` loaded; with ``full``, the prefetches of ``SERVICE_FULL_PREFETCH``."""
    service_id = service.public_id
    data = _obj(
        id=service_id,
        organization_id=service.organization.public_id,
        name=service.name,
        description=service.description,
        url=service.url,
        email=service.email,
        status=service.status,
        fees=service.fees,
        accreditations=service.accreditations,
        minimum_age=service.minimum_age,
        maximum_age=service.maximum_age,
        assured_date=service.assured_date,
        assurer_email=service.assurer_email,
        alert=service.alert,
        last_modified=service.last_modified,
        organization=organization_dict(service.organization),
    )
    if not full:
        return data
    data.update(
        _obj(
            schedules=[
                schedule_dict(item, service_id=service_id) for item in service.schedules.all()
            ],
            service_areas=[
                service_area_dict(item, service_id=service_id)
                for item in service.service_areas.all()
            ],
            service_at_locations=[
                service_at_location_dict(item, full=True)
                for item in service.service_at_locations.all()
            ],
            # The service's own languages: a phone line's language is the phone's, even if it
            # also names the service (phones stay out of the public feed).
            languages=[
                language_dict(item, service_id=service_id)
                for item in service.languages.all()
                if item.phone_id is None
            ],
            funding=[funding_dict(item, service_id=service_id) for item in service.funding.all()],
            cost_options=[
                cost_option_dict(item, service_id=service_id) for item in service.cost_options.all()
            ],
            contacts=[contact_dict(item, service_id=service_id) for item in service.contacts.all()],
            attributes=_attributes(service),
            commonweal_referral_required=service.referral_required,
            commonweal_referral_description=service.referral_description,
            commonweal_eligibility_description=service.eligibility_description,
            commonweal_ofsted_urn=service.ofsted_urn,
            commonweal_intended_outcomes=[
                {"id": str(outcome.public_id), "name": outcome.name}
                for outcome in service.intended_outcomes.all()
            ],
        )
    )
    return data


def service_minimal_dict(service_id: UUID, last_modified: dt.datetime) -> JSON:
    """The change-detection record of ``minimal=true``."""
    return {"id": str(service_id), "modified_date": _value(last_modified)}


def page_dict(*, contents: list[JSON], total_items: int, page: int, per_page: int) -> JSON:
    """The ORUK ``Page`` envelope, consistent with ``contents``."""
    total_pages = -(-total_items // per_page)
    return {
        "total_items": total_items,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }
