"""Reports for funders: the page with its chart and tables, and a CSV download of each table."""

from __future__ import annotations

import csv

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from commonweal.accounts.decorators import forbidden, role_required, sensitive_view
from commonweal.timebank import reports
from commonweal.timebank.models import Timebank


class ReportPeriodForm(forms.Form):
    start = forms.DateField(
        label="From",
        required=False,
        help_text="For example, 2025-04-01. Leave both dates empty for the last 12 months.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        default = reports.ReportPeriod.last_twelve_months()
        if self.errors:
            return cleaned
        start = start or default.start
        end = end or default.end
        if end < start:
            raise forms.ValidationError("The end date must be the same as or after the start date.")
        if (end - start).days > reports.MAX_PERIOD_DAYS:
            raise forms.ValidationError("Choose a period of five years or less.")
        cleaned["period"] = reports.ReportPeriod(start=start, end=end)
        return cleaned


def _period(request: HttpRequest) -> tuple[ReportPeriodForm, reports.ReportPeriod]:
    form = ReportPeriodForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["period"]
    return form, reports.ReportPeriod.last_twelve_months()


def _timebank_or_refusal(request: HttpRequest, slug: str) -> Timebank | HttpResponse:
    timebank = reports.timebank_get(slug=slug)
    if timebank is None:
        raise Http404("No timebank has that address.")
    decision = reports.can_view_reports(request.user, timebank)
    if not decision:
        return forbidden(request, decision)
    return timebank


@require_GET
@sensitive_view
@role_required(*reports.REPORT_ROLES)
def report_index(request: HttpRequest) -> HttpResponse:
    """The timebanks whose reports you may see (straight to the report when there is one)."""
    timebanks = reports.timebank_report_list(user=request.user)
    if len(timebanks) == 1:
        return redirect("timebank:report", slug=timebanks[0].slug)
    return render(request, "timebank/reports/index.html", {"timebanks": timebanks})


@require_GET
@sensitive_view
@role_required(*reports.REPORT_ROLES)
def report(request: HttpRequest, slug: str) -> HttpResponse:
    timebank = _timebank_or_refusal(request, slug)
    if isinstance(timebank, HttpResponse):
        return timebank
    form, period = _period(request)
    funder_report = reports.funder_report(timebank=timebank, period=period)
    query = f"?start={period.start.isoformat()}&end={period.end.isoformat()}"
    downloads = {
        table.key: reverse("timebank:report_csv", args=[timebank.slug, table.key]) + query
        for table in funder_report.tables
    }
    return render(
        request,
        "timebank/reports/report.html",
        {
            "form": form,
            "report": funder_report,
            "tables": [(table, downloads[table.key]) for table in funder_report.tables],
            "suppression_note": reports.SUPPRESSION_NOTE,
        },
    )


@require_GET
@sensitive_view
@role_required(*reports.REPORT_ROLES)
def report_csv(request: HttpRequest, slug: str, table: str) -> HttpResponse:
    if table not in reports.TABLE_KEYS:
        raise Http404("There is no such table.")
    timebank = _timebank_or_refusal(request, slug)
    if isinstance(timebank, HttpResponse):
        return timebank
    _, period = _period(request)
    report_table = reports.funder_report(timebank=timebank, period=period).table(table)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{timebank.slug}-{table}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerows(report_table.csv_rows())
    if report_table.has_hidden:
        writer.writerow([])
        writer.writerow([f"Note: {reports.SUPPRESSION_NOTE}"])
    writer.writerow([f"Period: {period.label}."])
    return response
