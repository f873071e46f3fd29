"""Records the moderation tests share: a group with a listing and a venue it owns, its representative,
a moderator, and a listing document edited the way the edit form would."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from commonweal.accounts.constants import Role
from commonweal.accounts.models import Organisation, User
from commonweal.accounts.tests.factories import OrganisationFactory, UserFactory
from commonweal.directory.constants import Facility, ScheduleFrequency
from commonweal.directory.models import (
    Language,
    LocalOfferAnswer,
    Location,
    LocationFacility,
    Schedule,
    Service,
)
from commonweal.directory.moderation import listing_document
from commonweal.directory.tests.factories import (
    LocationFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
)


@dataclass
class Group:
    account: Organisation
    service: Service
    venue: Location
    rep: User


def group_with_listing(name: str = "Grays Knit and Natter") -> Group:
    """A listed group linked to its Commonweal organisation, with a representative and its own hall."""
    account = OrganisationFactory(name=name)
    service = ServiceFactory(name=name, organization__name=name)
    service.organization.account_organisation = account
    service.organization.save()
    venue = LocationFactory(name=f"{name} hall", organization=service.organization)
    LocationFacility.objects.create(location=venue, facility=Facility.KITCHEN)
    sal = ServiceAtLocationFactory(service=service, location=venue)
    Schedule.objects.create(
        service=service,
        service_at_location=sal,
        freq=ScheduleFrequency.WEEKLY,
        byday="TU",
        opens_at=dt.time(10, 0),
        closes_at=dt.time(12, 0),
        dtstart=dt.date(2025, 1, 7),
        notes="Imported note that the form does not show",
    )
    Language.objects.create(service=service, name="English", code="en")
    LocalOfferAnswer.objects.create(service=service, question="how_to_start", answer="Just come.")
    rep = UserFactory(
        email=f"rep-{service.pk}@example.org",
        full_name="Gabriel Rep",
        roles=[Role.GROUP_REP],
        roles__organisation=account,
    )
    return Group(account=account, service=service, venue=venue, rep=rep)


def moderator(**kwargs: Any) -> User:
    return UserFactory(full_name="Morgan Moderator", roles=[Role.MODERATOR], **kwargs)


def edited(service: Service, **changes: Any) -> dict[str, Any]:
    """The listing's document with ``changes`` made, as a representative's edit would propose it."""
    fresh = Service.objects.get(pk=service.pk)
    document = listing_document(fresh)
    document.update(changes)
    return document
