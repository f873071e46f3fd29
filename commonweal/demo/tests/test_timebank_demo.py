"""The demo timebank: what it holds, that loading again adds nothing, that the ledger reconciles, that
members were made through the timebank's services, that the gift board is alive (posts, suggestions,
connections made), and that the demo's broker sees the funders' report while its member does not."""

from __future__ import annotations

import datetime
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.constants import ConsentPurpose
from commonweal.accounts.models import ConsentRecord, User
from commonweal.core.models import AuditEntry
from commonweal.demo.borough import DEMO_EMAIL_DOMAIN
from commonweal.demo.timebank import TIMEBANK_SLUG
from commonweal.timebank import matching, reports
from commonweal.timebank.constants import (
    AccountKind,
    ConnectionStatus,
    GiftType,
    MemberStatus,
    PostKind,
    TransactionKind,
    TransactionState,
    VettingKind,
)
from commonweal.timebank.models import (
    Account,
    Category,
    Connection,
    Entry,
    GiftPost,
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
        GiftPost.objects.filter(timebank=timebank).count(),
        sorted(Connection.objects.filter(post__timebank=timebank).values_list("pk", "status")),
        ConsentRecord.objects.count(),
        AuditEntry.objects.filter(kind__startswith="timebank.").count(),
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


def test_members_joined_through_the_timebank_services_with_consent_vetting_and_restrictions(demo):
    members = Member.objects.filter(timebank=demo)
    with_login = members.filter(user__isnull=False)
    # Every member with a login applied (their consent, word for word) and a broker decided.
    consented = set(
        ConsentRecord.objects.filter(
            purpose=ConsentPurpose.TIMEBANK, user__isnull=False
        ).values_list("user_id", flat=True)
    )
    assert set(with_login.values_list("user_id", flat=True)) <= consented
    approved = AuditEntry.objects.filter(kind="timebank.member_approved")
    assert approved.count() >= members.filter(status=MemberStatus.ACTIVE).count()
    assert not members.filter(status=MemberStatus.ACTIVE, joined_on__isnull=True).exists()
    # Joining dates are spread over the years, not all today.
    assert members.values("joined_on").distinct().count() >= 30
    # Proxy members' consent was given through the broker.
    assert (
        ConsentRecord.objects.filter(
            purpose=ConsentPurpose.TIMEBANK, user__isnull=True, given_by_proxy__gt=""
        ).count()
        >= members.filter(is_proxy=True).count()
    )
    # Vetting was recorded by the broker, with audit entries.
    assert AuditEntry.objects.filter(kind="timebank.vetting_recorded").count() == (
        VettingRecord.objects.filter(member__timebank=demo).count()
    )
    # Restrictions, each with a broker's note and an audit entry.
    restricted = members.filter(no_home_visits=True) | members.filter(accompanied_only=True)
    assert members.filter(no_home_visits=True).exists()
    assert members.filter(accompanied_only=True).exists()
    assert members.filter(vulnerable=True).count() >= 3
    assert all(member.restriction_note for member in restricted)
    assert AuditEntry.objects.filter(kind="timebank.member_restrictions_changed").count() >= 5


def test_the_gift_board_is_alive_with_posts_suggestions_and_connections(demo, client):
    live = GiftPost.objects.live().filter(timebank=demo)
    offers = live.filter(kind=PostKind.OFFER, is_goods=False)
    needs = live.filter(kind=PostKind.NEED, is_goods=False)
    goods = live.filter(is_goods=True)
    assert offers.count() >= 15
    assert needs.count() >= 8
    assert goods.filter(kind=PostKind.OFFER).count() >= 4
    assert goods.filter(kind=PostKind.NEED).exists()
    assert set(offers.values_list("gift_type", flat=True)) == set(GiftType.values)
    assert live.values("category").distinct().count() >= 10
    assert live.exclude(ward=None).values("ward").distinct().count() >= 8
    assert offers.filter(home_visit=True).exists()
    hub = live.filter(organisation__slug="demo-grays-riverside-community-hub")
    assert hub.filter(kind=PostKind.OFFER).exists() and hub.filter(kind=PostKind.NEED).exists()

    made = Connection.objects.filter(post__timebank=demo, status=ConnectionStatus.CONNECTED)
    assert made.count() >= 5
    assert made.filter(via_hub=True).exists()
    assert Connection.objects.filter(post__timebank=demo, status=ConnectionStatus.ACCEPTED).exists()
    assert all(c.their_post is not None for c in made)

    # Every need with a category someone offers has suggestions; none offers help at home to a
    # member who must not have home visits.
    assert sum(1 for need in needs if matching.match_suggestions(need)) >= needs.count() - 1
    restricted_needs = needs.filter(member__no_home_visits=True)
    assert restricted_needs.exists()
    for need in restricted_needs:
        suggested = matching.match_suggestions(need)
        assert suggested
        assert all(not s.post.home_visit for s in suggested)
    assert offers.filter(category=restricted_needs[0].category, home_visit=True).exists()

    # Mo, the demo member, sees suggestions on his own need.
    mo = User.objects.get(email=f"member@{DEMO_EMAIL_DOMAIN}")
    mine = needs.get(member__user=mo)
    client.force_login(mo)
    page = client.get(reverse("timebank:giftboard_post", args=[mine.public_id]))
    assert page.status_code == 200
    assert page.context["suggestions"]
    board = client.get(reverse("timebank:giftboard") + "?kind=goods")
    assert board.status_code == 200
    assert "Pine single bed frame" in board.content.decode()


def test_the_hubs_group_rep_looks_after_its_account_and_others_cannot(demo, client):
    hub = Account.objects.get(
        timebank=demo,
        kind=AccountKind.ORGANISATION,
        organisation__slug="demo-grays-riverside-community-hub",
    )
    url = reverse("timebank:organisation_account", args=[demo.slug, hub.public_id])
    client.force_login(User.objects.get(email=f"grouprep@{DEMO_EMAIL_DOMAIN}"))
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["statement"]
    assert {post.title for post in page.context["posts"]} >= {"Digital drop-in at the hub"}
    client.force_login(User.objects.get(email=f"member@{DEMO_EMAIL_DOMAIN}"))
    assert client.get(url).status_code == 403
