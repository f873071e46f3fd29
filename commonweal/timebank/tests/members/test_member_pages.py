"""The member's pages: joining, the dashboard, recording and confirming exchanges, the statement."""

from __future__ import annotations

import csv
import datetime
import io
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.tests.factories import UserFactory
from commonweal.timebank.constants import (
    ConfirmationPolicy,
    MemberStatus,
    TransactionState,
    VettingKind,
)
from commonweal.timebank.models import Member, Transaction
from commonweal.timebank.tests.factories import (
    CategoryFactory,
    VettingRecordFactory,
    account_of,
    member_with_account,
)

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("timebank:dashboard")


def test_anonymous_people_are_sent_to_sign_in(client, timebank):
    for url in (
        DASHBOARD,
        reverse("timebank:join", args=[timebank.slug]),
        reverse("timebank:statement", args=[timebank.slug]),
        reverse("timebank:statement_csv", args=[timebank.slug]),
        reverse("timebank:broker", args=[timebank.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url


def test_a_person_applies_through_the_form_and_sees_that_a_broker_will_decide(client, timebank):
    user = UserFactory(full_name="Sam Smith", email="sam@example.org")
    client.force_login(user)
    url = reverse("timebank:join", args=[timebank.slug])
    page = client.get(url)
    assert "Grays" in page.content.decode()

    refused = client.post(url, {"display_name": "Sam", "can_offer": "Baking", "locality": ""})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Agree to the members&#x27; agreement to join." in html
    assert "Choose the locality group nearest to you." in html
    assert 'value="Sam"' in html and "Baking</textarea>" in html  # what they typed is kept
    assert not Member.objects.filter(user=user).exists()

    grays = timebank.localities.get(name="Grays")
    response = client.post(
        url,
        {"display_name": "Sam", "can_offer": "Baking", "locality": grays.pk, "agrees": "on"},
        follow=True,
    )
    assert response.status_code == 200
    assert Member.objects.get(user=user).status == MemberStatus.APPLIED
    assert "Your application is with a broker" in response.content.decode()


def test_the_dashboard_shows_the_balance_in_words_and_the_group_activities_rule(client, timebank):
    timebank.group_activities_first = 2
    timebank.save()
    member = member_with_account(timebank)
    client.force_login(member.user)
    html = client.get(DASHBOARD).content.decode()
    assert "0 minutes" in html
    assert "Join two group activities first" in html
    assert "You have no checks recorded yet" in html


def _record(client, timebank, payee_account, **changes):
    data = {
        "client_id": str(uuid.uuid4()),
        "payee": payee_account.pk,
        "hours": "3",
        "minutes": "15",
        "service_date": timezone.localdate().isoformat(),
        "category": "",
        "description": "Cleared the garden",
    } | changes
    return client.post(reverse("timebank:exchange_record", args=[timebank.slug]), data)


def test_a_member_records_help_and_the_other_confirms_it(client, timebank):
    timebank.confirmation_policy = ConfirmationPolicy.BOTH
    timebank.save()
    receiver = member_with_account(timebank, display_name="Rita")
    helper = member_with_account(timebank, display_name="Hassan")
    client.force_login(receiver.user)
    response = _record(client, timebank, account_of(helper), category=CategoryFactory().pk)
    assert response.status_code == 302
    transaction = Transaction.objects.get()
    assert transaction.recorded_by == receiver.user
    assert transaction.state == TransactionState.PENDING

    client.force_login(helper.user)
    html = client.get(DASHBOARD).content.decode()
    assert "Exchanges to confirm" in html
    assert "you gave 3 hours 15 minutes to Rita" in html
    client.post(
        reverse("timebank:exchange_answer", args=[transaction.public_id]), {"decision": "confirm"}
    )
    transaction.refresh_from_db()
    assert transaction.state == TransactionState.COMMITTED
    assert "3 hours 15 minutes" in client.get(DASHBOARD).content.decode()
    client.force_login(receiver.user)
    assert "minus 3 hours 15 minutes" in client.get(DASHBOARD).content.decode()


def test_the_record_form_keeps_what_was_typed_and_shows_the_ledgers_reason(client, timebank):
    receiver = member_with_account(timebank)
    helper = member_with_account(timebank)
    client.force_login(receiver.user)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = _record(
        client, timebank, account_of(helper), service_date=tomorrow, description="Fixed a shelf"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "future" in html
    assert "Fixed a shelf</textarea>" in html
    assert f'value="{tomorrow}"' in html
    assert not Transaction.objects.exists()

    nothing = _record(client, timebank, account_of(helper), hours="0", minutes="0")
    assert "at least 15 minutes" in nothing.content.decode()
    assert not Transaction.objects.exists()


def test_a_member_cannot_answer_an_exchange_they_are_not_part_of(client, timebank):
    timebank.confirmation_policy = ConfirmationPolicy.BOTH
    timebank.save()
    receiver = member_with_account(timebank)
    helper = member_with_account(timebank)
    stranger = member_with_account(timebank)
    client.force_login(receiver.user)
    _record(client, timebank, account_of(helper))
    transaction = Transaction.objects.get()
    client.force_login(stranger.user)
    response = client.post(
        reverse("timebank:exchange_answer", args=[transaction.public_id]), {"decision": "confirm"}
    )
    assert response.status_code == 404
    transaction.refresh_from_db()
    assert transaction.state == TransactionState.PENDING


def test_the_statement_is_the_members_own_printable_and_downloadable(client, timebank):
    receiver = member_with_account(timebank, display_name="Rita")
    helper = member_with_account(timebank, display_name="Hassan")
    client.force_login(receiver.user)
    _record(client, timebank, account_of(helper), description="=HYPERLINK(1)")

    html = client.get(reverse("timebank:statement", args=[timebank.slug])).content.decode()
    assert "Your statement" in html
    assert '<style media="print">' in html
    response = client.get(reverse("timebank:statement_csv", args=[timebank.slug]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Date"
    assert rows[1][1] == "'=HYPERLINK(1)"  # a spreadsheet will not run it
    assert rows[1][4] == "-195"
    assert rows[1][5] == "-3:15"
    assert rows[1][6] == "-3:15"  # the balance after it

    # Another member's statement: not through their own pages, and the broker's address is refused.
    client.force_login(helper.user)
    mine = client.get(reverse("timebank:statement", args=[timebank.slug])).content.decode()
    assert "Statement for Rita" not in mine
    other = client.get(
        reverse("timebank:member_statement", args=[timebank.slug, receiver.public_id])
    )
    assert other.status_code == 403
    other_csv = client.get(
        reverse("timebank:member_statement_csv", args=[timebank.slug, receiver.public_id])
    )
    assert other_csv.status_code == 403


def test_someone_who_is_not_a_member_gets_no_statement(client, timebank):
    client.force_login(UserFactory())
    assert client.get(reverse("timebank:statement", args=[timebank.slug])).status_code == 404
    assert client.get(reverse("timebank:statement_csv", args=[timebank.slug])).status_code == 404


def test_a_member_reads_their_own_vetting_in_plain_words_without_the_details(client, timebank):
    member = member_with_account(timebank)
    VettingRecordFactory(member=member, kind=VettingKind.DBS_ENHANCED, reference="009988776655")
    VettingRecordFactory(
        member=member, kind=VettingKind.REFERENCE, reference="Mrs Referee", expires_on=None
    )
    client.force_login(member.user)
    html = client.get(DASHBOARD).content.decode()
    assert "DBS enhanced check: done, valid until" in html
    assert "References: 1 received." in html
    assert "You can give help in people" in html
    assert "009988776655" not in html and "Mrs Referee" not in html


def test_the_dashboard_makes_a_bounded_number_of_queries(
    client, timebank, django_assert_max_num_queries
):
    member = member_with_account(timebank)
    client.force_login(member.user)
    for _ in range(8):
        helper = member_with_account(timebank)
        _record(client, timebank, account_of(helper))
    with django_assert_max_num_queries(30):
        response = client.get(DASHBOARD)
    assert response.status_code == 200
