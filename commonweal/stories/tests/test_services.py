"""The services: submitting (with signification and duplicates), consent, moderation and withdrawal."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ValidationError

from commonweal.accounts.constants import Role
from commonweal.accounts.tests.factories import UserFactory
from commonweal.core.audit import audit_entries_for
from commonweal.geo.tests.factories import AreaFactory
from commonweal.outcomes.selectors import outcome_list
from commonweal.stories import services
from commonweal.stories.constants import (
    CONSENT_VERSION,
    CONSENT_WORDING,
    CollectionMethod,
    ConsentLevel,
    StoriesAuditKind,
    StoryState,
)
from commonweal.stories.models import Story
from commonweal.stories.tests.factories import StoryFactory, collection_with_signifiers

pytestmark = pytest.mark.django_db


def draft(**overrides):
    values = {
        "title": "The lunch club",
        "text": "They rang me every week after my husband died. Now I help run it.",
        "consent_level": ConsentLevel.PUBLIC_ANONYMOUS,
    }
    values.update(overrides)
    return services.StoryDraft(**values)


def test_a_story_keeps_the_question_the_consent_words_and_the_tellers_signification():
    collection = collection_with_signifiers()
    triad, dyad = collection.signifiers.all()
    ward = AreaFactory(name="Grays Riverside")
    outcomes = list(outcome_list()[:2])
    result = services.story_submit(
        actor=None,
        collection=collection,
        draft=draft(ward=ward, outcomes=outcomes, answers={triad.pk: (20, 30, 50), dyad.pk: (70,)}),
    )
    story = result.story
    assert result.created
    assert story.state == StoryState.SUBMITTED
    assert story.eliciting_question == collection.question
    assert story.consent_wording == CONSENT_WORDING[ConsentLevel.PUBLIC_ANONYMOUS]
    assert story.consent_version == CONSENT_VERSION
    assert story.ward == ward
    assert set(story.outcomes.all()) == set(outcomes)
    answers = {a.signifier_id: a for a in story.answers.all()}
    assert answers[triad.pk].values == [20, 30, 50]
    assert (answers[dyad.pk].value_a, answers[dyad.pk].value_b) == (70, 30)
    assert not Story.objects.published().filter(pk=story.pk).exists()
    assert audit_entries_for(story).filter(kind=StoriesAuditKind.STORY_SUBMITTED).exists()


def test_the_same_draft_sent_twice_makes_one_story():
    collection = collection_with_signifiers()
    client_uuid = uuid.uuid4()
    first = services.story_submit(
        actor=None, collection=collection, draft=draft(client_uuid=client_uuid)
    )
    second = services.story_submit(
        actor=None, collection=collection, draft=draft(client_uuid=client_uuid)
    )
    assert first.created and not second.created
    assert second.story.pk == first.story.pk
    assert Story.objects.count() == 1


def test_only_the_same_draft_again_counts_as_from_its_sender():
    collection = collection_with_signifiers()
    gatherer, other = UserFactory(roles=[Role.VOLUNTEER]), UserFactory(roles=[Role.VOLUNTEER])
    client_uuid = uuid.uuid4()
    first = services.story_submit(
        actor=gatherer,
        collection=collection,
        draft=draft(client_uuid=client_uuid),
        method=CollectionMethod.GATHERER,
    )
    assert first.created and first.same_sender

    def resend(actor, method=CollectionMethod.GATHERER, **overrides):
        return services.story_submit(
            actor=actor,
            collection=collection,
            draft=draft(client_uuid=client_uuid, **overrides),
            method=method,
        )

    again = resend(gatherer)
    assert not again.created and again.same_sender and again.story == first.story
    assert not resend(gatherer, text="Different words of someone who learnt the id.").same_sender
    assert not resend(gatherer, title="Another title").same_sender
    assert not resend(other).same_sender
    assert not resend(None, method=CollectionMethod.WEB).same_sender
    assert Story.objects.count() == 1


def test_a_closed_collection_takes_no_stories():
    collection = collection_with_signifiers()
    collection.is_open = False
    collection.save()
    with pytest.raises(services.StoryError, match="closed"):
        services.story_submit(actor=None, collection=collection, draft=draft())


def test_an_under_16_story_needs_a_parent_or_carer():
    collection = collection_with_signifiers()
    with pytest.raises(ValidationError):
        services.story_submit(actor=None, collection=collection, draft=draft(teller_under_16=True))
    story = services.story_submit(
        actor=None,
        collection=collection,
        draft=draft(teller_under_16=True, guardian_name="Amira Khan"),
    ).story
    assert story.guardian_wording


def test_publishing_keeps_the_tellers_words_and_publishes_the_redacted_ones():
    moderator = UserFactory(roles=[Role.MODERATOR])
    story = StoryFactory(
        title="Mrs Patel's garden", text="Mrs Patel at 4 Orsett Road gave us seedlings."
    )
    services.story_redact(
        actor=moderator,
        story=story,
        public_title="A neighbour's garden",
        public_text="A neighbour gave us seedlings.",
    )
    story = services.story_publish(actor=moderator, story=story)
    story.refresh_from_db()
    assert story.state == StoryState.PUBLISHED
    assert story.text == "Mrs Patel at 4 Orsett Road gave us seedlings."
    assert story.shown_text == "A neighbour gave us seedlings."
    assert Story.objects.published().filter(pk=story.pk).exists()
    kinds = [entry.kind for entry in audit_entries_for(story)]
    assert StoriesAuditKind.STORY_PUBLISHED in kinds and StoriesAuditKind.STORY_REDACTED in kinds
    assert audit_entries_for(story).get(kind=StoriesAuditKind.STORY_PUBLISHED).actor == moderator


def test_nothing_is_published_without_public_consent():
    moderator = UserFactory(roles=[Role.MODERATOR])
    story = StoryFactory(consent_level=ConsentLevel.INTERNAL)
    with pytest.raises(services.StoryError, match="not to publish"):
        services.story_publish(actor=moderator, story=story)
    story.refresh_from_db()
    assert story.state == StoryState.SUBMITTED
    # Even a story forced into the published state by hand stays hidden: consent is checked at query time.
    Story.objects.filter(pk=story.pk).update(state=StoryState.PUBLISHED)
    assert not Story.objects.published().filter(pk=story.pk).exists()


def test_declining_needs_a_reason_and_records_who_declined():
    moderator = UserFactory(roles=[Role.MODERATOR])
    story = StoryFactory()
    with pytest.raises(services.StoryError):
        services.story_decline(actor=moderator, story=story, reason="  ")
    services.story_decline(actor=moderator, story=story, reason="Names a child at a school")
    entry = audit_entries_for(story).get(kind=StoriesAuditKind.STORY_DECLINED)
    assert entry.actor == moderator and entry.note == "Names a child at a school"


def test_withdrawal_unpublishes_at_once_and_is_logged():
    story = services.story_publish(actor=None, story=StoryFactory())
    token = services.story_withdraw_token(story)
    found = services.story_from_withdraw_token(token)
    assert found.pk == story.pk
    services.story_withdraw(story=found)
    assert not Story.objects.published().filter(pk=story.pk).exists()
    story.refresh_from_db()
    assert story.state == StoryState.WITHDRAWN and story.withdrawn_at is not None
    assert audit_entries_for(story).filter(kind=StoriesAuditKind.STORY_WITHDRAWN).exists()
    with pytest.raises(services.StoryError):
        services.story_publish(actor=None, story=story)


@pytest.mark.parametrize("mangle", [lambda t: t[:-2], lambda t: "x" + t, lambda t: "not-a-token"])
def test_a_forged_withdrawal_link_is_refused(mangle):
    story = StoryFactory()
    with pytest.raises(services.WithdrawalLinkError):
        services.story_from_withdraw_token(mangle(services.story_withdraw_token(story)))
    story.refresh_from_db()
    assert story.state == StoryState.SUBMITTED


def test_only_published_stories_can_be_featured():
    story = StoryFactory()
    with pytest.raises(services.StoryError):
        services.story_feature(actor=None, story=story, featured=True)
