"""Golden nuggets for staff: flag a story with a note, change the note, unflag it, and list them."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from commonweal.accounts.decorators import role_required, sensitive_view
from commonweal.core.audit import access_record
from commonweal.stories import nuggets
from commonweal.stories.forms import NuggetForm
from commonweal.stories.models import Collection, GoldenNugget
from commonweal.stories.permissions import NUGGET_ROLES


@require_GET
@sensitive_view
@role_required(*NUGGET_ROLES)
def nugget_list(request: HttpRequest) -> HttpResponse:
    collections = list(Collection.objects.order_by("title"))
    wanted = request.GET.get("collection", "")[:150]
    chosen = next((c for c in collections if c.slug == wanted), None)
    return render(
        request,
        "stories/nuggets/list.html",
        {
            "nuggets": list(nuggets.nugget_list(collection=chosen)[:500]),
            "collections": collections,
            "chosen": chosen,
        },
    )


@require_http_methods(["GET", "POST"])
@sensitive_view
@role_required(*NUGGET_ROLES)
def nugget_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    story = nuggets.nugget_story_get(public_id=public_id)
    if story is None:
        raise Http404("No such story, or it is not published or kept for internal use")
    access_record(actor=request.user, target=story, purpose="golden nugget", path=request.path)
    nugget = GoldenNugget.objects.filter(story=story).first()
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            if nuggets.nugget_remove(actor=request.user, story=story):
                messages.success(request, "The story is no longer a golden nugget.")
            return redirect("stories:nuggets")
        form = NuggetForm(request.POST)
        if form.is_valid():
            try:
                nuggets.nugget_keep(actor=request.user, story=story, note=form.cleaned_data["note"])
            except nuggets.NuggetError as exc:
                form.add_error("note", str(exc))
            else:
                messages.success(request, "The story is kept as a golden nugget.")
                return redirect("stories:nuggets")
    else:
        form = NuggetForm(initial={"note": nugget.note if nugget else ""})
    return render(
        request,
        "stories/nuggets/edit.html",
        {"story": story, "nugget": nugget, "form": form},
        status=400 if form.errors else 200,
    )
