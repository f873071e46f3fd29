"""Listening records: no name needed, a ward or a street, special category data only with explicit
consent, and every record seen only by the organiser's team."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commonweal.accounts.constants import Role
from commonweal.accounts.tests.factories import OrganisationFactory, UserFactory
from commonweal.core.audit import audit_entries_for
from commonweal.core.models import AccessLogEntry
from commonweal.geo.tests.factories import AreaFactory
from commonweal.stories.constants import SPECIAL_CATEGORY_VERSION, StoriesAuditKind
from commonweal.stories.models import ListeningRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return OrganisationFactory(name="Thurrock Community Organisers")


@pytest.fixture
def organiser(client, team):
    user = UserFactory(
        roles=[Role.COORDINATOR], roles__organisation=team, full_name="Olu Organiser"
    )
    client.force_login(user)
    return user


@pytest.fixture
def ward():
    return AreaFactory(name="Grays Thurrock")


def data(team, area, **overrides):
    values = {
        "team": str(team.public_id),
        "conversation_on": "2026-03-14",
        "ward": area.code,
        "street": "Orsett Road",
        "issues": "The buses stop at 7pm so she cannot get to the evening class. Wants a lift share.",
        "categories": ["transport-and-getting-about"],
        "energy": "high",
    }
    values.update(overrides)
    return values


def test_an_organiser_records_a_conversation_and_sees_it_rolled_up(client, organiser, team, ward):
    response = client.post(reverse("stories:listening_create"), data(team, ward))
    assert response.status_code == 302
    record = ListeningRecord.objects.get()
    assert record.team == team and record.recorded_by == organiser
    assert [c.name for c in record.categories.all()] == ["Transport and getting about"]
    assert audit_entries_for(record).filter(kind=StoriesAuditKind.LISTENING_RECORDED).exists()
    page = client.get(reverse("stories:listening_list"))
    rollup = page.context["rollup"]
    assert [(row.category, row.conversations, row.ready_to_act) for row in rollup] == [
        ("Transport and getting about", 1, 1)
    ]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"street": "14 Orsett Road"}, "without a house number"),
        ({"ward": "", "street": ""}, "Choose a ward or give a street name"),
        ({"issues": ""}, "Write down the issues they raised"),
        ({"energy": ""}, "Choose how much energy they have to act"),
        ({"conversation_on": "yesterday"}, "Give the date as day, month and year"),
        ({"contact_detail": "07700 900123"}, "only if they agreed to be contacted again"),
        ({"political_opinions": "Votes Green"}, "only be written down with their explicit consent"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_kept(
    client, organiser, team, ward, overrides, message
):
    response = client.post(reverse("stories:listening_create"), data(team, ward, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ListeningRecord.objects.exists()


def test_special_category_data_is_kept_with_explicit_consent_and_its_words(
    client, organiser, team, ward
):
    client.post(
        reverse("stories:listening_create"),
        data(
            team,
            ward,
            special_category_consent="on",
            religious_beliefs="Goes to the mosque on Fridays",
        ),
    )
    record = ListeningRecord.objects.get()
    assert record.religious_beliefs == "Goes to the mosque on Fridays"
    assert (
        record.special_category_version == SPECIAL_CATEGORY_VERSION
        and record.special_category_wording
    )


def test_records_are_seen_only_by_the_organisers_team(client, organiser, team, ward):
    client.post(
        reverse("stories:listening_create"),
        data(
            team, ward, special_category_consent="on", political_opinions="Wants a residents' union"
        ),
    )
    record = ListeningRecord.objects.get()
    url = reverse("stories:listening_record", args=[record.public_id])
    assert "Wants a residents" in client.get(url).content.decode()
    assert AccessLogEntry.objects.filter(actor=organiser, target_id=str(record.pk)).exists()

    other = UserFactory(
        roles=[Role.COORDINATOR], roles__organisation=OrganisationFactory(name="Another team")
    )
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.get(reverse("stories:listening_list")).context["records"] == []
    # Nor can they file a record under a team they do not belong to.
    response = client.post(reverse("stories:listening_create"), data(team, ward))
    assert response.status_code == 400 and ListeningRecord.objects.count() == 1

    client.force_login(UserFactory(roles=[Role.MODERATOR], roles__organisation=team))
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302
