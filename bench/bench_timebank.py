"""Benchmark: 8 clients recording 500 exchanges each through the timebank API on PostgreSQL.

Budget (issue 4): zero invariant breaks, zero duplicates under retried requests, and the throughput
reported against the floor of raw inserts of the same entries in the same run (target: at least a
third of the floor).

- A fresh PostgreSQL database (``cw_ledger_bench`` unless BENCH_TIMEBANK_DATABASE_URL names another)
  is created, migrated and given a timebank, 8 paying members with API tokens and 32 helpers.
- gunicorn serves Commonweal on loopback (gthread; BENCH_TIMEBANK_WORKERS and
  BENCH_TIMEBANK_THREADS, default one worker per core x 4 threads: a worker runs Python on one core at
  a time, and its threads overlap the waits on PostgreSQL). 8 client threads, each over one keep-alive
  connection and started together,
  POST /api/timebank/exchanges 500 times; 1 request in 20 is sent a second time with the same id and
  body, as after a lost response (it must answer 200 with the same exchange).
- Then the reconciliation runs and the transactions are counted against the distinct ids sent.
- The floor: the same 8 threads, each with its own psycopg connection, insert each exchange's
  transaction row and its two entry rows into scratch tables of the same shape, one database
  transaction per exchange (as the API commits each exchange on its own). A single COPY of all the
  rows is printed too, for scale, but exchanges arrive one by one, so it is not the floor.

    python -m bench.bench_timebank        (or: BENCH=timebank make bench)
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from bench.support import django_setup, percentile, verdict

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_TIMEBANK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cw_ledger_bench"
)
CLIENTS = 8
PER_CLIENT = 500
RETRY_EVERY = 20
HELPERS_PER_CLIENT = 4
WORKERS = int(os.environ.get("BENCH_TIMEBANK_WORKERS", str(os.cpu_count() or 2)))
THREADS = int(os.environ.get("BENCH_TIMEBANK_THREADS", "4"))
TARGET_RATIO = 1 / 3


def _database_fresh(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _set_up() -> dict[str, Any]:
    """A timebank whose limits never get in the way, 8 payers with tokens, 4 helpers each."""
    from commonweal.accounts import services as account_services
    from commonweal.accounts.constants import OrganisationKind, Role
    from commonweal.accounts.models import Membership, Organisation, User
    from commonweal.timebank import ledger
    from commonweal.timebank.constants import (
        AccountKind,
        ConfirmationPolicy,
        LimitPolicy,
        MemberStatus,
    )
    from commonweal.timebank.models import Category, Member, Timebank

    hub = Organisation.objects.create(
        name="Thurrock Timebank hub", slug="bench-hub", kind=OrganisationKind.CVS
    )
    broker = User.objects.create_user("broker@bench.example", "bench-password")
    Membership.objects.create(user=broker, organisation=hub, role=Role.BROKER)
    bank = Timebank.objects.create(
        name="Bench Timebank",
        slug="bench",
        organisation=hub,
        default_min_balance=-10_000_000,
        limit_policy=LimitPolicy.BLOCK,
        confirmation_policy=ConfirmationPolicy.PAYER,
        group_activities_first=0,
    )
    Category.objects.create(name="Gardening", slug="gardening")
    clients = []
    for n in range(CLIENTS):
        payer_user = User.objects.create_user(f"payer{n}@bench.example", "bench-password")
        payer = Member.objects.create(
            timebank=bank, user=payer_user, display_name=f"Payer {n}", status=MemberStatus.ACTIVE
        )
        payer_account = ledger.account_open(
            actor=broker, timebank=bank, kind=AccountKind.MEMBER, member=payer
        )
        helpers = []
        for h in range(HELPERS_PER_CLIENT):
            user = User.objects.create_user(f"helper{n}-{h}@bench.example", "bench-password")
            member = Member.objects.create(
                timebank=bank, user=user, display_name=f"Helper {n}-{h}", status="active"
            )
            helpers.append(
                ledger.account_open(
                    actor=broker, timebank=bank, kind=AccountKind.MEMBER, member=member
                )
            )
        token = account_services.api_token_create(actor=payer_user, user=payer_user).token
        clients.append(
            {
                "token": token,
                "payer": str(payer_account.public_id),
                "payer_pk": payer_account.pk,
                "helpers": [str(h.public_id) for h in helpers],
                "helper_pks": [h.pk for h in helpers],
            }
        )
    return {"bank_pk": bank.pk, "clients": clients}


def _requests(client: dict[str, Any], seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    today = dt.date.today()  # noqa: DTZ011 - the server's local date is what the API compares with
    bodies = []
    for i in range(PER_CLIENT):
        bodies.append(
            {
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "payer": client["payer"],
                "payee": rng.choice(client["helpers"]),
                "minutes": rng.choice([15, 30, 45, 60, 90, 120]),
                "description": f"Help number {i}: shopping, lifts, gardening",
                "service_date": (today - dt.timedelta(days=rng.randint(0, 30))).isoformat(),
                "category": "gardening" if i % 3 == 0 else None,
            }
        )
    return bodies


def _serve(port: int, data_dir: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "commonweal.settings.test",
            "DATABASE_URL": DATABASE_URL,
            "COMMONWEAL_DATA_DIR": str(data_dir),
            "PYTHONPATH": str(ROOT),
        }
    )
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "commonweal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "gthread",
            "--threads",
            str(THREADS),
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


def _client(
    port: int,
    client: dict[str, Any],
    bodies: list[dict[str, Any]],
    out: dict[str, Any],
    start: threading.Barrier,
) -> None:
    headers = {
        "Authorization": f"Bearer {client['token']}",
        "Content-Type": "application/json",
        "Connection": "keep-alive",
    }
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    statuses: dict[int, int] = {}
    wrong: list[str] = []
    latencies: list[float] = []
    connects = 1

    def post(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        nonlocal connection, connects
        payload = json.dumps(body)
        for attempt in range(2):
            try:
                connection.request("POST", "/api/timebank/exchanges", payload, headers)
                response = connection.getresponse()
                return response.status, json.loads(response.read())
            except (http.client.HTTPException, OSError):
                if attempt:
                    raise
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                connects += 1
        raise AssertionError("unreachable")

    start.wait()  # every client starts at once, as the floor's threads do
    for i, body in enumerate(bodies):
        started = time.perf_counter()
        status, answer = post(body)
        latencies.append((time.perf_counter() - started) * 1000)
        statuses[status] = statuses.get(status, 0) + 1
        if status != 201 or answer.get("id") != body["id"] or answer.get("state") != "committed":
            wrong.append(f"first send {body['id']}: {status} {answer}")
        if i % RETRY_EVERY == RETRY_EVERY - 1:
            status, answer = post(body)
            statuses[status] = statuses.get(status, 0) + 1
            if status != 200 or answer.get("id") != body["id"]:
                wrong.append(f"retry {body['id']}: {status} {answer}")
    connection.close()
    out.update(statuses=statuses, wrong=wrong, latencies=latencies, connects=connects)


FLOOR_SCHEMA = [
    "DROP TABLE IF EXISTS floor_entry",
    "DROP TABLE IF EXISTS floor_transaction",
    """CREATE TABLE floor_transaction (
        id bigserial PRIMARY KEY, public_id uuid UNIQUE NOT NULL, created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL, timebank_id bigint NOT NULL, kind varchar(16) NOT NULL,
        state varchar(16) NOT NULL, description text NOT NULL, category_id bigint,
        service_date date NOT NULL, recorded_by_id bigint NOT NULL, request_digest varchar(64) NOT NULL,
        committed_at timestamptz)""",
    """CREATE TABLE floor_entry (
        id bigserial PRIMARY KEY,
        transaction_id bigint NOT NULL REFERENCES floor_transaction (id) DEFERRABLE INITIALLY DEFERRED,
        account_id bigint NOT NULL, amount_minutes bigint NOT NULL CHECK (amount_minutes <> 0),
        UNIQUE (transaction_id, account_id))""",
    "CREATE INDEX floor_entry_account ON floor_entry (account_id, transaction_id)",
]

INSERT_TX = (
    "INSERT INTO floor_transaction (public_id, created_at, updated_at, timebank_id, kind, state, "
    "description, category_id, service_date, recorded_by_id, request_digest, committed_at) "
    "VALUES (%s, now(), now(), %s, 'exchange', 'committed', %s, NULL, %s, 1, '', now()) RETURNING id"
)
INSERT_ENTRY = (
    "INSERT INTO floor_entry (transaction_id, account_id, amount_minutes) VALUES (%s, %s, %s)"
)


def _floor_rows(setup: dict[str, Any], all_bodies: list[list[dict[str, Any]]]) -> list[list[Any]]:
    rows = []
    for client, bodies in zip(setup["clients"], all_bodies, strict=True):
        helper_pk = dict(zip(client["helpers"], client["helper_pks"], strict=True))
        for body in bodies:
            rows.append(
                [
                    uuid.uuid4(),
                    setup["bank_pk"],
                    body["description"],
                    body["service_date"],
                    client["payer_pk"],
                    helper_pk[body["payee"]],
                    body["minutes"],
                ]
            )
    return rows


def _floor_per_exchange(rows: list[list[Any]]) -> float:
    """8 threads, one connection each, one database transaction per exchange. Returns seconds."""
    import psycopg

    chunks = [rows[i::CLIENTS] for i in range(CLIENTS)]
    start = threading.Barrier(CLIENTS + 1)
    errors: list[str] = []

    def insert(chunk: list[list[Any]]) -> None:
        try:
            with psycopg.connect(DATABASE_URL) as connection:
                start.wait()
                for public_id, bank, description, day, payer, payee, minutes in chunk:
                    with connection.transaction(), connection.cursor() as cursor:
                        cursor.execute(INSERT_TX, (public_id, bank, description, day))
                        row = cursor.fetchone()
                        assert row is not None
                        cursor.executemany(
                            INSERT_ENTRY, [(row[0], payer, -minutes), (row[0], payee, minutes)]
                        )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=insert, args=(chunk,)) for chunk in chunks]
    for thread in threads:
        thread.start()
    start.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"floor inserts failed: {errors[:3]}")
    return elapsed


def _floor_copy(rows: list[list[Any]]) -> float:
    import psycopg

    with psycopg.connect(DATABASE_URL) as connection:
        for statement in FLOOR_SCHEMA:
            connection.execute(statement)
        connection.commit()
        started = time.perf_counter()
        with connection.cursor() as cursor:
            with cursor.copy(
                "COPY floor_transaction (id, public_id, created_at, updated_at, timebank_id, kind, "
                "state, description, service_date, recorded_by_id, request_digest, committed_at) "
                "FROM STDIN"
            ) as copy:
                for n, (public_id, bank, description, day, *_rest) in enumerate(rows, 1):
                    copy.write_row(
                        (n, public_id, "now", "now", bank, "exchange", "committed")
                        + (description, day, 1, "", "now")
                    )
            with cursor.copy(
                "COPY floor_entry (transaction_id, account_id, amount_minutes) FROM STDIN"
            ) as copy:
                for n, (_id, _bank, _text, _day, payer, payee, minutes) in enumerate(rows, 1):
                    copy.write_row((n, payer, -minutes))
                    copy.write_row((n, payee, minutes))
        connection.commit()
        elapsed = time.perf_counter() - started
        for statement in FLOOR_SCHEMA:
            connection.execute(statement)
        connection.commit()
    return elapsed


def run() -> list[str]:
    _database_fresh(DATABASE_URL)
    data_dir = Path(tempfile.mkdtemp(prefix="commonweal-bench-timebank-"))
    django_setup(database_url=DATABASE_URL, data_dir=str(data_dir))
    from django.db import connection

    from commonweal.timebank.models import Entry, Transaction
    from commonweal.timebank.selectors import ledger_reconcile

    setup = _set_up()
    all_bodies = [_requests(client, seed=n) for n, client in enumerate(setup["clients"])]
    connection.close()

    port = _free_port()
    server = _serve(port, data_dir)
    outputs: list[dict[str, Any]] = [{} for _ in range(CLIENTS)]
    try:
        start = threading.Barrier(CLIENTS + 1)
        threads = [
            threading.Thread(target=_client, args=(port, client, bodies, out, start))
            for client, bodies, out in zip(setup["clients"], all_bodies, outputs, strict=True)
        ]
        for thread in threads:
            thread.start()
        start.wait()
        started = time.perf_counter()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)

    sent_ids = {body["id"] for bodies in all_bodies for body in bodies}
    exchanges = len(sent_ids)
    retries = sum(1 for bodies in all_bodies for i, _ in enumerate(bodies) if i % RETRY_EVERY == 19)
    statuses: dict[int, int] = {}
    for out in outputs:
        for status, count in out.get("statuses", {}).items():
            statuses[status] = statuses.get(status, 0) + count
    wrong = [line for out in outputs for line in out.get("wrong", [])]
    latencies = [ms for out in outputs for ms in out.get("latencies", [])]
    connects = sum(out.get("connects", 0) for out in outputs)

    report = ledger_reconcile()
    recorded = Transaction.objects.count()
    distinct_recorded = Transaction.objects.values("public_id").distinct().count()
    matched = Transaction.objects.filter(public_id__in=sent_ids).count()
    entries = Entry.objects.count()
    duplicates = recorded - exchanges
    rate = exchanges / elapsed

    rows = _floor_rows(setup, all_bodies)
    copy_seconds = _floor_copy(rows)
    with connection.cursor() as cursor:
        for statement in FLOOR_SCHEMA:
            cursor.execute(statement)
    floor_seconds = _floor_per_exchange(rows)
    floor_rate = len(rows) / floor_seconds
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE floor_entry; DROP TABLE floor_transaction")
    ratio = rate / floor_rate

    sound = report.sound and not wrong and duplicates == 0 and matched == exchanges
    return [
        f"server: gunicorn gthread, {WORKERS} workers x {THREADS} threads, PostgreSQL "
        f"({DATABASE_URL.rsplit('/', 1)[1]})",
        f"API: {CLIENTS} clients x {PER_CLIENT} exchanges = {exchanges} exchanges, plus {retries} "
        f"retried requests (same id and body), {connects} connection(s) in all",
        f"API: {elapsed:.2f} s -> {rate:.0f} exchanges/s; per request p50 "
        f"{percentile(latencies, 0.5):.1f} ms, p95 {percentile(latencies, 0.95):.1f} ms",
        f"answers: {dict(sorted(statuses.items()))} (201 first sends, 200 retries); "
        f"{len(wrong)} unexpected",
        *[f"   unexpected: {line}" for line in wrong[:5]],
        f"ledger: {recorded} transactions ({distinct_recorded} distinct ids, {matched} of the "
        f"{exchanges} ids sent), {entries} entries; duplicates {duplicates}",
        f"reconciliation: {report.accounts_checked} accounts, {report.transactions_checked} "
        f"transactions, {len(report.breaks)} break(s)",
        *[f"   break: {line}" for line in report.breaks[:5]],
        f"floor: raw inserts of the same rows, {CLIENTS} threads, one commit per exchange: "
        f"{floor_seconds:.2f} s -> {floor_rate:.0f} exchanges/s",
        f"(for scale: one COPY of all {len(rows)} transactions and {2 * len(rows)} entries: "
        f"{copy_seconds:.3f} s -> {len(rows) / copy_seconds:.0f} exchanges/s)",
        f"ratio API/floor: {ratio:.2f} (target at least {TARGET_RATIO:.2f}) -> "
        f"{verdict(ratio >= TARGET_RATIO)}",
        f"invariants and duplicates: {'0 breaks, 0 duplicates' if sound else 'BROKEN'} -> "
        f"{'PASS' if sound else 'FAIL'}",
    ]


if __name__ == "__main__":
    print("\n".join(run()))
