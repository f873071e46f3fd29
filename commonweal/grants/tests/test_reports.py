"""Reports: ideas and money by round and ward, outcomes, and the days from sending in to decision."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.tests.factories import UserFactory
from commonweal.grants.models import Canvas, Criterion
from commonweal.grants.reports import grants_report
from commonweal.grants.services.panels import decision_make, score_record
from commonweal.grants.tests import factories as f

pytestmark = pytest.mark.django_db


def test_ideas_money_and_days_to_decision_by_round_and_ward(client):
    round_ = f.open_round()
    funded = f.ready_canvas(round_, amount="1200")
    refused = f.ready_canvas(round_, amount="800")
    Canvas.objects.filter(pk=refused.pk).update(ward=funded.ward)
    f.ready_canvas(round_, submit=False)  # a draft is not counted
    officer = f.officer()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=10)):
        decision_make(
            actor=officer,
            canvas=funded,
            outcome="funded",
            amount=Decimal("1200"),
            reasons="r",
            feedback="f",
        )
    with time_machine.travel(timezone.now() + datetime.timedelta(days=20)):
        decision_make(
            actor=officer,
            canvas=refused,
            outcome="not_funded",
            amount=Decimal("0"),
            reasons="r",
            feedback="f",
        )
    report = grants_report()
    [row] = report["rounds"]
    assert (row.sent_in, row.funded, row.not_funded, row.money) == (2, 1, 1, Decimal("1200"))
    assert row.median_days == pytest.approx(15.0, abs=0.1)
    [ward] = report["wards"]
    assert ward.code == funded.ward.code and ward.sent_in == 2
    client.force_login(officer)
    page = client.get(reverse("grants:reports")).content.decode()
    assert "£1,200.00" in page and funded.ward.name in page
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(reverse("grants:reports"), {"format": "csv"}).content.decode())
        )
    )
    assert rows[0]["ward_code"] == funded.ward.code and rows[0]["money_awarded"] == "1200.00"
    client.force_login(UserFactory())
    assert client.get(reverse("grants:reports")).status_code == 403


def test_outcome_scores_are_averaged_over_ideas():
    round_ = f.open_round()
    canvas = f.ready_canvas(round_)
    _panel, [a, b] = f.panel_with(round_, 2)
    outcome_line = Criterion.objects.filter(round=round_, kind="outcome").first()
    score_record(actor=a.user, member=a, canvas=canvas, scores={outcome_line.pk: (1, "")})
    score_record(actor=b.user, member=b, canvas=canvas, scores={outcome_line.pk: (3, "")})
    outcomes = {row["name"]: row for row in grants_report()["outcomes"]}
    assert outcomes[outcome_line.outcome.name]["mean"] == 2.0


def test_follow_up_counts_sponsor_contacts_after_the_decision_for_funded_and_not_funded():
    from commonweal.accounts.constants import Role
    from commonweal.grants.services.sponsors import sponsor_confirm, sponsor_contact_log

    round_ = f.open_round()
    refused = f.ready_canvas(round_, amount="500")
    sponsor = UserFactory(roles=[Role.SPONSOR])
    officer = f.officer()
    sponsor_confirm(actor=officer, canvas=refused, sponsor=sponsor)
    decision_make(
        actor=officer,
        canvas=refused,
        outcome="not_funded",
        amount=Decimal("0"),
        reasons="r",
        feedback="f",
    )
    refused.refresh_from_db()
    before = grants_report()["follow_up"]
    assert {row["label"]: row["followed_up"] for row in before} == {"Funded": 0, "Not funded": 0}
    sponsor_contact_log(
        actor=sponsor,
        canvas=refused,
        happened_on=timezone.localdate(),
        note="Talked about other funds",
    )
    after = {row["label"]: row for row in grants_report()["follow_up"]}
    assert after["Not funded"]["followed_up"] == 1 and after["Not funded"]["with_sponsor"] == 1
