"""The ideas gallery: browse shared ideas, see similar ideas and who is working nearby, connect, merge."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from commonweal.core.htmx import HtmxHttpRequest
from commonweal.grants import selectors
from commonweal.grants.constants import CanvasStatus
from commonweal.grants.exceptions import GrantRefused
from commonweal.grants.models import Canvas
from commonweal.grants.services.gallery import (
    canvas_gallery_set,
    canvas_merge,
    connection_make,
    gallery_nearby,
)
from commonweal.grants.views import actor_of, uuid_or_none


def _gallery_canvas(canvas_id: UUID) -> Canvas:
    canvas = selectors.canvas_get(public_id=canvas_id)
    if (
        canvas is None
        or not canvas.in_gallery
        or canvas.status == CanvasStatus.MERGED
        or not canvas.round.is_open
    ):
        raise Http404("This idea is not in the gallery")
    return canvas


@require_GET
def gallery(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "grants/gallery.html", {"canvases": selectors.gallery_list()[:200]})


@require_GET
def gallery_idea(request: HtmxHttpRequest, canvas_id: UUID) -> HttpResponse:
    canvas = _gallery_canvas(canvas_id)
    mine = []
    if request.user.is_authenticated:
        mine = [
            c
            for c in selectors.canvas_list_for_user(user=request.user).filter(round=canvas.round)
            if c.pk != canvas.pk and c.status != CanvasStatus.MERGED
        ]
    fields = list(canvas.round.canvas_fields.all())
    return render(
        request,
        "grants/gallery_idea.html",
        {
            "canvas": canvas,
            "answers": [(f.label, canvas.answers.get(f.key, "")) for f in fields],
            "similar": selectors.similar_ideas_for(canvas=canvas),
            "nearby": gallery_nearby(canvas=canvas),
            "mine": mine,
        },
    )


@require_POST
@login_required
def gallery_share(request: HtmxHttpRequest, canvas_id: UUID) -> HttpResponse:
    canvas = selectors.canvas_get(public_id=canvas_id)
    if canvas is None:
        raise Http404("No such idea")
    show = request.POST.get("show") == "yes"
    try:
        canvas_gallery_set(actor=actor_of(request), canvas=canvas, show=show)
        messages.success(
            request,
            "Your idea is in the gallery." if show else "Your idea is no longer in the gallery.",
        )
    except GrantRefused as refusal:
        messages.error(request, refusal.reason)
    return redirect(
        "grants:canvas_edit" if canvas.is_draft else "grants:canvas_detail",
        canvas_id=canvas.public_id,
    )


@require_POST
@login_required
def gallery_connect(request: HtmxHttpRequest, canvas_id: UUID) -> HttpResponse:
    to_canvas = _gallery_canvas(canvas_id)
    from_canvas = selectors.canvas_get(
        public_id=uuid_or_none(request.POST.get("from")) or UUID(int=0)
    )
    if from_canvas is None:
        messages.error(request, "Choose which of your ideas you are connecting from.")
    else:
        try:
            connection_make(
                actor=actor_of(request),
                from_canvas=from_canvas,
                to_canvas=to_canvas,
                message=request.POST.get("message", ""),
            )
            messages.success(
                request, f"We have introduced you to {to_canvas.applicant_name} by email."
            )
        except GrantRefused as refusal:
            messages.error(request, refusal.reason)
    return redirect("grants:gallery_idea", canvas_id=to_canvas.public_id)


@require_POST
@login_required
def canvas_merge_page(request: HtmxHttpRequest, canvas_id: UUID) -> HttpResponse:
    source = selectors.canvas_get(public_id=canvas_id)
    target = selectors.canvas_get(public_id=uuid_or_none(request.POST.get("into")) or UUID(int=0))
    if source is None:
        raise Http404("No such idea")
    if target is None:
        messages.error(request, "Choose the idea to join.")
        return redirect("grants:canvas_edit", canvas_id=source.public_id)
    try:
        canvas_merge(actor=actor_of(request), source=source, target=target)
    except GrantRefused as refusal:
        messages.error(request, refusal.reason)
        return redirect("grants:canvas_edit", canvas_id=source.public_id)
    messages.success(
        request, f"Your idea has joined '{target.title}'. Its group will bring the two together."
    )
    return redirect("grants:home")
