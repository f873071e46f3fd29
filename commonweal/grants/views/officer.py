"""Pages for programme managers: funds, rounds, the rubric, canvas questions and panels."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonweal.accounts.constants import OrganisationKind
from commonweal.accounts.decorators import role_required
from commonweal.accounts.models import Organisation
from commonweal.accounts.selectors import user_get_by_email
from commonweal.core.htmx import HtmxHttpRequest
from commonweal.grants import selectors
from commonweal.grants.exceptions import GrantRefused
from commonweal.grants.forms import (
    CanvasFieldForm,
    CriterionForm,
    FundForm,
    PanelForm,
    PanelMemberForm,
    RemoveMemberForm,
    RoundForm,
)
from commonweal.grants.models import CanvasField, Criterion, Fund, Panel, PanelMember, Round
from commonweal.grants.permissions import FUND_OFFICER_ROLES
from commonweal.grants.services.funds import (
    canvas_field_delete,
    canvas_field_save,
    criterion_delete,
    criterion_save,
    fund_create,
    round_create,
    round_update,
)
from commonweal.grants.services.panels import panel_create, panel_member_add, panel_member_remove
from commonweal.grants.views import actor_of, uuid_or_none

officer_required = role_required(*FUND_OFFICER_ROLES)


def _round(round_id: UUID) -> Round:
    round_ = selectors.round_get(public_id=round_id)
    if round_ is None:
        raise Http404("No such round")
    return round_


@require_GET
@officer_required
def officer_home(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "grants/officer/home.html", {"funds": selectors.fund_list()})


@require_http_methods(["GET", "POST"])
@officer_required
def fund_new(request: HtmxHttpRequest) -> HttpResponse:
    form = FundForm(request.POST or None)
    funder = (
        Organisation.objects.filter(
            kind=OrganisationKind.COUNCIL, memberships__user=actor_of(request)
        ).first()
        or Organisation.objects.filter(memberships__user=actor_of(request)).first()
    )
    if request.method == "POST" and form.is_valid():
        if funder is None:
            form.add_error(None, "You need to act for the council or partner whose fund it is.")
        elif Fund.objects.filter(slug=form.cleaned_data["slug"]).exists():
            form.add_error("slug", "Another fund already has this short name.")
        else:
            fund = fund_create(actor=actor_of(request), funder=funder, **form.cleaned_data)
            messages.success(request, f"{fund.name} is set up. Now add its first round.")
            return redirect("grants:round_new", fund_id=fund.public_id)
    return render(
        request,
        "grants/officer/fund_form.html",
        {"form": form, "funder": funder},
        status=400 if form.errors else 200,
    )


def _round_save(
    request: HtmxHttpRequest, form: RoundForm, fund: Fund, round_: Round | None
) -> Round | None:
    data = form.cleaned_data
    try:
        if round_ is None:
            if fund.rounds.filter(slug=data["slug"]).exists():
                form.add_error("slug", "Another round of this fund already has this short name.")
                return None
            return round_create(actor=actor_of(request), fund=fund, **data)
        data.pop("slug")
        return round_update(actor=actor_of(request), round_=round_, **data)
    except GrantRefused as refusal:
        form.add_error(None, refusal.reason)
        return None


@require_http_methods(["GET", "POST"])
@officer_required
def round_new(request: HtmxHttpRequest, fund_id: UUID) -> HttpResponse:
    fund = get_object_or_404(Fund, public_id=fund_id)
    form = RoundForm(
        request.POST or None, initial={"match_rule": "none", "disagreement_threshold": 2}
    )
    if request.method == "POST" and form.is_valid():
        round_ = _round_save(request, form, fund, None)
        if round_ is not None:
            messages.success(
                request, "Round saved, with the default rubric and canvas questions to adjust."
            )
            return redirect("grants:round_setup", round_id=round_.public_id)
    return render(
        request,
        "grants/officer/round_form.html",
        {"form": form, "fund": fund},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@officer_required
def round_edit(request: HtmxHttpRequest, round_id: UUID) -> HttpResponse:
    round_ = _round(round_id)
    initial = {
        "name": round_.name,
        "slug": round_.slug,
        "description": round_.description,
        "opens_at": round_.opens_at,
        "closes_at": round_.closes_at,
        "budget": round_.budget,
        "max_award": round_.max_award,
        "wards": list(round_.wards.all()),
        "outcomes": list(round_.outcomes.all()),
        "match_rule": round_.match_rule,
        "hourly_rate": round_.hourly_rate,
        "disagreement_threshold": round_.disagreement_threshold,
    }
    form = RoundForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and _round_save(request, form, round_.fund, round_)
    ):
        messages.success(request, "Round saved.")
        return redirect("grants:round_setup", round_id=round_.public_id)
    return render(
        request,
        "grants/officer/round_form.html",
        {"form": form, "fund": round_.fund, "round": round_},
        status=400 if form.errors else 200,
    )


def _setup_context(round_: Round, **extra: Any) -> dict[str, Any]:
    return {
        "round": round_,
        "criteria": round_.criteria.select_related("outcome"),
        "fields": round_.canvas_fields.all(),
        "panels": round_.panels.all(),
        "committed": selectors.round_money_committed(round_=round_),
        "canvas_counts": {
            "drafts": round_.canvases.filter(status="draft").count(),
            "sent_in": round_.canvases.submitted().count(),
        },
        "criterion_form": extra.pop("criterion_form", CriterionForm(initial={"kind": "criterion"})),
        "field_form": extra.pop("field_form", CanvasFieldForm(initial={"kind": "long_text"})),
        "panel_form": extra.pop("panel_form", PanelForm()),
        **extra,
    }


@require_GET
@officer_required
def round_setup(request: HtmxHttpRequest, round_id: UUID) -> HttpResponse:
    return render(request, "grants/officer/round_setup.html", _setup_context(_round(round_id)))


@require_POST
@officer_required
def criterion_add(request: HtmxHttpRequest, round_id: UUID) -> HttpResponse:
    round_ = _round(round_id)
    form = CriterionForm(request.POST)
    if form.is_valid():
        try:
            criterion_save(actor=actor_of(request), round_=round_, **form.cleaned_data)
            messages.success(request, "Criterion added to the rubric.")
            return redirect("grants:round_setup", round_id=round_.public_id)
        except GrantRefused as refusal:
            form.add_error(None, refusal.reason)
    return render(
        request,
        "grants/officer/round_setup.html",
        _setup_context(round_, criterion_form=form),
        status=400,
    )


@require_POST
@officer_required
def criterion_remove(request: HtmxHttpRequest, round_id: UUID, criterion_id: UUID) -> HttpResponse:
    round_ = _round(round_id)
    criterion = get_object_or_404(Criterion, public_id=criterion_id, round=round_)
    try:
        criterion_delete(actor=actor_of(request), criterion=criterion)
        messages.success(request, "Criterion removed.")
    except GrantRefused as refusal:
        messages.error(request, refusal.reason)
    return redirect("grants:round_setup", round_id=round_.public_id)


@require_POST
@officer_required
def field_add(request: HtmxHttpRequest, round_id: UUID) -> HttpResponse:
    round_ = _round(round_id)
    form = CanvasFieldForm(request.POST)
    if form.is_valid():
        try:
            canvas_field_save(actor=actor_of(request), round_=round_, **form.cleaned_data)
            messages.success(request, "Question added to the canvas.")
            return redirect("grants:round_setup", round_id=round_.public_id)
        except GrantRefused as refusal:
            form.add_error(None, refusal.reason)
    return render(
        request,
        "grants/officer/round_setup.html",
        _setup_context(round_, field_form=form),
        status=400,
    )


@require_POST
@officer_required
def field_remove(request: HtmxHttpRequest, round_id: UUID, field_id: UUID) -> HttpResponse:
    round_ = _round(round_id)
    field = get_object_or_404(CanvasField, public_id=field_id, round=round_)
    try:
        canvas_field_delete(actor=actor_of(request), field=field)
        messages.success(request, "Question removed.")
    except GrantRefused as refusal:
        messages.error(request, refusal.reason)
    return redirect("grants:round_setup", round_id=round_.public_id)


@require_POST
@officer_required
def panel_add(request: HtmxHttpRequest, round_id: UUID) -> HttpResponse:
    round_ = _round(round_id)
    form = PanelForm(request.POST)
    if form.is_valid():
        panel = panel_create(actor=actor_of(request), round_=round_, **form.cleaned_data)
        messages.success(request, "Panel set up: now add its members.")
        return redirect("grants:panel_manage", panel_id=panel.public_id)
    return render(
        request,
        "grants/officer/round_setup.html",
        _setup_context(round_, panel_form=form),
        status=400,
    )


@require_http_methods(["GET", "POST"])
@officer_required
def panel_manage(request: HtmxHttpRequest, panel_id: UUID) -> HttpResponse:
    panel = get_object_or_404(Panel.objects.select_related("round__fund"), public_id=panel_id)
    form = PanelMemberForm(request.POST or None, initial={"kind": "resident"})
    if request.method == "POST" and form.is_valid():
        user = user_get_by_email(email=form.cleaned_data["email"])
        if user is None:
            form.add_error("email", "Nobody has a Commonweal account with this email address.")
        else:
            try:
                panel_member_add(
                    actor=actor_of(request), panel=panel, user=user, kind=form.cleaned_data["kind"]
                )
                messages.success(request, f"{user} joins the panel.")
                return redirect("grants:panel_manage", panel_id=panel.public_id)
            except GrantRefused as refusal:
                form.add_error(None, refusal.reason)
    return render(
        request,
        "grants/officer/panel_manage.html",
        {
            "panel": panel,
            "round": panel.round,
            "progress": selectors.panel_progress(panel=panel),
            "form": form,
            "remove_form": RemoveMemberForm(),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@officer_required
def panel_member_leave(request: HtmxHttpRequest, panel_id: UUID, member_id: UUID) -> HttpResponse:
    panel = get_object_or_404(Panel, public_id=panel_id)
    member = get_object_or_404(PanelMember, public_id=member_id, panel=panel)
    form = RemoveMemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the member leaves the panel.")
    else:
        try:
            panel_member_remove(
                actor=actor_of(request), member=member, reason=form.cleaned_data["reason"]
            )
            messages.success(
                request, f"{member.user} has left the panel. Their scores no longer count."
            )
        except GrantRefused as refusal:
            messages.error(request, refusal.reason)
    return redirect("grants:panel_manage", panel_id=panel.public_id)


@require_GET
@officer_required
def round_export(request: HtmxHttpRequest, round_id: UUID) -> HttpResponse:
    """Download the round's awarded grants as 360Giving JSON, or the flattened spreadsheet."""
    import json

    from commonweal.core.audit import audit_record
    from commonweal.grants.constants import GrantsAuditKind
    from commonweal.grants.opendata import grants_package, grants_spreadsheet

    round_ = _round(round_id)
    package = grants_package(round_=round_)
    audit_record(
        kind=GrantsAuditKind.EXPORTED,
        actor=actor_of(request),
        target=round_,
        after={"grants": len(package["grants"])},
    )
    name = f"{round_.fund.slug}-{round_.slug}-360giving"
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            grants_spreadsheet(package),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    response = HttpResponse(
        json.dumps(package, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response


@require_GET
@officer_required
def reports_page(request: HtmxHttpRequest) -> HttpResponse:
    """Ideas and money by round, ward, fund and outcome, and time to decision; the ward, fund,
    outcome and deprivation tables as CSV."""
    import csv

    from commonweal.core.spreadsheets import csv_safe
    from commonweal.grants.reports import deprivation_report, grants_report

    fund_id = uuid_or_none(request.GET.get("fund"))
    fund = Fund.objects.filter(public_id=fund_id).first() if fund_id is not None else None
    deprivation = deprivation_report(fund=fund)
    if request.GET.get("format") == "deprivation-csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="grants-by-deprivation.csv"'
        writer = csv.writer(response)
        writer.writerow(["decile", "label", "sent_in", "funded", "not_funded", "money_awarded"])
        for row in [*deprivation["rows"], deprivation["unknown"]]:
            writer.writerow(
                [row.code, row.label, row.sent_in, row.funded, row.not_funded, f"{row.money:.2f}"]
            )
        return response
    report = grants_report(fund=fund)
    if request.GET.get("format") == "fund-csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="grants-by-fund.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [
                "fund",
                "name",
                "sent_in",
                "funded",
                "not_funded",
                "money_decided",
                "money_awarded",
                "median_days_to_decision",
            ]
        )
        for row in report["funds"]:
            writer.writerow(
                [
                    csv_safe(row.code),
                    csv_safe(row.label),
                    row.sent_in,
                    row.funded,
                    row.not_funded,
                    f"{row.money:.2f}",
                    f"{row.awarded:.2f}",
                    row.median_days if row.median_days is not None else "",
                ]
            )
        return response
    if request.GET.get("format") == "outcome-csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="grants-by-outcome.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [
                "outcome",
                "sent_in",
                "funded",
                "not_funded",
                "money_decided",
                "money_awarded",
                "mean_score",
                "funded_mean_score",
                "seen_in_reports",
            ]
        )
        for outcome in report["outcomes"]:
            writer.writerow(
                [
                    csv_safe(outcome["name"]),
                    outcome["sent_in"],
                    outcome["funded"],
                    outcome["not_funded"],
                    f"{outcome['money']:.2f}",
                    f"{outcome['awarded']:.2f}",
                    csv_safe(outcome["mean"]),
                    csv_safe(outcome["funded_mean"]),
                    outcome["achieved"],
                ]
            )
        return response
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="grants-by-ward.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [
                "ward_code",
                "ward",
                "sent_in",
                "funded",
                "not_funded",
                "money_awarded",
                "median_days_to_decision",
            ]
        )
        for row in report["wards"]:
            writer.writerow(
                [
                    row.code,
                    row.label,
                    row.sent_in,
                    row.funded,
                    row.not_funded,
                    f"{row.money:.2f}",
                    row.median_days if row.median_days is not None else "",
                ]
            )
        return response
    return render(
        request,
        "grants/officer/reports.html",
        {
            "report": report,
            "deprivation": deprivation,
            "fund": fund,
            "funds": Fund.objects.all(),
        },
    )


@require_POST
@officer_required
def dropin_add(request: HtmxHttpRequest, round_id: UUID) -> HttpResponse:
    from django.utils import timezone
    from django.utils.dateparse import parse_datetime

    from commonweal.grants.services.dropins import dropin_session_add

    round_ = _round(round_id)
    starts_at = parse_datetime(request.POST.get("starts_at", ""))
    capacity = request.POST.get("capacity", "")
    if starts_at is None or not capacity.isdigit():
        messages.error(request, "Give the drop-in's date and time and how many people it takes.")
        return redirect("grants:round_setup", round_id=round_.public_id)
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    try:
        dropin_session_add(
            actor=actor_of(request),
            round_=round_,
            starts_at=starts_at,
            place=request.POST.get("place", ""),
            capacity=int(capacity),
        )
        messages.success(request, "Drop-in added to the round's page.")
    except GrantRefused as refusal:
        messages.error(request, refusal.reason)
    return redirect("grants:round_setup", round_id=round_.public_id)
