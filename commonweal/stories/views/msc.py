"""Most Significant Change rounds: moderators set them up, panels choose a story per domain and say why,
and moderators publish the feedback."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from commonweal.accounts.decorators import role_required, sensitive_view
from commonweal.stories import msc
from commonweal.stories.forms import MscRoundForm
from commonweal.stories.models import MscRound, Story
from commonweal.stories.permissions import PANEL_ROLES, can_moderate_stories

CANDIDATES_PER_PAGE = 50  # each domain pages through all its candidates, ?domain-<id>-page=2


@require_http_methods(["GET", "POST"])
@sensitive_view
@role_required(*PANEL_ROLES)
def round_list(request: HttpRequest) -> HttpResponse:
    can_create = bool(can_moderate_stories(request.user))
    form = MscRoundForm(request.POST if request.method == "POST" and can_create else None)
    if request.method == "POST" and can_create and form.is_valid():
        data = form.cleaned_data
        msc_round = msc.msc_round_create(
            actor=request.user,
            title=data["title"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            panel=data["panel"],
            outcomes=data["outcome_objects"],
        )
        return redirect("stories:msc_round", public_id=msc_round.public_id)
    return render(
        request,
        "stories/msc/list.html",
        {"rounds": MscRound.objects.all(), "form": form, "can_create": can_create},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@sensitive_view
@role_required(*PANEL_ROLES)
def round_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    msc_round = MscRound.objects.filter(public_id=public_id).first()
    if msc_round is None:
        raise Http404("No such round")
    errors: dict[int, str] = {}
    if request.method == "POST":
        if request.POST.get("action") == "feedback":
            if not can_moderate_stories(request.user):
                raise Http404("Only moderators publish the feedback")
            try:
                msc.msc_feedback_publish(actor=request.user, msc_round=msc_round)
            except msc.MscError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request, "The panel's choices and reasons are now on the stories' pages."
                )
            return redirect("stories:msc_round", public_id=msc_round.public_id)
        domain = msc_round.domains.filter(pk=request.POST.get("domain") or 0).first()
        story_id = _uuid(request.POST.get("story"))
        story = Story.objects.filter(public_id=story_id).first() if story_id else None
        if domain is None:
            raise Http404("No such domain")
        try:
            if story is None:
                raise msc.MscError("Choose one of the stories.")
            msc.msc_select(
                actor=request.user,
                domain=domain,
                story=story,
                reasons=request.POST.get("reasons", ""),
            )
        except msc.MscError as exc:
            errors[domain.pk] = str(exc)
        else:
            messages.success(request, f"Chosen for “{domain.name}”.")
            return redirect("stories:msc_round", public_id=msc_round.public_id)
    domains: list[dict[str, Any]] = []
    for domain in msc_round.domains.select_related("outcome", "selection__story__ward"):
        selection = getattr(domain, "selection", None)  # the reverse one-to-one, when chosen
        page_key = f"domain-{domain.pk}-page"
        page = Paginator(msc.msc_candidates(domain=domain), CANDIDATES_PER_PAGE).get_page(
            request.GET.get(page_key)
        )
        domains.append(
            {
                "domain": domain,
                "candidates": list(page.object_list),
                "page": page,
                "previous_url": _page_url(request, page_key, page.previous_page_number())
                if page.has_previous()
                else "",
                "next_url": _page_url(request, page_key, page.next_page_number())
                if page.has_next()
                else "",
                "selection": selection,
                "error": errors.get(domain.pk, ""),
                "reasons": request.POST.get("reasons", "") if errors.get(domain.pk) else "",
            }
        )
    return render(
        request,
        "stories/msc/round.html",
        {
            "round": msc_round,
            "domains": domains,
            "can_publish": bool(can_moderate_stories(request.user)),
        },
        status=400 if errors else 200,
    )


def _page_url(request: HttpRequest, key: str, number: int) -> str:
    """This page's address with one domain's page changed and the others' kept."""
    query = request.GET.copy()
    query[key] = str(number)
    return f"?{query.urlencode()}#domain-{key.split('-')[1]}"


def _uuid(value: str | None) -> UUID | None:
    try:
        return UUID(str(value))
    except ValueError:
        return None
