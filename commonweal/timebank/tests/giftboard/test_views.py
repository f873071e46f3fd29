"""The gift board's pages: public browsing, posting with a photo, permissions, asking and answering."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from commonweal.accounts.tests.factories import UserFactory
from commonweal.geo.tests.factories import AreaFactory
from commonweal.timebank.constants import ConnectionStatus, PostKind
from commonweal.timebank.models import Connection, GiftPost
from commonweal.timebank.tests.factories import (
    CategoryFactory,
    GiftPostFactory,
    MemberFactory,
    TimebankFactory,
)

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (20, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def bank():
    return TimebankFactory()


@pytest.fixture
def member(bank):
    return MemberFactory(timebank=bank)


@pytest.fixture
def category():
    return CategoryFactory(name="Gardening")


def form_data(category, **extra):
    return {
        "title": "Help with weeding",
        "description": "A couple of hours",
        "category": str(category.pk),
        "gift_type": "hands",
        "availability": "Weekends",
        "available_days": ["sat", "sun"],
        "postcode": "",
        **extra,
    }


def test_anyone_browses_offers_needs_and_goods_with_bounded_queries(
    client, bank, category, django_assert_max_num_queries
):
    ward = AreaFactory(code="E05002240", name="Tilbury Riverside")
    sofa = CategoryFactory(name="Furniture", is_goods=True)
    for _ in range(12):
        GiftPostFactory(
            member=MemberFactory(timebank=bank), kind=PostKind.OFFER, category=category, ward=ward
        )
    GiftPostFactory(member=MemberFactory(timebank=bank), kind=PostKind.NEED, title="Need a lift")
    GiftPostFactory(member=MemberFactory(timebank=bank), category=sofa, title="Blue sofa")

    with django_assert_max_num_queries(12):
        response = client.get(reverse("timebank:giftboard"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Offers (12)" in content and "Needs (1)" in content and "Goods (1)" in content
    assert "Blue sofa" not in content

    goods = client.get(reverse("timebank:giftboard"), {"kind": "goods"}).content.decode()
    assert "Blue sofa" in goods and "Need a lift" not in goods

    needs = client.get(
        reverse("timebank:giftboard"), {"kind": "need", "ward": ward.code}
    ).content.decode()
    assert "Need a lift" not in needs  # it is not in that ward
    filtered = client.get(
        reverse("timebank:giftboard"), {"kind": "offer", "category": str(sofa.pk)}
    )
    assert "0 offers" in filtered.content.decode()


def test_bad_filters_do_not_break_the_board(client):
    response = client.get(reverse("timebank:giftboard"), {"kind": "nonsense", "category": "x"})
    assert response.status_code == 200


def test_anonymous_people_are_sent_to_sign_in_to_ask_or_post(client, member):
    post = GiftPostFactory(member=member)
    page = client.get(reverse("timebank:giftboard_post", args=[post.public_id]))
    assert page.status_code == 200
    assert "Sign in to ask about this" in page.content.decode()
    for url in (
        reverse("timebank:giftboard_ask", args=[post.public_id]),
        reverse("timebank:giftboard_new", args=["offer"]),
        reverse("timebank:giftboard_mine"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "sign-in" in response["Location"]


def test_a_member_posts_a_need_and_sees_a_matching_offer(client, member, category):
    helper = GiftPostFactory(
        member=MemberFactory(timebank=member.timebank), category=category, title="Keen gardener"
    )
    client.force_login(member.user)
    response = client.post(reverse("timebank:giftboard_new", args=["need"]), form_data(category))
    post = GiftPost.objects.get(title="Help with weeding")
    assert response.status_code == 302
    assert post.kind == PostKind.NEED and post.member == member and post.days == ["sat", "sun"]

    page = client.get(reverse("timebank:giftboard_post", args=[post.public_id])).content.decode()
    assert "Offers that could meet this need" in page
    assert helper.title in page and "Same kind of help" in page


def test_signed_in_non_members_are_asked_to_join(client):
    client.force_login(UserFactory())
    response = client.get(reverse("timebank:giftboard_new", args=["offer"]))
    assert response.status_code == 403
    assert "Join the timebank" in response.content.decode()


def test_a_form_with_mistakes_keeps_what_was_typed(client, member, category):
    client.force_login(member.user)
    response = client.post(
        reverse("timebank:giftboard_new", args=["offer"]),
        form_data(category, gift_type="", postcode="nonsense"),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Choose the kind of gift" in content
    assert 'value="Help with weeding"' in content
    assert not GiftPost.objects.exists()


def test_photo_needs_alt_text_and_must_be_an_image(client, member, category, media_root):
    client.force_login(member.user)
    url = reverse("timebank:giftboard_new", args=["offer"])

    no_alt = client.post(
        url, {**form_data(category), "photo": SimpleUploadedFile("a.png", png_bytes())}
    )
    assert "Describe the photo" in no_alt.content.decode()

    not_image = client.post(
        url,
        {
            **form_data(category),
            "photo": SimpleUploadedFile("a.png", b"this is not a picture"),
            "photo_alt": "A picture",
        },
    )
    assert not_image.status_code == 200
    assert not GiftPost.objects.exists()

    ok = client.post(
        url,
        {
            **form_data(category),
            "photo": SimpleUploadedFile("IMG_my_house.png", png_bytes()),
            "photo_alt": "A tidy vegetable bed",
        },
    )
    assert ok.status_code == 302
    post = GiftPost.objects.get()
    assert post.photo_alt == "A tidy vegetable bed"
    assert "my_house" not in post.photo.name
    page = client.get(reverse("timebank:giftboard_post", args=[post.public_id])).content.decode()
    assert 'alt="A tidy vegetable bed"' in page
    photo = client.get(reverse("timebank:giftboard_photo", args=[post.public_id]))
    assert photo.status_code == 200
    assert b"".join(photo.streaming_content) == png_bytes()


def test_only_the_poster_edits(client, member, category):
    post = GiftPostFactory(member=member, category=category)
    other = MemberFactory(timebank=member.timebank)
    client.force_login(other.user)
    url = reverse("timebank:giftboard_edit", args=[post.public_id])
    assert client.get(url).status_code == 403
    assert client.post(url, form_data(category, title="Taken over")).status_code == 403
    assert (
        client.post(reverse("timebank:giftboard_close", args=[post.public_id])).status_code == 403
    )

    client.force_login(member.user)
    assert client.post(url, form_data(category, title="Changed")).status_code == 302
    post.refresh_from_db()
    assert post.title == "Changed"


def test_ask_answer_and_mark_connected_through_the_pages(client, member, category):
    post = GiftPostFactory(member=member, category=category)
    asker = MemberFactory(timebank=member.timebank)
    client.force_login(asker.user)
    response = client.post(
        reverse("timebank:giftboard_ask", args=[post.public_id]), {"message": "I can help"}
    )
    connection = Connection.objects.get()
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    # the asker cannot answer their own request
    client.post(
        reverse("timebank:giftboard_connection", args=[connection.public_id]), {"answer": "accept"}
    )
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.REQUESTED

    client.force_login(member.user)
    page = client.get(reverse("timebank:giftboard_connection", args=[connection.public_id]))
    assert asker.user.email not in page.content.decode()
    client.post(
        reverse("timebank:giftboard_connection", args=[connection.public_id]), {"answer": "accept"}
    )
    page = client.get(reverse("timebank:giftboard_connection", args=[connection.public_id]))
    assert asker.user.email in page.content.decode()

    client.post(reverse("timebank:giftboard_connected", args=[connection.public_id]))
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.CONNECTED
    board = client.get(reverse("timebank:giftboard")).content.decode()
    assert "1 connection made" in board


def test_strangers_cannot_see_a_connection(client, member):
    post = GiftPostFactory(member=member)
    connection = Connection.objects.create(
        post=post, asked_by=MemberFactory(timebank=member.timebank).user, message="Hello"
    )
    client.force_login(MemberFactory(timebank=member.timebank).user)
    url = reverse("timebank:giftboard_connection", args=[connection.public_id])
    assert client.get(url).status_code == 404


def test_my_posts_lists_posts_and_renews(client, member, django_assert_max_num_queries):
    for _ in range(5):
        GiftPostFactory(member=member)
    client.force_login(member.user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("timebank:giftboard_mine"))
    assert response.status_code == 200
    post = GiftPost.objects.first()
    assert (
        client.post(reverse("timebank:giftboard_renew", args=[post.public_id])).status_code == 302
    )


def test_a_closed_post_is_gone_for_others(client, member):
    post = GiftPostFactory(member=member, status="closed")
    assert client.get(reverse("timebank:giftboard_post", args=[post.public_id])).status_code == 410
    client.force_login(member.user)
    assert client.get(reverse("timebank:giftboard_post", args=[post.public_id])).status_code == 200
