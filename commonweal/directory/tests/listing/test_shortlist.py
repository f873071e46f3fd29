"""The shortlist: kept in the session without an account, printable, and shared as a link."""

from __future__ import annotations

import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from commonweal.directory.constants import Publication
from commonweal.directory.listing import SHORTLIST_MAX, shortlist_share_path
from commonweal.directory.tests.factories import ServiceFactory, full_service

pytestmark = pytest.mark.django_db


def add(client, service, **extra):
    return client.post(reverse("directory:shortlist_add", args=[service.public_id]), **extra)


def remove(client, service, **extra):
    return client.post(reverse("directory:shortlist_remove", args=[service.public_id]), **extra)


def shortlisted_names(client, path=None) -> list[str]:
    response = client.get(path or reverse("directory:shortlist"))
    assert response.status_code == 200
    return [entry.service.name for entry in response.context["entries"]]


def test_adding_and_removing_keeps_the_shortlist_in_the_session(client):
    first, second = full_service(name="Lunch club"), full_service(name="Men's shed")
    response = add(client, first)
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:service_detail", args=[first.public_id])
    add(client, second)
    add(client, first)  # twice is still once
    assert shortlisted_names(client) == ["Lunch club", "Men's shed"]

    page = client.get(reverse("directory:service_detail", args=[first.public_id]))
    assert page.context["in_shortlist"] is True
    assert "Remove from shortlist" in page.content.decode()

    remove(client, first)
    assert shortlisted_names(client) == ["Men's shed"]
    # Another visitor has a shortlist of their own.
    assert shortlisted_names(Client()) == []


def test_the_shortlist_page_shows_times_and_contacts(client):
    service = full_service(name="Lunch club", email="lunch@example.org")
    add(client, service)
    html = client.get(reverse("directory:shortlist")).content.decode()
    assert "2nd Monday of the month, 10am to 12 noon" in html
    assert "lunch@example.org" in html
    assert "data-cw-print" in html  # the print button


def test_a_listing_that_is_withdrawn_drops_off_the_shortlist(client):
    service = ServiceFactory(name="Choir")
    add(client, service)
    service.publication = Publication.WITHDRAWN
    service.save()
    assert shortlisted_names(client) == []


def test_unpublished_or_unknown_listings_cannot_be_added(client):
    draft = ServiceFactory(publication=Publication.DRAFT)
    assert add(client, draft).status_code == 404
    response = client.post(reverse("directory:shortlist_add", args=[uuid.uuid4()]))
    assert response.status_code == 404
    assert shortlisted_names(client) == []


def test_the_shortlist_is_capped(client):
    services = ServiceFactory.create_batch(SHORTLIST_MAX + 1)
    for service in services[:SHORTLIST_MAX]:
        add(client, service)
    response = add(client, services[-1], follow=True)
    assert "Your shortlist is full" in response.content.decode()
    assert len(client.session["directory_shortlist"]) == SHORTLIST_MAX


def test_the_buttons_only_take_posts_with_a_csrf_token():
    service = ServiceFactory()
    strict = Client(enforce_csrf_checks=True)
    assert (
        strict.get(reverse("directory:shortlist_add", args=[service.public_id])).status_code == 405
    )
    assert add(strict, service).status_code == 403
    assert shortlisted_names(strict) == []


def test_next_only_goes_back_to_this_site(client):
    service = ServiceFactory()
    response = add(client, service, data={"next": "https://evil.example/"})
    assert response["Location"] == reverse("directory:service_detail", args=[service.public_id])
    response = add(client, service, data={"next": "/directory/shortlist/"})
    assert response["Location"] == "/directory/shortlist/"


def test_with_htmx_the_button_swaps_and_a_toast_says_what_happened(client):
    service = ServiceFactory(name="Book club")
    response = add(client, service, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Remove from shortlist" in html and "<html" not in html
    toast = json.loads(response["HX-Trigger"])["commonweal:toast"]
    assert toast == {"message": "Added Book club to your shortlist", "level": "success"}

    response = remove(client, service, headers={"HX-Request": "true"})
    assert "Add to shortlist" in response.content.decode()
    assert "Removed Book club" in json.loads(response["HX-Trigger"])["commonweal:toast"]["message"]


def test_the_share_link_shows_the_same_listings_to_anyone_read_only(client):
    first, second = ServiceFactory(name="Allotment"), ServiceFactory(name="Bowls")
    add(client, second)
    add(client, first)
    response = client.get(reverse("directory:shortlist"))
    link = response.context["share_url"]
    assert link == "http://testserver" + shortlist_share_path([second.public_id, first.public_id])

    stranger = Client()
    shared = stranger.get(link.removeprefix("http://testserver"))
    assert [entry.service.name for entry in shared.context["entries"]] == ["Bowls", "Allotment"]
    assert shared.context["shared"] is True
    html = shared.content.decode()
    assert "A shortlist someone shared" in html
    assert reverse("directory:shortlist_remove", args=[first.public_id]) not in html
    # Opening it does not change the stranger's own shortlist.
    assert shortlisted_names(stranger) == []


def test_the_share_link_ignores_unknown_unpublished_and_malformed_ids(client):
    shown = ServiceFactory(name="Walking group")
    draft = ServiceFactory(publication=Publication.DRAFT, name="Secret draft")
    ids = ",".join(
        [str(uuid.uuid4()), "not-a-uuid", str(draft.public_id), str(shown.public_id), "<script>"]
    )
    response = client.get(reverse("directory:shortlist"), {"ids": ids})
    assert response.status_code == 200
    assert [entry.service.name for entry in response.context["entries"]] == ["Walking group"]
    assert "Secret draft" not in response.content.decode()


def test_a_huge_share_link_is_handled(client):
    ids = ",".join(str(uuid.uuid4()) for _ in range(500))
    response = client.get(reverse("directory:shortlist"), {"ids": ids})
    assert response.status_code == 200
    assert response.context["entries"] == []


def test_the_shortlist_page_needs_a_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    services = [full_service() for _ in range(6)]
    ids = ",".join(str(service.public_id) for service in services)
    client.get(reverse("directory:shortlist"), {"ids": ids})
    with django_assert_max_num_queries(20):
        response = client.get(reverse("directory:shortlist"), {"ids": ids})
    assert len(response.context["entries"]) == 6
