"""Only members a broker has accepted use the gift board; an applicant is told why, in words."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commonweal.timebank import giftboard as board
from commonweal.timebank.constants import MemberStatus
from commonweal.timebank.models import Connection, GiftPost
from commonweal.timebank.tests.factories import (
    ApplicantFactory,
    CategoryFactory,
    GiftPostFactory,
    MemberFactory,
    TimebankFactory,
)

pytestmark = pytest.mark.django_db


def test_an_applicant_cannot_post_and_is_told_a_broker_has_not_accepted_them_yet(client):
    applicant = ApplicantFactory()
    category = CategoryFactory()
    client.force_login(applicant.user)

    page = client.get(reverse("timebank:giftboard_new", args=["offer"]))
    assert page.status_code == 403
    assert "waiting for a broker" in page.content.decode()

    refused = client.post(
        reverse("timebank:giftboard_new", args=["offer"]),
        {
            "title": "Help with weeding",
            "description": "A couple of hours",
            "category": str(category.pk),
            "gift_type": "hands",
            "postcode": "",
        },
    )
    assert refused.status_code == 403
    assert not GiftPost.objects.exists()

    board_page = client.get(reverse("timebank:giftboard")).content.decode()
    assert "waiting for a broker" in board_page
    assert reverse("timebank:giftboard_new", args=["offer"]) not in board_page


def test_an_applicant_cannot_ask_about_a_post_in_their_timebank(client):
    applicant = ApplicantFactory()
    post = GiftPostFactory(member=MemberFactory(timebank=applicant.timebank))
    client.force_login(applicant.user)

    detail = client.get(reverse("timebank:giftboard_post", args=[post.public_id])).content.decode()
    assert "waiting for a broker" in detail
    assert reverse("timebank:giftboard_ask", args=[post.public_id]) not in detail

    response = client.post(
        reverse("timebank:giftboard_ask", args=[post.public_id]), {"message": "Can I help?"}
    )
    assert response.status_code == 403
    assert not Connection.objects.exists()


def test_a_declined_applicant_is_told_so_and_gets_no_suggestions_for_an_old_post(client):
    declined = MemberFactory(status=MemberStatus.DECLINED)
    post = GiftPostFactory(member=declined)
    GiftPostFactory(
        member=MemberFactory(timebank=declined.timebank), kind="need", category=post.category
    )
    client.force_login(declined.user)

    page = client.get(reverse("timebank:giftboard_new", args=["need"]))
    assert page.status_code == 403
    assert "did not accept your application" in page.content.decode()
    detail = client.get(reverse("timebank:giftboard_post", args=[post.public_id]))
    assert detail.context["suggestions"] == []


def test_someone_in_two_timebanks_uses_the_one_where_they_are_active():
    declined = MemberFactory(status=MemberStatus.DECLINED, timebank=TimebankFactory())
    active = MemberFactory(user=declined.user, timebank=TimebankFactory())
    MemberFactory(user=declined.user, timebank=TimebankFactory())  # active too, joined later

    assert board.member_for_user(declined.user) == active
    assert board.not_yet_member_words(declined.user) == ""
