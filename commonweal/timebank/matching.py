"""Match suggestions on the gift board: for a need, the offers that could meet it; for an offer, the
needs it could meet.

Ranking is in this order, each step only breaking the ties of the one before:

1. category fit: the same category first, then the same family (the same top-level category), then
   other kinds of help that are the same gift (head, hands or heart);
2. distance, in whole kilometres (so "about as near" counts as a tie);
3. the same gift type, a little (within the same fit and distance);
4. recency: newer posts first (then the older id, so the order never wobbles).

Hard filters come first: open and not expired, the same timebank, the other kind, never the poster's
own, and never help in someone's home for a member a broker has marked "no home visits" (either way). The narrowing happens in SQL, one tier of fit at a time, inside a bounding box that widens until
enough posts are found; only the survivors are scored in Python. Because distance bands are whole
kilometres and the search radii are whole kilometres, a widening step never misses a better match.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from commonweal.geo.distance import bbox_around, haversine_metres
from commonweal.timebank.constants import PostKind, PostStatus
from commonweal.timebank.models import GiftPost

SUGGESTION_LIMIT = 10
# Radii tried in turn, in kilometres; None is the whole timebank.
SEARCH_RADII_KM: tuple[int | None, ...] = (2, 5, 10, 25, 60, None)
# The most rows one unbounded query reads (posts with no point, or a very sparse board).
UNBOUNDED_CAP = 2000

FIT_SAME_CATEGORY = 3
FIT_SAME_FAMILY = 2
FIT_SAME_GIFT = 1
NO_DISTANCE_BAND = 10**6

_COLUMNS = (
    "id",
    "category_id",
    "gift_type",
    "latitude",
    "longitude",
    "created_at",
)


@dataclass
class Suggestion:
    """A post that could answer another, with its place in the ranking and the reasons shown."""

    post: GiftPost
    fit: int
    distance_metres: float | None
    same_gift_type: bool
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Candidate:
    id: int
    fit: int
    distance_metres: float | None
    same_gift_type: bool
    created_at: dt.datetime

    @property
    def band(self) -> int:
        if self.distance_metres is None:
            return NO_DISTANCE_BAND
        return int(self.distance_metres // 1000)

    def key(self) -> tuple[Any, ...]:
        return (
            -self.fit,
            self.band,
            not self.same_gift_type,
            -self.created_at.timestamp(),
            self.id,
        )


def _point(post: GiftPost) -> tuple[float, float] | None:
    if post.latitude is None or post.longitude is None:
        return None
    return float(post.latitude), float(post.longitude)


def candidate_queryset(post: GiftPost) -> QuerySet[GiftPost]:
    """The hard filters: live posts of the other kind in the same timebank, not the poster's own."""
    other = PostKind.NEED if post.kind == PostKind.OFFER else PostKind.OFFER
    queryset = GiftPost.objects.filter(
        timebank_id=post.timebank_id,
        kind=other,
        status=PostStatus.OPEN,
        expires_on__gte=timezone.localdate(),
    ).exclude(posted_by_id=post.posted_by_id)
    if post.member_id is not None:
        queryset = queryset.exclude(member_id=post.member_id)
    if post.organisation_id is not None:
        queryset = queryset.exclude(organisation_id=post.organisation_id)
    if post.home_visit:
        queryset = queryset.exclude(member__no_home_visits=True)
    elif post.member is not None and post.member.no_home_visits:
        queryset = queryset.filter(home_visit=False)
    return queryset


def _tiers(post: GiftPost) -> list[tuple[int, Q]]:
    tiers = [
        (
            FIT_SAME_CATEGORY,
            Q(category_family_id=post.category_family_id, category_id=post.category_id),
        ),
        (
            FIT_SAME_FAMILY,
            Q(category_family_id=post.category_family_id) & ~Q(category_id=post.category_id),
        ),
    ]
    if post.gift_type:
        tiers.append(
            (
                FIT_SAME_GIFT,
                Q(gift_type=post.gift_type) & ~Q(category_family_id=post.category_family_id),
            )
        )
    return tiers


def _score(
    post: GiftPost, fit: int, rows: list[tuple[Any, ...]], origin: tuple[float, float] | None
) -> list[_Candidate]:
    found = []
    for pk, _category, gift_type, latitude, longitude, created_at in rows:
        distance = None
        if origin is not None and latitude is not None and longitude is not None:
            distance = haversine_metres(origin[0], origin[1], float(latitude), float(longitude))
        found.append(
            _Candidate(
                id=pk,
                fit=fit,
                distance_metres=distance,
                same_gift_type=bool(post.gift_type) and gift_type == post.gift_type,
                created_at=created_at,
            )
        )
    return found


def _tier_candidates(
    post: GiftPost,
    base: QuerySet[GiftPost],
    fit: int,
    condition: Q,
    origin: tuple[float, float] | None,
    wanted: int,
) -> list[_Candidate]:
    """The candidates of one tier that can reach the top ``wanted``: the nearest first, widening."""
    tier = base.filter(condition)
    if origin is not None:
        for radius_km in SEARCH_RADII_KM:
            if radius_km is None:
                break
            metres = radius_km * 1000
            min_lat, max_lat, min_lon, max_lon = bbox_around(origin[0], origin[1], metres)
            rows = list(
                tier.filter(
                    latitude__gte=min_lat,
                    latitude__lte=max_lat,
                    longitude__gte=min_lon,
                    longitude__lte=max_lon,
                ).values_list(*_COLUMNS)
            )
            inside = [
                candidate
                for candidate in _score(post, fit, rows, origin)
                if candidate.distance_metres is not None and candidate.distance_metres <= metres
            ]
            if len(inside) >= wanted:
                return inside
    # Everything in the tier (the nearest are still first after ranking): bounded for safety.
    rows = list(tier.order_by("-created_at").values_list(*_COLUMNS)[:UNBOUNDED_CAP])
    return _score(post, fit, rows, origin)


def match_suggestions(post: GiftPost, *, limit: int = SUGGESTION_LIMIT) -> list[Suggestion]:
    """The best ``limit`` posts that could answer ``post`` (offers for a need, needs for an offer)."""
    if limit <= 0:
        return []
    origin = _point(post)
    base = candidate_queryset(post)
    chosen: list[_Candidate] = []
    for fit, condition in _tiers(post):
        wanted = limit - len(chosen)
        if wanted <= 0:
            break
        tier = sorted(
            _tier_candidates(post, base, fit, condition, origin, wanted), key=_Candidate.key
        )
        chosen.extend(tier[:wanted])
    posts = GiftPost.objects.select_related("category", "ward", "member", "organisation").in_bulk(
        [candidate.id for candidate in chosen]
    )
    today = timezone.localdate()
    return [
        Suggestion(
            post=posts[candidate.id],
            fit=candidate.fit,
            distance_metres=candidate.distance_metres,
            same_gift_type=candidate.same_gift_type,
            reasons=_reasons(post, candidate, posts[candidate.id], today),
        )
        for candidate in chosen
        if candidate.id in posts
    ]


def distance_text(metres: float | None) -> str:
    if metres is None:
        return "Distance not known"
    if metres < 100:
        return "Very close by"
    if metres < 10_000:
        return f"{metres / 1000:.1f} km away"
    return f"{math.floor(metres / 1000)} km away"


def posted_text(created: dt.date, today: dt.date) -> str:
    days = (today - created).days
    if days <= 0:
        return "Posted today"
    if days == 1:
        return "Posted yesterday"
    if days < 14:
        return f"Posted {days} days ago"
    return f"Posted {days // 7} weeks ago"


def _reasons(post: GiftPost, candidate: _Candidate, other: GiftPost, today: dt.date) -> list[str]:
    reasons = []
    if candidate.fit == FIT_SAME_CATEGORY:
        reasons.append("Same kind of help" if not post.is_goods else "Same kind of thing")
    elif candidate.fit == FIT_SAME_FAMILY:
        reasons.append(f"Similar: {other.category.name}")
    if candidate.same_gift_type:
        reasons.append(f"Also a gift of the {post.gift_type}")
    reasons.append(distance_text(candidate.distance_metres))
    reasons.append(posted_text(timezone.localdate(other.created_at), today))
    return reasons
