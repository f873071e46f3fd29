"""Match suggestions: category fit beats distance, distance beats the gift type and age; hard filters."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from commonweal.timebank.constants import GiftType, PostKind, PostStatus
from commonweal.timebank.matching import _Candidate, candidate_queryset, match_suggestions
from commonweal.timebank.models import GiftPost
from commonweal.timebank.tests.factories import (
    CategoryFactory,
    GiftPostFactory,
    MemberFactory,
    TimebankFactory,
)
from commonweal.timebank.tests.giftboard.conftest import age, north_of_home

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank():
    return TimebankFactory()


@pytest.fixture
def family():
    parent = CategoryFactory(name="Home and garden")
    return {
        "parent": parent,
        "gardening": CategoryFactory(name="Gardening", parent=parent),
        "diy": CategoryFactory(name="DIY and repairs", parent=parent),
        "computers": CategoryFactory(name="Computer help"),
        "cooking": CategoryFactory(name="Cooking"),
    }


def offer(bank, category, km, days=0, gift_type=GiftType.HANDS, **extra):
    member = MemberFactory(timebank=bank, **north_of_home(km))
    post = GiftPostFactory(
        member=member, kind=PostKind.OFFER, category=category, gift_type=gift_type, **extra
    )
    return age(post, days)


def need_at_home(bank, category, gift_type=GiftType.HANDS):
    member = MemberFactory(timebank=bank, **north_of_home(0))
    return GiftPostFactory(
        member=member, kind=PostKind.NEED, category=category, gift_type=gift_type
    )


def test_category_beats_distance_beats_gift_type_and_age(bank, family):
    need = need_at_home(bank, family["gardening"])
    far_same = offer(bank, family["gardening"], km=8, days=20)
    near_older = offer(bank, family["gardening"], km=1.3, days=10)
    near_newer = offer(bank, family["gardening"], km=1.6, days=1)
    near_other_gift = offer(bank, family["gardening"], km=1.2, days=0, gift_type=GiftType.HEAD)
    family_very_near = offer(bank, family["diy"], km=0.3, days=0)
    other_same_gift = offer(bank, family["computers"], km=0.1, days=0)
    offer(bank, family["cooking"], km=0.1, days=0, gift_type=GiftType.HEART)  # nothing in common

    ranked = [suggestion.post for suggestion in match_suggestions(need)]

    assert ranked == [
        near_newer,  # same category, 1 km band, same gift, newest
        near_older,  # same category, 1 km band, same gift, older
        near_other_gift,  # same category and band, but a different gift: a little lower
        far_same,  # same category beats a nearer post of the same family
        family_very_near,
        other_same_gift,  # only the gift of the hands in common
    ]


def test_reasons_say_why(bank, family):
    need = need_at_home(bank, family["gardening"])
    offer(bank, family["gardening"], km=1.2, days=3)
    offer(bank, family["diy"], km=12.4, days=0)

    same, similar = match_suggestions(need)

    assert same.reasons == [
        "Same kind of help",
        "Also a gift of the hands",
        "1.2 km away",
        "Posted 3 days ago",
    ]
    assert similar.reasons[0] == "Similar: DIY and repairs"
    assert "12 km away" in similar.reasons
    assert "Posted today" in similar.reasons


def test_never_suggests_own_expired_closed_other_bank_or_same_kind(bank, family):
    need = need_at_home(bank, family["gardening"])
    good = offer(bank, family["gardening"], km=1)
    GiftPostFactory(
        member=need.member, kind=PostKind.OFFER, category=family["gardening"]
    )  # the poster's own
    offer(bank, family["gardening"], km=1, expires_on=timezone.localdate() - dt.timedelta(days=1))
    offer(bank, family["gardening"], km=1, status=PostStatus.CLOSED)
    offer(bank, family["gardening"], km=1, status=PostStatus.EXPIRED)
    offer(TimebankFactory(), family["gardening"], km=1)
    other_need = MemberFactory(timebank=bank)
    GiftPostFactory(member=other_need, kind=PostKind.NEED, category=family["gardening"])

    assert [suggestion.post for suggestion in match_suggestions(need)] == [good]


def test_an_offer_sees_the_needs_it_could_meet(bank, family):
    member = MemberFactory(timebank=bank, **north_of_home(0))
    my_offer = GiftPostFactory(member=member, kind=PostKind.OFFER, category=family["diy"])
    near_need = GiftPostFactory(
        member=MemberFactory(timebank=bank, **north_of_home(2)),
        kind=PostKind.NEED,
        category=family["diy"],
    )
    far_need = GiftPostFactory(
        member=MemberFactory(timebank=bank, **north_of_home(30)),
        kind=PostKind.NEED,
        category=family["diy"],
    )
    offer(bank, family["diy"], km=1)  # another offer: not a match for an offer

    assert [s.post for s in match_suggestions(my_offer)] == [near_need, far_need]


def test_widening_finds_far_posts_and_posts_without_a_place(bank, family):
    need = need_at_home(bank, family["gardening"])
    far = offer(bank, family["gardening"], km=45)
    nowhere = GiftPostFactory(
        member=MemberFactory(timebank=bank, latitude=None, longitude=None, postcode=""),
        kind=PostKind.OFFER,
        category=family["gardening"],
    )
    suggestions = match_suggestions(need)
    assert [s.post for s in suggestions] == [far, nowhere]
    assert "Distance not known" in suggestions[1].reasons


def test_at_most_ten_and_bounded_queries(bank, family, django_assert_max_num_queries):
    need = need_at_home(bank, family["gardening"])
    for index in range(25):
        offer(bank, family["gardening"] if index % 2 else family["diy"], km=index * 0.7)
    with django_assert_max_num_queries(16):
        suggestions = match_suggestions(need)
        assert len(suggestions) == 10
        assert [s.reasons for s in suggestions]


def test_ranking_equals_brute_force_over_every_candidate(bank, family):
    """The SQL narrowing with a widening box never loses a post that a full scan would rank higher."""
    rng = random.Random(20260)
    categories = list(family.values())
    gift_types = [GiftType.HEAD, GiftType.HANDS, GiftType.HEART]
    for _ in range(120):
        offer(
            bank,
            rng.choice(categories),
            km=rng.uniform(0, 70) if rng.random() > 0.05 else 0,
            days=rng.randint(0, 60),
            gift_type=rng.choice(gift_types),
        )
    for category in (family["gardening"], family["parent"], family["cooking"]):
        need = need_at_home(bank, category, gift_type=rng.choice(gift_types))
        got = [s.post.pk for s in match_suggestions(need)]
        assert got == _brute_force(need)


def _brute_force(need: GiftPost) -> list[int]:
    from commonweal.geo.distance import haversine_metres

    ranked = []
    for post in candidate_queryset(need).select_related("category"):
        if post.category_id == need.category_id:
            fit = 3
        elif post.category_family_id == need.category_family_id:
            fit = 2
        elif need.gift_type and post.gift_type == need.gift_type:
            fit = 1
        else:
            continue
        distance = haversine_metres(
            float(need.latitude), float(need.longitude), float(post.latitude), float(post.longitude)
        )
        ranked.append(
            _Candidate(
                id=post.pk,
                fit=fit,
                distance_metres=distance,
                same_gift_type=post.gift_type == need.gift_type,
                created_at=post.created_at,
            )
        )
    return [candidate.id for candidate in sorted(ranked, key=_Candidate.key)[:10]]
