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
from commonweal.grants.models import (
    Award,
    Canvas,
    MonitoringReport,
    Payment,
    ReportStory,
    Round,
)
from commonweal.grants.permissions import (
    can_award_canvas,
    is_fund_officer,
    user_acts_for_canvas,
)
from commonweal.grants.services.practice import PROJECT, practice_member_ensure
from commonweal.outcomes.models import Outcome
from commonweal.stories.models import Story
from commonweal.stories.selectors import story_public_get
from commonweal.timebank.selectors import OrganisationHours, organisation_hours_between

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
    """Award the decided money: refused over the round's budget or largest award, without a decision,
    or to a programme manager with an interest in the idea (the rule for decisions)."""
    canvas = (
        Canvas.objects.select_for_update(of=("self",))
        .select_related("round__fund", "organisation", "created_by")
        .get(pk=canvas.pk)
    )
    allowed = can_award_canvas(actor, canvas)
    if not allowed:
        raise GrantRefused(allowed.reason)
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
    payment = (
        Payment.objects.select_for_update(of=("self",))
        .select_related("award__canvas")
        .get(pk=payment.pk)
    )
    allowed = can_award_canvas(actor, payment.award.canvas)
    if not allowed:
        raise GrantRefused(allowed.reason)
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
    evidence = report_timebank_hours(report)
    report.timebank_hours = evidence.hours if evidence is not None else Decimal("0")
    report.received_at = timezone.now()
    report.submitted_by = actor
    report.full_clean()
    report.save()
    report.outcomes_achieved.set(list(outcomes))
    audit_record(
        kind=GrantsAuditKind.REPORT_RECEIVED,
        actor=actor,
        target=canvas,
        after={
            "report": report.title,
            "volunteer_hours": str(volunteer_hours),
            "timebank_hours": str(report.timebank_hours),
        },
    )
    return report


def report_period(report: MonitoringReport) -> tuple[datetime.date, datetime.date]:
    """The days a report covers: from the award's start, or the day after the previous report's
    period, to its due date (never past the end of the project)."""
    award = report.award
    since = award.starts_on
    for earlier in award.reports.filter(due_on__lt=report.due_on).order_by("due_on"):
        since = min(earlier.due_on, award.ends_on) + datetime.timedelta(days=1)
    until = min(report.due_on, award.ends_on)
    return min(since, until), until


def report_timebank_hours(report: MonitoringReport) -> OrganisationHours | None:
    """The hours members gave to or through the group's timebank account in the report's period;
    None when the group has no organisation account in a timebank."""
    organisation = report.award.canvas.organisation
    if organisation is None:
        return None
    since, until = report_period(report)
    hours = organisation_hours_between(organisation=organisation, since=since, until=until)
    return hours if hours.accounts else None


def _may_link_stories(actor: User, report: MonitoringReport) -> bool:
    return user_acts_for_canvas(actor, report.award.canvas) or is_fund_officer(actor)


@transaction.atomic
def report_story_link(*, actor: User, report: MonitoringReport, story: Story) -> ReportStory:
    """Link a published story to a monitoring report: only stories the teller agreed to publish."""
    if not _may_link_stories(actor, report):
        raise GrantRefused(
            "Only the group that holds the grant, or a fund officer, can link stories."
        )
    if story_public_get(public_id=story.public_id) is None:
        raise GrantRefused("Only published stories can be linked: this one is not published.")
    link, created = ReportStory.objects.get_or_create(
        report=report, story=story, defaults={"linked_by": actor}
    )
    if not created:
        raise GrantRefused("This story is already linked to the report.")
    audit_record(
        kind=GrantsAuditKind.REPORT_STORY_LINKED,
        actor=actor,
        target=report.award.canvas,
        after={"report": report.title, "story": str(story.public_id)},
    )
    return link


@transaction.atomic
def report_story_unlink(*, actor: User, report: MonitoringReport, story: Story) -> None:
    if not _may_link_stories(actor, report):
        raise GrantRefused(
            "Only the group that holds the grant, or a fund officer, can unlink stories."
        )
    deleted, _ = ReportStory.objects.filter(report=report, story=story).delete()
    if not deleted:
        raise GrantRefused("This story is not linked to the report.")
    audit_record(
        kind=GrantsAuditKind.REPORT_STORY_UNLINKED,
        actor=actor,
        target=report.award.canvas,
        after={"report": report.title, "story": str(story.public_id)},
    )


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
    """Sweat equity: hours pledged against hours delivered, valued at the award's rate, apart from cash.

    Delivered hours are those the group stated plus those the timebank evidenced in each report."""
    sums = award.reports.filter(received_at__isnull=False).aggregate(
        stated=Sum("volunteer_hours"), timebank=Sum("timebank_hours")
    )
    stated = sums["stated"] or Decimal("0")
    evidenced = sums["timebank"] or Decimal("0")
    delivered = stated + evidenced
    rate = award.hourly_rate
    return {
        "cash": award.amount,
        "pledged_hours": award.pledged_hours,
        "stated_hours": stated,
        "timebank_hours": evidenced,
        "delivered_hours": delivered,
        "pledged_value": (award.pledged_hours * rate).quantize(Decimal("0.01")),
        "delivered_value": (delivered * rate).quantize(Decimal("0.01")),
        "rate": rate,
        "met": delivered >= award.pledged_hours,
    }
