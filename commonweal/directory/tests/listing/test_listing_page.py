"""The public listing page and its print view: what residents and GP receptionists read."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html import unescape as html_unescape
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from commonweal.directory.constants import (
    SEND_NEEDS_TAXONOMY_URI,
    Facility,
    LocalOfferQuestion,
    Publication,
    ScheduleFrequency,
)
from commonweal.directory.models import (
    Contact,
    CostOption,
    LocalOfferAnswer,
    LocationFacility,
    Phone,
    Schedule,
)
from commonweal.directory.tests.factories import (
    AddressFactory,
    LocationFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    TaxonomyFactory,
    TaxonomyTermFactory,
    attribute_add,
    full_service,
)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def detail_url(service) -> str:
    return reverse("directory:service_detail", args=[service.public_id])


def text_of(response) -> str:
    """The page's visible words, tags removed and spaces collapsed."""
    html = response.content.decode()
    html = re.sub(r"<script\b.*?</script>", " ", html, flags=re.S)
    return " ".join(html_unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_a_published_listing_shows_what_people_need_in_order(client):
    service = full_service(name="Grays Coffee Morning", description="Tea, cake and a chat.")
    Phone.objects.create(service=service, number="01375 123456", description="Mornings")
    response = client.get(detail_url(service))
    assert response.status_code == 200
    text = text_of(response)
    assert "Grays Coffee Morning" in text
    assert f"Run by {service.organization.name}" in text
    # Opening times in plain words, under the venue they happen at.
    assert "2nd Monday of the month, 10am to 12 noon" in text
    assert "1 High Street, Grays, RM17 6SL" in text or "High Street, Grays, RM17 6SL" in text
    assert "Suggested donation: £1.50" in text
    assert "Ages 18 to 99" in text
    assert "You do not need a referral" in text
    assert "English" in text
    assert "Step-free entrance" in text
    assert "01375 123456" in text and "coffee@example.org" in text
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", response.content.decode())
    main_sections = [
        h for h in headings if h in {"When", "Where", "Cost", "Who it is for", "Contact"}
    ]
    assert main_sections == ["When", "Where", "Cost", "Who it is for", "Contact"]
    assert f"Last checked: {service.assured_date:%-d %B %Y}" in text


def test_a_phone_number_is_a_link_that_dials_it_with_its_extension(client):
    service = ServiceFactory()
    Phone.objects.create(service=service, number="01375 123456 ext 204")
    Phone.objects.create(service=service, number="0800 123 4567")
    html = client.get(detail_url(service)).content.decode()
    assert '<a class="govuk-link" href="tel:01375123456;ext=204">01375 123456 ext 204</a>' in html
    assert '<a class="govuk-link" href="tel:08001234567">0800 123 4567</a>' in html


@pytest.mark.parametrize("publication", [Publication.DRAFT, Publication.WITHDRAWN])
def test_an_unpublished_listing_is_not_found(client, publication):
    service = ServiceFactory(publication=publication)
    assert client.get(detail_url(service)).status_code == 404
    assert (
        client.get(reverse("directory:service_print", args=[service.public_id])).status_code == 404
    )
    assert (
        client.get(reverse("directory:report_problem", args=[service.public_id])).status_code == 404
    )


def test_a_masked_place_never_shows_its_address_postcode_or_point(client):
    service = ServiceFactory()
    refuge = LocationFactory(
        name="Safe house",
        mask_address=True,
        postcode="RM164AB",
        latitude=Decimal("51.123456"),
        longitude=Decimal("0.654321"),
    )
    AddressFactory(location=refuge, address_1="7 Secret Lane", postal_code="RM16 4AB")
    ServiceAtLocationFactory(service=service, location=refuge)
    open_hall = LocationFactory(name="Open hall")
    AddressFactory(location=open_hall, address_1="1 Public Road")
    ServiceAtLocationFactory(service=service, location=open_hall)

    for name in ("directory:service_detail", "directory:service_print"):
        response = client.get(reverse(name, args=[service.public_id]))
        html = response.content.decode()
        assert "Secret Lane" not in html
        assert "RM16 4AB" not in html and "RM164AB" not in html
        assert "51.123456" not in html and "0.654321" not in html and "51.123" not in html
        assert "Address given when you get in touch" in html
        assert "1 Public Road" in html

    features = response.context["features"]["features"]
    assert [feature["properties"]["name"] for feature in features] == ["Open hall"]


def test_the_map_is_left_out_when_no_place_can_be_shown(client):
    service = ServiceFactory()
    ServiceAtLocationFactory(service=service, location=LocationFactory(mask_address=True))
    html = client.get(detail_url(service)).content.decode()
    assert "data-cw-map" not in html
    assert "Address given when you get in touch" in html


def test_a_listing_nobody_has_checked_lately_says_it_may_be_out_of_date(client, settings):
    settings.COMMONWEAL_DIRECTORY_REVIEW_DAYS = 90
    stale = ServiceFactory(assured_date=timezone.localdate() - dt.timedelta(days=200))
    fresh = ServiceFactory(assured_date=timezone.localdate() - dt.timedelta(days=5))
    never = ServiceFactory(assured_date=None)
    assert "This information may be out of date" in text_of(client.get(detail_url(stale)))
    assert "This information may be out of date" in text_of(client.get(detail_url(never)))
    assert "Not checked yet" in text_of(client.get(detail_url(never)))
    assert "This information may be out of date" not in text_of(client.get(detail_url(fresh)))


def test_named_contacts_show_name_and_title_but_never_their_own_email_or_phone(client):
    service = ServiceFactory(email="group@example.org")
    contact = Contact.objects.create(
        service=service, name="Pat Private", title="Treasurer", email="pat.home@example.org"
    )
    Phone.objects.create(contact=contact, number="07700 900123")
    text = text_of(client.get(detail_url(service)))
    assert "Ask for Pat Private, Treasurer" in text
    assert "pat.home@example.org" not in text
    assert "07700 900123" not in text
    assert "group@example.org" in text


def test_free_listings_say_free_and_others_list_their_costs(client):
    free = ServiceFactory()
    CostOption.objects.create(service=free, option="Everyone", amount=Decimal("0"))
    paid = ServiceFactory(fees="Concessions available")
    CostOption.objects.create(service=paid, option="Per session", amount=Decimal("3"))
    unknown = ServiceFactory()
    assert "Free" in text_of(client.get(detail_url(free)))
    paid_text = text_of(client.get(detail_url(paid)))
    assert "Per session: £3" in paid_text and "Concessions available" in paid_text
    assert "Ask the service whether there is a cost" in text_of(client.get(detail_url(unknown)))


def test_who_it_is_for_send_needs_referral_and_the_local_offer(client):
    service = ServiceFactory(
        minimum_age=5,
        maximum_age=None,
        referral_required=True,
        referral_description="Ask your school's SENCo.",
        send_local_offer=True,
        ofsted_urn="EY123456",
        eligibility_description="Families living in Thurrock.",
    )
    send = TaxonomyFactory(name="SEND needs", uri=SEND_NEEDS_TAXONOMY_URI)
    attribute_add(service, TaxonomyTermFactory(taxonomy=send, name="Autism"))
    LocalOfferAnswer.objects.create(
        service=service,
        question=LocalOfferQuestion.HOW_TO_START,
        answer="Ring the office to book a visit.",
    )
    response = client.get(detail_url(service))
    text = text_of(response)
    assert "Ages 5 and over" in text
    assert "Families living in Thurrock." in text
    assert "Autism" in text
    assert "You need a referral. Ask your school's SENCo." in text
    assert "SEND Local Offer" in text and "Ring the office to book a visit." in text
    assert "EY123456" in text
    assert "https://reports.ofsted.gov.uk/search?q=EY123456" in response.content.decode()
    # The SEND need is not shown again among the categories.
    assert [term.name for term in response.context["listing"].categories] == []


def test_local_offer_answers_are_shown_only_for_local_offer_listings(client):
    service = ServiceFactory(send_local_offer=False)
    LocalOfferAnswer.objects.create(
        service=service, question=LocalOfferQuestion.OUTCOMES, answer="Confidence and friends."
    )
    assert "Confidence and friends." not in text_of(client.get(detail_url(service)))


def test_venue_facilities_and_schedules_are_grouped_per_venue(client):
    service = ServiceFactory()
    hall = ServiceAtLocationFactory(service=service, location=LocationFactory(name="Hall"))
    library = ServiceAtLocationFactory(service=service, location=LocationFactory(name="Library"))
    LocationFacility.objects.create(location=library.location, facility=Facility.HEARING_LOOP)
    Schedule.objects.create(
        service=service,
        service_at_location=hall,
        freq=ScheduleFrequency.WEEKLY,
        byday="TU",
        opens_at=dt.time(10),
        closes_at=dt.time(12),
    )
    Schedule.objects.create(
        service=service,
        service_at_location=library,
        freq=ScheduleFrequency.MONTHLY,
        byday="-1FR",
        opens_at=dt.time(19),
        closes_at=dt.time(21),
    )
    text = text_of(client.get(detail_url(service)))
    assert "At Hall Every Tuesday, 10am to 12 noon" in text
    assert "At Library Last Friday of the month, 7pm to 9pm" in text
    assert "Hearing loop" in text


def test_an_unreadable_schedule_shows_its_description(client):
    service = ServiceFactory()
    Schedule.objects.create(service=service, freq="", byday="??", description="Term time only")
    assert "Term time only" in text_of(client.get(detail_url(service)))


def _busy_service(venues: int):
    service = full_service()
    for number in range(venues):
        location = LocationFactory(name=f"Extra venue {number}")
        AddressFactory(location=location)
        LocationFacility.objects.create(location=location, facility=Facility.KITCHEN)
        sal = ServiceAtLocationFactory(service=service, location=location)
        Schedule.objects.create(service=service, service_at_location=sal, freq="WEEKLY", byday="MO")
        Phone.objects.create(service=service, number=f"01375 00000{number}")
        CostOption.objects.create(service=service, option=f"Option {number}", amount=number)
    return service


def test_the_page_needs_the_same_few_queries_however_much_a_listing_holds(
    client, django_assert_max_num_queries
):
    small = _busy_service(0)
    big = _busy_service(8)
    client.get(detail_url(small))  # warm the content type cache
    with django_assert_max_num_queries(14) as small_queries:
        client.get(detail_url(small))
    with django_assert_max_num_queries(14) as big_queries:
        client.get(detail_url(big))
    assert len(big_queries.captured_queries) == len(small_queries.captured_queries)


def test_the_print_view_has_no_navigation_and_a_link_back(client):
    service = full_service()
    response = client.get(reverse("directory:service_print", args=[service.public_id]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="cw-navigation"' not in html and "govuk-footer" not in html
    assert "2nd Monday of the month, 10am to 12 noon" in html
    assert detail_url(service) in html
    assert "Skip to main content" in html
    assert f"http://testserver{detail_url(service)}" in html


def test_the_page_links_to_print_report_and_shortlist_and_shares_its_full_address(client):
    service = full_service(name="Tea & Talk")
    response = client.get(detail_url(service))
    html = response.content.decode()
    assert reverse("directory:service_print", args=[service.public_id]) in html
    assert reverse("directory:report_problem", args=[service.public_id]) in html
    assert reverse("directory:shortlist_add", args=[service.public_id]) in html
    full = f"http://testserver{detail_url(service)}"
    assert f'value="{full}"' in html and "readonly" in html
    mailto = html_unescape(
        re.search(r'href="(mailto:[^"]+)"[^>]*>Email this to someone', html).group(1)
    )
    assert mailto.startswith("mailto:?subject=Tea%20%26%20Talk&body=")
    assert quote(full) in mailto


def test_each_time_says_when_it_next_happens(client):
    service = ServiceFactory()
    Schedule.objects.create(
        service=service, freq=ScheduleFrequency.WEEKLY, byday="TU", opens_at=dt.time(10)
    )
    Schedule.objects.create(service=service, description="Ring for dates")
    with time_machine.travel(dt.datetime(2026, 3, 3, 11, 0, tzinfo=LONDON), tick=False):
        text = text_of(client.get(detail_url(service)))
    assert "Every Tuesday, from 10am Next: Tuesday 10 March" in text
    assert "Ring for dates Next" not in text
