"""Sponsor pages: managers match a sponsor to every idea sent in; sponsors see theirs and log contacts."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonweal.accounts.constants import Role
from commonweal.accounts.decorators import role_required
from commonweal.accounts.models import User
from commonweal.accounts.selectors import user_get_by_email
from commonweal.core.htmx import HtmxHttpRequest
from commonweal.grants import selectors
from commonweal.grants.constants import CanvasStatus
from commonweal.grants.exceptions import GrantRefused
from commonweal.grants.forms import SponsorChangeForm, SponsorProfileForm
from commonweal.grants.models import Canvas, SponsorProfile
from commonweal.grants.services.sponsors import (
    sponsor_change,
    sponsor_confirm,
    sponsor_contact_log,
    sponsor_profile_save,
    sponsor_suggestions,
)
from commonweal.grants.views import actor_of, uuid_or_none
from commonweal.grants.views.officer import _round, officer_required


@require_GET
@officer_required
def round_sponsors(request: HtmxHttpRequest, round_id: UUID) -> HttpResponse:
    round_ = _round(round_id)
    canvases = list(
        Canvas.objects.filter(round=round_)
        .exclude(status__in=[CanvasStatus.DRAFT, CanvasStatus.MERGED])
        .select_related("organisation", "ward", "sponsor")
        .order_by("title")
    )
    rows = [
        (canvas, [] if canvas.sponsor_id else sponsor_suggestions(canvas=canvas))
        for canvas in canvases
    ]
    return render(
        request,
        "grants/sponsors.html",
        {"round": round_, "rows": rows, "profiles": selectors.sponsor_profile_list()},
    )


@require_http_methods(["GET", "POST"])
@officer_required
def sponsor_list(request: HtmxHttpRequest) -> HttpResponse:
    """Every sponsor with their wards, themes and load; add a council officer as a sponsor."""
    form = SponsorProfileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = user_get_by_email(email=data["email"])
        if user is None:
            form.add_error("email", "Nobody has a Commonweal account with this email address.")
        elif SponsorProfile.objects.filter(user=user).exists():
            form.add_error("email", f"{user} is already a sponsor: change their details below.")
        else:
            try:
                sponsor_profile_save(
                    actor=actor_of(request),
                    user=user,
                    wards=data["wards"],
                    themes=data["themes"],
                    capacity=data["capacity"],
                )
            except GrantRefused as refusal:
                form.add_error(
                    None, f"{refusal.reason} Ask an administrator to give them the role first."
                )
            else:
                messages.success(request, f"{user} is now a sponsor.")
                return redirect("grants:sponsor_list")
    return render(
        request,
        "grants/officer/sponsors.html",
        {"profiles": selectors.sponsor_profile_list(), "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@officer_required
def sponsor_edit(request: HtmxHttpRequest, user_id: UUID) -> HttpResponse:
    """Change a sponsor's wards, themes and how many projects they take at once."""
    profile = SponsorProfile.objects.select_related("user").filter(user__public_id=user_id).first()
    if profile is None:
        raise Http404("No such sponsor")
    initial = {
        "wards": list(profile.wards.all()),
        "themes": profile.themes,
        "capacity": profile.capacity,
    }
    form = SponsorProfileForm(request.POST or None, initial=initial, adding=False)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sponsor_profile_save(
                actor=actor_of(request),
                user=profile.user,
                wards=data["wards"],
                themes=data["themes"],
                capacity=data["capacity"],
            )
        except GrantRefused as refusal:
            form.add_error(None, refusal.reason)
        else:
            messages.success(request, f"{profile.user}'s sponsor details saved.")
            return redirect("grants:sponsor_list")
    return render(
        request,
        "grants/officer/sponsor_form.html",
        {"profile": profile, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@officer_required
def sponsor_change_page(request: HtmxHttpRequest, canvas_id: UUID) -> HttpResponse:
    """Hand an idea to another sponsor, with the reason recorded."""
    canvas = selectors.canvas_get(public_id=canvas_id)
    if canvas is None:
        raise Http404("No such idea")
    form = SponsorChangeForm(request.POST)
    sponsor = None
    if form.is_valid():
        sponsor = User.objects.filter(public_id=form.cleaned_data["sponsor"]).first()
    if sponsor is None:
        messages.error(request, "Choose the new sponsor and say why the sponsor changes.")
    else:
        try:
            sponsor_change(
                actor=actor_of(request),
                canvas=canvas,
                sponsor=sponsor,
                reason=form.cleaned_data["reason"],
            )
            messages.success(
                request,
                f"{sponsor} now sponsors '{canvas.title}'. We have told both sponsors and the group.",
            )
        except GrantRefused as refusal:
            messages.error(request, refusal.reason)
    return redirect("grants:round_sponsors", round_id=canvas.round.public_id)


@require_POST
@officer_required
def sponsor_confirm_page(request: HtmxHttpRequest, canvas_id: UUID) -> HttpResponse:
    canvas = selectors.canvas_get(public_id=canvas_id)
    sponsor_id = uuid_or_none(request.POST.get("sponsor"))
    sponsor = User.objects.filter(public_id=sponsor_id).first() if sponsor_id is not None else None
    if canvas is None:
        raise Http404("No such idea")
    if sponsor is None:
        messages.error(request, "Choose a sponsor.")
    else:
        try:
            sponsor_confirm(actor=actor_of(request), canvas=canvas, sponsor=sponsor)
            messages.success(
                request, f"{sponsor} sponsors '{canvas.title}'. We have introduced them by email."
            )
        except GrantRefused as refusal:
            messages.error(request, refusal.reason)
    return redirect("grants:round_sponsors", round_id=canvas.round.public_id)


@require_GET
@role_required(Role.SPONSOR)
def my_sponsored(request: HtmxHttpRequest) -> HttpResponse:
    canvases = (
        Canvas.objects.filter(sponsor=actor_of(request))
        .select_related("round__fund", "organisation")
        .prefetch_related("sponsor_contacts")
        .order_by("title")
    )
    return render(
        request, "grants/my_sponsored.html", {"canvases": canvases, "today": timezone.localdate()}
    )


@require_POST
@role_required(Role.SPONSOR)
def sponsor_contact(request: HtmxHttpRequest, canvas_id: UUID) -> HttpResponse:
    canvas = selectors.canvas_get(public_id=canvas_id)
    if canvas is None:
        raise Http404("No such idea")
    happened_on = parse_date(request.POST.get("happened_on", "")) or timezone.localdate()
    try:
        sponsor_contact_log(
            actor=actor_of(request),
            canvas=canvas,
            happened_on=happened_on,
            note=request.POST.get("note", ""),
        )
        messages.success(request, "Contact logged.")
    except GrantRefused as refusal:
        messages.error(request, refusal.reason)
    return redirect("grants:my_sponsored")
