"""The gift board's pages: browse, a post with its suggestions, post and edit, ask, reply, my posts."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonweal.accounts.decorators import sensitive_view
from commonweal.accounts.models import Organisation
from commonweal.timebank import giftboard as board
from commonweal.timebank.constants import ConnectionStatus, PostKind, PostStatus
from commonweal.timebank.giftboard_forms import AskForm, BoardFilterForm, PostForm
from commonweal.timebank.matching import match_suggestions
from commonweal.timebank.models import Connection, GiftPost

PAGE_SIZE = 20

# What someone is posting: (kind, goods?) and the page's words.
NEW_KINDS: dict[str, tuple[str, bool, str]] = {
    "offer": (PostKind.OFFER, False, "Offer a gift"),
    "need": (PostKind.NEED, False, "Ask for help"),
    "give": (PostKind.OFFER, True, "Give something away"),
    "wanted": (PostKind.NEED, True, "Ask for an item"),
}


def _post_or_404(public_id: UUID) -> GiftPost:
    return get_object_or_404(
        GiftPost.objects.select_related(
            "category", "category__parent", "ward", "member", "organisation", "timebank"
        ),
        public_id=public_id,
    )


def _kind_word(post: GiftPost) -> str:
    if post.is_goods:
        return "item to give away" if post.kind == PostKind.OFFER else "item wanted"
    return "offer" if post.kind == PostKind.OFFER else "need"


@require_GET
def board_list(request: HttpRequest) -> HttpResponse:
    categories = board.category_choices()
    form = BoardFilterForm(request.GET or None, wards=board.board_wards(), categories=categories)
    member = board.member_for_user(request.user)
    hide = bool(member is not None and member.no_home_visits)
    filters = board.BoardFilters(hide_home_visits=hide)
    if form.is_valid():
        data = form.cleaned_data
        filters = board.BoardFilters(
            kind=data["kind"] or PostKind.OFFER,
            ward_code=data["ward"],
            category_id=int(data["category"]) if data["category"] else None,
            hide_home_visits=hide,
        )
    elif request.GET.get("kind") in ("offer", "need", "goods"):
        filters = board.BoardFilters(kind=request.GET["kind"], hide_home_visits=hide)
    page = Paginator(board.board_queryset(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "timebank/giftboard/board.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "counts": board.board_counts(),
            "query": query.urlencode(),
            "member": member,
            "not_yet": "" if member is not None else board.not_yet_member_words(request.user),
            "filtered": bool(filters.ward_code or filters.category_id),
        },
    )


@require_GET
def post_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    post = _post_or_404(public_id)
    can_edit = board.post_can_edit(post, request.user)
    if not post.is_live and not can_edit:
        return render(request, "timebank/giftboard/post_gone.html", {"post": post}, status=410)
    member = board.member_for_user(request.user)
    suggestions = (
        match_suggestions(post) if can_edit and post.is_live and member is not None else []
    )
    return render(
        request,
        "timebank/giftboard/post_detail.html",
        {
            "post": post,
            "kind_word": _kind_word(post),
            "can_edit": can_edit,
            "can_ask": board.post_can_ask(post, member),
            "member": member,
            "not_yet": "" if member is not None else board.not_yet_member_words(request.user),
            "suggestions": suggestions,
            "asks": post.connections.select_related("asked_by").order_by("-created_at")
            if can_edit
            else [],
        },
    )


@require_GET
def post_photo(request: HttpRequest, public_id: UUID) -> FileResponse:
    post = _post_or_404(public_id)
    if not post.photo or not (post.is_live or board.post_can_edit(post, request.user)):
        raise Http404("No photo")
    try:
        handle = post.photo.open("rb")
    except OSError as exc:
        raise Http404("No photo") from exc
    response = FileResponse(handle)
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _not_a_member(request: HttpRequest) -> HttpResponse:
    """Join first; or, for an applicant (or a suspended member), why they cannot post yet."""
    return render(
        request,
        "timebank/giftboard/join_first.html",
        {"not_yet": board.not_yet_member_words(request.user)},
        status=403,
    )


def _organisations(request: HttpRequest) -> list[Organisation]:
    return list(
        Organisation.objects.filter(
            memberships__user_id=request.user.pk or 0, memberships__ends_on__isnull=True
        ).distinct()
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_create(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in NEW_KINDS:
        raise Http404("No such kind of post")
    member = board.member_for_user(request.user)
    if member is None:
        return _not_a_member(request)
    post_kind, goods, heading = NEW_KINDS[kind]
    organisations = _organisations(request)
    form = PostForm(request.POST or None, request.FILES or None, goods=goods)
    if request.method == "POST" and form.is_valid():
        organisation = next(
            (o for o in organisations if str(o.public_id) == request.POST.get("post_for")), None
        )
        try:
            post = board.post_save(
                actor=request.user,
                member=member,
                data=form.post_data(post_kind),
                postcode=form.cleaned_data["postcode"],
                organisation=organisation,
            )
        except board.GiftboardError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Your post is on the gift board.")
            return redirect("timebank:giftboard_post", public_id=post.public_id)
    return render(
        request,
        "timebank/giftboard/post_form.html",
        {
            "form": form,
            "heading": heading,
            "kind": kind,
            "goods": goods,
            "organisations": organisations,
            "post_for": request.POST.get("post_for", ""),
            "action": reverse("timebank:giftboard_new", args=[kind]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    post = _post_or_404(public_id)
    if not board.post_can_edit(post, request.user):
        return render(
            request,
            "accounts/forbidden.html",
            {"reason": "Only the person who posted this can change it."},
            status=403,
        )
    form = PostForm(
        request.POST or None,
        request.FILES or None,
        goods=post.is_goods,
        post=post,
        initial=PostForm.initial_for(post),
    )
    if request.method == "POST" and form.is_valid():
        try:
            board.post_save(
                actor=request.user,
                member=post.member or board.member_for_user(request.user),  # type: ignore[arg-type]
                data=form.post_data(post.kind),
                postcode=form.cleaned_data["postcode"],
                post=post,
            )
        except board.GiftboardError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Your changes are saved.")
            return redirect("timebank:giftboard_post", public_id=post.public_id)
    return render(
        request,
        "timebank/giftboard/post_form.html",
        {
            "form": form,
            "post": post,
            "heading": f"Change your {_kind_word(post)}",
            "goods": post.is_goods,
            "action": reverse("timebank:giftboard_edit", args=[post.public_id]),
        },
    )


@login_required
@require_POST
def post_renew(request: HttpRequest, public_id: UUID) -> HttpResponse:
    post = _post_or_404(public_id)
    try:
        board.post_renew(actor=request.user, post=post)
    except board.GiftboardError as exc:
        return render(request, "accounts/forbidden.html", {"reason": exc.message}, status=403)
    messages.success(request, f"“{post.title}” is on the board until {post.expires_on:%-d %B}.")
    return redirect("timebank:giftboard_mine")


@login_required
@require_POST
def post_close(request: HttpRequest, public_id: UUID) -> HttpResponse:
    post = _post_or_404(public_id)
    try:
        board.post_close(actor=request.user, post=post)
    except board.GiftboardError as exc:
        return render(request, "accounts/forbidden.html", {"reason": exc.message}, status=403)
    messages.success(request, f"“{post.title}” is off the board.")
    return redirect("timebank:giftboard_mine")


@login_required
@require_http_methods(["GET", "POST"])
def post_ask(request: HttpRequest, public_id: UUID) -> HttpResponse:
    post = _post_or_404(public_id)
    member = board.member_for_user(request.user)
    if member is None or member.timebank_id != post.timebank_id:
        return _not_a_member(request)
    if not board.post_can_ask(post, member):
        return redirect("timebank:giftboard_post", public_id=post.public_id)
    mine = list(
        board.my_posts(request.user).filter(
            status=PostStatus.OPEN,
            kind=PostKind.NEED if post.kind == PostKind.OFFER else PostKind.OFFER,
        )[:20]
    )
    form = AskForm(request.POST or None, my_posts=mine)
    if request.method == "POST" and form.is_valid():
        try:
            connection = board.connection_request(
                actor=request.user,
                member=member,
                post=post,
                message=form.cleaned_data["message"],
                via_hub=form.cleaned_data["via_hub"],
                their_post=form.cleaned_data.get("their_post"),
            )
        except board.GiftboardError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                "Hub staff have your message and will put you in touch."
                if connection.via_hub
                else "Your message is sent. We will email you when they reply.",
            )
            return redirect("timebank:giftboard_connection", public_id=connection.public_id)
    return render(
        request,
        "timebank/giftboard/ask.html",
        {"post": post, "form": form, "kind_word": _kind_word(post)},
    )


@sensitive_view
@require_GET
def my_posts(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "timebank/giftboard/mine.html",
        {
            "posts": list(board.my_posts(request.user)),
            "connections": list(board.my_connections(request.user)[:50]),
            "member": board.member_for_user(request.user),
        },
    )


def _connection_or_404(request: HttpRequest, public_id: UUID) -> Connection:
    connection = get_object_or_404(
        Connection.objects.select_related(
            "post", "post__member", "post__timebank", "asked_by", "their_post"
        ),
        public_id=public_id,
    )
    if not board.connection_can_see(connection, request.user):
        raise Http404("No such connection")
    return connection


@sensitive_view
@require_http_methods(["GET", "POST"])
def connection_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    connection = _connection_or_404(request, public_id)
    is_poster = board.post_can_edit(connection.post, request.user)
    error = ""
    if request.method == "POST":
        answer = request.POST.get("answer")
        if answer not in ("accept", "decline"):
            error = "Choose yes or no"
        else:
            try:
                connection = board.connection_answer(
                    actor=request.user, connection=connection, accept=answer == "accept"
                )
            except board.GiftboardError as exc:
                error = exc.message
            else:
                messages.success(
                    request,
                    "We have emailed you both each other's first name and email address."
                    if answer == "accept"
                    else "We have let them know, kindly. Nothing about you was shared.",
                )
                return redirect("timebank:giftboard_connection", public_id=connection.public_id)
    context: dict[str, Any] = {
        "connection": connection,
        "post": connection.post,
        "is_poster": is_poster,
        "is_asker": connection.asked_by_id == request.user.pk,
        "error": error,
        "can_answer": is_poster
        and connection.status == ConnectionStatus.REQUESTED
        and not connection.via_hub,
        "can_mark": board.connection_can_mark(connection, request.user),
        "shared": connection.status in (ConnectionStatus.ACCEPTED, ConnectionStatus.CONNECTED)
        and not connection.via_hub,
        "record": board.connection_exchange(connection, request.user),
    }
    if context["shared"]:
        other = connection.asked_by if is_poster else connection.post.posted_by
        context["other_name"] = board.first_name(
            other, connection.asked_by_member if is_poster else connection.post.member
        )
        context["other_email"] = other.email
    return render(
        request, "timebank/giftboard/connection.html", context, status=400 if error else 200
    )


@sensitive_view
@require_POST
def connection_connected(request: HttpRequest, public_id: UUID) -> HttpResponse:
    connection = _connection_or_404(request, public_id)
    try:
        board.connection_mark_connected(actor=request.user, connection=connection)
    except board.GiftboardError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Thank you: the connection is recorded.")
    return redirect("timebank:giftboard_connection", public_id=connection.public_id)
