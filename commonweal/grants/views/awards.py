"""Award pages: make an award, the award page with letter, payments, reports and the match."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonweal.accounts.decorators import forbidden
from commonweal.core.htmx import HtmxHttpRequest
from commonweal.core.permissions import Decision
from commonweal.grants import selectors
from commonweal.grants.exceptions import GrantRefused
from commonweal.grants.forms import AwardForm, ReportForm
from commonweal.grants.models import Award, MonitoringReport, Payment
from commonweal.grants.permissions import (
    can_award_canvas,
    can_view_canvas,
    is_fund_officer,
    user_acts_for_canvas,
)
from commonweal.grants.services.awards import (
    award_make,
    award_match,
    monitoring_report_submit,
    payment_mark_paid,
    report_period,
    report_story_link,
    report_story_unlink,
    report_timebank_hours,
)
from commonweal.grants.views import actor_of, uuid_or_none
from commonweal.grants.views.officer import _round, officer_required
from commonweal.stories.selectors import story_public_get


@require_http_methods(["GET", "POST"])
@officer_required
def award_new(request: HtmxHttpRequest, canvas_id: UUID) -> HttpResponse:
    canvas = selectors.canvas_get(public_id=canvas_id)
    if canvas is None:
        raise Http404("No such idea")
    verdict = can_award_canvas(request.user, canvas)
    if not verdict:
        return forbidden(request, verdict)
    if hasattr(canvas, "award"):
        return redirect("grants:award_detail", award_id=canvas.award.public_id)
    form = AwardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            award = award_make(
                actor=actor_of(request),
                canvas=canvas,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                conditions=data["conditions"],
                payments=form.payments(),
            )
        except GrantRefused as refusal:
            form.add_error(None, refusal.reason)
        else:
            messages.success(request, "Award made; the letter has been emailed to the group.")
            return redirect("grants:award_detail", award_id=award.public_id)
    return render(
        request,
        "grants/award_new.html",
        {"canvas": canvas, "decision": getattr(canvas, "decision", None), "form": form},
        status=400 if form.errors else 200,
    )


def _award(award_id: UUID) -> Award:
    award = (
        Award.objects.select_related(
            "canvas__round__fund", "canvas__organisation", "canvas__created_by"
        )
        .filter(public_id=award_id)
        .first()
    )
    if award is None:
        raise Http404("No such award")
    return award


@require_GET
@login_required
def award_detail(request: HtmxHttpRequest, award_id: UUID) -> HttpResponse:
    award = _award(award_id)
    decision = can_view_canvas(request.user, award.canvas)
    if not decision:
        return forbidden(request, decision)
    return render(
        request,
        "grants/award_detail.html",
        {
            "award": award,
            "canvas": award.canvas,
            "payments": award.payments.all(),
            "reports": [
                {"report": report, "stories": selectors.report_stories(report)}
                for report in award.reports.prefetch_related("outcomes_achieved")
            ],
            "match": award_match(award),
            "is_officer": is_fund_officer(request.user),
            "is_group": user_acts_for_canvas(request.user, award.canvas),
            "may_pay": bool(can_award_canvas(request.user, award.canvas)),
            "today": timezone.localdate(),
        },
    )


@require_POST
@officer_required
def payment_paid(request: HtmxHttpRequest, payment_id: UUID) -> HttpResponse:
    payment = get_object_or_404(
        Payment.objects.select_related("award__canvas"), public_id=payment_id
    )
    verdict = can_award_canvas(request.user, payment.award.canvas)
    if not verdict:
        return forbidden(request, verdict)
    try:
        payment_mark_paid(actor=actor_of(request), payment=payment, paid_on=timezone.localdate())
        messages.success(request, "Payment marked as paid.")
    except GrantRefused as refusal:
        messages.error(request, refusal.reason)
    return redirect("grants:award_detail", award_id=payment.award.public_id)


@require_http_methods(["GET", "POST"])
@login_required
def report_submit(request: HtmxHttpRequest, report_id: UUID) -> HttpResponse:
    report = get_object_or_404(
        MonitoringReport.objects.select_related(
            "award__canvas__round__fund", "award__canvas__created_by"
        ),
        public_id=report_id,
    )
    canvas = report.award.canvas
    if not user_acts_for_canvas(request.user, canvas):
        return forbidden(
            request, Decision.deny("Only the group that holds the grant can send its reports.")
        )
    form = ReportForm(request.POST or None)
    since, until = report_period(report)
    evidence = report_timebank_hours(report)
    if evidence is not None:
        form.fields["volunteer_hours"].label = "Other volunteer hours, not recorded in the timebank"
    if request.method == "POST" and form.is_valid():
        try:
            monitoring_report_submit(
                actor=actor_of(request),
                report=report,
                what_happened=form.cleaned_data["what_happened"],
                outcomes=form.cleaned_data["outcomes"],
                volunteer_hours=form.cleaned_data["volunteer_hours"],
            )
        except GrantRefused as refusal:
            form.add_error(None, refusal.reason)
        else:
            messages.success(request, "Thank you: your report is in.")
            return redirect("grants:award_detail", award_id=report.award.public_id)
    return render(
        request,
        "grants/report_form.html",
        {
            "report": report,
            "canvas": canvas,
            "form": form,
            "since": since,
            "until": until,
            "evidence": evidence,
        },
        status=400 if form.errors else 200,
    )


def _report(report_id: UUID) -> MonitoringReport:
    return get_object_or_404(
        MonitoringReport.objects.select_related(
            "award__canvas__round__fund", "award__canvas__created_by", "award__canvas__ward"
        ),
        public_id=report_id,
    )


@require_http_methods(["GET", "POST"])
@login_required
def report_stories_page(request: HtmxHttpRequest, report_id: UUID) -> HttpResponse:
    """Link published stories to a monitoring report: found by a search or told in the project's ward."""
    report = _report(report_id)
    canvas = report.award.canvas
    if not (user_acts_for_canvas(request.user, canvas) or is_fund_officer(request.user)):
        return forbidden(
            request,
            Decision.deny(
                "Only the group that holds the grant, or a fund officer, can link stories."
            ),
        )
    if request.method == "POST":
        story_id = uuid_or_none(request.POST.get("story", ""))
        unlinking = request.POST.get("action") == "unlink"
        story = None
        if story_id is not None and unlinking:
            link = report.story_links.select_related("story").filter(story__public_id=story_id)
            story = link[0].story if link else None
        elif story_id is not None:
            story = story_public_get(public_id=story_id)
        try:
            if story is None:
                raise GrantRefused("Choose a story from the list.")
            if unlinking:
                report_story_unlink(actor=actor_of(request), report=report, story=story)
                messages.success(request, "Story unlinked from the report.")
            else:
                report_story_link(actor=actor_of(request), report=report, story=story)
                messages.success(request, "Story linked to the report.")
        except GrantRefused as refusal:
            messages.error(request, refusal.reason)
        return redirect("grants:report_stories", report_id=report.public_id)
    q = request.GET.get("q", "")[:200]
    candidates, source = selectors.report_story_candidates(report, q=q)
    return render(
        request,
        "grants/report_stories.html",
        {
            "report": report,
            "canvas": canvas,
            "award": report.award,
            "linked": selectors.report_stories(report),
            "candidates": candidates,
            "source": source,
            "q": q,
        },
    )


@require_GET
@officer_required
def round_awards(request: HtmxHttpRequest, round_id: UUID) -> HttpResponse:
    round_ = _round(round_id)
    # Awards of ideas the manager has an interest in show no money, payments or reports.
    interests = selectors.user_conflicts_in_round(user=request.user, round_id=round_.pk)
    awards = list(
        Award.objects.filter(canvas__round=round_)
        .select_related("canvas__organisation")
        .prefetch_related("reports", "payments")
        .order_by("canvas__title")
    )
    rows = []
    for award in awards:
        if award.canvas_id in interests:
            rows.append({"award": award, "interest": interests[award.canvas_id]})
            continue
        reports = list(award.reports.all())
        rows.append(
            {
                "award": award,
                "late": [r for r in reports if r.is_late],
                "received": sum(1 for r in reports if r.received_at),
                "reports": len(reports),
                "paid": sum((p.amount for p in award.payments.all() if p.paid_on), 0),
                "match": award_match(award),
            }
        )
    return render(request, "grants/round_awards.html", {"round": round_, "rows": rows})
