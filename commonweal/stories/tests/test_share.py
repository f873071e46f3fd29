"""The share-your-story form, gatherer mode and the private withdrawal link, through the pages."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from commonweal.accounts.constants import Role
from commonweal.accounts.tests.factories import UserFactory
from commonweal.core.audit import audit_entries_for
from commonweal.geo.tests.factories import AreaFactory
from commonweal.outcomes.selectors import outcome_list
from commonweal.stories import services
from commonweal.stories.constants import (
    CollectionMethod,
    ConsentLevel,
    StoriesAuditKind,
    StoryState,
)
from commonweal.stories.models import Story
from commonweal.stories.tests.factories import collection_with_signifiers, published_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def collection():
    return collection_with_signifiers()


def form_data(collection, **overrides):
    triad, dyad = collection.signifiers.all()
    data = {
        "title": "The lunch club",
        "text": "They rang me every week after my husband died. Now I help run it on Tuesdays.",
        "consent_level": ConsentLevel.PUBLIC_ANONYMOUS,
        f"triad_{triad.pk}_a": "2",
        f"triad_{triad.pk}_b": "1",
        f"triad_{triad.pk}_c": "1",
        f"dyad_{dyad.pk}": "80",
        "client_uuid": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def png(size=(20, 20)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, "PNG")
    return SimpleUploadedFile("IMG_2041.png", buffer.getvalue(), content_type="image/png")


def test_the_form_asks_the_collections_question_and_its_signifiers(client, collection):
    response = client.get(reverse("stories:share", args=[collection.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert collection.question in html
    assert "What made the difference?" in html and "Council or NHS services" in html
    assert 'type="range"' in html
    assert "Publish it without my name" in html


def test_a_teller_shares_a_story_with_signification_and_gets_a_private_link(client, collection):
    ward = AreaFactory(name="Tilbury St Chads")
    outcome = outcome_list().first()
    response = client.post(
        reverse("stories:share", args=[collection.slug]),
        form_data(collection, ward=ward.code, outcomes=[outcome.slug]),
    )
    assert response.status_code == 200
    story = Story.objects.get()
    assert story.state == StoryState.SUBMITTED and story.collection_method == CollectionMethod.WEB
    assert story.ward == ward and list(story.outcomes.all()) == [outcome]
    triad_answer = story.answers.get(signifier__kind="triad")
    assert triad_answer.values == [50, 25, 25]
    assert story.answers.get(signifier__kind="dyad").value_a == 80
    token = services.story_withdraw_token(story)
    assert reverse("stories:withdraw", args=[token]) in response.content.decode()


def test_pressing_send_twice_makes_one_story(client, collection):
    data = form_data(collection)
    client.post(reverse("stories:share", args=[collection.slug]), data)
    again = client.post(reverse("stories:share", args=[collection.slug]), data)
    assert "We already have this story" in again.content.decode()
    assert Story.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"text": ""}, "Write your story"),
        ({"text": "Too short"}, "Your story is very short"),
        ({"text": "word " * 2100}, "Your story is too long"),
        ({"title": ""}, "Give your story a short title"),
        ({"consent_level": ""}, "Choose whether we may publish your story"),
        ({"consent_level": ConsentLevel.PUBLIC_NAMED}, "Give your first name"),
        ({"teller_under_16": "on"}, "your parent or carer needs to agree"),
        ({"ward": "E05999999"}, "Choose a ward from the list"),
    ],
)
def test_bad_input_gets_a_clear_message_and_no_story(client, collection, overrides, message):
    response = client.post(
        reverse("stories:share", args=[collection.slug]), form_data(collection, **overrides)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and message in html
    assert not Story.objects.exists()


def test_a_triad_of_zeros_is_refused(client, collection):
    triad = collection.signifiers.get(kind="triad")
    data = form_data(
        collection,
        **{f"triad_{triad.pk}_a": "0", f"triad_{triad.pk}_b": "0", f"triad_{triad.pk}_c": "0"},
    )
    response = client.post(reverse("stories:share", args=[collection.slug]), data)
    assert response.status_code == 400 and "Does not apply" in response.content.decode()


def test_does_not_apply_is_recorded(client, collection):
    triad = collection.signifiers.get(kind="triad")
    client.post(
        reverse("stories:share", args=[collection.slug]),
        form_data(collection, **{f"na_{triad.pk}": "on"}),
    )
    assert Story.objects.get().answers.get(signifier=triad).not_applicable


def test_an_under_16_with_a_parent_or_carers_agreement_can_share(client, collection):
    data = form_data(
        collection, age_band="under_16", guardian_name="Amira Khan", guardian_agrees="on"
    )
    client.post(reverse("stories:share", args=[collection.slug]), data)
    story = Story.objects.get()
    assert story.teller_under_16 and story.guardian_name == "Amira Khan"


def test_a_photo_needs_a_description_and_must_be_a_picture(client, collection):
    url = reverse("stories:share", args=[collection.slug])
    no_alt = client.post(url, {**form_data(collection), "photo": png()})
    assert "Describe the photo" in no_alt.content.decode()
    fake = SimpleUploadedFile("cat.jpg", b"this is not a picture at all", content_type="image/jpeg")
    not_image = client.post(url, {**form_data(collection), "photo": fake, "photo_alt": "A cat"})
    assert "not a picture we can read" in not_image.content.decode()
    assert not Story.objects.exists()
    ok = client.post(url, {**form_data(collection), "photo": png(), "photo_alt": "Bulbs by a wall"})
    assert ok.status_code == 200
    story = Story.objects.get()
    assert story.photo.name.startswith("stories/photos/") and "IMG_2041" not in story.photo.name


def test_a_photo_too_large_is_refused(client, collection, settings):
    huge = SimpleUploadedFile(
        "big.png", b"\x89PNG" + b"0" * (5 * 1024 * 1024 + 10), content_type="image/png"
    )
    response = client.post(
        reverse("stories:share", args=[collection.slug]),
        {**form_data(collection), "photo": huge, "photo_alt": "Big"},
    )
    assert "smaller than 5 MB" in response.content.decode()


def test_a_recording_must_be_sound(client, collection):
    url = reverse("stories:share", args=[collection.slug])
    wrong = SimpleUploadedFile("story.mp3", b"MZ\x90\x00 not audio", content_type="audio/mpeg")
    response = client.post(url, {**form_data(collection), "audio": wrong})
    assert "must be an MP3" in response.content.decode()
    good = SimpleUploadedFile("story.ogg", b"OggS\x00\x02" + b"\x00" * 64, content_type="audio/ogg")
    client.post(url, {**form_data(collection), "audio": good})
    assert Story.objects.get().audio_type == "audio/ogg"


def test_gatherer_mode_is_for_gatherers(client, collection):
    url = reverse("stories:gather", args=[collection.slug])
    assert client.get(url).status_code == 302
    client.force_login(UserFactory(roles=[Role.MEMBER]))
    refused = client.get(url)
    assert refused.status_code == 403 and "Volunteer" in refused.content.decode()
    client.force_login(UserFactory(roles=[Role.VOLUNTEER]))
    page = client.get(url)
    assert page.status_code == 200 and "data-cw-story-draft" in page.content.decode()


def test_a_gatherers_phone_sends_a_draft_in_json_and_a_resend_makes_no_duplicate(
    client, collection
):
    gatherer = UserFactory(roles=[Role.VOLUNTEER])
    client.force_login(gatherer)
    url = reverse("stories:gather", args=[collection.slug])
    data = form_data(collection)
    first = client.post(url, data, HTTP_ACCEPT="application/json")
    assert first.status_code == 201 and first.json()["status"] == "created"
    again = client.post(url, data, HTTP_ACCEPT="application/json")
    assert again.status_code == 200 and again.json()["status"] == "already_received"
    assert again.json()["withdraw_url"] == first.json()["withdraw_url"]
    story = Story.objects.get()
    assert story.collection_method == CollectionMethod.GATHERER and story.gathered_by == gatherer
    invalid = client.post(
        url, {**data, "client_uuid": str(uuid.uuid4()), "text": ""}, HTTP_ACCEPT="application/json"
    )
    assert invalid.status_code == 400 and invalid.json()["errors"]["text"] == ["Write your story"]


def close(collection, days_ago: float):
    """Close the collection through the service, as staff do, as if ``days_ago`` days ago."""
    import datetime

    from django.utils import timezone

    services.collection_update(
        actor=None,
        collection=collection,
        title=collection.title,
        question=collection.question,
        is_open=False,
    )
    collection.refresh_from_db()
    collection.closed_at = timezone.now() - datetime.timedelta(days=days_ago)
    collection.save(update_fields=["closed_at"])
    return collection


def test_a_gatherers_queued_draft_still_arrives_after_the_collection_closed(client, collection):
    close(collection, days_ago=3)
    url = reverse("stories:gather", args=[collection.slug])
    client.force_login(UserFactory(roles=[Role.VOLUNTEER]))
    data = form_data(collection)
    sent = client.post(url, data, HTTP_ACCEPT="application/json")
    assert sent.status_code == 201 and sent.json()["status"] == "created"
    assert sent.json()["withdraw_url"]
    story = Story.objects.get()
    assert story.collection == collection and story.state == StoryState.SUBMITTED
    again = client.post(url, data, HTTP_ACCEPT="application/json")
    assert again.json()["status"] == "already_received" and Story.objects.count() == 1
    # Only a gatherer's phone is let in late: the public form, and the pages, are closed.
    public = client.post(
        reverse("stories:share", args=[collection.slug]),
        form_data(collection),
        HTTP_ACCEPT="application/json",
    )
    assert public.status_code == 410 and public.json()["status"] == "closed"
    assert client.get(url).status_code == 404
    assert Story.objects.count() == 1


def test_a_draft_for_a_collection_closed_long_ago_or_missing_is_refused_in_json(client, collection):
    close(collection, days_ago=8)
    client.force_login(UserFactory(roles=[Role.VOLUNTEER]))
    url = reverse("stories:gather", args=[collection.slug])
    late = client.post(url, form_data(collection), HTTP_ACCEPT="application/json")
    assert late.status_code == 410 and late.json()["status"] == "closed"
    assert collection.title in late.json()["reason"] and "7 days" in late.json()["reason"]
    missing = client.post(
        reverse("stories:gather", args=["no-such-collection"]),
        form_data(collection),
        HTTP_ACCEPT="application/json",
    )
    assert missing.status_code == 404 and missing.json()["status"] == "not_found"
    assert Story.objects.count() == 0
    # Reopening and closing again counts the days from the new closing.
    services.collection_update(
        actor=None, collection=collection, title=collection.title, question=collection.question
    )
    collection.refresh_from_db()
    assert collection.is_open and collection.closed_at is None
    services.collection_update(
        actor=None,
        collection=collection,
        title=collection.title,
        question=collection.question,
        is_open=False,
    )
    assert (
        client.post(url, form_data(collection), HTTP_ACCEPT="application/json").status_code == 201
    )


def test_a_known_client_id_with_other_words_never_gets_the_private_link(client, collection):
    data = form_data(collection)
    url = reverse("stories:share", args=[collection.slug])
    first = client.post(url, data)
    token = services.story_withdraw_token(Story.objects.get())
    assert token in first.content.decode() and "/stories/withdraw/" in first.content.decode()
    replay = client.post(url, {**data, "text": "Someone else who learnt the client id of it."})
    html = replay.content.decode()
    assert "We already have this story" in html
    assert token not in html and "/stories/withdraw/" not in html
    as_json = client.post(
        url, {**data, "title": "Another title"}, HTTP_ACCEPT="application/json"
    ).json()
    assert as_json["status"] == "already_received" and not as_json["withdraw_url"]
    assert Story.objects.count() == 1


def test_another_gatherer_resending_a_gatherers_draft_gets_no_private_link(client, collection):
    data = form_data(collection)
    url = reverse("stories:gather", args=[collection.slug])
    client.force_login(UserFactory(roles=[Role.VOLUNTEER]))
    assert client.post(url, data, HTTP_ACCEPT="application/json").json()["withdraw_url"]
    client.force_login(UserFactory(roles=[Role.VOLUNTEER]))
    again = client.post(url, data, HTTP_ACCEPT="application/json").json()
    assert again["status"] == "already_received" and not again["withdraw_url"]
    client.logout()
    web = client.post(reverse("stories:share", args=[collection.slug]), data).content.decode()
    assert "/stories/withdraw/" not in web


def test_the_private_link_takes_a_published_story_down_at_once(client):
    story = published_story()
    assert client.get(reverse("stories:story", args=[story.public_id])).status_code == 200
    url = reverse("stories:withdraw", args=[services.story_withdraw_token(story)])
    assert "Take my story down" in client.get(url).content.decode()
    done = client.post(url)
    assert "has been taken down" in done.content.decode()
    assert client.get(reverse("stories:story", args=[story.public_id])).status_code == 404
    assert audit_entries_for(story).filter(kind=StoriesAuditKind.STORY_WITHDRAWN).exists()


def test_a_forged_link_gets_a_clear_refusal_and_changes_nothing(client):
    story = published_story()
    token = services.story_withdraw_token(story)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = client.post(reverse("stories:withdraw", args=[forged]))
    assert response.status_code == 400
    assert "This link is not one we made" in response.content.decode()
    story.refresh_from_db()
    assert story.state == StoryState.PUBLISHED


def jpeg_from_a_phone():
    """A 30 by 20 JPEG as a phone saves it: where it was taken (GPS), the phone, and "turn me"."""
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show it the right way up
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (51.0, 28.0, 39.0), 3: "E", 4: (0.0, 19.0, 30.0)}  # GPS
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "green").save(buffer, "JPEG", exif=exif.tobytes())
    return SimpleUploadedFile("IMG_2041.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_a_photo_keeps_no_location_or_camera_details_and_stays_the_right_way_up(client, collection):
    upload = jpeg_from_a_phone()
    assert Image.open(io.BytesIO(upload.read())).getexif().get_ifd(0x8825)
    upload.seek(0)
    client.post(
        reverse("stories:share", args=[collection.slug]),
        {**form_data(collection), "photo": upload, "photo_alt": "A garden"},
    )
    story = Story.objects.get()
    with story.photo.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG" and story.photo.name.endswith(".jpg")
        assert image.size == (20, 30)  # turned as the phone said, before the tag went
        exif = image.getexif()
        assert not exif.get_ifd(0x8825) and 0x8825 not in exif and 0x010F not in exif
        assert "exif" not in image.info


def test_a_gif_sent_as_a_web_page_is_kept_and_served_as_a_gif(client, collection):
    buffer = io.BytesIO()
    Image.new("P", (8, 8), 1).save(buffer, "GIF", comment=b"made at 12 Acacia Avenue")
    evil = SimpleUploadedFile("evil.html", buffer.getvalue(), content_type="text/html")
    client.post(
        reverse("stories:share", args=[collection.slug]),
        {**form_data(collection), "photo": evil, "photo_alt": "A green square"},
    )
    story = Story.objects.get()
    assert story.photo.name.endswith(".gif") and "html" not in story.photo.name
    with story.photo.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "GIF" and "comment" not in image.info
    services.story_publish(actor=None, story=story)
    response = client.get(reverse("stories:story_photo", args=[story.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_recording_is_named_and_served_by_what_it_is_not_by_its_name(client, collection):
    ogg = SimpleUploadedFile("story.html", b"OggS\x00\x02" + b"\x00" * 64, content_type="text/html")
    client.post(
        reverse("stories:share", args=[collection.slug]), {**form_data(collection), "audio": ogg}
    )
    story = Story.objects.get()
    assert story.audio.name.endswith(".ogg") and story.audio_type == "audio/ogg"
    services.story_publish(actor=None, story=story)
    response = client.get(reverse("stories:story_audio", args=[story.public_id]))
    assert response["Content-Type"] == "audio/ogg"
    assert response["X-Content-Type-Options"] == "nosniff"
