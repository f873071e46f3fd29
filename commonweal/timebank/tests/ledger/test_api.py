"""The timebank JSON API: create (idempotent), confirm, reject, reverse, balances and statements."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from commonweal.accounts import services as account_services
from commonweal.accounts.tests.factories import UserFactory
from commonweal.timebank.models import Category, Entry, Transaction
from commonweal.timebank.tests.ledger.factories import TimebankFactory, member_account
from commonweal.timebank.tests.ledger.helpers import balance, record, snapshot

pytestmark = pytest.mark.django_db
BASE = "/api/timebank"


def _token(user) -> str:
    return account_services.api_token_create(actor=user, user=user).token


class Api:
    def __init__(self, client, user):
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {_token(user)}"}

    def get(self, path, **params):
        response = self.client.get(BASE + path, params, **self.headers)
        return response.status_code, response.json()

    def post(self, path, body=None):
        response = self.client.post(
            BASE + path, body or {}, content_type="application/json", **self.headers
        )
        return response.status_code, response.json()


@pytest.fixture
def garden(db):
    return Category.objects.create(name="Gardening", slug="gardening")


def _body(payer, payee, **extra):
    return {
        "id": str(uuid.uuid4()),
        "payer": str(payer.public_id),
        "payee": str(payee.public_id),
        "minutes": 60,
        "description": "Cut the hedge",
        "service_date": (timezone.localdate() - dt.timedelta(days=2)).isoformat(),
        **extra,
    }


def test_recording_an_exchange_and_posting_it_again(client, alice, bob, garden):
    api = Api(client, alice.member.user)
    body = _body(alice, bob, category="gardening")
    status, created = api.post("/exchanges", body)
    assert status == 201
    assert created["id"] == body["id"]
    assert created["state"] == "committed"
    assert created["payer"]["id"] == str(alice.public_id)
    assert created["payee"]["id"] == str(bob.public_id)
    assert created["minutes"] == 60
    assert created["category"] == "gardening"
    status, again = api.post("/exchanges", {**body, "category": str(garden.public_id)})
    assert status == 200
    assert again["id"] == body["id"]
    assert Transaction.objects.count() == 1
    assert balance(bob) == 60
    status, clash = api.post("/exchanges", {**body, "minutes": 120})
    assert status == 409
    assert clash["error"]["code"] == "replay_mismatch"
    assert "different details" in clash["error"]["message"]
    assert Transaction.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"minutes": 0}, 400, "zero_minutes"),
        ({"minutes": -60}, 400, "zero_minutes"),
        ({"minutes": 20}, 400, "not_rounded"),
        ({"service_date": "2999-01-01"}, 400, "future_date"),
        ({"payee": "self"}, 400, "self_payment"),
        ({"payee": "elsewhere"}, 400, "other_timebank"),
        ({"payee": str(uuid.UUID(int=7))}, 404, "unknown_account"),
        ({"category": "no-such-thing"}, 400, "unknown_category"),
        ({"payer": "carol", "payee": "dave"}, 403, "not_allowed"),
        ({"payee": "frozen"}, 422, "account_frozen"),
        ({"minutes": 900}, 422, "over_limit"),
    ],
)
def test_refusals_carry_a_reason_and_change_nothing(client, bank, alice, bob, change, status, code):
    others = {
        "self": alice,
        "elsewhere": member_account(TimebankFactory(), "Elsewhere"),
        "carol": member_account(bank, "Carol"),
        "dave": member_account(bank, "Dave"),
        "frozen": member_account(bank, "Frozen"),
    }
    others["frozen"].status = "frozen"
    others["frozen"].save()
    body = _body(alice, bob)
    for key, value in change.items():
        body[key] = str(others[value].public_id) if value in others else value
    before = snapshot()
    got, answer = Api(client, alice.member.user).post("/exchanges", body)
    assert (got, answer["error"]["code"]) == (status, code)
    assert answer["error"]["status"] == status
    assert answer["error"]["message"]
    assert snapshot() == before


def test_a_malformed_body_is_a_422_with_the_fields(client, alice, bob):
    status, answer = Api(client, alice.member.user).post(
        "/exchanges", {"id": "nope", "minutes": "x"}
    )
    assert status == 422
    fields = {field["field"] for field in answer["error"]["fields"]}
    assert any(f.endswith(".id") for f in fields)
    assert any(f.endswith(".minutes") for f in fields)
    assert Transaction.objects.count() == 0


def test_a_token_is_needed(client, alice, bob):
    response = client.post(f"{BASE}/exchanges", _body(alice, bob), content_type="application/json")
    assert response.status_code == 401
    assert Transaction.objects.count() == 0


def test_confirm_reject_and_reverse_through_the_api(client, broker, alice, bob):
    as_bob, as_alice, as_broker = (
        Api(client, bob.member.user),
        Api(client, alice.member.user),
        Api(client, broker),
    )
    status, pending = as_bob.post("/exchanges", _body(alice, bob))
    assert (status, pending["state"]) == (201, "pending")
    status, confirmed = as_alice.post(f"/exchanges/{pending['id']}/confirm")
    assert (status, confirmed["state"]) == (200, "committed")
    status, again = as_alice.post(f"/exchanges/{pending['id']}/confirm")
    assert (status, again["error"]["code"]) == (409, "not_pending")

    status, other = as_bob.post("/exchanges", _body(alice, bob))
    status, rejected = as_alice.post(f"/exchanges/{other['id']}/reject", {"reason": "Not me"})
    assert (status, rejected["state"], rejected["reason"]) == (200, "rejected", "Not me")

    reversal_id = str(uuid.uuid4())
    body = {"id": reversal_id, "reason": "Recorded the wrong person"}
    status, refused = as_bob.post(f"/exchanges/{pending['id']}/reverse", body)
    assert (status, refused["error"]["code"]) == (403, "not_allowed")
    status, reversal = as_broker.post(f"/exchanges/{pending['id']}/reverse", body)
    assert status == 201
    assert reversal["reverses"] == pending["id"]
    assert reversal["kind"] == "reversal"
    status, replay = as_broker.post(f"/exchanges/{pending['id']}/reverse", body)
    assert (status, replay["id"]) == (200, reversal_id)
    status, second = as_broker.post(
        f"/exchanges/{pending['id']}/reverse", {"id": str(uuid.uuid4()), "reason": "Again"}
    )
    assert (status, second["error"]["code"]) == (409, "already_reversed")
    status, original = as_bob.get(f"/exchanges/{pending['id']}")
    assert original["reversed_by"] == reversal_id
    assert (balance(alice), balance(bob)) == (0, 0)


def test_other_peoples_exchanges_are_not_found(client, bank, alice, bob):
    carol = member_account(bank, "Carol")
    tx = record(alice.member.user, alice, bob, 60)
    status, answer = Api(client, carol.member.user).post(f"/exchanges/{tx.public_id}/confirm")
    assert (status, answer["error"]["code"]) == (404, "unknown_exchange")
    status, answer = Api(client, carol.member.user).get(f"/accounts/{alice.public_id}")
    assert (status, answer["error"]["code"]) == (404, "unknown_account")


def test_the_list_shows_members_their_own_and_brokers_everything(client, bank, broker, alice, bob):
    carol = member_account(bank, "Carol")
    mine = record(alice.member.user, alice, bob, 60)
    theirs = record(bob.member.user, bob, carol, 30)
    status, page = Api(client, alice.member.user).get("/exchanges")
    assert status == 200
    assert [item["id"] for item in page["items"]] == [str(mine.public_id)]
    status, page = Api(client, broker).get("/exchanges", timebank=bank.slug, per_page=1)
    assert (page["total"], len(page["items"])) == (2, 1)
    assert page["items"][0]["id"] == str(theirs.public_id)
    status, page = Api(client, UserFactory()).get("/exchanges")
    assert (status, page["total"]) == (200, 0)


def test_list_query_count_stays_bounded(
    client, django_assert_max_num_queries, bank, broker, alice, bob
):
    for _ in range(12):
        record(alice.member.user, alice, bob, 15)
    api = Api(client, broker)
    with django_assert_max_num_queries(12):
        status, page = api.get("/exchanges", per_page=50)
    assert len(page["items"]) == 12


def test_balance_limits_and_a_paginated_statement(client, bank, alice, bob, today):
    for n in range(5):
        record(alice.member.user, alice, bob, 30, service_date=today - dt.timedelta(days=10 - n))
    api = Api(client, bob.member.user)
    status, account = api.get(f"/accounts/{bob.public_id}")
    assert status == 200
    assert (account["balance"], account["min_balance"], account["max_balance"]) == (150, -600, None)
    status, first = api.get(f"/accounts/{bob.public_id}/statement", per_page=2)
    assert (first["total"], first["closing_balance"]) == (5, 150)
    assert [line["balance_after"] for line in first["items"]] == [30, 60]
    status, last = api.get(f"/accounts/{bob.public_id}/statement", per_page=2, page=3)
    assert [line["balance_after"] for line in last["items"]] == [150]
    since = (today - dt.timedelta(days=7)).isoformat()
    status, part = api.get(f"/accounts/{bob.public_id}/statement", since=since)
    assert part["opening_balance"] == 90
    assert [line["balance_after"] for line in part["items"]] == [120, 150]
    assert Entry.objects.count() == 10


def test_the_openapi_document_describes_the_timebank_api(client):
    document = client.get("/api/openapi.json").json()
    assert "/api/timebank/exchanges" in document["paths"]
    post = document["paths"]["/api/timebank/exchanges"]["post"]
    assert {"200", "201", "409"} <= set(post["responses"])
    assert "ExchangeInput" in document["components"]["schemas"]


def test_recording_an_exchange_costs_a_fixed_handful_of_queries(client, alice, bob):
    """Token, the two accounts (one query), the replay check, the locks, the two balances, the
    transaction, its entries (one INSERT) and the audit entry: nothing grows with the ledger."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = Api(client, alice.member.user)
    api.post("/exchanges", _body(alice, bob))  # the token's last use is noted once a minute
    for _ in range(3):
        record(alice.member.user, alice, bob)
    with CaptureQueriesContext(connection) as captured:
        status, _answer = api.post("/exchanges", _body(alice, bob))
    assert status == 201
    sql = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(sql) <= 9, sql
    assert sum(s.startswith('INSERT INTO "timebank_entry"') for s in sql) == 1
    # Lookups by unique id ask for no ordering (the default ordering would join and sort).
    accounts = [s for s in sql if s.startswith("SELECT") and 'FROM "timebank_account"' in s]
    assert len(accounts) == 2  # the lookup by public id, then the locks
    lookup, lock = accounts
    replay_check = next(
        s for s in sql if s.startswith("SELECT") and 'FROM "timebank_transaction"' in s
    )
    assert "ORDER BY" not in lookup
    assert 'ORDER BY "timebank_transaction"."service_date"' not in replay_check
    # The locks reuse the timebank already read (its policy and default limits).
    assert "timebank_timebank" not in lock
    if connection.vendor == "postgresql":
        assert "FOR UPDATE" in lock
