"""Brokers' restrictions on members ("no home visits", "accompanied only", a note): set and audited by
brokers only, and enforced by the ledger, the JSON API, the pages, matching and the gift board."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts import services as account_services
from commonweal.core.models import AuditEntry
from commonweal.timebank import giftboard, ledger
from commonweal.timebank.constants import (
    ConfirmationPolicy,
    GiftType,
    PostKind,
    TransactionState,
)
from commonweal.timebank.exceptions import CannotTransact
from commonweal.timebank.matching import match_suggestions
from commonweal.timebank.membership import member_restrictions_set
from commonweal.timebank.tests.factories import CategoryFactory, GiftPostFactory, MemberFactory
from commonweal.timebank.tests.ledger.factories import (
    TimebankFactory,
    broker_of,
    member_account,
)
from commonweal.timebank.tests.ledger.helpers import balance, record, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_two_factor(settings):
    """Brokers hold a staff role; the two-factor step has its own tests in accounts."""
    settings.COMMONWEAL_REQUIRE_STAFF_2FA = False


@pytest.fixture
def bank(db):
    return TimebankFactory(name="Thurrock Timebank", slug="thurrock")


@pytest.fixture
def broker(bank):
    return broker_of(bank)


@pytest.fixture
def alice(bank):
    return member_account(bank, "Alice")


@pytest.fixture
def bob(bank):
    return member_account(bank, "Bob")


def restrict(broker, account, *, no_home_visits=False, accompanied_only=False, vulnerable=False):
    account.member = member_restrictions_set(
        actor=broker,
        member=account.member,
        vulnerable=vulnerable,
        no_home_visits=no_home_visits,
        accompanied_only=accompanied_only,
        note="Agreed with her daughter at the review.",
    )
    return account.member


# --- setting them -----------------------------------------------------------------------------------


def test_only_a_broker_sets_restrictions_with_a_note_and_it_is_audited(broker, alice, bob):
    with pytest.raises(ValidationError):
        member_restrictions_set(
            actor=bob.member.user,
            member=alice.member,
            vulnerable=False,
            no_home_visits=True,
            accompanied_only=False,
            note="I say so",
        )
    with pytest.raises(ValidationError) as error:
        member_restrictions_set(
            actor=broker,
            member=alice.member,
            vulnerable=False,
            no_home_visits=True,
            accompanied_only=False,
            note="  ",
        )
    assert "note" in error.value.message_dict
    alice.member.refresh_from_db()
    assert not alice.member.no_home_visits

    member = restrict(broker, alice, no_home_visits=True)
    member.refresh_from_db()
    assert member.no_home_visits and not member.accompanied_only
    assert member.restriction_note == "Agreed with her daughter at the review."
    entry = AuditEntry.objects.get(kind="timebank.member_restrictions_changed")
    assert entry.actor == broker
    assert entry.before["no_home_visits"] is False
    assert entry.after["no_home_visits"] is True
    assert entry.note == "Agreed with her daughter at the review."


def test_the_broker_page_sets_and_shows_restrictions_and_others_are_refused(
    client, broker, alice, bob
):
    url = reverse("timebank:member_restrictions", args=["thurrock", alice.member.public_id])
    client.force_login(bob.member.user)
    assert client.get(url).status_code == 403
    assert client.post(url, {"no_home_visits": "on", "note": "x"}).status_code == 403
    alice.member.refresh_from_db()
    assert not alice.member.no_home_visits

    client.force_login(broker)
    page = client.get(url)
    assert page.status_code == 200
    assert "No home visits" in page.content.decode()
    missing_note = client.post(url, {"accompanied_only": "on", "note": ""})
    assert missing_note.status_code == 400
    assert "Say why" in missing_note.content.decode()
    saved = client.post(
        url, {"accompanied_only": "on", "note": "A friend goes along to every exchange."}
    )
    assert saved.status_code == 302
    alice.member.refresh_from_db()
    assert alice.member.accompanied_only
    detail = client.get(
        reverse("timebank:member_detail", args=["thurrock", alice.member.public_id])
    )
    content = detail.content.decode()
    assert "Accompanied only" in content
    assert "A friend goes along to every exchange." in content
    listing = client.get(reverse("timebank:member_list", args=["thurrock"])).content.decode()
    assert listing.count("Accompanied only") == 1


# --- the ledger -------------------------------------------------------------------------------------


def test_a_home_visit_with_a_no_home_visits_member_is_refused_for_everyone(broker, alice, bob):
    restrict(broker, bob, no_home_visits=True)
    before = snapshot()
    for actor in (alice.member.user, broker):
        with pytest.raises(CannotTransact) as error:
            record(actor, alice, bob, home_visit=True)
        assert error.value.code == "no_home_visits"
        assert "Bob" in error.value.message and "no home visits" in error.value.message
    assert snapshot() == before
    # The same help given somewhere else is fine.
    tx = record(alice.member.user, alice, bob)
    assert tx.state == TransactionState.COMMITTED
    assert balance(bob) == 60


def test_a_pending_home_visit_cannot_be_confirmed_once_the_restriction_is_set(
    bank, broker, alice, bob
):
    bank.confirmation_policy = ConfirmationPolicy.BOTH
    bank.save()
    tx = record(alice.member.user, alice, bob, home_visit=True)
    assert tx.state in (TransactionState.PENDING, TransactionState.AWAITING_BROKER)
    restrict(broker, alice, no_home_visits=True)
    with pytest.raises(CannotTransact):
        if tx.state == TransactionState.PENDING:
            ledger.transaction_confirm(actor=bob.member.user, transaction=tx)
        else:
            ledger.transaction_approve(actor=broker, transaction=tx)
    with pytest.raises(CannotTransact):
        ledger.transaction_approve(actor=broker, transaction=tx)
    tx.refresh_from_db()
    assert tx.state != TransactionState.COMMITTED
    assert balance(bob) == 0


def test_accompanied_only_needs_a_broker_and_a_broker_recording_it_is_the_approval(
    broker, alice, bob
):
    restrict(broker, bob, accompanied_only=True)
    tx = record(alice.member.user, alice, bob)
    assert tx.state == TransactionState.AWAITING_BROKER
    assert "Bob" in tx.needs_broker_because and "accompanied only" in tx.needs_broker_because
    assert balance(bob) == 0
    ledger.transaction_approve(actor=broker, transaction=tx)
    assert balance(bob) == 60

    by_broker = record(broker, alice, bob, on_behalf_of=alice.member)
    assert by_broker.state == TransactionState.COMMITTED
    assert by_broker.approved_by == broker


def test_accompanied_only_set_after_recording_sends_the_confirmation_to_a_broker(
    bank, broker, alice, bob
):
    bank.confirmation_policy = ConfirmationPolicy.BOTH
    bank.save()
    tx = record(alice.member.user, alice, bob)
    assert tx.state == TransactionState.PENDING
    restrict(broker, alice, accompanied_only=True)
    ledger.transaction_confirm(actor=bob.member.user, transaction=tx)
    tx.refresh_from_db()
    assert tx.state == TransactionState.AWAITING_BROKER
    assert balance(bob) == 0


# --- the API and the member's page --------------------------------------------------------------


def test_the_api_refuses_a_home_visit_with_the_reason(client, broker, alice, bob):
    restrict(broker, bob, no_home_visits=True)
    token = account_services.api_token_create(actor=alice.member.user, user=alice.member.user)
    body = {
        "id": str(uuid.uuid4()),
        "payer": str(alice.public_id),
        "payee": str(bob.public_id),
        "minutes": 60,
        "description": "Fixed the gate",
        "service_date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "home_visit": True,
    }
    before = snapshot()
    response = client.post(
        "/api/timebank/exchanges",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token.token}",
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "no_home_visits"
    assert "no home visits" in response.json()["error"]["message"]
    assert snapshot() == before


def test_the_member_page_refuses_a_home_visit_with_the_reason(client, broker, alice, bob):
    restrict(broker, bob, no_home_visits=True)
    client.force_login(alice.member.user)
    before = snapshot()
    response = client.post(
        reverse("timebank:exchange_record", args=["thurrock"]),
        {
            "payee": bob.pk,
            "hours": "1",
            "minutes": "0",
            "service_date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
            "description": "Fixed the gate",
            "client_id": str(uuid.uuid4()),
            "home_visit": "on",
        },
    )
    assert response.status_code == 400
    assert "no home visits" in response.content.decode()
    assert snapshot() == before


# --- matching and the gift board --------------------------------------------------------------------


def test_matching_and_the_board_never_offer_help_at_home_to_a_no_home_visits_member(
    client, bank, broker
):
    garden = CategoryFactory(name="Gardening")
    at_home = GiftPostFactory(
        member=MemberFactory(timebank=bank),
        kind=PostKind.OFFER,
        category=garden,
        home_visit=True,
        title="Garden clearance at your place",
    )
    elsewhere = GiftPostFactory(
        member=MemberFactory(timebank=bank),
        kind=PostKind.OFFER,
        category=garden,
        title="Community garden sessions",
    )
    restricted = MemberFactory(timebank=bank, display_name="Carol")
    member_restrictions_set(
        actor=broker,
        member=restricted,
        vulnerable=False,
        no_home_visits=True,
        accompanied_only=False,
        note="Agreed at induction.",
    )
    restricted.refresh_from_db()
    need = GiftPostFactory(member=restricted, kind=PostKind.NEED, category=garden)
    assert [s.post for s in match_suggestions(need)] == [elsewhere]
    # An offer at home never sees her need; the other offer does.
    assert need not in [s.post for s in match_suggestions(at_home)]
    assert need in [s.post for s in match_suggestions(elsewhere)]
    # An unrestricted neighbour's need sees both.
    other_need = GiftPostFactory(
        member=MemberFactory(timebank=bank), kind=PostKind.NEED, category=garden
    )
    assert {s.post for s in match_suggestions(other_need)} == {at_home, elsewhere}

    # She cannot ask about help at home, nor post it; the board does not show it to her.
    with pytest.raises(giftboard.GiftboardError) as error:
        giftboard.connection_request(
            actor=restricted.user, member=restricted, post=at_home, message="Could you help?"
        )
    assert "home visits" in error.value.message
    with pytest.raises(giftboard.GiftboardError):
        giftboard.post_save(
            actor=restricted.user,
            member=restricted,
            data={
                "kind": PostKind.OFFER,
                "title": "Weeding at yours",
                "category": garden,
                "gift_type": GiftType.HANDS,
                "home_visit": True,
            },
        )
    client.force_login(restricted.user)
    board = client.get(reverse("timebank:giftboard") + "?kind=offer").content.decode()
    assert "Community garden sessions" in board
    assert "Garden clearance at your place" not in board
    client.force_login(other_need.member.user)
    board = client.get(reverse("timebank:giftboard") + "?kind=offer").content.decode()
    assert "Garden clearance at your place" in board


def test_the_member_is_told_their_restrictions_but_never_the_brokers_note(client, broker, bob):
    restrict(broker, bob, no_home_visits=True, accompanied_only=True)
    client.force_login(bob.member.user)
    page = client.get(reverse("timebank:dashboard")).content.decode()
    assert "do not take part in home visits" in page
    assert "someone goes with you" in page
    assert "Agreed with her daughter" not in page
