"""An organisation's timebank account, as its representatives use it: balance, statement, recording
and confirming exchanges with members on its behalf, its offers and needs. Everyone else is refused."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.constants import Role
from commonweal.accounts.tests.factories import UserFactory
from commonweal.timebank.constants import ConfirmationPolicy, PostKind, TransactionState
from commonweal.timebank.models import Transaction
from commonweal.timebank.tests.factories import CategoryFactory, GiftPostFactory
from commonweal.timebank.tests.ledger.factories import (
    TimebankFactory,
    broker_of,
    member_account,
    organisation_account,
)
from commonweal.timebank.tests.ledger.helpers import balance, record, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_two_factor(settings):
    settings.COMMONWEAL_REQUIRE_STAFF_2FA = False


@pytest.fixture
def bank(db):
    return TimebankFactory(name="Thurrock Timebank", slug="thurrock")


@pytest.fixture
def school(bank):
    return organisation_account(bank)  # (account, its group rep)


@pytest.fixture
def alice(bank):
    return member_account(bank, "Alice")


def page(account, name="organisation_account", *extra):
    return reverse(f"timebank:{name}", args=[account.timebank.slug, account.public_id, *extra])


def exchange_form(member, direction="received", **extra):
    return {
        "direction": direction,
        "member": member.pk,
        "hours": "2",
        "minutes": "0",
        "service_date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "description": "Cleared the school allotment",
        "client_id": str(uuid.uuid4()),
        **extra,
    }


def test_the_rep_sees_the_balance_statement_and_the_organisations_posts(
    client, bank, school, alice
):
    account, rep = school
    record(rep, account, alice, minutes=90, description="Ran the reading club")
    GiftPostFactory(
        member=alice.member,
        organisation=account.organisation,
        kind=PostKind.NEED,
        category=CategoryFactory(name="Gardening"),
        title="Help with the allotment",
    )
    client.force_login(rep)
    response = client.get(page(account))
    assert response.status_code == 200
    assert response.context["balance"] == -90
    content = response.content.decode()
    assert "Ran the reading club" in content
    assert "Help with the allotment" in content
    assert client.get(reverse("timebank:organisation_list")).url == page(account)
    statement = client.get(page(account, "organisation_statement"))
    assert statement.status_code == 200
    assert "Ran the reading club" in statement.content.decode()
    rows = list(
        csv.reader(
            io.StringIO(client.get(page(account, "organisation_statement_csv")).content.decode())
        )
    )
    assert rows[0][0] == "Date"
    assert rows[1][1] == "Ran the reading club" and rows[1][4] == "-90"
    home = client.get(reverse("timebank:home")).content.decode()
    assert reverse("timebank:organisation_list") in home and account.name in home


def test_the_rep_records_exchanges_both_ways_on_the_organisations_behalf(client, school, alice):
    account, rep = school
    client.force_login(rep)
    response = client.post(page(account, "organisation_record"), exchange_form(alice))
    assert response.status_code == 302
    received = Transaction.objects.get()
    assert received.state == TransactionState.COMMITTED
    assert received.recorded_by == rep
    assert balance(account) == -120 and balance(alice) == 120

    response = client.post(
        page(account, "organisation_record"),
        exchange_form(alice, direction="gave", description="Computer class at the school"),
    )
    assert response.status_code == 302
    gave = Transaction.objects.exclude(pk=received.pk).get()
    # The member pays, so the member confirms it (the payer's policy).
    assert gave.state == TransactionState.PENDING
    assert balance(alice) == 120


def test_a_refused_exchange_shows_the_reason_and_changes_nothing(client, bank, school, alice):
    account, rep = school
    bank.default_min_balance = -60
    bank.save()
    client.force_login(rep)
    before = snapshot()
    response = client.post(page(account, "organisation_record"), exchange_form(alice))
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert snapshot() == before


def test_the_rep_confirms_an_exchange_a_member_recorded_with_the_organisation(
    client, bank, school, alice
):
    bank.confirmation_policy = ConfirmationPolicy.BOTH
    bank.save()
    account, rep = school
    tx = record(alice.member.user, alice, account, minutes=60, description="Science club talk")
    assert tx.state == TransactionState.PENDING
    client.force_login(rep)
    shown = client.get(page(account))
    assert [row["transaction"] for row in shown.context["to_confirm"]] == [tx]
    response = client.post(
        page(account, "organisation_answer", tx.public_id), {"decision": "confirm"}
    )
    assert response.status_code == 302
    tx.refresh_from_db()
    assert tx.state == TransactionState.COMMITTED
    assert balance(account) == 60


@pytest.mark.parametrize(
    "who", ["member", "other_rep", "member_role_in_org", "timebank_broker", "stranger"]
)
def test_everyone_else_is_refused_and_the_ledger_does_not_change(client, bank, school, alice, who):
    account, _rep = school
    other_account, other_rep = organisation_account(bank)
    people = {
        "member": alice.member.user,
        "other_rep": other_rep,
        "member_role_in_org": UserFactory(
            roles=[Role.MEMBER], roles__organisation=account.organisation
        ),
        "timebank_broker": broker_of(bank),
        "stranger": UserFactory(),
    }
    client.force_login(people[who])
    for name in ("organisation_account", "organisation_statement", "organisation_statement_csv"):
        response = client.get(page(account, name))
        assert response.status_code == 403
        assert "Only the representatives" in response.content.decode()
    before = snapshot()
    response = client.post(page(account, "organisation_record"), exchange_form(alice))
    assert response.status_code == 403
    assert snapshot() == before


def test_anonymous_visitors_are_sent_to_sign_in_and_unknown_accounts_are_not_found(
    client, school, alice
):
    account, rep = school
    response = client.get(page(account))
    assert response.status_code == 302 and "sign-in" in response.url
    client.force_login(rep)
    missing = reverse("timebank:organisation_account", args=["thurrock", uuid.uuid4()])
    assert client.get(missing).status_code == 404
    # A member's account is not an organisation account.
    member_page = reverse("timebank:organisation_account", args=["thurrock", alice.public_id])
    assert client.get(member_page).status_code == 404
