"""The embeddable widget: a snippet generator, and a compact list other sites may frame."""

from __future__ import annotations

import html
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from commonweal.directory.constants import Publication
from commonweal.directory.tests.factories import (
    AddressFactory,
    LocationFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    TaxonomyTermFactory,
    attribute_add,
)
from commonweal.geo.constants import AreaKind
from commonweal.geo.models import Area, Postcode

pytestmark = pytest.mark.django_db

EMBED = "/directory/embed/"


@pytest.fixture
def wards():
    riverside = Area.objects.create(kind=AreaKind.WARD, code="E05002229", name="Grays Riverside")
    stanford = Area.objects.create(kind=AreaKind.WARD, code="E05002240", name="Stanford East")
    Postcode.objects.create(
        postcode="RM176SL", latitude=51.4760, longitude=0.3250, ward_code="E05002229"
    )
    return riverside, stanford


def venue_service(name, *, ward=None, lat=51.4760, lon=0.3250, masked=False, **kwargs):
    location = LocationFactory(
        name=f"{name} hall",
        ward=ward,
        latitude=Decimal(str(lat)),
        longitude=Decimal(str(lon)),
        mask_address=masked,
    )
    AddressFactory(location=location, address_1=f"1 {name} Road")
    service = ServiceFactory(name=name, **kwargs)
    ServiceAtLocationFactory(service=service, location=location)
    return service


def names(response) -> list[str]:
    return [entry["item"].name for entry in response.context["items"]]


def test_the_embed_may_be_framed_by_any_site_and_other_pages_may_not(client):
    response = client.get(EMBED)
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    policy = response["Content-Security-Policy"]
    assert re.search(r"frame-ancestors \*(;|$)", policy), policy
    assert "'none'" not in re.search(r"frame-ancestors [^;]*", policy).group(0)

    widget = client.get(reverse("directory:widget"))
    assert widget["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in widget["Content-Security-Policy"]


def test_the_embed_lists_published_listings_in_a_ward(client, wards):
    riverside, stanford = wards
    venue_service("Riverside lunch club", ward=riverside)
    venue_service("Stanford choir", ward=stanford)
    venue_service("Draft club", ward=riverside, publication=Publication.DRAFT)
    response = client.get(EMBED, {"ward": riverside.code})
    assert names(response) == ["Riverside lunch club"]
    page = response.content.decode()
    assert "in Grays Riverside" in page
    assert 'id="cw-navigation"' not in page


def test_the_embed_filters_by_category_including_narrower_terms(client, wards):
    food = TaxonomyTermFactory(name="Food")
    lunch = TaxonomyTermFactory(taxonomy=food.taxonomy, parent=food, name="Lunch clubs")
    club = venue_service("Lunch club")
    attribute_add(club, lunch)
    pantry = venue_service("Pantry")
    attribute_add(pantry, food)
    venue_service("Choir")
    response = client.get(EMBED, {"category": str(food.public_id)})
    assert names(response) == ["Lunch club", "Pantry"]
    response = client.get(EMBED, {"category": str(lunch.public_id)})
    assert names(response) == ["Lunch club"]


def test_the_embed_finds_listings_near_a_postcode_nearest_first(client, wards):
    venue_service("Near", lat=51.4770, lon=0.3260)
    venue_service("Nearer", lat=51.4761, lon=0.3251)
    venue_service("Far away", lat=51.60, lon=0.60)
    venue_service("Hidden refuge", lat=51.4760, lon=0.3250, masked=True)
    response = client.get(EMBED, {"postcode": "rm17 6sl", "distance": "2"})
    assert names(response) == ["Nearer", "Near"]
    page = response.content.decode()
    assert "within 2 miles of RM17 6SL" in page
    assert "Hidden refuge" not in page


def test_the_embed_respects_the_limit(client):
    for number in range(7):
        venue_service(f"Club {number}")
    assert len(names(client.get(EMBED, {"limit": "3"}))) == 3
    assert len(names(client.get(EMBED))) == 5  # the default
    assert len(names(client.get(EMBED, {"limit": "999"}))) == 5  # not one of the choices


def test_links_open_the_full_listing_in_a_new_tab_and_say_so(client):
    service = venue_service("Lunch club")
    page = client.get(EMBED).content.decode()
    link = re.search(r'<a [^>]*href="([^"]+)"[^>]*>Lunch club(.*?)</a>', page)
    assert link is not None
    assert link.group(1) == "http://testserver" + reverse(
        "directory:service_detail", args=[service.public_id]
    )
    assert "opens in a new tab" in link.group(2)
    assert 'target="_blank"' in link.group(0) and 'rel="noopener"' in link.group(0)


def test_a_masked_place_shows_no_address_in_the_embed(client):
    venue_service("Refuge support", masked=True)
    page = client.get(EMBED).content.decode()
    assert "Refuge support" in page
    assert "1 Refuge support Road" not in page
    assert "Address given when you get in touch" in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"ward": "E99999999"}, "We could not find that ward"),
        ({"category": "not-a-uuid"}, "We could not find that category"),
        ({"category": "6f1c2b9e-4d0a-4c5e-9a57-0b5e55c0ffee"}, "We could not find that category"),
        ({"postcode": "ZZ99 9ZZ"}, "We could not find the postcode"),
        ({"postcode": "<script>alert(1)</script>"}, "We could not find the postcode"),
        ({"distance": "lots", "limit": "-4"}, None),
        ({"ward": "x" * 5000, "category": "y" * 5000, "postcode": "z" * 5000}, "could not find"),
    ],
)
def test_bad_parameters_give_a_friendly_message_inside_the_widget(client, wards, params, message):
    venue_service("Lunch club")
    response = client.get(EMBED, params)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>alert" not in page
    if message:
        assert message in page
    assert names(response) == ["Lunch club"]


def test_the_embed_needs_a_bounded_number_of_queries(client, wards, django_assert_max_num_queries):
    riverside, _ = wards
    for number in range(10):
        venue_service(f"Club {number}", ward=riverside)
    client.get(EMBED, {"ward": riverside.code, "limit": "10"})
    with django_assert_max_num_queries(20):
        response = client.get(EMBED, {"ward": riverside.code, "limit": "10"})
    assert len(names(response)) == 10


def test_the_generator_makes_a_snippet_for_the_chosen_ward_and_category(client, wards):
    riverside, _ = wards
    term = TaxonomyTermFactory(name="Food")
    response = client.get(
        reverse("directory:widget"),
        {"ward": riverside.code, "category": str(term.public_id), "limit": "10"},
    )
    assert response.status_code == 200
    embed_url = response.context["embed_url"]
    parts = urlsplit(embed_url)
    assert parts.path == EMBED
    assert parse_qs(parts.query) == {
        "ward": [riverside.code],
        "category": [str(term.public_id)],
        "limit": ["10"],
    }
    page = response.content.decode()
    textarea = re.search(r'<textarea[^>]*id="widget-snippet"[^>]*>(.*?)</textarea>', page, re.S)
    snippet = html.unescape(textarea.group(1))
    assert snippet.startswith(f'<iframe src="{embed_url}"')
    assert 'title="' in snippet
    assert "readonly" in textarea.group(0)
    # The live preview shows the same address.
    assert re.search(r'<iframe class="cw-widget__preview" src="([^"]+)"', page).group(1) == (
        html.escape(embed_url)
    )
    # Each choice shown on the generator page is kept.
    assert f'<option value="{riverside.code}" selected>' in page


def test_the_generator_takes_a_postcode_and_distance(client, wards):
    response = client.get(reverse("directory:widget"), {"postcode": "rm176sl", "distance": "5"})
    query = parse_qs(urlsplit(response.context["embed_url"]).query)
    assert query == {"postcode": ["RM17 6SL"], "distance": ["5"], "limit": ["5"]}


@pytest.mark.parametrize(
    "params",
    [
        {"ward": '"><script>alert(1)</script>'},
        {"category": '"><script>alert(1)</script>'},
        {"postcode": '"><script>alert(1)</script>'},
        {"limit": '"><script>'},
        {"distance": '"><script>'},
    ],
)
def test_the_generator_refuses_and_escapes_hostile_input(client, wards, params):
    response = client.get(reverse("directory:widget"), params)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>alert" not in page
    assert response.context["snippet"] == ""
    assert "There is a problem" in page


def test_the_generator_asks_for_a_ward_or_a_postcode_not_both(client, wards):
    riverside, _ = wards
    response = client.get(
        reverse("directory:widget"), {"ward": riverside.code, "postcode": "RM17 6SL"}
    )
    assert "Choose a ward or a postcode, not both" in response.content.decode()
    assert response.context["snippet"] == ""


def test_the_generator_page_starts_empty(client):
    response = client.get(reverse("directory:widget"))
    assert response.status_code == 200
    assert response.context["snippet"] == ""
    assert "There is a problem" not in response.content.decode()
