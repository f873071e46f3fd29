"""The public search page and its selector: every filter narrows (AND), counts, sorting, pages, the
map of the page, a postcode we cannot find, hostile query strings, and a bounded number of queries."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from commonweal.directory.constants import SEND_NEEDS_TAXONOMY_URI, Facility, Publication
from commonweal.directory.models import CostOption, Language, LocationFacility, Schedule
from commonweal.directory.public_search import SearchCriteria, service_public_search
from commonweal.directory.tests.factories import (
    LocationFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    TaxonomyFactory,
    TaxonomyTermFactory,
    attribute_add,
)
from commonweal.geo.models import Postcode

pytestmark = pytest.mark.django_db

URL = "/directory/"
GRAYS = (51.4760, 0.3250)


@pytest.fixture(autouse=True)
def _fresh_choices():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def postcodes():
    Postcode.objects.create(postcode="RM176SL", latitude=GRAYS[0], longitude=GRAYS[1])
    Postcode.objects.create(postcode="SS178AA", latitude=51.5200, longitude=0.4300)


def _service(name, *, lat=None, lon=None, masked=False, **fields):
    service = ServiceFactory(name=name, **fields)
    if lat is not None:
        location = LocationFactory(
            name=f"{name} venue",
            latitude=Decimal(str(lat)),
            longitude=Decimal(str(lon)),
            mask_address=masked,
        )
        ServiceAtLocationFactory(service=service, location=location)
    return service


def _names(response):
    html = response.content.decode()
    block = html.split('id="results-list"', 1)
    if len(block) < 2:
        return []
    return re.findall(
        r'<h3 class="govuk-heading-s[^"]*"><a class="govuk-link" href="[^"]+">([^<]+)</a>', block[1]
    )


def _get(client, query="", status=200):
    response = client.get(URL + ("?" + query if query else ""))
    assert response.status_code == status
    return response


def _found(**criteria):
    return {hit.service.name for hit in service_public_search(SearchCriteria(**criteria)).hits}


def test_the_page_and_its_navigation_item(client):
    response = _get(client)
    html = response.content.decode()
    assert "Find groups, activities and services" in html
    assert f'href="{reverse("directory:search")}"' in html
    assert "0 results" in html


def test_keyword_search_counts_and_only_published(client):
    _service("Swimming lessons")
    _service("Swimming for adults", description="Lane swimming at the leisure centre.")
    _service("Swimming draft", publication=Publication.DRAFT)
    _service("Knitting circle")
    response = _get(client, "q=swimming")
    assert "2 results" in response.content.decode()
    assert set(_names(response)) == {"Swimming lessons", "Swimming for adults"}


def test_relevance_puts_name_matches_first(client):
    _service("Board games", description="Afterwards some of us go swimming.")
    _service("Swimming club", description="Weekly sessions.")
    assert _names(_get(client, "q=swimming")) == ["Swimming club", "Board games"]


def test_postcode_and_distance_sort_nearest_first(client, postcodes):
    _service("Near", lat=51.4790, lon=0.3290)
    _service("Nearest", lat=51.4762, lon=0.3252)
    _service("Four miles", lat=51.5300, lon=0.3300)
    _service("Far", lat=51.60, lon=0.60)
    _service("Hidden", lat=51.4760, lon=0.3250, masked=True)
    _service("Online only")
    response = _get(client, "postcode=rm17+6sl&distance=1")
    html = response.content.decode()
    assert "2 results near RM17 6SL" in html
    assert _names(response) == ["Nearest", "Near"]
    assert "miles away" in html
    assert _names(_get(client, "postcode=RM176SL&distance=5")) == ["Nearest", "Near", "Four miles"]
    by_name = _get(client, "postcode=RM176SL&distance=5&sort=name")
    assert _names(by_name) == ["Four miles", "Near", "Nearest"]


def test_keyword_and_postcode_together(client, postcodes):
    _service("Youth club", lat=51.4790, lon=0.3290)
    _service("Youth club far away", lat=51.60, lon=0.60)
    _service("Lunch club", lat=51.4790, lon=0.3290)
    response = _get(client, "q=youth&postcode=RM17+6SL&distance=3")
    assert _names(response) == ["Youth club"]
    assert "1 result near RM17 6SL" in response.content.decode()


def test_keyword_near_a_postcode_ranks_and_pages_like_a_keyword_search(client, postcodes):
    for number in range(28):
        _service(f"Club {number:02d}", lat=51.4790, lon=0.3290)
    _service("Games afternoon", description="A club for board games.", lat=51.4790, lon=0.3290)
    _service("Club far away", lat=51.60, lon=0.60)

    first = _get(client, "q=club&postcode=RM17+6SL&distance=3")
    assert "29 results near RM17 6SL" in first.content.decode()
    assert len(_names(first)) == 25
    second = _get(client, "q=club&postcode=RM17+6SL&distance=3&page=2")
    # A name match counts more than a description match: the games afternoon comes last.
    assert _names(second)[-1] == "Games afternoon" and len(_names(second)) == 4
    assert set(_names(first)).isdisjoint(_names(second))
    by_name = _get(client, "q=club&postcode=RM17+6SL&distance=3&sort=name")
    assert _names(by_name) == [f"Club {number:02d}" for number in range(25)]


@pytest.mark.parametrize("postcode", ["ZZ99 9ZZ", "not a postcode", "SW1A 1AA"])
def test_a_postcode_we_cannot_find_shows_a_message_and_unfiltered_results(
    client, postcodes, postcode
):
    _service("Near", lat=51.4790, lon=0.3290)
    _service("Far", lat=51.60, lon=0.60)
    response = _get(client, f"postcode={postcode}&distance=1")
    html = response.content.decode()
    assert "We could not find that postcode" in html
    assert "govuk-error-summary" in html
    assert set(_names(response)) == {"Near", "Far"}
    assert f'value="{postcode}"' in html  # the form keeps what was typed


def test_category_matches_the_term_and_the_terms_below_it(client):
    categories = TaxonomyFactory(name="Categories")
    sport = TaxonomyTermFactory(taxonomy=categories, name="Sport")
    football = TaxonomyTermFactory(taxonomy=categories, name="Football", parent=sport)
    arts = TaxonomyTermFactory(taxonomy=categories, name="Arts")
    attribute_add(_service("Five-a-side"), football)
    attribute_add(_service("Sports day"), sport)
    attribute_add(_service("Pottery"), arts)
    response = _get(client, f"category={sport.public_id}")
    html = response.content.decode()
    assert set(_names(response)) == {"Five-a-side", "Sports day"}
    # Only top-level terms are offered.
    assert f'value="{sport.public_id}"' in html and f'value="{football.public_id}"' not in html
    assert "Category: Sport" in html


def test_send_needs_are_their_own_filter_not_a_category(client):
    needs = TaxonomyFactory(name="SEND needs", uri=SEND_NEEDS_TAXONOMY_URI)
    autism = TaxonomyTermFactory(taxonomy=needs, name="Autism")
    attribute_add(_service("Quiet swim"), autism)
    _service("Noisy swim")
    response = _get(client, f"need={autism.public_id}")
    assert _names(response) == ["Quiet swim"]
    category_select = response.content.decode().split('name="category"', 1)[1].split("</select>")[0]
    assert "Autism" not in category_select


def _schedule(service, **fields):
    Schedule.objects.create(service=service, **fields)


@time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)  # a Monday
def test_day_and_time_of_day(client):
    weekly = _service("Weekly mornings")
    _schedule(weekly, freq="WEEKLY", byday="MO,WE", opens_at=dt.time(10), closes_at=dt.time(12))
    monthly = _service("Monthly evenings")
    _schedule(monthly, freq="MONTHLY", byday="2MO", opens_at=dt.time(18), closes_at=dt.time(20))
    split = _service("Split days")
    _schedule(split, freq="WEEKLY", byday="FR", opens_at=dt.time(19), closes_at=dt.time(21))
    _schedule(split, freq="WEEKLY", byday="MO", opens_at=dt.time(9), closes_at=dt.time(11))
    ended = _service("Ended")
    _schedule(ended, freq="WEEKLY", byday="MO", opens_at=dt.time(10), valid_to=dt.date(2026, 1, 1))
    assert _found(day="MO") == {"Weekly mornings", "Monthly evenings", "Split days"}
    assert _found(day="WE") == {"Weekly mornings"}
    assert _found(day="MO", time_of_day="evening") == {"Monthly evenings"}
    assert _found(day="MO", time_of_day="morning") == {"Weekly mornings", "Split days"}
    assert _found(time_of_day="afternoon") == set()
    assert _found(time_of_day="evening") == {"Monthly evenings", "Split days"}
    response = _get(client, "day=MO&time=morning")
    html = response.content.decode()
    assert "Day: Monday" in html and "Time: Morning" in html
    # The next session in plain words: the weekly group meets today at 10am.
    assert "Next: today, 10am" in html


@time_machine.travel(dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC), tick=False)  # a Tuesday
def test_the_next_session_in_results_agrees_with_the_listing_page(client):
    second_monday = _service("Second Monday lunch")
    _schedule(
        second_monday,
        freq="MONTHLY",
        byday="2MO",
        opens_at=dt.time(10),
        closes_at=dt.time(12),
        description="2nd Monday of the month, 10am to 12 noon",
    )
    fifteenth = _service("Fifteenth coffee")
    _schedule(fifteenth, freq="MONTHLY", bymonthday="15", opens_at=dt.time(14))
    alternate = _service("Alternate first Wednesday")
    _schedule(
        alternate,
        freq="MONTHLY",
        interval=2,
        byday="1WE",
        dtstart=dt.date(2026, 1, 7),
        opens_at=dt.time(19),
    )
    expected = {
        # 9 March has passed: the next 2nd Monday is in April.
        second_monday: ("Monday 13 April", "10am"),
        # The 15th of each month, which the search used to ignore.
        fifteenth: ("Sunday 15 March", "2pm"),
        # Every other month from January: March's has passed, so May (not April).
        alternate: ("Wednesday 6 May", "7pm"),
    }
    results = _get(client, "").content.decode()
    for service, (day, clock) in expected.items():
        assert f"Next: {day}, {clock}" in results
        listing = client.get(reverse("directory:service_detail", args=[service.public_id]))
        assert f"Next: {day}" in listing.content.decode()


def test_age(client):
    _service("Toddlers", minimum_age=0, maximum_age=4)
    _service("Teens", minimum_age=13, maximum_age=19)
    _service("Everyone", minimum_age=None, maximum_age=None)
    assert _found(age=3) == {"Toddlers", "Everyone"}
    assert _found(age=15) == {"Teens", "Everyone"}
    assert set(_names(_get(client, "age=40"))) == {"Everyone"}


def test_free_only(client):
    zero = _service("Free by cost option")
    CostOption.objects.create(service=zero, option="Free", amount=Decimal("0"))
    _service("Free by saying nothing", fees="")
    paid = _service("Paid")
    CostOption.objects.create(service=paid, option="Session", amount=Decimal("3.50"))
    _service("Fees in words", fees="£2 a session")
    assert _found(free_only=True) == {"Free by cost option", "Free by saying nothing"}
    assert "Free only" in _get(client, "free=on").content.decode()


def test_accessibility_needs_one_venue_with_every_facility(client):
    both = _service("Both at one venue", lat=51.47, lon=0.32)
    for facility in (Facility.STEP_FREE, Facility.HEARING_LOOP):
        LocationFacility.objects.create(
            location=both.service_at_locations.get().location, facility=facility
        )
    one = _service("Step-free only", lat=51.47, lon=0.32)
    LocationFacility.objects.create(
        location=one.service_at_locations.get().location, facility=Facility.STEP_FREE
    )
    assert _found(facilities=("step_free",)) == {"Both at one venue", "Step-free only"}
    assert _found(facilities=("step_free", "hearing_loop")) == {"Both at one venue"}
    response = _get(client, "access=step_free&access=hearing_loop")
    html = response.content.decode()
    assert _names(response) == ["Both at one venue"]
    assert "access=hearing_loop" in html  # the link that removes step-free keeps hearing loop


def test_language(client):
    polish = _service("Polish Saturday school")
    Language.objects.create(service=polish, name="Polish", code="pl")
    english = _service("Homework club")
    Language.objects.create(service=english, name="English", code="en")
    response = _get(client, "language=Polish")
    assert _names(response) == ["Polish Saturday school"]
    assert '<option value="English">English</option>' in response.content.decode()


def test_filters_combine_with_and(client, postcodes):
    categories = TaxonomyFactory(name="Categories")
    sport = TaxonomyTermFactory(taxonomy=categories, name="Sport")
    match = _service("Junior football", lat=51.4762, lon=0.3252, minimum_age=5, maximum_age=11)
    attribute_add(match, sport)
    wrong_age = _service("Veterans football", lat=51.4762, lon=0.3252, minimum_age=40)
    attribute_add(wrong_age, sport)
    _service("Junior football far", lat=51.60, lon=0.60, minimum_age=5, maximum_age=11)
    untagged = _service("Junior football untagged", lat=51.4762, lon=0.3252)
    assert untagged
    query = f"q=football&postcode=RM176SL&distance=3&category={sport.public_id}&age=8"
    assert _names(_get(client, query)) == ["Junior football"]


def test_pages_of_twenty_five(client):
    for number in range(30):
        _service(f"Club {number:02d}")
    first = _get(client, "q=club")
    assert "30 results" in first.content.decode()
    assert len(_names(first)) == 25
    assert "Page 1 of 2" in first.content.decode()
    second = _get(client, "q=club&page=2")
    assert len(_names(second)) == 5
    assert set(_names(first)).isdisjoint(_names(second))
    assert _names(_get(client, "q=club&page=999")) == _names(second)
    assert _names(_get(client, "q=club&page=abc")) == _names(first)


@pytest.mark.parametrize(
    "query",
    [
        "q=" + "x" * 10_000,
        "q=%22%27%2A%28AND%20OR%20NEAR",
        "distance=999",
        "distance=-1",
        "category=not-a-uuid",
        "category=00000000-0000-4000-8000-000000000000",
        "need=%00",
        "access=bogus&access=step_free",
        "day=XX&time=midnight",
        "sort=drop&page=-5",
        "page=" + "9" * 5000,
        "language=" + "L" * 3000,
        "postcode=" + "A" * 5000,
        "age=" + "9" * 50,
        "view=map&sort=distance",
        "a=" + "b" * 9000,
    ],
)
def test_hostile_query_strings_never_fail(client, query):
    _service("Lunch club", lat=51.47, lon=0.32)
    response = _get(client, query)
    assert "result" in response.content.decode()


def test_a_bad_age_is_explained(client):
    _service("Anyone")
    html = _get(client, "age=eight").content.decode()
    assert "Enter an age as a whole number" in html
    assert "1 result" in html


def test_filter_summary_links_remove_one_filter_or_all(client):
    _service("Lunch club", minimum_age=None, maximum_age=None)
    html = _get(client, "q=lunch&age=70&free=on").content.decode()
    assert "Words: “lunch”" in html
    assert "remove this filter" in html
    assert 'href="/directory/?age=70&amp;free=on"' in html
    assert 'href="/directory/?q=lunch&amp;free=on"' in html
    assert 'href="/directory/">Clear all filters' in html


def test_map_shows_the_points_of_the_page_and_an_equivalent_list(client, postcodes):
    _service("Hall group", lat=51.4790, lon=0.3290)
    _service("Refuge group", lat=51.4770, lon=0.3260, masked=True)
    _service("Online group")
    response = _get(client, "view=map")
    html = response.content.decode()
    geojson = json.loads(
        re.search(
            r'<script id="results-geojson" type="application/json">(.*?)</script>', html, re.S
        )[1]
    )
    names = [feature["properties"]["name"] for feature in geojson["features"]]
    assert names == ["Hall group"]
    assert geojson["features"][0]["geometry"]["coordinates"] == [0.329, 51.479]
    items = re.findall(r'<li class="cw-search__map-item">', html)
    assert len(items) == len(names)
    assert "51.477" not in html  # the masked venue's point never reaches the page
    assert "data-cw-map" in html and 'id="results-map-list"' in html


def test_query_count_is_bounded(client, postcodes, django_assert_max_num_queries):
    categories = TaxonomyFactory(name="Categories")
    sport = TaxonomyTermFactory(taxonomy=categories, name="Sport")
    for number in range(30):
        service = _service(f"Football {number}", lat=51.4762, lon=0.3252)
        attribute_add(service, sport)
        _schedule(service, freq="WEEKLY", byday="SA", opens_at=dt.time(10))
        Language.objects.create(service=service, name="English", code="en")
    _get(client)  # fill the cached language choices
    query = (
        f"q=football&postcode=RM176SL&distance=3&category={sport.public_id}&day=SA"
        "&time=morning&age=9&language=English&access=step_free&view=map"
    )
    with django_assert_max_num_queries(14):
        _get(client, query)
    with django_assert_max_num_queries(12):
        _get(client, "q=football&page=2")
