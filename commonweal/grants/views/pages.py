"""Pages for groups: open rounds, the ideas canvas (drafts, collaborators, attachments, sending in)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonweal.accounts.constants import Role
from commonweal.accounts.decorators import forbidden
from commonweal.accounts.selectors import (
    organisation_list,
    organisation_list_for_user,
    user_has_role,
)
from commonweal.core.htmx import HtmxHttpRequest
from commonweal.grants import selectors
from commonweal.grants.constants import ATTACHMENT_TYPES
from commonweal.grants.exceptions import GrantRefused
from commonweal.grants.forms import (
    AttachmentForm,
    CollaboratorForm,
    StartCanvasForm,
    canvas_form_class,
)
from commonweal.grants.models import Canvas, Round
from commonweal.grants.permissions import (
    can_decide_canvas,
    can_download_attachment,
    can_edit_canvas,
    can_view_canvas,
    is_fund_officer,
)
from commonweal.grants.services.canvas import (
    attachment_add,
    attachment_remove,
    canvas_problems,
    canvas_save,
    canvas_start,
    canvas_submit,
    collaborator_add,
    collaborator_remove,
)
from commonweal.grants.views import actor_of


def _round_or_404(round_id: UUID) -> Round:
    round_ = selectors.round_get(public_id=round_id)
    if round_ is None:
        raise Http404("No such round")
    return round_


def _canvas_or_404(canvas_id: UUID) -> Canvas:
    canvas = selectors.canvas_get(public_id=canvas_id)
    if canvas is None:
        raise Http404("No such idea")
    return canvas


@require_GET
def home(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = {"rounds": selectors.round_list_open()}
    if user.is_authenticated:
        context["canvases"] = selectors.canvas_list_for_user(user=user)[:20]
        context["seats"] = selectors.panel_seats_for(user=user)
        context["is_officer"] = is_fund_officer(user)
        context["is_sponsor"] = user_has_role(user=user, roles=[Role.SPONSOR])
        context["practice_funds"] = selectors.practice_funds_for(user=user)
    return render(request, "grants/home.html", context)


def _dropins(round_: Round) -> list[Any]:
    from django.db.models import Count

    from commonweal.grants.models import DropInSession

    return list(
        DropInSession.objects.filter(round=round_, starts_at__gt=timezone.now()).annotate(
            booked=Count("bookings")
        )
    )


@require_GET
def round_detail(request: HtmxHttpRequest, round_id: UUID) -> HttpResponse:
    round_ = _round_or_404(round_id)
    organisations = (
        organisation_list_for_user(user=request.user) if request.user.is_authenticated else []
    )
    return render(
        request,
        "grants/round_detail.html",
        {
            "round": round_,
            "criteria": round_.criteria.select_related("outcome"),
            "fields": round_.canvas_fields.all(),
            "wards": round_.wards.all(),
            "form": StartCanvasForm(organisations=organisations),
            "dropins": _dropins(round_),
        },
    )


@require_POST
@login_required
def canvas_start_page(request: HtmxHttpRequest, round_id: UUID) -> HttpResponse:
    round_ = _round_or_404(round_id)
    form = StartCanvasForm(
        request.POST, organisations=organisation_list_for_user(user=actor_of(request))
    )
    if form.is_valid():
        organisation = form.organisations.get(form.cleaned_data["organisation"] or "")
        try:
            canvas = canvas_start(
                actor=actor_of(request),
                round_=round_,
                title=form.cleaned_data["title"],
                organisation=organisation,
                group_name=form.cleaned_data["group_name"],
            )
        except GrantRefused as refusal:
            form.add_error(None, refusal.reason)
        else:
            messages.success(
                request, "Your idea is started. It saves as you go: come back any time."
            )
            return redirect("grants:canvas_edit", canvas_id=canvas.public_id)
    return render(
        request,
        "grants/round_detail.html",
        {
            "round": round_,
            "criteria": round_.criteria.select_related("outcome"),
            "fields": round_.canvas_fields.all(),
            "wards": round_.wards.all(),
            "form": form,
            "dropins": _dropins(round_),
        },
        status=400,
    )


def _canvas_initial(canvas: Canvas) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "title": canvas.title,
        "summary": canvas.summary,
        "amount_requested": canvas.amount_requested,
        "pledged_hours": canvas.pledged_hours,
        "ward": canvas.ward_id,
    }
    for key, value in canvas.answers.items():
        initial[f"answer_{key}"] = value
    return initial


def _edit_context(request: HtmxHttpRequest, canvas: Canvas, form: Any) -> dict[str, Any]:
    return {
        "canvas": canvas,
        "round": canvas.round,
        "form": form,
        "problems": canvas_problems(canvas),
        "collaborators": canvas.collaborators.select_related("organisation"),
        "attachments": canvas.attachments.all(),
        "collaborator_form": CollaboratorForm(
            organisations=organisation_list().exclude(pk=canvas.organisation_id or 0)
        ),
        "attachment_form": AttachmentForm(),
        "accept": ",".join(sorted(ATTACHMENT_TYPES)),
        "connected": _connected_drafts(canvas),
    }


def _connected_drafts(canvas: Canvas) -> list[Canvas]:
    """Drafts of groups this idea's group has been introduced to: candidates for a joint application."""
    from commonweal.grants.models import Connection

    ids = set(Connection.objects.filter(from_canvas=canvas).values_list("to_canvas_id", flat=True))
    ids |= set(Connection.objects.filter(to_canvas=canvas).values_list("from_canvas_id", flat=True))
    return list(Canvas.objects.filter(pk__in=ids, status="draft").select_related("organisation"))


def _save_from_form(request: HtmxHttpRequest, canvas: Canvas, form: Any) -> Canvas:
    data = form.cleaned_data
    answers = {
        name.removeprefix("answer_"): value
        for name, value in data.items()
        if name.startswith("answer_")
    }
    return canvas_save(
        actor=actor_of(request),
        canvas=canvas,
        title=data["title"],
        summary=data.get("summary", ""),
        answers=answers,
        amount_requested=data.get("amount_requested"),
        pledged_hours=data.get("pledged_hours") or Decimal("0"),
        ward=data.get("ward"),
        postcode=data.get("postcode", ""),
    )


@require_http_methods(["GET", "POST"])
@login_required
def canvas_edit(request: HtmxHttpRequest, canvas_id: UUID) -> HttpResponse:
    canvas = _canvas_or_404(canvas_id)
    decision = can_edit_canvas(request.user, canvas)
    if not decision and request.htmx:
        # The autosave of a page left open: say why nothing was saved, in the status line.
        return render(
            request, "grants/canvas_edit.html#save-status", {"refusal": decision.reason}, status=200
        )
    if not decision:
        if can_view_canvas(request.user, canvas):
            messages.info(request, decision.reason)
            return redirect("grants:canvas_detail", canvas_id=canvas.public_id)
        return forbidden(request, decision)
    form_class = canvas_form_class(canvas.round, list(canvas.round.canvas_fields.all()))
    if request.method == "GET":
        return render(
            request,
            "grants/canvas_edit.html",
            _edit_context(request, canvas, form_class(initial=_canvas_initial(canvas))),
        )
    form = form_class(request.POST)
    autosave = bool(request.htmx)
    if form.is_valid():
        try:
            canvas = _save_from_form(request, canvas, form)
            if request.POST.get("action") == "submit" and not autosave:
                canvas_submit(actor=actor_of(request), canvas=canvas)
                messages.success(
                    request, "Thank you: your idea has been sent in. We have emailed you a copy."
                )
                return redirect("grants:canvas_detail", canvas_id=canvas.public_id)
        except GrantRefused as refusal:
            form.add_error(None, refusal.reason)
    if autosave:
        return render(
            request,
            "grants/canvas_edit.html#save-status",
            {"form": form, "saved_at": None if form.errors else timezone.localtime()},
        )
    if not form.errors:
        messages.success(request, "Your draft is saved.")
        return redirect("grants:canvas_edit", canvas_id=canvas.public_id)
    canvas.refresh_from_db()
    return render(
        request, "grants/canvas_edit.html", _edit_context(request, canvas, form), status=400
    )


@require_GET
@login_required
def canvas_detail(request: HtmxHttpRequest, canvas_id: UUID) -> HttpResponse:
    canvas = _canvas_or_404(canvas_id)
    decision = can_view_canvas(request.user, canvas)
    if not decision:
        return forbidden(request, decision)
    fields = list(canvas.round.canvas_fields.all())
    answers = [(field.label, canvas.answers.get(field.key, "")) for field in fields]
    return render(
        request,
        "grants/canvas_detail.html",
        {
            "canvas": canvas,
            "answers": answers,
            "collaborators": canvas.collaborators.select_related("organisation"),
            "attachments": canvas.attachments.all(),
            "decision": getattr(canvas, "decision", None),
            "can_edit": bool(can_edit_canvas(request.user, canvas)),
            "is_officer": is_fund_officer(request.user),
            # A manager with an interest in the idea neither decides it nor makes its award.
            "may_decide": bool(can_decide_canvas(request.user, canvas)),
        },
    )


@require_POST
@login_required
def canvas_collaborator_add(request: HtmxHttpRequest, canvas_id: UUID) -> HttpResponse:
    canvas = _canvas_or_404(canvas_id)
    form = CollaboratorForm(request.POST, organisations=organisation_list())
    if not form.is_valid():
        messages.error(request, "Choose the group you are working with.")
    else:
        try:
            collaborator_add(
                actor=actor_of(request),
                canvas=canvas,
                organisation=form.organisations[form.cleaned_data["organisation"]],
                role=form.cleaned_data["role"],
            )
            messages.success(request, "Group added.")
        except GrantRefused as refusal:
            messages.error(request, refusal.reason)
    return redirect("grants:canvas_edit", canvas_id=canvas.public_id)


@require_POST
@login_required
def canvas_attachment_add(request: HtmxHttpRequest, canvas_id: UUID) -> HttpResponse:
    canvas = _canvas_or_404(canvas_id)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose a file to add.")
    else:
        try:
            attachment_add(actor=actor_of(request), canvas=canvas, upload=form.cleaned_data["file"])
            messages.success(request, "File added.")
        except GrantRefused as refusal:
            messages.error(request, refusal.reason)
    return redirect("grants:canvas_edit", canvas_id=canvas.public_id)


@require_POST
@login_required
def canvas_collaborator_remove(
    request: HtmxHttpRequest, canvas_id: UUID, collaborator_id: UUID
) -> HttpResponse:
    canvas = _canvas_or_404(canvas_id)
    collaborator = (
        canvas.collaborators.select_related("organisation")
        .filter(public_id=collaborator_id)
        .first()
    )
    if collaborator is None:
        raise Http404("No such group on this idea")
    decision = can_edit_canvas(request.user, canvas)
    if not decision:
        return forbidden(request, decision)
    try:
        collaborator_remove(actor=actor_of(request), collaborator=collaborator)
        messages.success(request, f"{collaborator.organisation.name} taken off your idea.")
    except GrantRefused as refusal:
        messages.error(request, refusal.reason)
    return redirect("grants:canvas_edit", canvas_id=canvas.public_id)


@require_POST
@login_required
def canvas_attachment_remove(
    request: HtmxHttpRequest, canvas_id: UUID, attachment_id: UUID
) -> HttpResponse:
    canvas = _canvas_or_404(canvas_id)
    attachment = canvas.attachments.filter(public_id=attachment_id).first()
    if attachment is None:
        raise Http404("No such file on this idea")
    decision = can_edit_canvas(request.user, canvas)
    if not decision:
        return forbidden(request, decision)
    try:
        attachment_remove(actor=actor_of(request), attachment=attachment)
        messages.success(request, f"'{attachment.name}' removed.")
    except GrantRefused as refusal:
        messages.error(request, refusal.reason)
    return redirect("grants:canvas_edit", canvas_id=canvas.public_id)


@require_GET
@login_required
def attachment_download(request: HtmxHttpRequest, attachment_id: UUID) -> HttpResponseBase:
    from django.http import FileResponse

    from commonweal.grants.models import Attachment

    attachment = (
        Attachment.objects.select_related("canvas__round").filter(public_id=attachment_id).first()
    )
    if attachment is None:
        raise Http404("No such file")
    decision = can_download_attachment(request.user, attachment)
    if not decision:
        return forbidden(request, decision)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )


@require_POST
@login_required
def dropin_book_page(request: HtmxHttpRequest, session_id: UUID) -> HttpResponse:
    from commonweal.grants.models import DropInSession
    from commonweal.grants.services.dropins import dropin_book

    session = DropInSession.objects.select_related("round").filter(public_id=session_id).first()
    if session is None:
        raise Http404("No such drop-in")
    try:
        dropin_book(actor=actor_of(request), session=session, needs=request.POST.get("needs", ""))
        messages.success(request, "Your place is booked. We have emailed you the details.")
    except GrantRefused as refusal:
        messages.error(request, refusal.reason)
    return redirect("grants:round_detail", round_id=session.round.public_id)
