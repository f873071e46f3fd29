"""A broker posts and asks on the gift board for a proxy member (no email or internet), from the
broker's page for that member; the broker is the actor in the audit log and the replies come to them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commonweal.accounts.tests.factories import OrganisationFactory
from commonweal.core.models import AuditEntry
from commonweal.timebank import giftboard as board
from commonweal.timebank.constants import GiftboardAuditKind, GiftType, PostKind
from commonweal.timebank.membership import timebank_create
from commonweal.timebank.models import Connection, GiftPost
from commonweal.timebank.tests.factories import (
    CategoryFactory,
    GiftPostFactory,
    MemberFactory,
    ProxyMemberFactory,
    broker_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_two_factor(settings):
    settings.COMMONWEAL_REQUIRE_STAFF_2FA = False


def bank(slug):
    return timebank_create(
        actor=None,
        name=f"{slug.title()} Timebank",
        slug=slug,
        organisation=OrganisationFactory(name=f"{slug.title()} CVS"),
    )


@pytest.fixture
def timebank():
    return bank("thurrock")


@pytest.fixture
def broker(timebank):
    return broker_of(timebank, full_name="Bea Broker", email="bea@example.org")


@pytest.fixture
def proxy(timebank, broker):
    return ProxyMemberFactory(timebank=timebank, display_name="Doris", proxy_broker=broker)


@pytest.fixture
def gardening():
    return CategoryFactory(name="Gardening")


def member_page(timebank, member):
    return reverse("timebank:member_detail", args=[timebank.slug, member.public_id])


def test_a_broker_posts_an_offer_for_a_proxy_member_from_their_page(
    client, timebank, broker, proxy, gardening
):
    client.force_login(broker)
    page = client.get(member_page(timebank, proxy)).content.decode()
    assert "Post an offer or need for this member" in page
    url = reverse("timebank:proxy_post_create", args=[timebank.slug, proxy.public_id, "offer"])
    assert f'href="{url}"' in page
    assert "Offer a gift for Doris" in client.get(url).content.decode()

    response = client.post(
        url,
        {
            "title": "Knitting lessons",
            "description": "Tuesday afternoons",
            "category": str(gardening.pk),
            "gift_type": GiftType.HEAD,
            "availability": "Afternoons",
            "postcode": "",
        },
    )
    assert response.status_code == 302
    post = GiftPost.objects.get()
    assert (post.member, post.posted_by, post.kind) == (proxy, broker, PostKind.OFFER)
    assert post.poster_name == "Doris"
    entry = AuditEntry.objects.get(kind=GiftboardAuditKind.POST_SAVED)
    assert entry.actor == broker
    assert entry.after["for_member"] == str(proxy.public_id)
    assert "Knitting lessons" in client.get(member_page(timebank, proxy)).content.decode()


def test_a_broker_asks_about_a_post_for_a_proxy_member_and_the_reply_comes_to_them(
    client, timebank, broker, proxy, gardening
):
    board.post_save(
        actor=broker,
        member=proxy,
        data={
            "kind": PostKind.NEED,
            "title": "Garden clearing",
            "category": gardening,
            "gift_type": GiftType.HANDS,
        },
    )
    neighbour = MemberFactory(timebank=timebank, display_name="Nia")
    offer = GiftPostFactory(member=neighbour, category=gardening, title="Strong hands, free")
    client.force_login(broker)
    page = client.get(member_page(timebank, proxy)).content.decode()
    ask = reverse("timebank:proxy_ask", args=[timebank.slug, proxy.public_id, offer.public_id])
    assert f'href="{ask}"' in page  # suggested for Doris's need

    assert "You are asking for Doris" in client.get(ask).content.decode()
    response = client.post(ask, {"message": "Doris would love a hand with her garden."})
    connection = Connection.objects.get()
    assert response.status_code == 302
    assert (connection.asked_by, connection.asked_by_member) == (broker, proxy)
    entry = AuditEntry.objects.get(kind=GiftboardAuditKind.CONNECTION_REQUESTED)
    assert entry.actor == broker
    assert entry.after["for_member"] == str(proxy.public_id)
    # The broker follows the conversation for her.
    url = reverse("timebank:giftboard_connection", args=[connection.public_id])
    assert client.get(url).status_code == 200


def test_only_a_broker_of_the_timebank_acts_for_only_a_proxy_member(
    client, timebank, broker, proxy, gardening
):
    offer = GiftPostFactory(member=MemberFactory(timebank=timebank), category=gardening)
    data = {
        "kind": PostKind.OFFER,
        "title": "Baking",
        "category": gardening,
        "gift_type": GiftType.HEART,
    }
    # Another member, or a broker of another timebank, cannot post or ask for Doris.
    other_broker = broker_of(bank("basildon"), email="olu@example.org")
    for actor in (MemberFactory(timebank=timebank).user, other_broker):
        with pytest.raises(board.GiftboardError):
            board.post_save(actor=actor, member=proxy, data=data)
        with pytest.raises(board.GiftboardError):
            board.connection_request(actor=actor, member=proxy, post=offer, message="Hi")
    # A broker does not post for a member who has their own email.
    member = MemberFactory(timebank=timebank)
    with pytest.raises(board.GiftboardError):
        board.post_save(actor=broker, member=member, data=data)
    assert not GiftPost.objects.exclude(pk=offer.pk).exists()
    assert not Connection.objects.exists()

    client.force_login(broker)
    assert "Post an offer or need" not in client.get(member_page(timebank, member)).content.decode()
    url = reverse("timebank:proxy_post_create", args=[timebank.slug, member.public_id, "offer"])
    assert client.get(url).status_code == 404
    client.force_login(other_broker)
    url = reverse("timebank:proxy_post_create", args=[timebank.slug, proxy.public_id, "offer"])
    assert client.get(url).status_code == 403
    ask = reverse("timebank:proxy_ask", args=[timebank.slug, proxy.public_id, offer.public_id])
    assert client.post(ask, {"message": "Hi"}).status_code == 403
    assert not Connection.objects.exists()
