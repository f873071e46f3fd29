"""The gift board's services (writes: validated, in a transaction, audited) and selectors (reads).

Posts are offers and needs of the head, hands and heart, and goods to give away. Someone asks about a
post through the platform: the poster gets an email with the message and no personal details, and only
when the poster accepts do both learn each other's first name and email address. Asking through hub
staff sends the request to the hub instead. "Connection made" is what the gift board counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from commonweal.core.audit import audit_record
from commonweal.core.emails import email_send
from commonweal.geo.exceptions import InvalidPostcodeError, UnknownPostcodeError, UpstreamAPIError
from commonweal.geo.services import located_model_fill_from_postcode
from commonweal.timebank import selectors
from commonweal.timebank.constants import (
    POST_LIFETIME_DAYS,
    POST_REMINDER_DAYS_BEFORE,
    ConnectionStatus,
    GiftboardAuditKind,
    MemberStatus,
    PostKind,
    PostStatus,
)
from commonweal.timebank.matching import match_suggestions
from commonweal.timebank.member_selectors import account_of_member, exchange_partners
from commonweal.timebank.models import Account, Category, Connection, GiftPost, Member

# Fields of a post that a poster edits (the rest is set by these services).
POST_FIELDS = (
    "kind",
    "title",
    "description",
    "category",
    "gift_type",
    "availability",
    "available_days",
    "home_visit",
    "via_hub_only",
    "photo",
    "photo_alt",
)


class GiftboardError(Exception):
    """A refusal with a reason a person can read. ``field`` names the form field it is about."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# --- selectors ---------------------------------------------------------------------------------


def member_for_user(user: Any) -> Member | None:
    """The user's membership that may use the gift board: only an active one, which a broker has
    accepted. Someone active in two timebanks gets the membership they made first (the lower id).
    """
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Member.objects.select_related("timebank", "timebank__organisation")
        .filter(user=user, status=MemberStatus.ACTIVE)
        .order_by("id")
        .first()
    )


def not_yet_member_words(user: Any) -> str:
    """Why a signed-in person with a membership cannot use the gift board yet, in words ("" if they
    have none, or may use it)."""
    if not getattr(user, "is_authenticated", False) or member_for_user(user) is not None:
        return ""
    member = (
        Member.objects.select_related("timebank")
        .filter(user=user)
        .order_by("-created_at", "-id")
        .first()
    )
    if member is None:
        return ""
    name = member.timebank.name
    if member.status == MemberStatus.APPLIED:
        return (
            f"Your application to {name} is waiting for a broker. Once a broker has accepted you, "
            "you can post on the gift board and ask about posts."
        )
    if member.status == MemberStatus.DECLINED:
        return (
            f"{name} did not accept your application, so you cannot post on the gift board. "
            "The email we sent says why; you can apply again."
        )
    if member.status == MemberStatus.SUSPENDED:
        return (
            f"Your membership of {name} is suspended, so you cannot post or ask on the gift "
            "board for now. Your broker can tell you why."
        )
    return f"You have left {name}. Join again to post on the gift board and ask about posts."


def post_can_edit(post: GiftPost, user: Any) -> bool:
    """Only the person who posted it (or the member it was posted for) edits a post."""
    if not getattr(user, "is_authenticated", False):
        return False
    if post.posted_by_id == user.pk:
        return True
    return post.member is not None and post.member.user_id == user.pk


def may_act_for(user: Any, member: Member) -> bool:
    """Who posts and asks on the gift board for ``member``: the member themselves, or, for an active
    proxy member (no email or internet), a broker of their timebank."""
    if not getattr(user, "is_authenticated", False):
        return False
    if member.user_id is not None and member.user_id == user.pk:
        return True
    return (
        member.is_proxy
        and member.status == MemberStatus.ACTIVE
        and selectors.user_is_broker(user=user, timebank=member.timebank)
    )


def home_visit_barred(post: GiftPost, member: Member | None) -> bool:
    """A broker's restriction: a member with "no home visits" is not offered help in a home."""
    return post.home_visit and member is not None and member.no_home_visits


def post_can_ask(post: GiftPost, member: Member | None) -> bool:
    return (
        member is not None
        and member.timebank_id == post.timebank_id
        and post.is_live
        and not (post.member_id is not None and post.member_id == member.pk)
        and post.posted_by_id != member.user_id
        and not home_visit_barred(post, member)
    )


@dataclass(frozen=True)
class BoardFilters:
    kind: str = PostKind.OFFER  # "offer", "need" or "goods"
    ward_code: str = ""
    category_id: int | None = None
    goods_kind: str = ""  # within goods: "offer" (to give away), "need" (wanted) or both
    hide_home_visits: bool = False  # the viewer may not have home visits (a broker's restriction)


def board_queryset(filters: BoardFilters) -> QuerySet[GiftPost]:
    """Live posts on the public board, newest first, with what a list row shows."""
    posts = GiftPost.objects.live().select_related("category", "ward", "member", "organisation")
    if filters.kind == "goods":
        posts = posts.filter(is_goods=True)
        if filters.goods_kind in (PostKind.OFFER, PostKind.NEED):
            posts = posts.filter(kind=filters.goods_kind)
    else:
        posts = posts.filter(is_goods=False, kind=filters.kind)
    if filters.hide_home_visits:
        posts = posts.filter(home_visit=False)
    if filters.ward_code:
        posts = posts.filter(ward__code=filters.ward_code)
    if filters.category_id:
        posts = posts.filter(
            Q(category_id=filters.category_id) | Q(category__parent_id=filters.category_id)
        )
    return posts.order_by("-created_at", "-id")


def board_counts() -> dict[str, int]:
    """How many live offers, needs and goods there are, and how many connections were made."""
    counts = GiftPost.objects.live().aggregate(
        offer=Count("id", filter=Q(is_goods=False, kind=PostKind.OFFER)),
        need=Count("id", filter=Q(is_goods=False, kind=PostKind.NEED)),
        goods=Count("id", filter=Q(is_goods=True)),
    )
    counts["connections"] = connections_made_count()
    return counts


def connections_made_count(*, since: dt.datetime | None = None) -> int:
    """The figure community builders report: connections made through the gift board."""
    made = Connection.objects.filter(status=ConnectionStatus.CONNECTED)
    if since is not None:
        made = made.filter(connected_at__gte=since)
    return made.count()


def board_wards() -> list[tuple[str, str]]:
    """(code, name) of the wards that have live posts, for the filter."""
    rows = (
        GiftPost.objects.live()
        .filter(ward__isnull=False)
        .values_list("ward__code", "ward__name")
        .distinct()
        .order_by("ward__name")
    )
    return list(rows)


def category_choices(*, goods: bool | None = None) -> list[Category]:
    categories = Category.objects.select_related("parent").order_by("name")
    if goods is not None:
        categories = categories.filter(is_goods=goods)
    return list(categories)


def my_posts(user: Any) -> QuerySet[GiftPost]:
    return (
        GiftPost.objects.filter(Q(posted_by=user) | Q(member__user=user))
        .select_related("category", "ward")
        .annotate(
            asks=Count(
                "connections",
                filter=Q(connections__status=ConnectionStatus.REQUESTED),
                distinct=True,
            )
        )
        .order_by("status", "-created_at", "-id")
    )


# How much of the gift board the member dashboard shows.
DASHBOARD_POSTS = 5
DASHBOARD_SUGGESTIONS = 3


@dataclass(frozen=True)
class DashboardSuggestion:
    """A post that could answer one of the member's own, with the ranking's reasons."""

    post: GiftPost
    answers: GiftPost
    reasons: list[str]


@dataclass(frozen=True)
class DashboardGiftboard:
    posts: list[GiftPost]
    more_posts: bool
    suggestions: list[DashboardSuggestion]


def dashboard_giftboard(*, member: Member) -> DashboardGiftboard:
    """The member's open offers and needs in their timebank, and the best few match suggestions
    for them (from ``matching.match_suggestions``), each suggested post shown once. A proxy member's
    are what their broker sees on the member's page."""
    if (member.user_id is None and not member.is_proxy) or member.status != MemberStatus.ACTIVE:
        return DashboardGiftboard(posts=[], more_posts=False, suggestions=[])
    mine = list(
        GiftPost.objects.live()
        .filter(timebank_id=member.timebank_id)
        .filter(Q(posted_by_id=member.user_id) | Q(member=member))
        .select_related("category", "timebank", "member")
        .order_by("-created_at", "-id")[: DASHBOARD_POSTS + 1]
    )
    posts = mine[:DASHBOARD_POSTS]
    suggestions: list[DashboardSuggestion] = []
    seen: set[int] = {post.pk for post in mine}
    for post in posts:
        if len(suggestions) >= DASHBOARD_SUGGESTIONS:
            break
        for suggestion in match_suggestions(post, limit=DASHBOARD_SUGGESTIONS):
            if suggestion.post.pk in seen or len(suggestions) >= DASHBOARD_SUGGESTIONS:
                continue
            seen.add(suggestion.post.pk)
            suggestions.append(
                DashboardSuggestion(post=suggestion.post, answers=post, reasons=suggestion.reasons)
            )
    return DashboardGiftboard(
        posts=posts, more_posts=len(mine) > DASHBOARD_POSTS, suggestions=suggestions
    )


def my_connections(user: Any) -> QuerySet[Connection]:
    """Connections the user asked for or was asked about."""
    return (
        Connection.objects.filter(Q(asked_by=user) | Q(post__posted_by=user))
        .select_related("post", "post__category", "their_post")
        .order_by("-created_at", "-id")
    )


def is_hub_staff(post: GiftPost, user: Any) -> bool:
    """Someone who works for the organisation that runs the post's timebank (they broker by hub)."""
    organisation_id = post.timebank.organisation_id
    return (
        organisation_id is not None
        and getattr(user, "is_authenticated", False)
        and user.memberships.filter(organisation_id=organisation_id, ends_on__isnull=True).exists()
    )


def connection_can_see(connection: Connection, user: Any) -> bool:
    """The two people; and, for a request through the hub, the hub's staff."""
    if not getattr(user, "is_authenticated", False):
        return False
    if connection.asked_by_id == user.pk or post_can_edit(connection.post, user):
        return True
    return connection.via_hub and is_hub_staff(connection.post, user)


# --- posts -------------------------------------------------------------------------------------


def _locate(post: GiftPost, postcode: str) -> None:
    """The post's place: the postcode given, else the poster's own (never more exact than that)."""
    if postcode.strip():
        try:
            located_model_fill_from_postcode(instance=post, postcode=postcode)
        except InvalidPostcodeError as exc:
            raise GiftboardError("Enter a real postcode, like RM17 6SL", field="postcode") from exc
        except UnknownPostcodeError as exc:
            raise GiftboardError(
                "We could not find that postcode. Check it, or leave it empty to use your own",
                field="postcode",
            ) from exc
        except UpstreamAPIError as exc:
            raise GiftboardError(
                "We could not look up that postcode just now. Try again, or leave it empty",
                field="postcode",
            ) from exc
        return
    source: Any = post.organisation if post.organisation_id else post.member
    if source is None:
        return
    for name in ("postcode", "latitude", "longitude", "ward_id", "lsoa_id"):
        setattr(post, name, getattr(source, name))


@transaction.atomic
def post_save(
    *,
    actor: Any,
    member: Member,
    data: dict[str, Any],
    postcode: str = "",
    organisation: Any = None,
    post: GiftPost | None = None,
) -> GiftPost:
    """Create a post for ``member`` (or for ``organisation``), or change ``post``. Audited."""
    creating = post is None
    if post is None:
        if not may_act_for(actor, member):
            raise GiftboardError(
                "Only the member, or a broker for a member without email, can post for them."
            )
        post = GiftPost(timebank=member.timebank, member=member, posted_by=actor)
    elif not post_can_edit(post, actor):
        raise GiftboardError("Only the person who posted this can change it.")
    if creating:
        post.organisation = organisation
    before = {} if creating else {"title": post.title, "status": post.status}
    for name in POST_FIELDS:
        if name in data:
            setattr(post, name, data[name])
    if isinstance(post.available_days, list | tuple):
        post.available_days = ",".join(post.available_days)
    if post.category.is_goods:
        post.gift_type = ""
    elif not post.gift_type:
        raise GiftboardError("Choose the kind of gift", field="gift_type")
    if post.home_visit and post.member is not None and post.member.no_home_visits:
        raise GiftboardError(
            "A broker has recorded that you do not take part in home visits, so this cannot "
            "happen in someone's home. Untick it, or talk to your broker",
            field="home_visit",
        )
    if post.photo and not post.photo_alt.strip():
        raise GiftboardError("Describe the photo for people who cannot see it", field="photo_alt")
    if not post.photo:
        post.photo_alt = ""
    if creating or postcode.strip() or not post.postcode:
        _locate(post, postcode)
    post.save()
    audit_record(
        kind=GiftboardAuditKind.POST_SAVED,
        actor=actor,
        target=post,
        before=before,
        after={
            "title": post.title,
            "kind": post.kind,
            "status": post.status,
            **({"for_member": str(member.public_id)} if member.user_id != actor.pk else {}),
        },
    )
    return post


@transaction.atomic
def post_close(*, actor: Any, post: GiftPost) -> GiftPost:
    if not post_can_edit(post, actor):
        raise GiftboardError("Only the person who posted this can close it.")
    before = post.status
    post.status = PostStatus.CLOSED
    post.save(update_fields=["status", "updated_at"])
    audit_record(
        kind=GiftboardAuditKind.POST_STATUS_CHANGED,
        actor=actor,
        target=post,
        before={"status": before},
        after={"status": post.status},
    )
    return post


@transaction.atomic
def post_renew(*, actor: Any, post: GiftPost, today: dt.date | None = None) -> GiftPost:
    """Another eight weeks on the board (an expired or closed post opens again)."""
    if not post_can_edit(post, actor):
        raise GiftboardError("Only the person who posted this can renew it.")
    today = today or timezone.localdate()
    before = {"status": post.status, "expires_on": post.expires_on.isoformat()}
    post.status = PostStatus.OPEN
    post.expires_on = today + dt.timedelta(days=POST_LIFETIME_DAYS)
    post.reminded_at = None
    post.save(update_fields=["status", "expires_on", "reminded_at", "updated_at"])
    audit_record(
        kind=GiftboardAuditKind.POST_RENEWED,
        actor=actor,
        target=post,
        before=before,
        after={"status": post.status, "expires_on": post.expires_on.isoformat()},
    )
    return post


@dataclass(frozen=True)
class ExpiryResult:
    reminded: int
    expired: int


def posts_expire(*, today: dt.date | None = None) -> ExpiryResult:
    """Remind posters a week before a post expires (once), and expire posts past their date.

    Safe to run as often as you like: a reminded post is not reminded again until it is renewed.
    """
    today = today or timezone.localdate()
    remind_by = today + dt.timedelta(days=POST_REMINDER_DAYS_BEFORE)
    reminded = 0
    due = (
        GiftPost.objects.filter(
            status=PostStatus.OPEN,
            reminded_at__isnull=True,
            expires_on__gte=today,
            expires_on__lte=remind_by,
        )
        .select_related("posted_by")
        .order_by("id")
    )
    for post in due:
        with transaction.atomic():
            claimed = GiftPost.objects.filter(pk=post.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if not claimed:
                continue
            email_send(
                to=[post.posted_by.email],
                template="timebank/giftboard/emails/expiry_reminder.txt",
                context={"post": post, "url": _absolute(reverse("timebank:giftboard_mine"))},
            )
            reminded += 1
    with transaction.atomic():
        expired_ids = list(
            GiftPost.objects.filter(status=PostStatus.OPEN, expires_on__lt=today).values_list(
                "id", flat=True
            )
        )
        expired = GiftPost.objects.filter(id__in=expired_ids).update(
            status=PostStatus.EXPIRED, updated_at=timezone.now()
        )
        if expired:
            audit_record(
                kind=GiftboardAuditKind.POSTS_EXPIRED,
                actor=None,
                after={"count": expired, "ids": expired_ids[:500]},
            )
    return ExpiryResult(reminded=reminded, expired=expired)


# --- connections -------------------------------------------------------------------------------


def first_name(user: Any, member: Member | None = None) -> str:
    """The only name shared when two people agree to be in touch."""
    if getattr(user, "preferred_name", ""):
        return str(user.preferred_name).split()[0]
    if getattr(user, "full_name", ""):
        return str(user.full_name).split()[0]
    if member is not None and member.display_name:
        return member.display_name.split()[0]
    return "A neighbour"


def hub_email(post: GiftPost) -> str:
    """Where 'through hub staff' goes: the email of the organisation that runs the post's timebank."""
    organisation = post.timebank.organisation
    if organisation is not None and organisation.email:
        return str(organisation.email)
    return str(settings.COMMONWEAL_CONTACT_EMAIL)


def _absolute(path: str) -> str:
    return settings.COMMONWEAL_SITE_URL.rstrip("/") + path


def _connection_url(connection: Connection) -> str:
    return _absolute(reverse("timebank:giftboard_connection", args=[connection.public_id]))


@transaction.atomic
def connection_request(
    *,
    actor: Any,
    member: Member | None,
    post: GiftPost,
    message: str,
    via_hub: bool = False,
    their_post: GiftPost | None = None,
) -> Connection:
    """Ask about a post. The poster (or the hub) is emailed; nobody's details are shared yet."""
    if not post_can_ask(post, member):
        if member is None or member.timebank_id != post.timebank_id:
            raise GiftboardError("Join this timebank to ask about its posts.")
        if not post.is_live:
            raise GiftboardError("This post has closed, so you cannot ask about it now.")
        if home_visit_barred(post, member):
            raise GiftboardError(
                "This help happens in someone's home, and a broker has recorded that you do not "
                "take part in home visits. Your broker can help you find something else."
            )
        raise GiftboardError("This is your own post.")
    if member is None or not may_act_for(actor, member):
        raise GiftboardError("Only the member, or a broker for a member without email, can ask.")
    if not message.strip():
        raise GiftboardError("Write a short message", field="message")
    if their_post is not None and not post_can_edit(their_post, actor):
        their_post = None
    already = Connection.objects.filter(
        post=post,
        asked_by=actor,
        asked_by_member=member,
        status__in=[ConnectionStatus.REQUESTED, ConnectionStatus.ACCEPTED],
    ).first()
    if already is not None:
        raise GiftboardError("You have already asked about this post: wait for the reply.")
    via_hub = via_hub or post.via_hub_only
    connection = Connection.objects.create(
        post=post,
        their_post=their_post,
        asked_by=actor,
        asked_by_member=member,
        message=message.strip(),
        via_hub=via_hub,
    )
    if via_hub:
        email_send(
            to=[hub_email(post)],
            template="timebank/giftboard/emails/hub_request.txt",
            context={
                "connection": connection,
                "post": post,
                "asker_name": first_name(actor, member),
                "asker_email": actor.email,
                "poster_name": first_name(post.posted_by, post.member),
                "poster_email": post.posted_by.email,
                "url": _connection_url(connection),
            },
        )
        email_send(
            to=[actor.email],
            template="timebank/giftboard/emails/hub_acknowledged.txt",
            context={"post": post, "timebank": post.timebank},
        )
    else:
        email_send(
            to=[post.posted_by.email],
            template="timebank/giftboard/emails/request.txt",
            context={
                "connection": connection,
                "post": post,
                "timebank": post.timebank,
                "url": _connection_url(connection),
            },
        )
    audit_record(
        kind=GiftboardAuditKind.CONNECTION_REQUESTED,
        actor=actor,
        target=connection,
        after={
            "post": str(post.public_id),
            "via_hub": via_hub,
            **({"for_member": str(member.public_id)} if member.user_id != actor.pk else {}),
        },
    )
    return connection


@transaction.atomic
def connection_answer(*, actor: Any, connection: Connection, accept: bool) -> Connection:
    """The poster's reply. Accepting shares first names and email addresses with both; declining
    tells the asker kindly and shares nothing."""
    connection = Connection.objects.select_for_update().get(pk=connection.pk)
    post = connection.post
    if not post_can_edit(post, actor):
        raise GiftboardError("Only the person who posted this can answer.")
    if connection.status != ConnectionStatus.REQUESTED:
        raise GiftboardError("This has already been answered.")
    if connection.via_hub:
        raise GiftboardError("Hub staff are putting you in touch with each other.")
    connection.status = ConnectionStatus.ACCEPTED if accept else ConnectionStatus.DECLINED
    connection.answered_at = timezone.now()
    connection.save(update_fields=["status", "answered_at", "updated_at"])
    asker, poster = connection.asked_by, post.posted_by
    if accept:
        url = _connection_url(connection)
        email_send(
            to=[asker.email],
            template="timebank/giftboard/emails/accepted.txt",
            context={
                "post": post,
                "other_name": first_name(poster, post.member),
                "other_email": poster.email,
                "url": url,
            },
        )
        email_send(
            to=[poster.email],
            template="timebank/giftboard/emails/accepted.txt",
            context={
                "post": post,
                "other_name": first_name(asker, connection.asked_by_member),
                "other_email": asker.email,
                "url": url,
            },
        )
    else:
        email_send(
            to=[asker.email],
            template="timebank/giftboard/emails/declined.txt",
            context={"post": post},
        )
    audit_record(
        kind=GiftboardAuditKind.CONNECTION_ANSWERED,
        actor=actor,
        target=connection,
        after={"status": connection.status},
    )
    return connection


def connection_can_mark(connection: Connection, user: Any) -> bool:
    if connection.status == ConnectionStatus.ACCEPTED:
        return connection_can_see(connection, user)
    if connection.status == ConnectionStatus.REQUESTED and connection.via_hub:
        return connection_can_see(connection, user)
    return False


@transaction.atomic
def connection_mark_connected(*, actor: Any, connection: Connection) -> Connection:
    """Record that the two people met, helped or handed over: the connection the board counts."""
    connection = Connection.objects.select_for_update().get(pk=connection.pk)
    if connection.status == ConnectionStatus.CONNECTED:
        return connection
    if not connection_can_mark(connection, actor):
        raise GiftboardError("Only the two people, once both agree, can mark this as connected.")
    connection.status = ConnectionStatus.CONNECTED
    connection.connected_at = timezone.now()
    connection.connected_by = actor
    connection.save(update_fields=["status", "connected_at", "connected_by", "updated_at"])
    audit_record(kind=GiftboardAuditKind.CONNECTION_MADE, actor=actor, target=connection, after={})
    return connection


@dataclass(frozen=True)
class ConnectionExchange:
    """The exchange a connection made can be recorded as, seen from one of its two members."""

    member: Member  # the member at this end, who records it on their own record page
    other: Account  # the other side's account, pre-selected
    gave: bool  # True when this member was the helper (the other person pays them)
    description: str
    category: Category | None


def connection_exchange(connection: Connection, user: Any) -> ConnectionExchange | None:
    """For a connection made, what ``user`` (the poster's member or the asker) would record: who
    helped whom follows the post (an offer's poster helps the asker; a need's poster is helped).
    None when the user is neither member, or either side cannot exchange in the timebank."""
    if connection.status != ConnectionStatus.CONNECTED or not getattr(
        user, "is_authenticated", False
    ):
        return None
    post, asker = connection.post, connection.asked_by_member
    if asker is None:
        return None
    poster_account: Account | None
    if post.member is not None:
        poster_account = account_of_member(member=post.member)
    elif post.organisation_id is None:
        poster_account = None
    else:
        poster_account = Account.objects.filter(
            timebank_id=post.timebank_id, organisation_id=post.organisation_id
        ).first()
    if post.member is not None and post.member.user_id == user.pk:
        member, other, is_poster = post.member, account_of_member(member=asker), True
    elif connection.asked_by_id == user.pk and asker.user_id == user.pk:
        member, other, is_poster = asker, poster_account, False
    else:
        return None
    if (
        other is None
        or member.status != MemberStatus.ACTIVE
        or account_of_member(member=member) is None
        or not exchange_partners(member=member).filter(pk=other.pk).exists()
    ):
        return None
    return ConnectionExchange(
        member=member,
        other=other,
        gave=is_poster == (post.kind == PostKind.OFFER),
        description=post.title,
        category=None if post.category.is_goods else post.category,
    )


def connections_for_posts(posts: Iterable[GiftPost]) -> dict[int, int]:
    """How many people have asked about each post (for "my posts")."""
    rows = (
        Connection.objects.filter(post__in=list(posts))
        .values("post_id")
        .annotate(n=Count("id"))
        .values_list("post_id", "n")
    )
    return dict(rows)
