"""Golden nuggets: staff keep a story with a note (audited), list them by collection, and unflag them;
residents and the public never see them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commonweal.accounts.constants import Role
from commonweal.accounts.tests.factories import UserFactory
from commonweal.core.audit import audit_entries_for
from commonweal.stories import nuggets, services
from commonweal.stories.constants import StoriesAuditKind
from commonweal.stories.models import GoldenNugget
from commonweal.stories.tests.factories import CollectionFactory, StoryFactory, published_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(client):
    user = UserFactory(roles=[Role.ANALYST], full_name="Ana Analyst")
    client.force_login(user)
    return user


def test_an_analyst_keeps_a_story_with_a_note_and_finds_it_in_the_list(client, analyst):
    story = published_story(title="The lunch club")
    url = reverse("stories:nugget", args=[story.public_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "keep", "note": "Shows peer support after loss."})
    assert response.status_code == 302
    nugget = GoldenNugget.objects.get()
    assert nugget.story == story and nugget.kept_by == analyst
    entry = audit_entries_for(story).get(kind=StoriesAuditKind.NUGGET_KEPT)
    assert entry.actor == analyst and entry.note == "Shows peer support after loss."
    page = client.get(reverse("stories:nuggets")).content.decode()
    assert "The lunch club" in page and "Shows peer support after loss." in page


def test_the_list_filters_by_collection(client, analyst):
    fair, walk = CollectionFactory(title="Ideas Fair"), CollectionFactory(title="Street walk")
    for collection, title in ((fair, "At the fair"), (walk, "On the walk")):
        nuggets.nugget_keep(
            actor=analyst, story=published_story(collection=collection, title=title), note="Why"
        )
    page = client.get(reverse("stories:nuggets"), {"collection": walk.slug}).content.decode()
    assert "On the walk" in page and "At the fair" not in page
    everything = client.get(reverse("stories:nuggets")).content.decode()
    assert "On the walk" in everything and "At the fair" in everything


def test_keeping_again_changes_the_note_and_unflagging_is_audited(client, analyst):
    story = published_story()
    nuggets.nugget_keep(actor=analyst, story=story, note="First thought")
    nuggets.nugget_keep(actor=analyst, story=story, note="Better note")
    assert GoldenNugget.objects.get().note == "Better note"
    url = reverse("stories:nugget", args=[story.public_id])
    assert client.post(url, {"action": "remove"}).status_code == 302
    assert not GoldenNugget.objects.exists()
    removed = audit_entries_for(story).get(kind=StoriesAuditKind.NUGGET_REMOVED)
    assert removed.before == {"note": "Better note"} and removed.actor == analyst


def test_an_empty_note_is_refused_with_a_message(client, analyst):
    story = published_story()
    response = client.post(
        reverse("stories:nugget", args=[story.public_id]), {"action": "keep", "note": "  "}
    )
    assert response.status_code == 400
    assert "say why this story is a golden nugget" in response.content.decode()
    assert not GoldenNugget.objects.exists()


def test_only_analysable_stories_can_be_kept_and_a_withdrawn_one_leaves_the_list(analyst):
    with pytest.raises(nuggets.NuggetError):
        nuggets.nugget_keep(actor=analyst, story=StoryFactory(), note="Still waiting")
    story = published_story()
    nuggets.nugget_keep(actor=analyst, story=story, note="Good")
    services.story_withdraw(story=story)
    assert list(nuggets.nugget_list()) == []


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.COORDINATOR])
def test_moderators_and_coordinators_may_keep_nuggets(client, role):
    client.force_login(UserFactory(roles=[role]))
    story = published_story()
    url = reverse("stories:nugget", args=[story.public_id])
    assert client.post(url, {"action": "keep", "note": "Worth reading"}).status_code == 302
    assert GoldenNugget.objects.filter(story=story).exists()


def test_residents_and_the_public_are_turned_away_and_never_see_notes(client):
    story = published_story(title="Public story")
    nuggets.nugget_keep(actor=None, story=story, note="A private staff note")
    assert client.get(reverse("stories:nuggets")).status_code == 302  # to sign in
    client.force_login(UserFactory(roles=[Role.MEMBER]))
    assert client.get(reverse("stories:nuggets")).status_code == 403
    url = reverse("stories:nugget", args=[story.public_id])
    assert client.post(url, {"action": "remove"}).status_code == 403
    assert GoldenNugget.objects.exists()
    public = client.get(reverse("stories:story", args=[story.public_id])).content.decode()
    assert "A private staff note" not in public
