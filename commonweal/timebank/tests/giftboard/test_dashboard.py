"""The member dashboard's gift board: my open offers and needs, with links, and a few suggestions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commonweal.timebank.constants import PostKind, PostStatus
from commonweal.timebank.giftboard import DASHBOARD_SUGGESTIONS, dashboard_giftboard
from commonweal.timebank.tests.factories import (
    ApplicantFactory,
    CategoryFactory,
    GiftPostFactory,
    MemberFactory,
    TimebankFactory,
    member_with_account,
)

pytestmark = pytest.mark.django_db


def test_the_dashboard_lists_my_open_posts_and_suggestions_for_them(client):
    bank = TimebankFactory()
    me = member_with_account(bank)
    garden = CategoryFactory(name="Gardening")
    need = GiftPostFactory(member=me, kind=PostKind.NEED, category=garden, title="Weeding help")
    GiftPostFactory(member=me, title="Old closed offer", status=PostStatus.CLOSED)
    helper = GiftPostFactory(
        member=MemberFactory(timebank=bank), category=garden, title="Keen gardener"
    )
    GiftPostFactory(
        member=MemberFactory(timebank=TimebankFactory()), category=garden, title="Far away"
    )

    client.force_login(me.user)
    page = client.get(reverse("timebank:dashboard")).content.decode()

    assert "Your offers and needs" in page
    assert reverse("timebank:giftboard_post", args=[need.public_id]) in page
    assert "Old closed offer" not in page
    assert "Suggestions for you" in page
    assert reverse("timebank:giftboard_post", args=[helper.public_id]) in page
    assert "Could meet your need “Weeding help”" in page
    assert "Far away" not in page


def test_suggestions_are_few_and_never_repeat_a_post():
    bank = TimebankFactory()
    me = MemberFactory(timebank=bank)
    garden = CategoryFactory()
    for title in ("Digging", "Weeding"):
        GiftPostFactory(member=me, kind=PostKind.NEED, category=garden, title=title)
    for _ in range(6):
        GiftPostFactory(member=MemberFactory(timebank=bank), category=garden)

    board = dashboard_giftboard(member=me)

    assert [post.title for post in board.posts] == ["Weeding", "Digging"]
    assert len(board.suggestions) == DASHBOARD_SUGGESTIONS
    assert len({suggestion.post.pk for suggestion in board.suggestions}) == DASHBOARD_SUGGESTIONS
    assert all(suggestion.post.kind == PostKind.OFFER for suggestion in board.suggestions)


def test_a_member_with_nothing_posted_is_invited_and_an_applicant_sees_no_gift_board(client):
    me = member_with_account(TimebankFactory())
    client.force_login(me.user)
    page = client.get(reverse("timebank:dashboard")).content.decode()
    assert "You have nothing on the gift board" in page
    assert reverse("timebank:giftboard_new", args=["offer"]) in page

    applicant = ApplicantFactory()
    client.force_login(applicant.user)
    page = client.get(reverse("timebank:dashboard")).content.decode()
    assert "Your offers and needs" not in page
