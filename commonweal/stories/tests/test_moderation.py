"""The moderators' queue: redaction, publish, keep internal, decline, and the record of who did what."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commonweal.accounts.constants import Role
from commonweal.accounts.tests.factories import UserFactory
from commonweal.core.audit import audit_entries_for
from commonweal.core.models import AccessLogEntry
from commonweal.stories.constants import ConsentLevel, StoriesAuditKind, StoryState
from commonweal.stories.models import Story
from commonweal.stories.tests.factories import StoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(client):
    user = UserFactory(roles=[Role.MODERATOR], full_name="Mo Derator")
    client.force_login(user)
    return user


def test_only_moderators_see_the_queue(client):
    url = reverse("stories:moderation_queue")
    assert client.get(url).status_code == 302
    client.force_login(UserFactory(roles=[Role.VOLUNTEER]))
    assert client.get(url).status_code == 403


def test_the_queue_lists_waiting_stories_oldest_first(client, moderator):
    first = StoryFactory(title="First to arrive")
    second = StoryFactory(title="Second to arrive")
    StoryFactory(title="Already published", state=StoryState.PUBLISHED)
    html = client.get(reverse("stories:moderation_queue")).content.decode()
    assert html.index(first.title) < html.index(second.title)
    assert "Already published" not in html


def test_reading_an_unpublished_story_is_logged(client, moderator):
    story = StoryFactory()
    assert client.get(reverse("stories:moderate", args=[story.public_id])).status_code == 200
    assert AccessLogEntry.objects.filter(actor=moderator, target_id=str(story.pk)).exists()


def test_a_moderator_redacts_and_publishes_and_the_public_reads_only_the_redacted_words(
    client, moderator
):
    story = StoryFactory(
        title="Mrs Patel's garden",
        text="Mrs Patel at 4 Orsett Road gave the whole street seedlings in spring.",
    )
    response = client.post(
        reverse("stories:moderate", args=[story.public_id]),
        {
            "action": "publish",
            "public_title": "A neighbour's garden",
            "public_text": "A neighbour gave the whole street seedlings in spring.",
            "themes": "Gardening, Neighbours",
        },
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.state == StoryState.PUBLISHED and story.moderated_by == moderator
    assert sorted(t.name for t in story.themes.all()) == ["Gardening", "Neighbours"]
    page = client.get(reverse("stories:story", args=[story.public_id])).content.decode()
    assert "A neighbour gave the whole street seedlings" in page
    assert "Patel" not in page and "Orsett Road" not in page
    entry = audit_entries_for(story).get(kind=StoriesAuditKind.STORY_PUBLISHED)
    assert entry.actor == moderator


def test_an_internal_only_story_cannot_be_published(client, moderator):
    story = StoryFactory(consent_level=ConsentLevel.INTERNAL)
    url = reverse("stories:moderate", args=[story.public_id])
    page = client.get(url).content.decode()
    assert 'value="publish"' not in page and "asked us not to publish" in page
    refused = client.post(
        url, {"action": "publish", "public_title": "T", "public_text": "Some text here."}
    )
    assert refused.status_code == 400 and "not to publish" in refused.content.decode()
    story.refresh_from_db()
    assert story.state == StoryState.SUBMITTED and story.public_text == ""
    client.post(url, {"action": "internal", "public_title": "T", "public_text": "Some text here."})
    story.refresh_from_db()
    assert story.state == StoryState.INTERNAL
    assert not Story.objects.published().filter(pk=story.pk).exists()


def test_declining_asks_for_a_reason(client, moderator):
    story = StoryFactory()
    url = reverse("stories:moderate", args=[story.public_id])
    base = {"public_title": story.title, "public_text": story.text}
    missing = client.post(url, {**base, "action": "decline", "reason": ""})
    assert (
        missing.status_code == 400 and "Say why the story is declined" in missing.content.decode()
    )
    client.post(url, {**base, "action": "decline", "reason": "It names a child"})
    story.refresh_from_db()
    assert story.state == StoryState.DECLINED and story.decision_reason == "It names a child"
    history = client.get(url).content.decode()
    assert "It names a child" in history and "Mo Derator" in history
    assert "Story declined" in history and "stories.story_declined" not in history
