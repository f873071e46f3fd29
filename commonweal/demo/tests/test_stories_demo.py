"""The demo's stories: two collections, 160 stories over Thurrock's wards, some waiting for moderation,
varied consent, signification filled in; loading again adds nothing."""

from __future__ import annotations

from collections import Counter

import pytest
from django.urls import reverse
from django.utils.html import escape

from commonweal.demo import loaders
from commonweal.demo.borough import DemoResult
from commonweal.demo.stories import stories_load
from commonweal.stories.constants import ConsentLevel, StoryState
from commonweal.stories.models import Collection, ListeningRecord, SignifierAnswer, Story

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.COMMONWEAL_REQUIRE_STAFF_2FA = False
    result = DemoResult()
    for _, loader in loaders.DEMO_LOADERS:
        if loader in {loaders._geography, loaders._outcomes, loaders._organisations_and_people}:
            loader(result)
    stories_load(result)
    return result


def test_two_collections_and_150_or_more_stories_over_thurrocks_wards(demo):
    assert Collection.objects.filter(slug__startswith="demo-").count() == 2
    assert Story.objects.count() >= 150
    wards = set(Story.objects.exclude(ward=None).values_list("ward__code", flat=True))
    assert len(wards) >= 15 and all(code.startswith("E05") for code in wards)


def test_some_wait_for_moderation_and_consent_varies(demo):
    states = Counter(Story.objects.values_list("state", flat=True))
    assert states[StoryState.SUBMITTED] >= 20
    assert states[StoryState.PUBLISHED] >= 60
    assert states[StoryState.INTERNAL] >= 5
    levels = Counter(Story.objects.values_list("consent_level", flat=True))
    assert all(levels[level] >= 10 for level in ConsentLevel.values)
    # Nothing published without public consent.
    assert not Story.objects.filter(
        state=StoryState.PUBLISHED, consent_level=ConsentLevel.INTERNAL
    ).exists()
    assert SignifierAnswer.objects.filter(story__state=StoryState.PUBLISHED).count() >= 120


def test_the_demo_coordinators_team_has_listening_records(demo):
    records = ListeningRecord.objects.all()
    assert records.count() == 40
    assert records.exclude(ward=None).values("ward").distinct().count() >= 10
    assert not records.exclude(political_opinions="").exists()


def test_a_most_significant_change_round_works_on_the_demo_stories(demo, client):
    from commonweal.stories.models import MscRound

    msc_round = MscRound.objects.get()
    assert msc_round.selections.count() == 3 and msc_round.feedback_published_at
    chosen = msc_round.selections.first()
    page = client.get(reverse("stories:story", args=[chosen.story.public_id])).content.decode()
    assert chosen.reasons in page


def test_theme_analysis_works_on_the_demo_stories(demo):
    from commonweal.stories.themes import story_themes_analyse

    themes = story_themes_analyse(themes=6)
    assert len(themes) == 6 and all(theme.top_terms and theme.examples for theme in themes)


def test_loading_again_adds_nothing(demo):
    before = (Story.objects.count(), ListeningRecord.objects.count())
    stories_load(DemoResult())
    assert (Story.objects.count(), ListeningRecord.objects.count()) == before


def test_the_demo_stories_show_on_the_public_site(demo, client):
    response = client.get(reverse("stories:home"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == Story.objects.published().count()


def test_nuggets_populations_and_an_action_show_on_their_pages(demo, client):
    from commonweal.accounts.models import User
    from commonweal.demo.borough import DEMO_EMAIL_DOMAIN
    from commonweal.stories.models import GoldenNugget, ListeningAction, WardPopulation

    assert GoldenNugget.objects.count() == 2
    assert WardPopulation.objects.count() >= 15
    action = ListeningAction.objects.get()
    assert action.records.exists()
    client.force_login(User.objects.get(email=f"moderator@{DEMO_EMAIL_DOMAIN}"))
    assert "(demo)" in client.get(reverse("stories:nuggets")).content.decode()
    client.force_login(User.objects.get(email=f"coordinator@{DEMO_EMAIL_DOMAIN}"))
    assert escape(action.title) in client.get(reverse("stories:listening_actions")).content.decode()
    stories_load(demo)  # loading again adds nothing
    assert GoldenNugget.objects.count() == 2 and ListeningAction.objects.count() == 1
