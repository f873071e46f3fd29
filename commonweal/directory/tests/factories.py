"""factory_boy factories for the directory; ``full_service()`` builds a service with every related record."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from commonweal.directory.constants import Publication, ScheduleFrequency, ServiceStatus
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


class TaxonomyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Taxonomy

    name = factory.Sequence(lambda n: f"Categories {n}")
    description = "Kinds of activity and support."
    uri = factory.Sequence(lambda n: f"https://example.org/taxonomies/{n}")
    version = "1"


class TaxonomyTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaxonomyTerm

    taxonomy = factory.SubFactory(TaxonomyFactory)
    name = factory.Sequence(lambda n: f"Term {n}")
    description = "A kind of activity."
    code = factory.Sequence(lambda n: f"T{n}")
    term_uri = factory.Sequence(lambda n: f"https://example.org/terms/{n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Grays Community Group {n}")
    description = "A volunteer-led group in Grays (example data)."
    email = factory.Sequence(lambda n: f"hello{n}@example.org")
    website = "https://example.org/"


class OrganizationIdentifierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganizationIdentifier

    organization = factory.SubFactory(OrganizationFactory)
    identifier_scheme = "GB-CHC"
    identifier_type = "Charity number"
    identifier = factory.Sequence(lambda n: f"{1100000 + n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Coffee morning {n:03d}")
    description = "A friendly weekly coffee morning for anyone who wants company."
    url = "https://example.org/coffee"
    email = "coffee@example.org"
    status = ServiceStatus.ACTIVE
    publication = Publication.PUBLISHED
    minimum_age = 18
    maximum_age = 99
    assured_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    assurer_email = "checker@example.org"
    last_modified = factory.LazyFunction(timezone.now)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        """Factories skip the directory's services, so index the new service for search here."""
        super()._after_postgeneration(instance, create, results)
        if create:
            search_index_update([instance.pk])


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    name = factory.Sequence(lambda n: f"Community hall {n}")
    description = "Ground floor hall with a kitchen."
    latitude = Decimal("51.476000")
    longitude = Decimal("0.325000")
    postcode = "RM176SL"
    external_identifier = factory.Sequence(lambda n: f"{100090000000 + n}")
    external_identifier_type = "uprn"


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    location = factory.SubFactory(LocationFactory)
    address_1 = factory.Sequence(lambda n: f"{n + 1} High Street")
    city = "Grays"
    state_province = "Essex"
    postal_code = "RM17 6SL"
    country = "GB"


class ServiceAtLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceAtLocation

    service = factory.SubFactory(ServiceFactory)
    location = factory.SubFactory(LocationFactory)


def attribute_add(record, term: TaxonomyTerm) -> Attribute:
    attribute = Attribute.objects.create(
        taxonomy_term=term,
        link_content_type=ContentType.objects.get_for_model(record),
        link_object_id=record.pk,
    )
    if isinstance(record, Service):
        search_index_update([record.pk])
    return attribute


def full_service(**kwargs) -> Service:
    """A published service with one of every related record (organisation identifiers, venue, schedule...)."""
    service = ServiceFactory(**kwargs)
    OrganizationIdentifierFactory(organization=service.organization)
    term = TaxonomyTermFactory()
    child = TaxonomyTermFactory(taxonomy=term.taxonomy, parent=term)
    attribute_add(service, child)
    attribute_add(service.organization, term)
    location = LocationFactory()
    attribute_add(location, term)
    AddressFactory(location=location)
    Accessibility.objects.create(
        location=location, description="Step-free entrance", url="https://example.org/access"
    )
    sal = ServiceAtLocationFactory(service=service, location=location)
    Schedule.objects.create(
        service=service,
        service_at_location=sal,
        freq=ScheduleFrequency.MONTHLY,
        interval=1,
        byday="2MO",
        dtstart=dt.date(2025, 1, 13),
        opens_at=dt.time(10, 0),
        closes_at=dt.time(12, 0),
        valid_from=dt.date(2025, 1, 1),
        description="Second Monday of the month, 10am to noon",
    )
    ServiceArea.objects.create(service=service, name="Thurrock", description="Thurrock borough")
    contact = Contact.objects.create(
        service=service, name="Sam Example", title="Organiser", email="sam@example.org"
    )
    Phone.objects.create(contact=contact, number="01375 000000")
    Language.objects.create(service=service, name="English", code="en")
    CostOption.objects.create(service=service, option="Suggested donation", amount=Decimal("1.50"))
    Funding.objects.create(service=service, source="Thurrock Community Fund (example)")
    outcome = Outcome.objects.order_by("id").first()
    if outcome is not None:
        service.intended_outcomes.add(outcome)
    return service
