"""CSV and JSON exports: signification included, consent respected."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from commonweal.accounts.constants import Role
from commonweal.accounts.tests.factories import UserFactory
from commonweal.core.models import AuditEntry
from commonweal.stories import services
from commonweal.stories.constants import ConsentLevel, StoriesAuditKind
from commonweal.stories.models import SignifierAnswer
from commonweal.stories.tests.factories import (
    StoryFactory,
    collection_with_signifiers,
    published_story,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories():
    collection = collection_with_signifiers()
    triad, dyad = collection.signifiers.all()
    named = published_story(
        title="Named",
        collection=collection,
        consent_level=ConsentLevel.PUBLIC_NAMED,
        teller_name="Josie",
    )
    SignifierAnswer.objects.create(story=named, signifier=triad, value_a=20, value_b=30, value_c=50)
    SignifierAnswer.objects.create(story=named, signifier=dyad, value_a=70, value_b=30)
    anonymous = published_story(title="Anonymous", collection=collection, teller_name="Secret Sam")
    SignifierAnswer.objects.create(story=anonymous, signifier=triad, not_applicable=True)
    internal = services.story_keep_internal(
        actor=None,
        story=StoryFactory(
            title="Internal", collection=collection, consent_level=ConsentLevel.INTERNAL
        ),
    )
    withdrawn = services.story_withdraw(
        story=published_story(title="Withdrawn", collection=collection)
    )
    return {"named": named, "anonymous": anonymous, "internal": internal, "withdrawn": withdrawn}


def rows(response):
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_the_public_csv_has_published_stories_with_their_signification(client, stories):
    exported = rows(client.get(reverse("stories:export_csv")))
    by_title = {row["title"]: row for row in exported}
    assert set(by_title) == {"Named", "Anonymous"}
    assert by_title["Named"]["teller_name"] == "Josie"
    assert by_title["Anonymous"]["teller_name"] == ""
    assert by_title["Named"]["What made the difference? [Neighbours]"] == "20"
    assert by_title["Named"]["What made the difference? [Council or NHS services]"] == "50"
    assert by_title["Named"]["How did it feel? [I did it myself]"] == "70"
    assert by_title["Anonymous"]["What made the difference? [Neighbours]"] == "N/A"


def test_the_internal_export_is_for_staff_and_never_has_withdrawn_stories(client, stories):
    url = reverse("stories:export_json") + "?scope=internal"
    assert client.get(url).status_code == 302
    client.force_login(UserFactory(roles=[Role.VOLUNTEER]))
    assert client.get(url).status_code == 403
    analyst = UserFactory(roles=[Role.ANALYST])
    client.force_login(analyst)
    data = client.get(url).json()
    titles = {story["title"] for story in data["stories"]}
    assert titles == {"Named", "Anonymous", "Internal"}
    assert all(story["teller_name"] in {"", "Josie"} for story in data["stories"])
    named = next(story for story in data["stories"] if story["title"] == "Named")
    assert named["signification"][0]["values"] == [20, 30, 50]
    assert AuditEntry.objects.filter(kind=StoriesAuditKind.STORIES_EXPORTED, actor=analyst).exists()


def test_the_public_json_has_no_internal_stories(client, stories):
    data = client.get(reverse("stories:export_json")).json()
    assert data["scope"] == "public"
    assert {story["title"] for story in data["stories"]} == {"Named", "Anonymous"}


def test_text_that_a_spreadsheet_would_run_is_made_safe(client):
    published_story(title='=HYPERLINK("http://x")')
    assert rows(client.get(reverse("stories:export_csv")))[0]["title"].startswith("'=")


def test_demographics_are_never_in_the_public_export_only_in_the_staff_one(client):
    """The share form promises age, gender and ethnic group are never published with a story."""
    published_story(title="Told", age_band="65_74", gender="woman", ethnic_group="black")
    public_csv = client.get(reverse("stories:export_csv"))
    public_rows = rows(public_csv)
    assert public_rows[0]["title"] == "Told"
    for column in ("age_band", "gender", "ethnic_group"):
        assert column not in public_rows[0]
    public_json = client.get(reverse("stories:export_json")).json()["stories"][0]
    assert not {"age_band", "gender", "ethnic_group"} & set(public_json)
    assert "65_74" not in str(public_json) and "black" not in str(public_json)

    client.force_login(UserFactory(roles=[Role.ANALYST]))
    staff_csv = rows(client.get(reverse("stories:export_csv") + "?scope=internal"))
    assert staff_csv[0]["age_band"] == "65_74" and staff_csv[0]["ethnic_group"] == "black"
    staff_json = client.get(reverse("stories:export_json") + "?scope=internal").json()
    assert staff_json["stories"][0]["gender"] == "woman"
