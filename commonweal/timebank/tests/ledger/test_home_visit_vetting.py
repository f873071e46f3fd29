"""Home visits go by the provider's LATEST enhanced DBS check: the ledger and the member's page agree."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from commonweal.timebank.constants import TransactionState, VettingKind, VettingOutcome
from commonweal.timebank.member_selectors import home_visit_vetting_clear, vetting_status_words
from commonweal.timebank.models import VettingRecord
from commonweal.timebank.tests.ledger.factories import enhanced_dbs
from commonweal.timebank.tests.ledger.helpers import record

pytestmark = pytest.mark.django_db

CAN_VISIT = "You can give help in people's homes."


def newer_check(member, *, by, outcome, checked_on, kind=VettingKind.DBS_ENHANCED):
    return VettingRecord.objects.create(
        member=member,
        kind=kind,
        outcome=outcome,
        checked_on=checked_on,
        expires_on=checked_on + dt.timedelta(days=3 * 365),
        recorded_by=by,
    )


@pytest.mark.parametrize("outcome", [VettingOutcome.CONCERNS, VettingOutcome.PENDING])
@pytest.mark.parametrize("kind", [VettingKind.DBS_ENHANCED, VettingKind.DBS_ENHANCED_BARRED])
def test_a_newer_check_that_is_not_clear_takes_home_visit_clearance_away(
    broker, alice, bob, today, outcome, kind
):
    enhanced_dbs(bob.member, by=broker, checked_on=today - dt.timedelta(days=400), expires_on=None)
    assert home_visit_vetting_clear(member=bob.member)
    assert CAN_VISIT in vetting_status_words(member=bob.member)

    newer_check(
        bob.member, by=broker, outcome=outcome, kind=kind, checked_on=today - dt.timedelta(days=3)
    )

    assert not home_visit_vetting_clear(member=bob.member)
    assert CAN_VISIT not in vetting_status_words(member=bob.member)
    tx = record(alice.member.user, alice, bob, 60, home_visit=True)
    assert tx.state == TransactionState.AWAITING_BROKER
    assert "enhanced DBS" in tx.needs_broker_because


def test_a_clear_check_after_concerns_gives_clearance_back(client, broker, alice, bob, today):
    newer_check(
        bob.member,
        by=broker,
        outcome=VettingOutcome.CONCERNS,
        checked_on=today - dt.timedelta(days=200),
    )
    assert record(alice.member.user, alice, bob, 60, home_visit=True).state == "awaiting_broker"

    enhanced_dbs(bob.member, by=broker, checked_on=today - dt.timedelta(days=2), expires_on=None)

    assert record(alice.member.user, alice, bob, 60, home_visit=True).state == "committed"
    client.force_login(bob.member.user)
    page = client.get(reverse("timebank:dashboard")).content.decode()
    assert CAN_VISIT.replace("'", "&#x27;") in page
