"""Awards: the letter, conditions and payment schedule; monitoring reports, reminders and late flags.

The money awarded is cash only. The volunteer-hour match is recorded beside it (pledged at award,
delivered in the monitoring reports) and valued at the round's rate in force on the day of the award.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import timezone

from commonweal.accounts.models import User
from commonweal.core.audit import audit_record
from commonweal.core.emails import email_send
from commonweal.grants.constants import CanvasStatus, DecisionOutcome, GrantsAuditKind
from commonweal.grants.exceptions import GrantRefused
from commonweal.grants.models import Award, Canvas, MonitoringReport, Payment, Round
from commonweal.grants.permissions import user_acts_for_canvas
from commonweal.grants.services.practice import PROJECT, practice_member_ensure
from commonweal.outcomes.models import Outcome

REMINDER_DAYS_BEFORE = 7
REMINDER_EVERY_DAYS = 7


def default_report_dates(
    starts_on: datetime.date, ends_on: datetime.date
) -> list[tuple[str, datetime.date]]:
    """A mid-point report for projects longer than three months, and an end-of-project report."""
    reports = []
    if (ends_on - starts_on).days > 92:
        reports.append(("Progress report", starts_on + (ends_on - starts_on) / 2))
    reports.append(("End of project report", ends_on + datetime.timedelta(days=28)))
    return reports


def _recipients(canvas: Canvas) -> list[str]:
    addresses = [canvas.created_by.email]
    if canvas.organisation_id and canvas.organisation and canvas.organisation.email:
        addresses.append(canvas.organisation.email)
    return addresses


@transaction.atomic
def award_make(
    *,
    actor: User,
    canvas: Canvas,
    starts_on: datetime.date,
    ends_on: datetime.date,
    conditions: str = "",
    payments: Sequence[tuple[datetime.date, Decimal]] = (),
    reports: Sequence[tuple[str, datetime.date]] = (),
) -> Award:
    """Award the decided money: refused over the round's budget or largest award, or without a decision."""
    canvas = (
        Canvas.objects.select_for_update(of=("self",))
        .select_related("round__fund", "organisation", "created_by")
        .get(pk=canvas.pk)
    )
    decision = getattr(canvas, "decision", None)
    if (
        decision is None
        or decision.outcome != DecisionOutcome.FUNDED
        or canvas.status != CanvasStatus.FUNDED
    ):
        raise GrantRefused("Only an idea the panel decided to fund can get an award.")
    if hasattr(canvas, "award"):
        raise GrantRefused("This idea already has its award.")
    if ends_on < starts_on:
        raise GrantRefused("The project must end after it starts.")
    round_ = Round.objects.select_for_update().get(pk=canvas.round_id)
    amount = decision.amount
    if amount > round_.max_award:
        raise GrantRefused(
            f"£{amount:,.2f} is more than this round's largest award, £{round_.max_award:,.2f}."
        )
    awarded = Award.objects.filter(canvas__round=round_).aggregate(total=Sum("amount"))[
        "total"
    ] or Decimal("0")
    if awarded + amount > round_.budget:
        raise GrantRefused(
            f"Over budget: £{round_.budget - awarded:,.2f} of the round's £{round_.budget:,.2f} is left "
            f"to award, and this award is £{amount:,.2f}."
        )
    schedule = list(payments) or [(starts_on, amount)]
    if sum((value for _, value in schedule), Decimal("0")) != amount:
        raise GrantRefused(f"The payments must add up to the award, £{amount:,.2f}.")
    if any(value <= 0 for _, value in schedule):
        raise GrantRefused("Each payment must be more than £0.")
    award = Award(
        canvas=canvas,
        amount=amount,
        awarded_on=timezone.localdate(),
        starts_on=starts_on,
        ends_on=ends_on,
        conditions=conditions.strip(),
        letter="",
        pledged_hours=canvas.pledged_hours,
        hourly_rate=round_.hourly_rate,
        made_by=actor,
    )
    award.full_clean(exclude=["letter"])
    award.save()
    Payment.objects.bulk_create(
        [Payment(award=award, due_on=due, amount=value) for due, value in schedule]
    )
    for title, due in list(reports) or default_report_dates(starts_on, ends_on):
        MonitoringReport.objects.create(award=award, title=title, due_on=due)
    award.letter = render_to_string(
        "grants/award_letter.txt",
        {
            "award": award,
            "canvas": canvas,
            "round": round_,
            "payments": award.payments.all(),
            "reports": award.reports.all(),
        },
    )
    award.save(update_fields=["letter", "updated_at"])
    practice_member_ensure(
        fund=round_.fund, user=canvas.created_by, role=PROJECT, organisation=canvas.organisation
    )
    audit_record(
        kind=GrantsAuditKind.AWARD_MADE,
        actor=actor,
        target=canvas,
        after={
            "amount": f"{amount:.2f}",
            "payments": len(schedule),
            "pledged_hours": str(award.pledged_hours),
        },
    )
    email_send(
        to=_recipients(canvas),
        template="grants/emails/award.txt",
        context={"award": award, "canvas": canvas},
    )
    return award


@transaction.atomic
def payment_mark_paid(*, actor: User, payment: Payment, paid_on: datetime.date) -> Payment:
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.paid_on is not None:
        raise GrantRefused("This payment is already marked as paid.")
    payment.paid_on = paid_on
    payment.save(update_fields=["paid_on", "updated_at"])
    audit_record(
        kind=GrantsAuditKind.PAYMENT_MADE,
        actor=actor,
        target=payment.award.canvas,
        after={"amount": f"{payment.amount:.2f}", "paid_on": paid_on.isoformat()},
    )
    return payment


@transaction.atomic
def monitoring_report_submit(
    *,
    actor: User,
    report: MonitoringReport,
    what_happened: str,
    outcomes: Iterable[Outcome],
    volunteer_hours: Decimal,
) -> MonitoringReport:
    report = (
        MonitoringReport.objects.select_for_update()
        .select_related("award__canvas")
        .get(pk=report.pk)
    )
    canvas = report.award.canvas
    if not user_acts_for_canvas(actor, canvas):
        raise GrantRefused("Only the group that holds the grant can send its reports.")
    if report.received_at is not None:
        raise GrantRefused("This report has already been sent. Talk to your sponsor to add to it.")
    if not what_happened.strip():
        raise GrantRefused("Tell us what happened.")
    if volunteer_hours < 0:
        raise GrantRefused("Volunteer hours must be zero or more.")
    report.what_happened = what_happened.strip()
    report.volunteer_hours = volunteer_hours
    report.received_at = timezone.now()
    report.submitted_by = actor
    report.full_clean()
    report.save()
    report.outcomes_achieved.set(list(outcomes))
    audit_record(
        kind=GrantsAuditKind.REPORT_RECEIVED,
        actor=actor,
        target=canvas,
        after={"report": report.title, "volunteer_hours": str(volunteer_hours)},
    )
    return report


def monitoring_reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind groups of reports due within a week or late; at most one reminder a week each."""
    today = today or timezone.localdate()
    now = timezone.now()
    due = (
        MonitoringReport.objects.outstanding()
        .filter(due_on__lte=today + datetime.timedelta(days=REMINDER_DAYS_BEFORE))
        .select_related(
            "award__canvas__created_by", "award__canvas__organisation", "award__canvas__round__fund"
        )
    )
    sent = 0
    for report in due:
        if report.reminded_at and (now - report.reminded_at).days < REMINDER_EVERY_DAYS:
            continue
        canvas = report.award.canvas
        email_send(
            to=_recipients(canvas),
            template="grants/emails/report_reminder.txt",
            context={"report": report, "canvas": canvas, "late": report.due_on < today},
        )
        MonitoringReport.objects.filter(pk=report.pk).update(reminded_at=now)
        audit_record(
            kind=GrantsAuditKind.REPORT_REMINDED,
            actor=None,
            target=canvas,
            after={"report": report.title},
        )
        sent += 1
    return sent


def award_match(award: Award) -> dict[str, Any]:
    """Sweat equity: hours pledged against hours delivered, valued at the award's rate, apart from cash."""
    delivered = award.reports.filter(received_at__isnull=False).aggregate(
        total=Sum("volunteer_hours")
    )["total"] or Decimal("0")
    rate = award.hourly_rate
    return {
        "cash": award.amount,
        "pledged_hours": award.pledged_hours,
        "delivered_hours": delivered,
        "pledged_value": (award.pledged_hours * rate).quantize(Decimal("0.01")),
        "delivered_value": (delivered * rate).quantize(Decimal("0.01")),
        "rate": rate,
        "met": delivered >= award.pledged_hours,
    }
