"""The public story site: search, filters, paging, a story's page, featured stories."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import reverse

from commonweal.geo.tests.factories import AreaFactory
from commonweal.outcomes.selectors import outcome_list
from commonweal.stories import services
from commonweal.stories.constants import PAGE_SIZE, ConsentLevel
from commonweal.stories.tests.factories import CollectionFactory, StoryFactory, published_story

pytestmark = pytest.mark.django_db


def titles(response):
    return [story.shown_title for story in response.context["stories"]]


def test_only_published_stories_with_public_consent_are_listed(client):
    published_story(title="Out in the open")
    StoryFactory(title="Still waiting")
    services.story_keep_internal(
        actor=None, story=StoryFactory(title="Kept inside", consent_level=ConsentLevel.INTERNAL)
    )
    response = client.get(reverse("stories:home"))
    assert titles(response) == ["Out in the open"]


def test_keyword_search_finds_words_in_the_published_text(client):
    published_story(
        title="Walking group", text="We walk along the river every Thursday morning together."
    )
    published_story(
        title="Food bank", text="The food bank volunteers made me feel welcome and useful."
    )
    assert titles(client.get(reverse("stories:home"), {"q": "RIVER thursday"})) == ["Walking group"]
    assert titles(client.get(reverse("stories:home"), {"q": "welcome"})) == ["Food bank"]
    assert titles(client.get(reverse("stories:home"), {"q": '"); DROP TABLE x; --'})) == []


def test_search_never_finds_words_a_moderator_took_out(client):
    story = StoryFactory(
        title="Garden", text="Mrs Patel gave the street seedlings and taught us to grow beans."
    )
    services.story_redact(
        actor=None,
        story=story,
        public_title="Garden",
        public_text="A neighbour gave the street seedlings.",
    )
    services.story_publish(actor=None, story=story)
    assert titles(client.get(reverse("stories:home"), {"q": "Patel"})) == []
    assert titles(client.get(reverse("stories:home"), {"q": "seedlings"})) == ["Garden"]


def test_filters_by_outcome_ward_theme_and_collection(client):
    belonging, learning = list(outcome_list()[:2])
    ward = AreaFactory(name="Chadwell St Mary")
    fair = CollectionFactory(title="Ideas Fair")
    first = published_story(title="One", collection=fair, ward=ward)
    first.outcomes.add(belonging)
    first.themes.add(services.theme_ensure(name="Getting about"))
    second = published_story(title="Two")
    second.outcomes.add(learning)
    home = reverse("stories:home")
    assert titles(client.get(home, {"outcome": belonging.slug})) == ["One"]
    assert titles(client.get(home, {"outcome": learning.slug})) == ["Two"]
    assert titles(client.get(home, {"ward": ward.code})) == ["One"]
    assert titles(client.get(home, {"theme": "getting-about"})) == ["One"]
    assert titles(client.get(home, {"collection": fair.slug})) == ["One"]
    # An unknown choice is ignored with the form's message rather than an error page.
    assert client.get(home, {"ward": "nonsense"}).status_code == 200


def test_the_list_is_paged(client):
    for n in range(PAGE_SIZE + 3):
        published_story(title=f"Story number {n}")
    first = client.get(reverse("stories:home"))
    assert len(titles(first)) == PAGE_SIZE and "Page 1 of 2" in first.content.decode()
    second = client.get(reverse("stories:home"), {"page": 2})
    assert len(titles(second)) == 3
    assert client.get(reverse("stories:home"), {"page": "999"}).status_code == 200


def test_htmx_gets_only_the_results(client):
    published_story(title="Partial")
    response = client.get(reverse("stories:home"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Partial" in html and "<html" not in html


def test_a_story_page_shows_the_name_only_with_consent(client):
    named = published_story(
        title="Named", consent_level=ConsentLevel.PUBLIC_NAMED, teller_name="Josie"
    )
    anonymous = published_story(title="Anonymous", teller_name="Secret Sam")
    assert "Josie" in client.get(reverse("stories:story", args=[named.public_id])).content.decode()
    page = client.get(reverse("stories:story", args=[anonymous.public_id])).content.decode()
    assert "Secret Sam" not in page and "asked not to be named" in page


def test_an_unpublished_story_and_its_photo_are_not_found(client):
    story = StoryFactory()
    assert client.get(reverse("stories:story", args=[story.public_id])).status_code == 404
    assert client.get(reverse("stories:story_photo", args=[story.public_id])).status_code == 404


def test_featured_stories_for_other_pages(client):
    plain = published_story(title="Plain story")
    chosen = published_story(title="Chosen story")
    services.story_feature(actor=None, story=chosen, featured=True)
    html = Template("{% load stories_featured %}{% featured_stories limit=1 %}").render(Context({}))
    assert "Chosen story" in html and plain.title not in html
    assert "Stories from residents" in html


def test_featured_stories_show_on_the_directory_search_and_a_grants_round(client):
    from commonweal.grants.tests.factories import open_round

    chosen = published_story(title="The lunch club rang me")
    services.story_feature(actor=None, story=chosen, featured=True)
    landing = client.get(reverse("directory:search")).content.decode()
    assert "The lunch club rang me" in landing and "What residents say" in landing
    searched = client.get(reverse("directory:search"), {"q": "football"}).content.decode()
    assert "The lunch club rang me" not in searched  # the results come first
    round_ = open_round()
    page = client.get(reverse("grants:round_detail", args=[round_.public_id])).content.decode()
    assert "The lunch club rang me" in page
    assert reverse("stories:story", args=[chosen.public_id]) in page


def test_search_matches_whole_words_and_their_beginnings(client):
    published_story(
        title="Gardens", text="We started two community gardens by the flats last spring."
    )
    published_story(
        title="Nursery", text="The kindergarden run by the church took my twins on Mondays."
    )
    assert titles(client.get(reverse("stories:home"), {"q": "garden"})) == ["Gardens"]
    assert titles(client.get(reverse("stories:home"), {"q": "kinder"})) == ["Nursery"]


def test_staff_see_links_to_their_pages(client):
    from commonweal.accounts.constants import Role
    from commonweal.accounts.tests.factories import UserFactory

    assert "Stories to moderate" not in client.get(reverse("stories:home")).content.decode()
    client.force_login(UserFactory(roles=[Role.MODERATOR]))
    html = client.get(reverse("stories:home")).content.decode()
    assert reverse("stories:moderation_queue") in html and reverse("stories:patterns") in html
