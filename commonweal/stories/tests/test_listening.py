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
from commonweal.stories import listening
from commonweal.stories.constants import SPECIAL_CATEGORY_VERSION, StoriesAuditKind
from commonweal.stories.models import ListeningAction, ListeningRecord

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


# --- actions made from listening ---------------------------------------------------------------


def test_a_team_turns_an_issue_into_an_action_and_moves_it_along(client, organiser, team, ward):
    client.post(reverse("stories:listening_create"), data(team, ward))
    client.post(
        reverse("stories:listening_create"),
        data(team, ward, categories=["housing"], issues="Damp flats on the estate."),
    )
    transport = ListeningRecord.objects.get(categories__slug="transport-and-getting-about")
    form = client.get(
        reverse("stories:listening_action_create"), {"category": "transport-and-getting-about"}
    ).content.decode()
    assert str(transport.public_id) in form and "Damp flats" not in form  # only that kind
    response = client.post(
        reverse("stories:listening_action_create"),
        {
            "team": str(team.public_id),
            "category": "transport-and-getting-about",
            "title": "Lift share to the evening classes",
            "plan": "Ask the college and the neighbours who drive.",
            "lead": "Priya and the Grays residents' group",
            "records": [str(transport.public_id)],
        },
    )
    action = ListeningAction.objects.get()
    assert response.status_code == 302
    assert action.status == "open" and list(action.records.all()) == [transport]
    assert audit_entries_for(action).filter(kind=StoriesAuditKind.ACTION_CREATED).exists()
    url = reverse("stories:listening_action", args=[action.public_id])
    assert client.post(url, {"status": "doing"}).status_code == 302
    action.refresh_from_db()
    assert action.status == "doing"
    changed = audit_entries_for(action).get(kind=StoriesAuditKind.ACTION_STATUS_CHANGED)
    assert changed.before == {"status": "open"} and changed.after == {"status": "doing"}
    client.get(url)
    assert AccessLogEntry.objects.filter(actor=organiser, target_id=str(action.pk)).exists()
    board = client.get(reverse("stories:listening_actions")).content.decode()
    doing = board.split('id="status-doing"')[1].split('id="status-done"')[0]
    assert "Lift share to the evening classes" in doing


def test_an_action_needs_a_name_a_plan_and_a_lead(client, organiser, team):
    response = client.post(
        reverse("stories:listening_action_create"), {"team": str(team.public_id)}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the action a name" in page and "Say who leads it" in page
    assert not ListeningAction.objects.exists()


def test_another_team_never_sees_nor_changes_an_action_nor_links_its_records(
    client, organiser, team, ward
):
    client.post(reverse("stories:listening_create"), data(team, ward))
    record = ListeningRecord.objects.get()
    action = listening.listening_action_create(
        actor=organiser,
        draft=listening.ActionDraft(
            team=team, title="Lift share", plan="Plan", lead="Olu", records=[record]
        ),
    )
    other_team = OrganisationFactory(name="Another team")
    other = UserFactory(roles=[Role.COORDINATOR], roles__organisation=other_team)
    client.force_login(other)
    url = reverse("stories:listening_action", args=[action.public_id])
    assert client.get(url).status_code == 404
    assert client.post(url, {"status": "done"}).status_code == 404
    assert "Lift share" not in client.get(reverse("stories:listening_actions")).content.decode()
    with pytest.raises(listening.ListeningError):
        listening.listening_action_create(
            actor=other,
            draft=listening.ActionDraft(
                team=other_team, title="Stolen", plan="Plan", lead="Them", records=[record]
            ),
        )
    action.refresh_from_db()
    assert action.status == "open"


# --- deleting what people said ------------------------------------------------------------------


def special_record(client, team, ward):
    client.post(
        reverse("stories:listening_create"),
        data(
            team,
            ward,
            special_category_consent="on",
            political_opinions="Wants a residents' union",
            religious_beliefs="Goes to the mosque on Fridays",
            follow_up_consent="on",
            contact_name="Amina",
            contact_detail="07700 900123",
        ),
    )
    return ListeningRecord.objects.get()


def test_the_team_deletes_a_conversation_after_confirming_and_the_log_keeps_none_of_it(
    client, organiser, team, ward
):
    from commonweal.core.models import AuditEntry

    record = special_record(client, team, ward)
    action = listening.listening_action_create(
        actor=organiser,
        draft=listening.ActionDraft(
            team=team, title="Lift share", plan="Plan", lead="Olu", records=[record]
        ),
    )
    detail = client.get(reverse("stories:listening_record", args=[record.public_id]))
    url = reverse("stories:listening_record_delete", args=[record.public_id])
    assert url in detail.content.decode()
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Delete this conversation?" in confirm.content.decode()
    assert ListeningRecord.objects.exists()  # asking is not deleting

    response = client.post(url)
    assert response.status_code == 302 and response.url == reverse("stories:listening_list")
    assert not ListeningRecord.objects.exists()
    action.refresh_from_db()
    assert action.records.count() == 0  # the action stays, without the conversation
    entry = AuditEntry.objects.get(kind=StoriesAuditKind.LISTENING_DELETED)
    assert entry.actor == organiser and entry.target_id == str(team.pk)
    assert entry.before == {
        "record": str(record.public_id),
        "special_category": True,
        "contact_details": True,
        "actions": 1,
    }
    logged = " ".join(
        f"{e.target_repr} {e.before} {e.after} {e.note}" for e in AuditEntry.objects.all()
    )
    for words in ("residents' union", "mosque", "Amina", "07700", "evening class", "Orsett"):
        assert words not in logged
    assert client.get(url).status_code == 404


def test_only_the_team_can_delete_a_conversation(client, organiser, team, ward):
    record = special_record(client, team, ward)
    client.force_login(
        UserFactory(roles=[Role.COORDINATOR], roles__organisation=OrganisationFactory())
    )
    for name in ("stories:listening_record_delete", "stories:listening_record_special_remove"):
        url = reverse(name, args=[record.public_id])
        assert client.get(url).status_code == 404 and client.post(url).status_code == 404
    client.force_login(UserFactory(roles=[Role.MODERATOR], roles__organisation=team))
    assert client.post(reverse(name, args=[record.public_id])).status_code == 403
    with pytest.raises(listening.ListeningError):
        listening.listening_record_delete(actor=UserFactory(), record=record)
    record.refresh_from_db()
    assert record.political_opinions and record.religious_beliefs


def test_the_team_removes_only_the_special_category_answers(client, organiser, team, ward):
    from commonweal.core.models import AuditEntry

    record = special_record(client, team, ward)
    url = reverse("stories:listening_record_special_remove", args=[record.public_id])
    detail = client.get(reverse("stories:listening_record", args=[record.public_id]))
    assert url in detail.content.decode()
    assert "Delete the political opinions" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.political_opinions == "" and record.religious_beliefs == ""
    assert not record.special_category_consent and not record.special_category_wording
    assert record.issues.startswith("The buses stop") and record.contact_name == "Amina"
    entry = audit_entries_for(record).get(kind=StoriesAuditKind.LISTENING_SPECIAL_REMOVED)
    assert entry.before["religious_beliefs"] is True and entry.after["religious_beliefs"] is False
    logged = " ".join(f"{e.before} {e.after} {e.note}" for e in AuditEntry.objects.all())
    assert "mosque" not in logged and "residents' union" not in logged
    # Nothing left to remove: the page says so and goes back to the record.
    again = client.get(url)
    assert again.status_code == 302
    detail = client.get(reverse("stories:listening_record", args=[record.public_id]))
    assert url not in detail.content.decode()
