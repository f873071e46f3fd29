"""Sharing a story: the public form, gatherer mode (also answering the phone's script in JSON),
and the teller's private withdrawal link."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.views.decorators.http import require_GET, require_http_methods

from commonweal.accounts.decorators import forbidden
from commonweal.stories import selectors, services
from commonweal.stories.constants import LATE_DRAFT_DAYS, CollectionMethod, StoryState
from commonweal.stories.forms import StoryForm
from commonweal.stories.models import Collection
from commonweal.stories.msc import msc_feedback_for
from commonweal.stories.permissions import can_gather_stories


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _withdraw_url(request: HttpRequest, story: object) -> str:
    token = services.story_withdraw_token(story)  # type: ignore[arg-type]
    return request.build_absolute_uri(reverse("stories:withdraw", args=[token]))


@require_GET
def share_start(request: HttpRequest) -> HttpResponse:
    collections = list(selectors.collection_open_list())
    if len(collections) == 1:
        return redirect("stories:share", slug=collections[0].slug)
    return render(request, "stories/share_start.html", {"collections": collections})


def _collection_or_404(
    request: HttpRequest, slug: str, *, method: str
) -> tuple[Collection, bool] | HttpResponse:
    """The collection and whether this is a gatherer's late draft, or a page saying why not.

    A gatherer's phone sends the drafts it kept without a signal in JSON; a collection that closed
    no more than ``LATE_DRAFT_DAYS`` ago still takes them. The phone is told in JSON why anything
    else is refused, so it can keep the draft and show the reason.
    """
    collection = selectors.collection_get(slug=slug)
    if collection is not None and collection.is_open:
        return collection, False
    wants_json = _wants_json(request)
    late = (
        collection is not None
        and method == CollectionMethod.GATHERER
        and request.method == "POST"
        and wants_json
        and collection.takes_late_drafts()
    )
    if late:
        assert collection is not None
        return collection, True
    if wants_json:
        if collection is None:
            return JsonResponse(
                {
                    "status": "not_found",
                    "reason": "There is no collection at this address, so the story cannot be "
                    "sent to it.",
                },
                status=404,
            )
        closed = (
            f" on {date_format(timezone.localtime(collection.closed_at), 'j F Y')}"
            if collection.closed_at
            else ""
        )
        return JsonResponse(
            {
                "status": "closed",
                "reason": f"“{collection.title}” closed{closed} and no longer takes stories "
                f"(drafts kept on a phone are taken for {LATE_DRAFT_DAYS} days after it closes). "
                "Ask the collection's organisers what to do with this story.",
            },
            status=410,
        )
    return render(request, "stories/collection_closed.html", status=404)


def _share(request: HttpRequest, slug: str, *, method: str) -> HttpResponse:
    found = _collection_or_404(request, slug, method=method)
    if isinstance(found, HttpResponse):
        return found
    collection, late = found
    gathering = method == CollectionMethod.GATHERER
    if request.method == "POST":
        form = StoryForm(request.POST, request.FILES, collection=collection)
        if form.is_valid():
            try:
                result = services.story_submit(
                    actor=request.user,
                    collection=collection,
                    draft=form.draft(),
                    method=method,
                    late=late,
                )
            except services.StoryError as exc:
                form.add_error(None, str(exc))
            else:
                # Only the sender of the draft gets the private link, never someone who has
                # learnt its client id.
                withdraw_url = (
                    _withdraw_url(request, result.story)
                    if result.created or result.same_sender
                    else ""
                )
                if _wants_json(request):
                    return JsonResponse(
                        {
                            "status": "created" if result.created else "already_received",
                            "story": str(result.story.public_id),
                            "withdraw_url": withdraw_url,
                        },
                        status=201 if result.created else 200,
                    )
                return render(
                    request,
                    "stories/share_done.html",
                    {
                        "collection": collection,
                        "created": result.created,
                        "withdraw_url": withdraw_url,
                        "gathering": gathering,
                    },
                )
        if _wants_json(request):
            errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
            return JsonResponse({"status": "invalid", "errors": errors}, status=400)
    else:
        form = StoryForm(collection=collection)
    return render(
        request,
        "stories/share.html",
        {"form": form, "collection": collection, "gathering": gathering},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def share(request: HttpRequest, slug: str) -> HttpResponse:
    return _share(request, slug, method=CollectionMethod.WEB)


@require_http_methods(["GET", "POST"])
def gather(request: HttpRequest, slug: str) -> HttpResponse:
    """Gatherer mode: the same form, kept on the phone as a draft until it reaches us."""
    decision = can_gather_stories(request.user)
    if not decision:
        if _wants_json(request):
            return JsonResponse({"status": "forbidden", "reason": decision.reason}, status=403)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return forbidden(request, decision)
    return _share(request, slug, method=CollectionMethod.GATHERER)


@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    try:
        story = services.story_from_withdraw_token(token)
    except services.WithdrawalLinkError as exc:
        return render(request, "stories/withdraw_refused.html", {"reason": str(exc)}, status=400)
    if request.method == "POST":
        story = services.story_withdraw(story=story, actor=request.user)
        return render(request, "stories/withdraw_done.html", {"story": story})
    # The private link is how every teller hears back, including those whose story is kept internal.
    feedback = msc_feedback_for(story=story) if story.state != StoryState.WITHDRAWN else []
    return render(request, "stories/withdraw.html", {"story": story, "msc_feedback": feedback})
