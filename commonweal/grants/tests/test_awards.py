"""Awards and monitoring: letters, payments, reports at set times, reminders, late flags, the match."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.tests.factories import UserFactory
from commonweal.grants.exceptions import GrantRefused
from commonweal.grants.models import Award, MonitoringReport
from commonweal.grants.services.awards import (
    award_make,
    award_match,
    monitoring_reminders_send,
    monitoring_report_submit,
    payment_mark_paid,
)
from commonweal.grants.services.funds import round_update
from commonweal.grants.services.panels import decision_make
from commonweal.grants.tests import factories as f

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 12, 1)
END = datetime.date(2027, 6, 30)


def funded(round_, amount="250", hours="30"):
    canvas = f.ready_canvas(round_, amount=amount, hours=hours)
    decision_make(
        actor=f.officer(),
        canvas=canvas,
        outcome="funded",
        amount=Decimal(amount),
        reasons="r",
        feedback="f",
    )
    canvas.refresh_from_db()
    return canvas


def test_an_award_sends_its_letter_with_payments_reports_and_the_match_kept_apart():
    round_ = f.small_sparks_round()
    canvas = funded(round_)
    mail.outbox.clear()
    award = award_make(
        actor=f.officer(),
        canvas=canvas,
        starts_on=START,
        ends_on=END,
        conditions="Credit the fund on posters.",
        payments=[(START, Decimal("150")), (datetime.date(2027, 3, 1), Decimal("100"))],
    )
    assert award.amount == Decimal("250") and award.hourly_rate == Decimal("12.50")
    assert [r.title for r in award.reports.all()] == ["Progress report", "End of project report"]
    assert (
        "£250.00" in award.letter
        and "30 volunteer hours" in award.letter
        and "£375.00" in award.letter
    )
    assert "Credit the fund on posters." in award.letter
    assert mail.outbox[-1].subject == f"Your award letter: {canvas.title}"
    match = award_match(award)
    assert match["cash"] == Decimal("250") and match["pledged_value"] == Decimal("375.00")


def test_payments_must_add_up_and_awards_need_a_funded_decision():
    round_ = f.small_sparks_round()
    canvas = funded(round_)
    with pytest.raises(GrantRefused, match="add up to the award"):
        award_make(
            actor=f.officer(),
            canvas=canvas,
            starts_on=START,
            ends_on=END,
            payments=[(START, Decimal("100"))],
        )
    unfunded = f.ready_canvas(round_, amount="200", hours="20")
    with pytest.raises(GrantRefused, match="decided to fund"):
        award_make(actor=f.officer(), canvas=unfunded, starts_on=START, ends_on=END)
    assert not Award.objects.exists()


def test_over_budget_awards_are_refused_and_nothing_is_saved():
    round_ = f.open_round(budget="3000", max_award="2000")
    first = funded(round_, amount="2000", hours="0")
    second = funded(round_, amount="1000", hours="0")
    award_make(actor=f.officer(), canvas=first, starts_on=START, ends_on=END)
    # The budget is cut after the decisions (but not below what was decided); the award is refused.
    round_update(
        actor=None,
        round_=round_,
        name=round_.name,
        description="",
        opens_at=round_.opens_at,
        closes_at=round_.closes_at,
        budget=Decimal("3000"),
        max_award=Decimal("900"),
        wards=[],
        outcomes=[],
        match_rule="none",
        hourly_rate=Decimal("0"),
        disagreement_threshold=2,
    )
    with pytest.raises(GrantRefused, match="largest award"):
        award_make(actor=f.officer(), canvas=second, starts_on=START, ends_on=END)
    # Even if the round's money changed outside the pages, an award never goes past the budget.
    type(round_).objects.filter(pk=round_.pk).update(
        budget=Decimal("2500"), max_award=Decimal("2000")
    )
    with pytest.raises(GrantRefused, match="Over budget: £500.00 of the round's £2,500.00 is left"):
        award_make(actor=f.officer(), canvas=second, starts_on=START, ends_on=END)
    assert (
        Award.objects.count() == 1
        and not MonitoringReport.objects.filter(award__canvas=second).exists()
    )


def test_the_group_sends_its_report_and_the_delivered_hours_count_against_the_pledge(client):
    round_ = f.small_sparks_round()
    canvas = funded(round_)
    award = award_make(actor=f.officer(), canvas=canvas, starts_on=START, ends_on=END)
    report = award.reports.last()
    client.force_login(canvas.created_by)
    response = client.post(
        reverse("grants:report_submit", args=[report.public_id]),
        {"what_happened": "We planted 400 bulbs with the school", "volunteer_hours": "34"},
    )
    assert response.url == reverse("grants:award_detail", args=[award.public_id])
    match = award_match(award)
    assert (
        match["delivered_hours"] == Decimal("34")
        and match["met"]
        and match["delivered_value"] == Decimal("425.00")
    )
    with pytest.raises(GrantRefused, match="already been sent"):
        monitoring_report_submit(
            actor=canvas.created_by,
            report=report,
            what_happened="x",
            outcomes=[],
            volunteer_hours=Decimal("1"),
        )
    with pytest.raises(GrantRefused, match="Only the group"):
        monitoring_report_submit(
            actor=UserFactory(),
            report=award.reports.first(),
            what_happened="x",
            outcomes=[],
            volunteer_hours=Decimal("1"),
        )
    page = client.get(reverse("grants:award_detail", args=[award.public_id])).content.decode()
    assert "34 of 30 hours pledged delivered" in page and "Match met" in page


def test_reminders_go_before_and_after_the_due_date_at_most_weekly_and_late_reports_are_flagged(
    client,
):
    round_ = f.small_sparks_round()
    canvas = funded(round_)
    award = award_make(actor=f.officer(), canvas=canvas, starts_on=START, ends_on=END)
    report = award.reports.first()
    mail.outbox.clear()
    assert monitoring_reminders_send(today=report.due_on - datetime.timedelta(days=30)) == 0
    with time_machine.travel(
        timezone.make_aware(datetime.datetime.combine(report.due_on, datetime.time(9)))
        - datetime.timedelta(days=3)
    ):
        assert monitoring_reminders_send() == 1
        assert monitoring_reminders_send() == 0
    assert "due soon" in mail.outbox[-1].subject
    with time_machine.travel(
        timezone.make_aware(datetime.datetime.combine(report.due_on, datetime.time(9)))
        + datetime.timedelta(days=5)
    ):
        assert monitoring_reminders_send() == 1
        assert "late" in mail.outbox[-1].subject
        report.refresh_from_db()
        assert report.is_late
        client.force_login(f.officer())
        page = client.get(reverse("grants:round_awards", args=[round_.public_id])).content.decode()
        assert "1 late" in page


def test_payments_are_marked_paid_once_and_then_published_as_disbursements():
    from commonweal.grants.opendata import grants_package

    round_ = f.small_sparks_round()
    canvas = funded(round_)
    award = award_make(actor=f.officer(), canvas=canvas, starts_on=START, ends_on=END)
    payment = award.payments.get()
    payment_mark_paid(actor=f.officer(), payment=payment, paid_on=START)
    with pytest.raises(GrantRefused, match="already marked"):
        payment_mark_paid(actor=f.officer(), payment=payment, paid_on=START)
    [grant] = grants_package()["grants"]
    assert grant["disbursementTransaction"][0]["value"] == 250.0
    assert grant["plannedDates"] == [{"startDate": "2026-12-01", "endDate": "2027-06-30"}]


def test_a_manager_with_an_interest_neither_makes_the_award_nor_marks_its_payments(client):
    from commonweal.accounts.constants import Role
    from commonweal.grants.services.sponsors import sponsor_confirm

    round_ = f.small_sparks_round()
    canvas = funded(round_)  # Another manager decided to fund it.
    interested = UserFactory(roles=[Role.ANALYST, Role.SPONSOR])
    sponsor_confirm(actor=f.officer(), canvas=canvas, sponsor=interested)
    canvas.refresh_from_db()

    with pytest.raises(GrantRefused, match="conflict of interest"):
        award_make(actor=interested, canvas=canvas, starts_on=START, ends_on=END)
    assert not Award.objects.exists()
    client.force_login(interested)
    page = reverse("grants:award_new", args=[canvas.public_id])
    assert client.get(page).status_code == 403
    posted = client.post(page, {"starts_on": START, "ends_on": END, "conditions": ""})
    assert posted.status_code == 403 and "conflict of interest" in posted.content.decode()
    assert not Award.objects.exists()
    # They still see their idea as its sponsor, but with no link to make the award.
    detail = client.get(reverse("grants:canvas_detail", args=[canvas.public_id])).content.decode()
    assert page not in detail

    award = award_make(actor=f.officer(), canvas=canvas, starts_on=START, ends_on=END)
    payment = award.payments.get()
    with pytest.raises(GrantRefused, match="conflict of interest"):
        payment_mark_paid(actor=interested, payment=payment, paid_on=START)
    paid = reverse("grants:payment_paid", args=[payment.public_id])
    assert client.post(paid).status_code == 403
    payment.refresh_from_db()
    assert payment.paid_on is None
    shown = client.get(reverse("grants:award_detail", args=[award.public_id])).content.decode()
    assert paid not in shown

    listing = client.get(reverse("grants:round_awards", args=[round_.public_id])).content.decode()
    row = next(line for line in listing.splitlines() if canvas.title in line)
    assert "You have an interest in this idea" in row and "£250" not in row
    client.force_login(f.officer())
    listing = client.get(reverse("grants:round_awards", args=[round_.public_id])).content.decode()
    assert "You have an interest" not in listing and "£250.00" in listing
