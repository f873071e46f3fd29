"""The broker console: applications, exchanges waiting for a broker, vetting to renew, inactive
members, recording for someone, freezing, limits, reversals and the members list."""

from __future__ import annotations

import csv
import datetime
import io
import uuid

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from commonweal.timebank import ledger
from commonweal.timebank.constants import (
    AccountStatus,
    LimitPolicy,
    MemberStatus,
    TransactionState,
    VettingKind,
)
from commonweal.timebank.member_selectors import members_inactive, vetting_expiring
from commonweal.timebank.models import Account, AccountLimitChange, Member, Transaction
from commonweal.timebank.tests.factories import (
    ApplicantFactory,
    VettingRecordFactory,
    account_of,
    member_with_account,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


def console(timebank):
    return reverse("timebank:broker", args=[timebank.slug])


def exchange(actor, payer, payee, minutes=60, service_date=None, **kwargs):
    transaction, _ = ledger.exchange_record(
        actor=actor,
        client_id=uuid.uuid4(),
        payer=payer,
        payee=payee,
        minutes=minutes,
        description=kwargs.pop("description", "Helped with shopping"),
        service_date=service_date or timezone.localdate(),
        **kwargs,
    )
    return transaction


def test_a_broker_of_another_timebank_or_a_member_is_refused(client, timebank, other_broker):
    member = member_with_account(timebank)
    urls = [
        console(timebank),
        reverse("timebank:member_list", args=[timebank.slug]),
        reverse("timebank:member_list_csv", args=[timebank.slug]),
        reverse("timebank:member_detail", args=[timebank.slug, member.public_id]),
        reverse("timebank:member_statement", args=[timebank.slug, member.public_id]),
        reverse("timebank:vetting_add", args=[timebank.slug, member.public_id]),
        reverse("timebank:broker_record", args=[timebank.slug]),
        reverse("timebank:proxy_create", args=[timebank.slug]),
        reverse("timebank:account_status", args=[timebank.slug, account_of(member).public_id]),
    ]
    for user in (other_broker, member.user):
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 403, (user, url)
            assert "Only the brokers of Thurrock Timebank" in response.content.decode()


def test_a_member_of_timebank_b_is_not_found_through_timebank_a(
    client, timebank, other_timebank, broker
):
    theirs = member_with_account(other_timebank)
    client.force_login(broker)
    for name in ("member_detail", "member_statement", "vetting_add"):
        url = reverse(f"timebank:{name}", args=[timebank.slug, theirs.public_id])
        assert client.get(url).status_code == 404, name
    url = reverse("timebank:account_status", args=[timebank.slug, account_of(theirs).public_id])
    assert client.get(url).status_code == 404
    assert (
        theirs.display_name
        not in client.get(reverse("timebank:member_list", args=[timebank.slug])).content.decode()
    )


def test_application_to_approval_to_account_through_the_console(client, timebank, broker):
    applicant = ApplicantFactory(
        timebank=timebank, display_name="Priya", user__email="priya@example.org"
    )
    client.force_login(broker)
    html = client.get(console(timebank)).content.decode()
    assert "Applications to join (1)" in html and "Priya" in html

    detail = client.get(
        reverse("timebank:application_detail", args=[timebank.slug, applicant.public_id])
    )
    assert "A chat over a cup of tea" in detail.content.decode()
    decide = reverse("timebank:application_decide", args=[timebank.slug, applicant.public_id])
    refused = client.post(decide, {"decision": "decline", "reason": ""})
    assert refused.status_code == 400
    assert "Say why, in words the applicant will read." in refused.content.decode()

    response = client.post(decide, {"decision": "approve"})
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.status == MemberStatus.ACTIVE
    assert Account.objects.filter(member=applicant).exists()
    assert mail.outbox[-1].to == ["priya@example.org"]


def test_a_proxy_member_is_added_and_the_broker_records_for_them(client, timebank, broker):
    client.force_login(broker)
    response = client.post(
        reverse("timebank:proxy_create", args=[timebank.slug]),
        {
            "display_name": "Doris",
            "locality": timebank.localities.get(name="Tilbury").pk,
            "contact_notes": "Landline, mornings",
            "agreed": "on",
        },
    )
    assert response.status_code == 302
    doris = Member.objects.get(display_name="Doris")
    assert doris.is_proxy and doris.proxy_broker == broker and doris.user is None
    helper = member_with_account(timebank, display_name="Hassan")

    data = {
        "client_id": str(uuid.uuid4()),
        "payer": account_of(doris).pk,
        "payee": account_of(helper).pk,
        "for_whom": "payer",
        "hours": "1",
        "minutes": "30",
        "service_date": timezone.localdate().isoformat(),
        "description": "Changed a light bulb and had a cuppa",
    }
    response = client.post(reverse("timebank:broker_record", args=[timebank.slug]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    transaction = Transaction.objects.get()
    assert transaction.recorded_by == broker
    assert transaction.on_behalf_of == doris
    assert transaction.state == TransactionState.COMMITTED
    assert account_of(helper).cached_balance == 90
    assert account_of(doris).cached_balance == -90
    # Recording the same form again (a double click) does not record it twice.
    client.post(reverse("timebank:broker_record", args=[timebank.slug]), data)
    assert Transaction.objects.count() == 1


def test_the_record_for_someone_form_keeps_input_on_errors(client, timebank, broker):
    one = member_with_account(timebank)
    client.force_login(broker)
    response = client.post(
        reverse("timebank:broker_record", args=[timebank.slug]),
        {
            "client_id": str(uuid.uuid4()),
            "payer": account_of(one).pk,
            "payee": account_of(one).pk,
            "for_whom": "payer",
            "hours": "2",
            "minutes": "45",
            "service_date": timezone.localdate().isoformat(),
            "description": "Dog walking",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Dog walking</textarea>" in html
    assert 'value="2"' in html and '<option value="45" selected>' in html
    assert not Transaction.objects.exists()


def test_exchanges_waiting_for_a_broker_show_the_reason_and_can_be_approved(
    client, timebank, broker
):
    timebank.limit_policy = LimitPolicy.APPROVAL
    timebank.default_min_balance = -60
    timebank.save()
    payer = member_with_account(timebank, display_name="Rita")
    payee = member_with_account(timebank, display_name="Hassan")
    transaction = exchange(payer.user, account_of(payer), account_of(payee), minutes=120)
    assert transaction.state == TransactionState.AWAITING_BROKER
    client.force_login(broker)
    html = client.get(console(timebank)).content.decode()
    assert "Exchanges waiting for a broker (1)" in html
    assert transaction.needs_broker_because.split(".")[0][:40] in html.replace("&#x27;", "'")

    url = reverse("timebank:exchange_approve", args=[timebank.slug, transaction.public_id])
    client.post(url, {"decision": "approve"})
    transaction.refresh_from_db()
    assert transaction.state == TransactionState.COMMITTED
    assert account_of(payee).cached_balance == 120


def test_the_vetting_list_shows_checks_expired_or_running_out_within_60_days(timebank):
    member = member_with_account(timebank, display_name="Amara")
    renewed = member_with_account(timebank, display_name="Ben")
    later = member_with_account(timebank, display_name="Cat")
    old = datetime.date(2023, 1, 1)
    expired = VettingRecordFactory(
        member=member, checked_on=old, expires_on=TODAY - datetime.timedelta(days=1)
    )
    soon = VettingRecordFactory(
        member=member,
        kind=VettingKind.REFERENCE,
        checked_on=old,
        expires_on=TODAY + datetime.timedelta(days=60),
    )
    VettingRecordFactory(
        member=renewed, checked_on=old, expires_on=TODAY - datetime.timedelta(days=5)
    )
    VettingRecordFactory(
        member=renewed,
        checked_on=TODAY - datetime.timedelta(days=10),
        expires_on=TODAY + datetime.timedelta(days=1000),
    )
    VettingRecordFactory(
        member=later, checked_on=old, expires_on=TODAY + datetime.timedelta(days=61)
    )
    VettingRecordFactory(member__timebank__slug="elsewhere", checked_on=old, expires_on=TODAY)

    assert list(vetting_expiring(timebank=timebank, today=TODAY)) == [expired, soon]


def test_the_inactive_list_has_members_with_no_committed_exchange_in_90_days(timebank):
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(days=200)
    quiet = member_with_account(timebank, display_name="Quiet", joined_on=long_ago)
    busy = member_with_account(timebank, display_name="Busy", joined_on=long_ago)
    pending_only = member_with_account(timebank, display_name="Pending", joined_on=long_ago)
    member_with_account(timebank, display_name="New", joined_on=today - datetime.timedelta(days=10))
    helper = member_with_account(timebank, display_name="Helper", joined_on=long_ago)

    exchange(
        busy.user,
        account_of(busy),
        account_of(helper),
        service_date=today - datetime.timedelta(days=30),
    )
    exchange(
        quiet.user,
        account_of(quiet),
        account_of(helper),
        service_date=today - datetime.timedelta(days=85),
    )
    timebank.limit_policy = LimitPolicy.APPROVAL
    timebank.default_min_balance = 0
    timebank.save()
    waiting = exchange(
        pending_only.user, account_of(pending_only), account_of(helper), service_date=today
    )
    assert waiting.state == TransactionState.AWAITING_BROKER

    now = {member.display_name for member in members_inactive(timebank=timebank, today=today)}
    assert now == {
        "Pending"
    }  # a pending exchange is not activity; joining 10 days ago is not idleness
    in_a_week = {
        member.display_name
        for member in members_inactive(timebank=timebank, today=today + datetime.timedelta(days=6))
    }
    assert in_a_week == {"Pending", "Quiet"}  # Quiet's last exchange is then 91 days old


def test_the_console_shows_the_lists_with_a_bounded_number_of_queries(
    client, timebank, broker, django_assert_max_num_queries
):
    long_ago = timezone.localdate() - datetime.timedelta(days=200)
    helper = member_with_account(timebank)
    for number in range(6):
        ApplicantFactory(timebank=timebank)
        member = member_with_account(timebank, joined_on=long_ago)
        VettingRecordFactory(
            member=member,
            expires_on=timezone.localdate() + datetime.timedelta(days=5),
            checked_on=long_ago,
        )
        if number % 2:
            exchange(member.user, account_of(member), account_of(helper))
    client.force_login(broker)
    with django_assert_max_num_queries(25):
        response = client.get(console(timebank))
    html = response.content.decode()
    assert "Applications to join (6)" in html
    assert "within 60 days (6)" in html
    assert "no exchange in 90 days (3)" in html
    with django_assert_max_num_queries(20):
        client.get(reverse("timebank:member_list", args=[timebank.slug]))


def test_freeze_unfreeze_and_limits_need_a_reason_and_are_kept(client, timebank, broker):
    member = member_with_account(timebank)
    account = account_of(member)
    client.force_login(broker)
    url = reverse("timebank:account_status", args=[timebank.slug, account.public_id])
    refused = client.post(url, {"status": AccountStatus.FROZEN, "reason": ""})
    assert refused.status_code == 400
    assert "Give the reason" in refused.content.decode()
    client.post(url, {"status": AccountStatus.FROZEN, "reason": "Concern raised by a neighbour"})
    account.refresh_from_db()
    assert account.status == AccountStatus.FROZEN
    client.post(url, {"status": AccountStatus.OPEN, "reason": "Talked it through"})
    account.refresh_from_db()
    assert account.status == AccountStatus.OPEN

    limits = reverse("timebank:account_limits", args=[timebank.slug, account.public_id])
    bad = client.post(limits, {"min_hours": "5", "max_hours": "", "reason": "Trial"})
    assert bad.status_code == 400
    assert "cannot be above zero" in bad.content.decode()
    assert 'value="5"' in bad.content.decode()
    client.post(limits, {"min_hours": "-20", "max_hours": "40", "reason": "Runs the lunch club"})
    account.refresh_from_db()
    assert (account.min_balance, account.max_balance) == (-1200, 2400)
    change = AccountLimitChange.objects.get()
    assert change.changed_by == broker and change.reason == "Runs the lunch club"


def test_a_broker_reverses_an_exchange_with_a_reason_both_members_see(client, timebank, broker):
    payer = member_with_account(timebank)
    payee = member_with_account(timebank)
    transaction = exchange(payer.user, account_of(payer), account_of(payee), minutes=45)
    client.force_login(broker)
    assert "Reverse" in client.get(console(timebank)).content.decode()
    url = reverse("timebank:exchange_reverse", args=[timebank.slug, transaction.public_id])
    response = client.post(
        url, {"reason": "Recorded against the wrong person", "client_id": str(uuid.uuid4())}
    )
    assert response.status_code == 302
    assert account_of(payee).cached_balance == 0
    client.force_login(payee.user)
    statement = client.get(reverse("timebank:statement", args=[timebank.slug])).content.decode()
    assert "Recorded against the wrong person" in statement


def test_vetting_is_recorded_by_a_broker_and_the_form_keeps_input(client, timebank, broker):
    member = member_with_account(timebank, display_name="Amara")
    client.force_login(broker)
    url = reverse("timebank:vetting_add", args=[timebank.slug, member.public_id])
    today = timezone.localdate()
    bad = client.post(
        url,
        {
            "kind": VettingKind.DBS_ENHANCED,
            "outcome": "clear",
            "checked_on": today.isoformat(),
            "reference": "",
            "notes": "Seen passport",
        },
    )
    assert bad.status_code == 400
    assert "Enter the DBS certificate number." in bad.content.decode()
    assert "Seen passport</textarea>" in bad.content.decode()
    client.post(
        url,
        {
            "kind": VettingKind.DBS_ENHANCED,
            "outcome": "clear",
            "checked_on": today.isoformat(),
            "expires_on": (today + datetime.timedelta(days=1095)).isoformat(),
            "reference": "001234",
        },
    )
    detail = client.get(
        reverse("timebank:member_detail", args=[timebank.slug, member.public_id])
    ).content.decode()
    assert "001234" in detail
    # The member sees a plain summary, never the certificate number; other members see nothing.
    client.force_login(member.user)
    own = client.get(reverse("timebank:dashboard")).content.decode()
    assert "DBS enhanced check: done" in own and "001234" not in own


def test_the_members_list_exports_csv_for_brokers(client, timebank, broker):
    member_with_account(timebank, display_name="=cmd")
    ApplicantFactory(timebank=timebank, display_name="Waiting")
    client.force_login(broker)
    response = client.get(reverse("timebank:member_list_csv", args=[timebank.slug]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Name"
    assert [row[0] for row in rows[1:]] == ["'=cmd"]


def test_an_organisation_is_added_as_an_account_holder_from_the_console(client, timebank, broker):
    from commonweal.accounts.tests.factories import OrganisationFactory

    school = OrganisationFactory(name="Gateway Academy")
    client.force_login(broker)
    client.post(
        reverse("timebank:organisation_add", args=[timebank.slug]), {"organisation": school.pk}
    )
    assert Account.objects.filter(timebank=timebank, organisation=school).exists()
    assert (
        "Gateway Academy"
        in client.get(reverse("timebank:member_list", args=[timebank.slug])).content.decode()
    )
    again = client.post(
        reverse("timebank:organisation_add", args=[timebank.slug]), {"organisation": school.pk}
    )
    assert again.status_code == 400  # it is no longer offered
    assert Account.objects.filter(timebank=timebank, organisation=school).count() == 1
