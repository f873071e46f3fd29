"""Setting up collections and their triads and dyads: the services and the staff pages."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commonweal.accounts.constants import Role
from commonweal.accounts.tests.factories import UserFactory
from commonweal.core.audit import audit_entries_for
from commonweal.stories import services
from commonweal.stories.constants import SignifierKind, StoriesAuditKind
from commonweal.stories.models import Collection, Signifier, SignifierAnswer
from commonweal.stories.tests.factories import StoryFactory, collection_with_signifiers

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client):
    user = UserFactory(roles=[Role.COORDINATOR])
    client.force_login(user)
    return user


def answered(signifier):
    story = StoryFactory(collection=signifier.collection)
    if signifier.is_triad:
        return SignifierAnswer.objects.create(
            story=story, signifier=signifier, value_a=20, value_b=30, value_c=50
        )
    return SignifierAnswer.objects.create(story=story, signifier=signifier, value_a=70, value_b=30)


# --- services ---------------------------------------------------------------------------------


def test_a_collection_is_created_with_a_free_slug_and_edited_with_an_audit_entry():
    first = services.collection_create(actor=None, title="Ideas Fair", question="What helped?")
    second = services.collection_create(actor=None, title="Ideas Fair", question="What helped?")
    assert (first.slug, second.slug) == ("ideas-fair", "ideas-fair-2")
    updated = services.collection_update(
        actor=None,
        collection=second,
        title="Ideas Fair, spring",
        question="What helped you?",
        place="Grays Hub",
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 3, 2),
        is_open=False,
    )
    assert updated.slug == "ideas-fair-2" and not updated.is_open
    entry = audit_entries_for(updated).filter(kind=StoriesAuditKind.COLLECTION_SAVED).latest("id")
    assert entry.before["is_open"] is True and entry.after["is_open"] is False
    assert entry.after["starts_on"] == "2026-03-01"


def test_a_collection_must_end_after_it_starts():
    collection = services.collection_create(actor=None, title="Fair", question="What helped?")
    with pytest.raises(ValidationError) as refused:
        services.collection_update(
            actor=None,
            collection=collection,
            title="Fair",
            question="What helped?",
            starts_on=datetime.date(2026, 3, 2),
            ends_on=datetime.date(2026, 3, 1),
        )
    assert "ends_on" in refused.value.message_dict


def test_triads_and_dyads_are_added_after_the_others_and_checked():
    collection = collection_with_signifiers()
    dyad = services.signifier_add(
        actor=None,
        collection=collection,
        kind=SignifierKind.DYAD,
        prompt="Was it new to you?",
        poles=["Something new", "Something I knew"],
    )
    assert dyad.position == 3 and dyad.poles == ["Something new", "Something I knew"]
    assert audit_entries_for(collection).filter(kind=StoriesAuditKind.SIGNIFIER_SAVED).exists()
    with pytest.raises(ValidationError, match="three poles"):
        services.signifier_add(
            actor=None, collection=collection, kind="triad", prompt="Who?", poles=["A", "B"]
        )
    with pytest.raises(ValidationError, match="only two poles"):
        services.signifier_add(
            actor=None, collection=collection, kind="dyad", prompt="Who?", poles=["A", "B", "C"]
        )


def test_an_answered_signifier_may_be_reworded_but_its_poles_stay_and_it_is_not_removed():
    collection = collection_with_signifiers()
    triad = collection.signifiers.get(kind=SignifierKind.TRIAD)
    answered(triad)
    reworded = services.signifier_update(
        actor=None, signifier=triad, prompt="What made the biggest difference?", poles=triad.poles
    )
    assert reworded.prompt == "What made the biggest difference?"
    with pytest.raises(services.SignifierError, match="already placed 1 story between these"):
        services.signifier_update(
            actor=None,
            signifier=triad,
            prompt=triad.prompt,
            poles=["Friends", "A group or club", "Council or NHS services"],
        )
    with pytest.raises(services.SignifierError, match="would delete their answers"):
        services.signifier_remove(actor=None, signifier=triad)
    triad.refresh_from_db()
    assert triad.pole_a == "Neighbours" and SignifierAnswer.objects.filter(signifier=triad).exists()


def test_an_unanswered_signifier_may_change_and_be_removed():
    collection = collection_with_signifiers()
    dyad = collection.signifiers.get(kind=SignifierKind.DYAD)
    services.signifier_update(
        actor=None, signifier=dyad, prompt="Who did it?", poles=["Me", "Someone else"]
    )
    dyad.refresh_from_db()
    assert dyad.poles == ["Me", "Someone else"]
    services.signifier_remove(actor=None, signifier=dyad)
    assert not Signifier.objects.filter(pk=dyad.pk).exists()
    assert audit_entries_for(collection).filter(kind=StoriesAuditKind.SIGNIFIER_REMOVED).exists()


# --- pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.MEMBER, Role.VOLUNTEER, Role.ANALYST, Role.PANEL_MEMBER])
def test_the_collection_pages_are_for_moderators_and_coordinators(client, role):
    collection = collection_with_signifiers()
    signifier = collection.signifiers.first()
    urls = [
        reverse("stories:collections"),
        reverse("stories:collection_create"),
        reverse("stories:collection", args=[collection.public_id]),
        reverse("stories:signifier_create", args=[collection.public_id]),
        reverse("stories:signifier", args=[collection.public_id, signifier.public_id]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # sign in first
    client.force_login(UserFactory(roles=[role]))
    for url in urls:
        assert client.get(url).status_code == 403
    assert client.post(urls[1], {"title": "Sneaky", "question": "Why?"}).status_code == 403
    assert not Collection.objects.filter(title="Sneaky").exists()
    for allowed in (Role.MODERATOR, Role.COORDINATOR):
        client.force_login(UserFactory(roles=[allowed]))
        for url in urls:
            assert client.get(url).status_code == 200


def test_staff_see_a_link_to_collections_on_the_stories_page(client, coordinator):
    html = client.get(reverse("stories:home")).content.decode()
    assert reverse("stories:collections") in html


def test_a_coordinator_sets_up_a_collection_with_a_triad_and_a_dyad(client, coordinator):
    response = client.post(
        reverse("stories:collection_create"),
        {
            "title": "Pop-up living room, Tilbury",
            "question": "What has made a difference to you this year?",
            "place": "Tilbury Hub",
            "starts_on": "14/11/2026",
            "ends_on": "15/11/2026",
            "is_open": "on",
        },
    )
    collection = Collection.objects.get(title="Pop-up living room, Tilbury")
    assert response.status_code == 302 and collection.is_open
    assert collection.starts_on == datetime.date(2026, 11, 14)
    new_signifier = reverse("stories:signifier_create", args=[collection.public_id])
    client.post(
        new_signifier,
        {
            "kind": "triad",
            "prompt": "What did it give you?",
            "pole_a": "Someone to talk to",
            "pole_b": "Something to do",
            "pole_c": "Help",
        },
    )
    client.post(
        new_signifier,
        {"kind": "dyad", "prompt": "How did it start?", "pole_a": "Planned", "pole_b": "By chance"},
    )
    assert [s.kind for s in collection.signifiers.all()] == ["triad", "dyad"]
    page = client.get(reverse("stories:collection", args=[collection.public_id])).content.decode()
    assert "What did it give you?" in page and "Planned · By chance" in page
    share = client.get(reverse("stories:share", args=[collection.slug])).content.decode()
    assert "Someone to talk to" in share
    closed = client.post(
        reverse("stories:collection", args=[collection.public_id]),
        {"title": collection.title, "question": collection.question},
    )
    assert closed.status_code == 302
    collection.refresh_from_db()
    assert not collection.is_open
    assert client.get(reverse("stories:share", args=[collection.slug])).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"question": "Why?"}, "Give the collection a name"),
        ({"title": "Fair"}, "Write the question tellers are asked"),
        ({"title": "Fair", "question": "Why?", "starts_on": "31/02/2026"}, "day/month/year"),
        (
            {"title": "Fair", "question": "Why?", "starts_on": "2/3/2026", "ends_on": "1/3/2026"},
            "The last day must be on or after the first day",
        ),
    ],
)
def test_a_bad_collection_gets_a_clear_message(client, coordinator, data, message):
    response = client.post(reverse("stories:collection_create"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and message in html
    assert not Collection.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"prompt": "Who?", "pole_a": "A", "pole_b": "B"}, "Choose a triad or a dyad"),
        ({"kind": "triad", "prompt": "Who?", "pole_a": "A", "pole_b": "B"}, "give the third"),
        (
            {"kind": "dyad", "prompt": "Who?", "pole_a": "A", "pole_b": "B", "pole_c": "C"},
            "leave the third empty",
        ),
        ({"kind": "dyad", "prompt": "Who?", "pole_a": "Me", "pole_b": "me"}, "different name"),
        ({"kind": "dyad", "pole_a": "A", "pole_b": "B"}, "Write the question tellers answer"),
    ],
)
def test_a_bad_triad_or_dyad_gets_a_clear_message(client, coordinator, data, message):
    collection = collection_with_signifiers()
    response = client.post(reverse("stories:signifier_create", args=[collection.public_id]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert collection.signifiers.count() == 2


def test_the_page_refuses_to_change_or_remove_an_answered_triad_and_says_why(client, coordinator):
    collection = collection_with_signifiers()
    triad = collection.signifiers.get(kind=SignifierKind.TRIAD)
    answered(triad)
    url = reverse("stories:signifier", args=[collection.public_id, triad.public_id])
    page = client.get(url).content.decode()
    assert "the poles cannot change" in page and 'value="remove"' not in page
    changed = client.post(
        url,
        {
            "action": "save",
            "prompt": triad.prompt,
            "pole_a": "Friends",
            "pole_b": triad.pole_b,
            "pole_c": triad.pole_c,
        },
    )
    assert changed.status_code == 400
    assert "their answers would then say something they did not mean" in changed.content.decode()
    removed = client.post(url, {"action": "remove"})
    assert removed.status_code == 400 and "would delete their answers" in removed.content.decode()
    triad.refresh_from_db()
    assert triad.pole_a == "Neighbours"


def test_an_unanswered_dyad_is_removed_from_its_page(client, coordinator):
    collection = collection_with_signifiers()
    dyad = collection.signifiers.get(kind=SignifierKind.DYAD)
    url = reverse("stories:signifier", args=[collection.public_id, dyad.public_id])
    assert client.post(url, {"action": "remove"}).status_code == 302
    assert not Signifier.objects.filter(pk=dyad.pk).exists()


def test_a_signifier_of_another_collection_is_not_found(client, coordinator):
    one, other = collection_with_signifiers(), collection_with_signifiers(title="Other")
    signifier = other.signifiers.first()
    url = reverse("stories:signifier", args=[one.public_id, signifier.public_id])
    assert client.get(url).status_code == 404
