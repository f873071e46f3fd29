"""The demo borough's directory: 300+ listings over every ward, loaded once, valid as ORUK 3.0."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from commonweal.demo.borough import THURROCK
from commonweal.demo.directory import DEMO_SOURCE, WARDS
from commonweal.directory.constants import SEND_NEEDS_TAXONOMY_URI, Publication
from commonweal.directory.models import (
    Attribute,
    CostOption,
    Initiative,
    Language,
    LocalOfferAnswer,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from commonweal.directory.taxonomies import CATEGORIES_TAXONOMY_URI
from commonweal.directory.tests.oruk_schemas import blank_optional_values, oruk_schemas, page_errors
from commonweal.geo.models import Area, Postcode

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("demo_load", stdout=io.StringIO(), stderr=io.StringIO())


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (Service, Location, ServiceAtLocation, Schedule, Attribute, Initiative)
    }


def test_three_hundred_listings_over_every_ward(demo):
    listings = Service.objects.filter(organization__source=DEMO_SOURCE)
    published = listings.filter(publication=Publication.PUBLISHED)
    assert listings.count() >= 300
    assert 0 < listings.filter(publication=Publication.DRAFT).count() < 20
    # Every ward has published listings at places inside it, at real Thurrock postcodes.
    places = Location.objects.filter(service_at_locations__service__in=published).distinct()
    wards = set(places.values_list("ward__code", flat=True))
    assert wards == {code for code, _, _ in WARDS}
    thurrock = set(
        Postcode.objects.filter(district_code=THURROCK).values_list("postcode", flat=True)
    )
    assert set(places.values_list("postcode", flat=True)) <= thurrock
    assert not places.filter(latitude__isnull=True).exclude(mask_address=True).exists()


def test_the_directory_is_varied_and_realistic(demo):
    listings = Service.objects.filter(organization__source=DEMO_SOURCE)
    # Two-level categories and the SEND needs taxonomy, used by listings.
    categories = TaxonomyTerm.objects.filter(taxonomy__uri=CATEGORIES_TAXONOMY_URI)
    assert categories.filter(parent__isnull=True).count() >= 5
    assert categories.filter(parent__name="Health and wellbeing", name="Mental health").exists()
    send = listings.filter(send_local_offer=True)
    assert send.count() >= 5
    assert Attribute.objects.filter(taxonomy_term__taxonomy__uri=SEND_NEEDS_TAXONOMY_URI).exists()
    assert LocalOfferAnswer.objects.filter(service__in=send).values(
        "service"
    ).distinct().count() == (send.count())
    # Schedules in RRULE terms: weekly on days, monthly by position, every other week.
    schedules = Schedule.objects.filter(service__in=listings)
    assert schedules.filter(freq="MONTHLY", byday="2MO").exists()
    assert schedules.filter(freq="MONTHLY", byday="-1FR").exists()
    assert schedules.filter(freq="WEEKLY", interval=2).exists()
    assert not schedules.filter(opens_at__isnull=True).exists()
    # Mostly free; English everywhere, and other languages including BSL.
    costs = CostOption.objects.filter(service__in=listings)
    assert costs.filter(amount=0).count() > costs.exclude(amount=0).count() > 0
    codes = set(Language.objects.filter(service__in=listings).values_list("code", flat=True))
    assert {"en", "pl", "pa", "ro", "ur", "bfi"} <= codes
    # Childcare with Ofsted URNs, masked refuges, stale and never-checked listings.
    urns = listings.exclude(ofsted_urn="").values_list("ofsted_urn", flat=True)
    assert len(urns) >= 10 and all(re.fullmatch(r"EY\d{6}", urn) for urn in urns)
    assert 1 <= Location.objects.filter(source=DEMO_SOURCE, mask_address=True).count() <= 5
    overdue = listings.review_overdue(listings.first().last_modified.date())
    assert listings.filter(assured_date__isnull=True).exists()
    assert overdue.filter(assured_date__isnull=False).exists()
    # Places to meet with asset types, facilities and capacities.
    meeting = Location.objects.filter(source=DEMO_SOURCE, is_meeting_place=True)
    assert meeting.count() >= 40
    assert meeting.filter(facilities__isnull=False).distinct().count() == meeting.count()
    assert len(set(meeting.values_list("asset_type", flat=True))) >= 4
    assert not meeting.filter(capacity__isnull=True).exists()
    # Only fictional phone numbers (Ofcom's drama range) and example.org emails.
    numbers = Phone.objects.values_list("number", flat=True)
    assert numbers and all(number.startswith("01632 960") for number in numbers)
    emails = set(listings.exclude(email="").values_list("email", flat=True))
    assert emails and all(email.endswith("@example.org") for email in emails)


def test_initiatives_cover_some_wards_and_leave_gaps(demo):
    initiatives = Initiative.objects.filter(organization__source=DEMO_SOURCE)
    kinds = set(initiatives.values_list("kind", flat=True))
    assert {"local_area_coordination", "community_hub", "timebank", "social_prescribing"} <= kinds
    wards = Area.objects.wards().filter(district_code=THURROCK)
    for initiative in initiatives:
        assert 0 < initiative.wards.count() < wards.count()
    uncovered = wards.exclude(directory_initiatives__in=initiatives)
    assert uncovered.exists()


def test_loading_again_adds_nothing(demo):
    before = _counts()
    call_command("demo_load", stdout=io.StringIO(), stderr=io.StringIO())
    assert _counts() == before


def test_the_oruk_api_over_the_demo_validates(demo, client, shared_dir):
    schemas = oruk_schemas(shared_dir)
    body = client.get("/api/oruk/services?full=true&per_page=50&page=2").json()
    assert body["total_items"] == Service.objects.published().count()
    assert schemas.errors("/services", body) == []
    assert page_errors(body, per_page=50) == []
    assert blank_optional_values(body) == []
    near = client.get("/api/oruk/service_at_locations?postcode=RM17%206SL&proximity=3000").json()
    assert near["total_items"] > 0
    assert schemas.errors("/service_at_locations", near) == []
