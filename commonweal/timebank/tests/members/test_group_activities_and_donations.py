"""Pages for group activities (brokers) and donations to the community pot (members, and brokers on
their behalf), all through the ledger; the broker console shows the pot's balance."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from commonweal.timebank import ledger
from commonweal.timebank.constants import (
    AccountKind,
    AccountStatus,
    LimitPolicy,
    TransactionKind,
    TransactionState,
)
from commonweal.timebank.models import Account, Transaction
from commonweal.timebank.tests.factories import (
    ApplicantFactory,
    account_of,
    member_with_account,
    organisation_account,
)
from commonweal.timebank.tests.ledger.helpers import snapshot

pytestmark = pytest.mark.django_db


def group_url(timebank):
    return reverse("timebank:group_activity", args=[timebank.slug])


def group_form(attendees, payer="timebank", **extra):
    return {
        "payer": payer,
        "attendees": [str(account.pk) for account in attendees],
        "hours": "1",
        "minutes": "30",
        "service_date": timezone.localdate().isoformat(),
        "category": "",
        "description": "Coffee morning at the hub",
        "client_id": str(uuid.uuid4()),
        **extra,
    }


def pot_of(timebank):
    return Account.objects.get(timebank=timebank, kind=AccountKind.COMMUNITY_POT)


def test_only_brokers_of_the_timebank_record_group_activities_or_give_for_members(
    client, timebank, other_broker
):
    member = member_with_account(timebank)
    for url in (group_url(timebank), reverse("timebank:broker_donate", args=[timebank.slug])):
        assert client.get(url).status_code == 302  # sign in first
        client.force_login(member.user)
        assert client.get(url).status_code == 403
        assert client.post(url, group_form([account_of(member)])).status_code == 403
        client.force_login(other_broker)
        assert client.get(url).status_code == 403
        client.logout()
    assert not Transaction.objects.exists()


def test_the_attendee_list_is_the_timebanks_active_members(
    client, timebank, other_timebank, broker
):
    here = member_with_account(timebank, display_name="Hana Here")
    member_with_account(other_timebank, display_name="Elsie Elsewhere")
    ApplicantFactory(timebank=timebank, display_name="Abe Applicant")
    client.force_login(broker)
    page = client.get(group_url(timebank)).content.decode()
    assert 'type="checkbox"' in page and here.display_name in page
    assert "Elsie Elsewhere" not in page and "Abe Applicant" not in page


def test_a_broker_records_a_group_activity_paid_by_the_organiser(client, timebank, broker):
    alice, bob = member_with_account(timebank), member_with_account(timebank)
    school = organisation_account(timebank)
    client.force_login(broker)
    response = client.post(
        group_url(timebank),
        group_form([account_of(alice), account_of(bob)], payer=str(school.public_id)),
    )
    assert response.status_code == 302
    transaction = Transaction.objects.get()
    assert transaction.kind == TransactionKind.GROUP
    assert transaction.state == TransactionState.COMMITTED
    assert transaction.recorded_by == broker
    assert account_of(alice).cached_balance == account_of(bob).cached_balance == 90
    school.refresh_from_db()
    assert school.cached_balance == -180


def test_the_pot_can_pay_and_a_refusal_is_shown_and_changes_nothing(client, timebank, broker):
    timebank.limit_policy = LimitPolicy.BLOCK
    timebank.default_min_balance = -60
    timebank.save()
    alice, bob = member_with_account(timebank), member_with_account(timebank)
    client.force_login(broker)
    before = snapshot()
    response = client.post(
        group_url(timebank), group_form([account_of(alice), account_of(bob)], payer="pot")
    )
    assert response.status_code == 400
    assert "below the lowest balance allowed" in response.content.decode()
    assert snapshot() == before

    frozen = account_of(bob)
    ledger.account_status_set(
        actor=broker, account=frozen, status=AccountStatus.FROZEN, reason="Away"
    )
    before = snapshot()
    response = client.post(group_url(timebank), group_form([account_of(alice), frozen]))
    assert response.status_code == 400
    assert "frozen" in response.content.decode()
    assert snapshot() == before


def test_a_member_gives_time_to_the_pot_and_the_console_shows_it(client, timebank, broker):
    member = member_with_account(timebank)
    client.force_login(member.user)
    dashboard = client.get(reverse("timebank:dashboard")).content.decode()
    url = reverse("timebank:donate", args=[timebank.slug])
    assert url in dashboard
    response = client.post(
        url, {"hours": "2", "minutes": "15", "note": "", "client_id": str(uuid.uuid4())}
    )
    assert response.status_code == 302
    transaction = Transaction.objects.get()
    assert transaction.kind == TransactionKind.DONATION
    assert account_of(member).cached_balance == -135
    assert pot_of(timebank).cached_balance == 135

    client.force_login(broker)
    console = client.get(reverse("timebank:broker", args=[timebank.slug])).content.decode()
    assert "Community pot" in console
    assert 'data-balance-minutes="135"' in console and "2 hours 15 minutes" in console


def test_a_refused_donation_is_explained_and_changes_nothing(client, timebank, broker):
    member = member_with_account(timebank)
    ledger.account_status_set(
        actor=broker, account=account_of(member), status=AccountStatus.FROZEN, reason="Away"
    )
    client.force_login(member.user)
    before = snapshot()
    response = client.post(
        reverse("timebank:donate", args=[timebank.slug]),
        {"hours": "1", "minutes": "0", "note": "", "client_id": str(uuid.uuid4())},
    )
    assert response.status_code == 400
    assert "frozen" in response.content.decode()
    assert snapshot() == before


def test_applicants_and_people_of_another_timebank_cannot_give(client, timebank, other_timebank):
    applicant = ApplicantFactory(timebank=timebank)
    outsider = member_with_account(other_timebank)
    for user in (applicant.user, outsider.user):
        client.force_login(user)
        response = client.post(
            reverse("timebank:donate", args=[timebank.slug]),
            {"hours": "1", "minutes": "0", "note": "", "client_id": str(uuid.uuid4())},
        )
        assert response.status_code == 404
    assert not Transaction.objects.exists()


def test_a_broker_gives_for_a_member_and_it_says_on_whose_behalf(client, timebank, broker):
    member = member_with_account(timebank)
    client.force_login(broker)
    response = client.post(
        reverse("timebank:broker_donate", args=[timebank.slug]),
        {
            "donor": str(account_of(member).pk),
            "hours": "1",
            "minutes": "0",
            "note": "Leaving the area",
            "client_id": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    transaction = Transaction.objects.get()
    assert transaction.on_behalf_of == member and transaction.recorded_by == broker
    assert "Leaving the area" in transaction.description
    assert pot_of(timebank).cached_balance == 60
