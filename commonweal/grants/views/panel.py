"""Panel pages: the declaration of interests, scoring on the rubric, the meeting view and decisions."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonweal.accounts.decorators import forbidden, sensitive_view
from commonweal.core.audit import access_record
from commonweal.core.htmx import HtmxHttpRequest
from commonweal.core.permissions import Decision as Verdict
from commonweal.grants import selectors
from commonweal.grants.constants import CanvasStatus
from commonweal.grants.exceptions import GrantRefused
from commonweal.grants.forms import DecisionForm
from commonweal.grants.models import Canvas, Criterion, Panel, PanelMember, Score
from commonweal.grants.permissions import can_decide_canvas, can_manage_funds, can_review_canvas
from commonweal.grants.services.panels import (
    conflicted_canvas_ids,
    decision_change,
    decision_make,
    declaration_make,
    panel_calibration_set,
    score_record,
)
from commonweal.grants.views import actor_of, uuid_or_none
from commonweal.grants.views.officer import officer_required


def _panel(panel_id: UUID) -> Panel:
    return get_object_or_404(Panel.objects.select_related("round__fund"), public_id=panel_id)


def _seat(request: HtmxHttpRequest, panel: Panel) -> PanelMember | None:
    member = selectors.panel_member_for(panel=panel, user=request.user)
    if member is None or member.removed_at is not None:
        return None
    return member


@require_GET
@sensitive_view
def panel_home(request: HtmxHttpRequest, panel_id: UUID) -> HttpResponse:
    panel = _panel(panel_id)
    member = _seat(request, panel)
    if member is None:
        if can_manage_funds(request.user):
            return redirect("grants:panel_meeting", panel_id=panel.public_id)
        return forbidden(request, Verdict.deny("Only members of this panel can see its ideas."))
    canvases = list(
        Canvas.objects.filter(round=panel.round)
        .submitted()
        .select_related("organisation")
        .order_by("title")
    )
    if member.declared_at is None or request.GET.get("declare") == "again":
        automatic = selectors.member_conflicts(member)
        return render(
            request,
            "grants/panel/declare.html",
            {"panel": panel, "member": member, "canvases": canvases, "automatic": automatic},
        )
    blocked = conflicted_canvas_ids(member)
    scored = set(Score.objects.filter(member=member).values_list("canvas_id", flat=True))
    calibration = set(panel.calibration_canvases.values_list("pk", flat=True))
    canvases.sort(key=lambda canvas: (canvas.pk not in calibration, canvas.title))
    rows = [
        (canvas, canvas.pk in blocked, canvas.pk in scored, canvas.pk in calibration)
        for canvas in canvases
    ]
    return render(
        request, "grants/panel/home.html", {"panel": panel, "member": member, "rows": rows}
    )


@require_POST
@login_required
def panel_declare(request: HtmxHttpRequest, panel_id: UUID) -> HttpResponse:
    panel = _panel(panel_id)
    member = _seat(request, panel)
    if member is None:
        return forbidden(
            request, Verdict.deny("Only members of this panel can declare interests in it.")
        )
    canvases = {str(c.public_id): c for c in Canvas.objects.filter(round=panel.round).submitted()}
    conflicts = {}
    for key in request.POST.getlist("conflict"):
        canvas = canvases.get(key)
        if canvas is not None:
            conflicts[canvas] = request.POST.get(f"nature-{key}", "")
    try:
        declaration_make(
            actor=actor_of(request),
            member=member,
            conflicts=conflicts,
            confirmed=request.POST.get("confirm") == "yes",
        )
    except GrantRefused as refusal:
        messages.error(request, refusal.reason)
        return redirect("grants:panel_home", panel_id=panel.public_id)
    messages.success(
        request,
        "Thank you: your declaration is recorded. Ideas you have an interest in are closed to you.",
    )
    return redirect("grants:panel_home", panel_id=panel.public_id)


@require_http_methods(["GET", "POST"])
@sensitive_view
def panel_score(request: HtmxHttpRequest, panel_id: UUID, canvas_id: UUID) -> HttpResponse:
    panel = _panel(panel_id)
    member = _seat(request, panel)
    if member is None:
        return forbidden(request, Verdict.deny("Only members of this panel can score its ideas."))
    canvas = get_object_or_404(
        Canvas.objects.select_related("round", "organisation", "ward"),
        public_id=canvas_id,
        round=panel.round,
    )
    verdict = can_review_canvas(member, canvas, conflicted_canvas_ids(member))
    if not verdict:
        return forbidden(request, verdict)
    criteria = list(Criterion.objects.filter(round=panel.round).select_related("outcome"))
    existing = {s.criterion_id: s for s in Score.objects.filter(member=member, canvas=canvas)}
    errors: list[str] = []
    if request.method == "POST":
        scores: dict[int, tuple[int | None, str]] = {}
        for criterion in criteria:
            raw = request.POST.get(f"score-{criterion.pk}", "")
            comment = request.POST.get(f"comment-{criterion.pk}", "")
            if raw == "na":
                scores[criterion.pk] = (None, comment)
            elif raw.isdigit():
                scores[criterion.pk] = (int(raw), comment)
            else:
                errors.append(f"Choose a score for '{criterion.name}' (or N/A).")
        if not errors:
            try:
                score_record(actor=actor_of(request), member=member, canvas=canvas, scores=scores)
            except GrantRefused as refusal:
                errors.append(refusal.reason)
            else:
                messages.success(request, f"Your scores for '{canvas.title}' are saved.")
                return redirect("grants:panel_home", panel_id=panel.public_id)
    access_record(
        actor=actor_of(request), target=canvas, purpose="panel scoring", path=request.path
    )
    fields = list(canvas.round.canvas_fields.all())
    rubric = [
        (
            criterion,
            existing.get(criterion.pk),
            [
                (value, criterion.descriptor_for(value))
                for value in range(0, criterion.scale_max + 1)
            ],
            request.POST.get(f"score-{criterion.pk}") if request.method == "POST" else None,
        )
        for criterion in criteria
    ]
    return render(
        request,
        "grants/panel/score.html",
        {
            "panel": panel,
            "canvas": canvas,
            "answers": [(f.label, canvas.answers.get(f.key, "")) for f in fields],
            "collaborators": canvas.collaborators.select_related("organisation"),
            "attachments": canvas.attachments.all(),
            "rubric": rubric,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def _money(value: Decimal | None) -> str:
    return f"£{value:,.0f}" if value is not None else "–"


def meeting_rows(results: list[selectors.CanvasResult], *, show_z: bool) -> SafeString:
    """The meeting table's body, built in Python: a round of 200 ideas renders in a few milliseconds.

    An idea the reader has an interest in shows no scores and no link to the decision: the reader
    leaves the room. Every value from the database goes through ``escape``
    before it joins the markup.
    """
    zero = str(UUID(int=0))
    decide = reverse("grants:canvas_decide", args=[zero])
    status_labels = dict(CanvasStatus.choices)
    numeric = '<td class="govuk-table__cell govuk-table__cell--numeric">'
    cell = '<td class="govuk-table__cell">'
    rows = []
    for r in results:
        canvas = r.canvas
        where = canvas.applicant_name + (
            f", {canvas.ward.name}" if canvas.ward_id and canvas.ward else ""
        )
        flags = " ".join(
            f'<strong class="govuk-tag govuk-tag--orange">{escape(name)}</strong>'
            for name in r.flags
        )
        leaving = escape(", ".join(m.user.full_name or m.user.email for m in r.conflicted_members))
        status = (
            "To decide"
            if canvas.status == CanvasStatus.SUBMITTED
            else status_labels.get(canvas.status, "")
        )
        z_cell = f"{numeric}{'–' if r.zscore is None else r.zscore}</td>" if show_z else ""
        beyond = "" if r.within_budget else '<br><span class="govuk-body-s">beyond budget</span>'
        href = decide.replace(zero, str(canvas.public_id))
        if r.reader_conflict is not None:
            rows.append(
                f'<tr class="govuk-table__row">{numeric}{r.rank}</td>'
                f"{cell}{escape(canvas.title)}"
                f'<br><span class="govuk-body-s">{escape(where)}</span></td>'
                f'<td class="govuk-table__cell" colspan="{5 if show_z else 4}">'
                "<strong>You have declared an interest; leave the room</strong></td>"
                f"{cell}{leaving}</td>{cell}{escape(status)}</td></tr>"
            )
            continue
        rows.append(
            f'<tr class="govuk-table__row">{numeric}{r.rank}</td>'
            f'{cell}<a class="govuk-link" href="{href}">{escape(canvas.title)}</a>'
            f'<br><span class="govuk-body-s">{escape(where)}</span></td>'
            f"{numeric}{'–' if r.weighted is None else r.weighted}</td>{z_cell}"
            f"{numeric}{r.scorers}</td>{numeric}{_money(canvas.amount_requested)}{beyond}</td>"
            f"{cell}{flags}</td>{cell}{leaving}</td>{cell}{escape(status)}</td></tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every value from the database is escaped above


@require_GET
@sensitive_view
@officer_required
def panel_meeting(request: HtmxHttpRequest, panel_id: UUID) -> HttpResponse:
    panel = _panel(panel_id)
    show_z = request.GET.get("view") == "z"
    # Ideas the reader has an interest in show no scores: they leave the room for those.
    results = selectors.panel_results(panel=panel, with_zscores=show_z, reader=request.user)
    return render(
        request,
        "grants/panel/meeting.html",
        {
            "panel": panel,
            "round": panel.round,
            "count": len(results),
            "rows": meeting_rows(results, show_z=show_z),
            "show_z": show_z,
            "criteria": list(Criterion.objects.filter(round=panel.round)),
            "committed": selectors.round_money_committed(round_=panel.round),
        },
    )


@require_http_methods(["GET", "POST"])
@sensitive_view
@officer_required
def canvas_decide(request: HtmxHttpRequest, canvas_id: UUID) -> HttpResponse:
    canvas = selectors.canvas_get(public_id=canvas_id)
    if canvas is None:
        raise Http404("No such idea")
    verdict = can_decide_canvas(request.user, canvas)
    if not verdict:
        return forbidden(request, verdict)
    existing = getattr(canvas, "decision", None)
    initial = (
        {
            "outcome": existing.outcome,
            "amount": existing.amount,
            "reasons": existing.reasons,
            "feedback": existing.feedback,
        }
        if existing
        else {"outcome": "funded", "amount": canvas.amount_requested or Decimal("0")}
    )
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if existing is None:
                decision_make(
                    actor=actor_of(request),
                    canvas=canvas,
                    outcome=data["outcome"],
                    amount=data["amount"],
                    reasons=data["reasons"],
                    feedback=data["feedback"],
                )
            else:
                decision_change(
                    actor=actor_of(request),
                    decision=existing,
                    outcome=data["outcome"],
                    amount=data["amount"],
                    reasons=data["reasons"],
                    feedback=data["feedback"],
                    change_reason=data["change_reason"],
                )
        except GrantRefused as refusal:
            form.add_error(None, refusal.reason)
        else:
            messages.success(
                request, "Decision recorded; the applicant has been emailed the feedback."
            )
            return redirect("grants:canvas_detail", canvas_id=canvas.public_id)
    return render(
        request,
        "grants/panel/decide.html",
        {
            "canvas": canvas,
            "decision": existing,
            "changes": existing.changes.select_related("changed_by") if existing else [],
            "form": form,
            "committed": selectors.round_money_committed(round_=canvas.round),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@sensitive_view
@officer_required
def panel_calibration_page(request: HtmxHttpRequest, panel_id: UUID) -> HttpResponse:
    """Choose the calibration ideas, and compare how each member scored them."""
    panel = _panel(panel_id)
    if request.method == "POST":
        wanted = [uuid for key in request.POST.getlist("canvas") if (uuid := uuid_or_none(key))]
        canvases = list(Canvas.objects.filter(round=panel.round, public_id__in=wanted))
        try:
            panel_calibration_set(actor=actor_of(request), panel=panel, canvases=canvases)
            messages.success(request, "Calibration ideas chosen: every member scores them first.")
        except GrantRefused as refusal:
            messages.error(request, refusal.reason)
        return redirect("grants:panel_calibration", panel_id=panel.public_id)
    chosen = set(panel.calibration_canvases.values_list("pk", flat=True))
    return render(
        request,
        "grants/panel/calibration.html",
        {
            "panel": panel,
            # Ideas the reader has an interest in show no scores, and say why.
            "calibration": selectors.panel_calibration(panel=panel, reader=request.user),
            "choices": Canvas.objects.filter(round=panel.round, status=CanvasStatus.SUBMITTED)
            .select_related("organisation")
            .order_by("title"),
            "chosen": chosen,
        },
    )
