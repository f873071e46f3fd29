"""Public listing pages: a listing, its print view, the shortlist, report a problem, the widget.

Anyone may open these without signing in, except the moderators' list of reported problems.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode
from uuid import UUID

from csp.decorators import csp_replace
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonweal.accounts.constants import Role
from commonweal.accounts.decorators import role_required, sensitive_view
from commonweal.core.htmx import HtmxHttpRequest, trigger_toast
from commonweal.directory import listing as listings
from commonweal.directory.listing_forms import (
    ProblemDealtWithForm,
    ProblemReportForm,
    WidgetForm,
)
from commonweal.directory.models import Service


def _listing_or_404(public_id: UUID) -> listings.Listing:
    listing = listings.listing_get(public_id=public_id)
    if listing is None:
        raise Http404("No such listing")
    return listing


def _share_context(request: HttpRequest, listing: listings.Listing) -> dict[str, Any]:
    link = request.build_absolute_uri(listing.url)
    subject = f"{listing.service.name}"
    body = f"I found this in the community directory and thought it might help:\n\n{listing.service.name}\n{link}\n"
    return {
        "share_url": link,
        "mailto": f"mailto:?subject={quote(subject)}&body={quote(body)}",
    }


def _listing_context(request: HttpRequest, listing: listings.Listing) -> dict[str, Any]:
    return {
        "listing": listing,
        "service": listing.service,
        "features": listing.map_features(),
        "masked_text": listings.MASKED_ADDRESS_TEXT,
        "in_shortlist": listing.service.public_id in listings.shortlist_ids(request.session),
        **_share_context(request, listing),
    }


@require_GET
def service_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    listing = _listing_or_404(public_id)
    return render(request, "directory/service_detail.html", _listing_context(request, listing))


@require_GET
def service_print(request: HttpRequest, public_id: UUID) -> HttpResponse:
    listing = _listing_or_404(public_id)
    return render(request, "directory/service_print.html", _listing_context(request, listing))


# --- shortlist -----------------------------------------------------------------------------------


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _published(public_id: UUID) -> Service:
    service = Service.objects.published().filter(public_id=public_id).first()
    if service is None:
        raise Http404("No such listing")
    return service


def _shortlist_button(
    request: HtmxHttpRequest, service: Service, message: str, *, level: str = "success"
) -> HttpResponse:
    in_shortlist = service.public_id in listings.shortlist_ids(request.session)
    response = render(
        request,
        "directory/includes/_shortlist_button.html",
        {
            "service": service,
            "in_shortlist": in_shortlist,
            "next": request.POST.get("next", ""),
            "shortlist_count": len(listings.shortlist_ids(request.session)),
        },
    )
    return trigger_toast(response, message, level=level)


@require_POST
def shortlist_add(request: HtmxHttpRequest, public_id: UUID) -> HttpResponse:
    service = _published(public_id)
    if listings.shortlist_add(request.session, service.public_id):
        message, level = f"Added {service.name} to your shortlist", "success"
    else:
        message = f"Your shortlist is full ({listings.SHORTLIST_MAX} listings). Remove one to add another."
        level = "error"
    if request.htmx:
        return _shortlist_button(request, service, message, level=level)
    (messages.success if level == "success" else messages.error)(request, message)
    return redirect(_back(request, reverse("directory:service_detail", args=[public_id])))


@require_POST
def shortlist_remove(request: HtmxHttpRequest, public_id: UUID) -> HttpResponse:
    listings.shortlist_remove(request.session, public_id)
    service = Service.objects.filter(public_id=public_id).first()
    name = service.name if service is not None else "The listing"
    message = f"Removed {name} from your shortlist"
    if request.htmx and service is not None:
        return _shortlist_button(request, service, message)
    messages.success(request, message)
    return redirect(_back(request, reverse("directory:shortlist")))


@require_GET
def shortlist(request: HttpRequest) -> HttpResponse:
    shared = "ids" in request.GET
    if shared:
        ids = listings.parse_ids(request.GET.get("ids", "")[:4000].split(","))
    else:
        ids = listings.shortlist_ids(request.session)
    entries = listings.listing_list(public_ids=ids)
    share_url = (
        request.build_absolute_uri(
            listings.shortlist_share_path([entry.service.public_id for entry in entries])
        )
        if entries
        else ""
    )
    return render(
        request,
        "directory/shortlist.html",
        {
            "entries": entries,
            "shared": shared,
            "share_url": share_url,
            "mailto": "mailto:?"
            + urlencode(
                {
                    "subject": "A shortlist from the community directory",
                    "body": f"Here are some groups and services that might help:\n\n{share_url}\n",
                },
                quote_via=quote,
            ),
            "masked_text": listings.MASKED_ADDRESS_TEXT,
        },
    )


# --- report a problem ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def report_problem(request: HttpRequest, public_id: UUID) -> HttpResponse:
    listing = _listing_or_404(public_id)
    service = listing.service
    listing_full = listings.problem_reports_listing_full(service)
    allowed = listings.problem_reports_allowed(request.session) and not listing_full
    form = ProblemReportForm(request.POST or None)
    if request.method == "POST" and allowed and form.is_valid():
        listings.problem_report_create(
            actor=request.user,
            service=service,
            kind=form.cleaned_data["kind"],
            details=form.cleaned_data["details"],
            reply_email=form.cleaned_data["reply_email"],
            site_root=request.build_absolute_uri("/"),
        )
        listings.problem_reports_count(request.session)
        return redirect("directory:report_problem_sent", public_id=service.public_id)
    status = 429 if request.method == "POST" and not allowed else 200
    return render(
        request,
        "directory/report_problem.html",
        {"service": service, "form": form, "allowed": allowed, "listing_full": listing_full},
        status=status,
    )


@require_GET
def report_problem_sent(request: HttpRequest, public_id: UUID) -> HttpResponse:
    listing = _listing_or_404(public_id)
    return render(request, "directory/report_problem_sent.html", {"service": listing.service})


@require_GET
@sensitive_view
@role_required(Role.MODERATOR, Role.ADMIN)
def problem_reports(request: HttpRequest) -> HttpResponse:
    reports = list(listings.problem_report_list())
    return render(
        request,
        "directory/problem_reports.html",
        {"reports": reports, "form": ProblemDealtWithForm()},
    )


@require_POST
@sensitive_view
@role_required(Role.MODERATOR, Role.ADMIN)
def problem_report_dealt_with(request: HttpRequest, public_id: UUID) -> HttpResponse:
    report = listings.problem_report_get_open(public_id=public_id)
    if report is None:
        messages.info(request, "That report has already been dealt with.")
        return redirect("directory:problem_reports")
    form = ProblemDealtWithForm(request.POST)
    if not form.is_valid():
        reports = list(listings.problem_report_list())
        return render(
            request,
            "directory/problem_reports.html",
            {
                "reports": reports,
                "form": ProblemDealtWithForm(),
                "failed": report,
                "failed_form": form,
            },
            status=400,
        )
    listings.problem_report_deal_with(
        actor=request.user, report=report, note=form.cleaned_data["note"]
    )
    messages.success(request, f"Marked the report about {report.service.name} as dealt with.")
    return redirect("directory:problem_reports")


# --- the embeddable widget -----------------------------------------------------------------------


@require_GET
def widget(request: HttpRequest) -> HttpResponse:
    submitted = bool(request.GET)
    form = WidgetForm(request.GET if submitted else None)
    embed_url = ""
    if submitted and form.is_valid():
        params = form.embed_params()
        embed_url = request.build_absolute_uri(reverse("directory:embed"))
        if params:
            embed_url += "?" + urlencode(params)
    snippet = (
        f'<iframe src="{embed_url}" title="Community groups and services near you" '
        'width="100%" height="480" style="border:1px solid #b1b4b6" loading="lazy"></iframe>'
        if embed_url
        else ""
    )
    return render(
        request,
        "directory/widget.html",
        {"form": form, "embed_url": embed_url, "snippet": snippet},
    )


@require_GET
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def embed(request: HttpRequest) -> HttpResponse:
    query = listings.embed_query_parse(request.GET)
    items = listings.embed_results(query)
    return render(
        request,
        "directory/embed.html",
        {
            "query": query,
            "items": [
                {"item": item, "url": request.build_absolute_uri(item.listing_path)}
                for item in items
            ],
            "directory_url": request.build_absolute_uri(reverse("directory:search")),
            "masked_text": listings.MASKED_ADDRESS_TEXT,
        },
    )
