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


def test_applications_funded_ideas_and_money_awarded_by_outcome_and_by_fund(client):
    from commonweal.grants.services.awards import award_make

    innovation = f.open_round()
    [first_outcome, second_outcome] = list(innovation.outcomes.order_by("name"))
    sparks = f.small_sparks_round()
    # Small Sparks aims at the first outcome only, and scores nothing else.
    sparks.outcomes.set([first_outcome])
    Criterion.objects.filter(round=sparks, kind="outcome").exclude(outcome=first_outcome).delete()
    officer = f.officer()
    larder = f.ready_canvas(innovation, amount="2000", title="Larder")
    refused = f.ready_canvas(innovation, amount="900", title="Refused")
    decided = f.ready_canvas(innovation, amount="700", title="Decided")
    bulbs = f.ready_canvas(sparks, amount="250", hours="30", title="Bulbs")
    for canvas, outcome, amount in (
        (larder, "funded", "2000"),
        (refused, "not_funded", "0"),
        (decided, "funded", "700"),
        (bulbs, "funded", "250"),
    ):
        decision_make(
            actor=officer,
            canvas=canvas,
            outcome=outcome,
            amount=Decimal(amount),
            reasons="r",
            feedback="f",
        )
    today = timezone.localdate()
    for canvas in (larder, bulbs):  # "Decided" waits for its award.
        award_make(
            actor=officer,
            canvas=Canvas.objects.get(pk=canvas.pk),
            starts_on=today,
            ends_on=today + datetime.timedelta(days=90),
        )

    report = grants_report()
    funds = {row.label: row for row in report["funds"]}
    innovation_row = funds[innovation.fund.name]
    assert (innovation_row.sent_in, innovation_row.funded, innovation_row.not_funded) == (3, 2, 1)
    assert innovation_row.money == Decimal("2700") and innovation_row.awarded == Decimal("2000")
    sparks_row = funds[sparks.fund.name]
    assert (sparks_row.sent_in, sparks_row.funded, sparks_row.awarded) == (1, 1, Decimal("250"))
    outcomes = {row["name"]: row for row in report["outcomes"]}
    # The first outcome is aimed at by both rounds, the second by the innovation round only.
    first, second = outcomes[first_outcome.name], outcomes[second_outcome.name]
    assert (first["sent_in"], first["funded"], first["awarded"]) == (4, 3, Decimal("2250"))
    assert (second["sent_in"], second["funded"], second["awarded"]) == (3, 2, Decimal("2000"))
    only_sparks = {row.label for row in grants_report(fund=sparks.fund)["funds"]}
    assert only_sparks == {sparks.fund.name}

    client.force_login(officer)
    page = client.get(reverse("grants:reports")).content.decode()
    assert 'data-chart="money-by-fund"' in page and 'data-chart="money-by-outcome"' in page
    assert f"{innovation.fund.name}: £2,000.00" in page  # the chart's words for screen readers
    assert "£2,250.00" in page
    by_fund = list(
        csv.DictReader(
            io.StringIO(
                client.get(reverse("grants:reports"), {"format": "fund-csv"}).content.decode()
            )
        )
    )
    row = next(r for r in by_fund if r["name"] == innovation.fund.name)
    assert (row["sent_in"], row["funded"], row["money_decided"], row["money_awarded"]) == (
        "3",
        "2",
        "2700.00",
        "2000.00",
    )
    by_outcome = list(
        csv.DictReader(
            io.StringIO(
                client.get(reverse("grants:reports"), {"format": "outcome-csv"}).content.decode()
            )
        )
    )
    row = next(r for r in by_outcome if r["outcome"] == first_outcome.name)
    assert (row["sent_in"], row["funded"], row["money_awarded"]) == ("4", "3", "2250.00")
    client.force_login(UserFactory())
    assert client.get(reverse("grants:reports"), {"format": "fund-csv"}).status_code == 403
