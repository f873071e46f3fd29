"""The demo timebank: what it holds, that loading again adds nothing, that the ledger reconciles, and
that the demo's broker sees the funders' report while its member does not."""

from __future__ import annotations

import datetime
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.models import User
from commonweal.demo.borough import DEMO_EMAIL_DOMAIN
from commonweal.demo.timebank import TIMEBANK_SLUG
from commonweal.timebank import reports
from commonweal.timebank.constants import (
    AccountKind,
    MemberStatus,
    TransactionKind,
    TransactionState,
    VettingKind,
)
from commonweal.timebank.models import (
    Account,
    Category,
    Entry,
    Locality,
    Member,
    Timebank,
    Transaction,
    VettingRecord,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.COMMONWEAL_REQUIRE_STAFF_2FA = False
    call_command("demo_load", stdout=io.StringIO(), stderr=io.StringIO())
    return Timebank.objects.get(slug=TIMEBANK_SLUG)


def ledger_snapshot(timebank):
    return (
        Member.objects.filter(timebank=timebank).count(),
        Account.objects.filter(timebank=timebank).count(),
        Transaction.objects.filter(timebank=timebank).count(),
        Entry.objects.filter(transaction__timebank=timebank).count(),
        VettingRecord.objects.filter(member__timebank=timebank).count(),
        User.objects.count(),
        sorted(Account.objects.filter(timebank=timebank).values_list("pk", "cached_balance")),
    )


def test_the_demo_timebank_has_members_organisations_and_a_year_of_exchanges(demo):
    today = timezone.localdate()
    assert demo.organisation.slug == "demo-cvs"
    assert Locality.objects.filter(timebank=demo).count() == 5
    assert all(locality.wards.exists() for locality in Locality.objects.filter(timebank=demo))
    assert {"gardening", "it-help", "furniture", "clothes"} <= set(
        Category.objects.values_list("slug", flat=True)
    )
    members = Member.objects.filter(timebank=demo)
    assert members.filter(status=MemberStatus.ACTIVE).count() >= 60
    assert (
        members.filter(is_proxy=True, proxy_broker__email=f"broker@{DEMO_EMAIL_DOMAIN}").count()
        >= 3
    )
    assert members.values("ward").distinct().count() >= 15
    soon = today + datetime.timedelta(days=60)
    expiring = VettingRecord.objects.filter(
        member__timebank=demo, kind=VettingKind.DBS_ENHANCED, expires_on__lte=soon
    )
    assert expiring.count() >= 3
    organisations = Account.objects.filter(timebank=demo, kind=AccountKind.ORGANISATION)
    assert {a.organisation.slug for a in organisations} == {
        "demo-chadwell-primary",
        "demo-grays-riverside-community-hub",
    }
    assert (
        Account.objects.filter(timebank=demo, kind=AccountKind.COMMUNITY_POT).get().cached_balance
        > 0
    )

    transactions = Transaction.objects.filter(timebank=demo)
    states = Counter((t.kind, t.state) for t in transactions)
    assert states[(TransactionKind.EXCHANGE, TransactionState.COMMITTED)] >= 200
    assert states[(TransactionKind.GROUP, TransactionState.COMMITTED)] >= 40
    assert states[(TransactionKind.DONATION, TransactionState.COMMITTED)] >= 3
    assert states[(TransactionKind.REVERSAL, TransactionState.COMMITTED)] == 2
    assert states[(TransactionKind.EXCHANGE, TransactionState.PENDING)] >= 2
    assert states[(TransactionKind.EXCHANGE, TransactionState.AWAITING_BROKER)] >= 2
    assert all(t.reason for t in transactions.filter(kind=TransactionKind.REVERSAL))
    # A year: the exchanges cover at least eleven months, none in the future.
    dates = transactions.filter(kind=TransactionKind.EXCHANGE).values_list(
        "service_date", flat=True
    )
    assert min(dates) <= today - datetime.timedelta(days=330)
    assert max(dates) <= today
    # Person to organisation and organisation to person.
    org_entries = Entry.objects.filter(transaction__timebank=demo, account__in=organisations)
    assert org_entries.filter(amount_minutes__lt=0).exists()
    assert org_entries.filter(amount_minutes__gt=0).exists()

    # The demo logins: Mo Member trades, Rosa Resident has applied and waits for a broker.
    mo = Member.objects.get(timebank=demo, user__email=f"member@{DEMO_EMAIL_DOMAIN}")
    assert mo.status == MemberStatus.ACTIVE
    assert Entry.objects.filter(account__member=mo).exists()
    rosa = Member.objects.get(timebank=demo, user__email=f"resident@{DEMO_EMAIL_DOMAIN}")
    assert rosa.status == MemberStatus.APPLIED


def test_loading_again_adds_nothing_and_the_ledger_reconciles(demo):
    before = ledger_snapshot(demo)
    call_command("demo_load", stdout=io.StringIO(), stderr=io.StringIO())
    assert ledger_snapshot(demo) == before

    out = io.StringIO()
    call_command("timebank_reconcile", stdout=out, stderr=io.StringIO())
    assert "The ledger is sound" in out.getvalue()


def test_the_demo_broker_sees_the_funders_report_and_the_member_does_not(demo, client):
    broker = User.objects.get(email=f"broker@{DEMO_EMAIL_DOMAIN}")
    client.force_login(broker)
    response = client.get(reverse("timebank:report_index"))
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    report = page.context["report"]
    hours = next(h.cell for h in report.headlines if h.label == "Hours exchanged")
    assert hours.shown and hours.value > 300
    active = next(h.cell for h in report.headlines if h.label == "Active members")
    assert active.value >= 50
    assert len(report.table("month").rows) == 12
    assert len(report.table("locality").rows) == 5

    client.force_login(User.objects.get(email=f"member@{DEMO_EMAIL_DOMAIN}"))
    assert client.get(reverse("timebank:report", args=[demo.slug])).status_code == 403
    assert reports.timebank_report_list(user=broker) == [demo]
