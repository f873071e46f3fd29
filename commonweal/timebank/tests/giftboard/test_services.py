"""Asking about a post, answering, connections made, and expiry: what is shared with whom, and when."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from commonweal.accounts.tests.factories import OrganisationFactory, UserFactory
from commonweal.geo.tests.factories import AreaFactory, PostcodeFactory
from commonweal.timebank import giftboard as board
from commonweal.timebank.constants import ConnectionStatus, GiftType, PostKind, PostStatus
from commonweal.timebank.models import GiftPost
from commonweal.timebank.tests.factories import (
    CategoryFactory,
    GiftPostFactory,
    MemberFactory,
    TimebankFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank():
    return TimebankFactory(
        organisation=OrganisationFactory(name="Grays Hub", email="hub@example.org")
    )


@pytest.fixture
def poster(bank):
    user = UserFactory(full_name="Priya Shah", email="priya@example.org")
    return MemberFactory(timebank=bank, user=user, display_name="Priya S")


@pytest.fixture
def asker(bank):
    user = UserFactory(full_name="Tom Okafor", email="tom@example.org")
    return MemberFactory(timebank=bank, user=user, display_name="Tom O")


@pytest.fixture
def post(poster):
    return GiftPostFactory(member=poster, kind=PostKind.OFFER, title="Help with a garden")


def ask(asker, post, **kwargs):
    return board.connection_request(
        actor=asker.user, member=asker, post=post, message="Could you help on Saturday?", **kwargs
    )


def test_first_email_goes_to_the_poster_without_the_askers_details(asker, post):
    connection = ask(asker, post)

    assert connection.status == ConnectionStatus.REQUESTED
    [email] = mail.outbox
    assert email.to == ["priya@example.org"]
    assert "Could you help on Saturday?" in email.body
    assert str(connection.public_id) in email.body
    for detail in ("tom@example.org", "Tom", "Okafor"):
        assert detail not in email.body
        assert detail not in email.subject


def test_accepting_shares_first_names_and_emails_with_both(asker, post):
    connection = ask(asker, post)
    mail.outbox.clear()

    board.connection_answer(actor=post.posted_by, connection=connection, accept=True)

    by_recipient = {email.to[0]: email.body for email in mail.outbox}
    assert set(by_recipient) == {"priya@example.org", "tom@example.org"}
    assert "Priya" in by_recipient["tom@example.org"]
    assert "priya@example.org" in by_recipient["tom@example.org"]
    assert "Shah" not in by_recipient["tom@example.org"]
    assert "Tom" in by_recipient["priya@example.org"]
    assert "tom@example.org" in by_recipient["priya@example.org"]


def test_declining_tells_the_asker_and_shares_nothing(asker, post):
    connection = ask(asker, post)
    mail.outbox.clear()

    board.connection_answer(actor=post.posted_by, connection=connection, accept=False)

    [email] = mail.outbox
    assert email.to == ["tom@example.org"]
    assert "priya" not in email.body.lower()
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.DECLINED
    with pytest.raises(board.GiftboardError):
        board.connection_mark_connected(actor=asker.user, connection=connection)


def test_only_the_poster_answers_and_only_once(asker, post):
    connection = ask(asker, post)
    with pytest.raises(board.GiftboardError):
        board.connection_answer(actor=asker.user, connection=connection, accept=True)
    board.connection_answer(actor=post.posted_by, connection=connection, accept=True)
    with pytest.raises(board.GiftboardError):
        board.connection_answer(actor=post.posted_by, connection=connection, accept=False)


def test_through_hub_staff_emails_the_hub_not_the_poster(asker, post):
    connection = ask(asker, post, via_hub=True)

    assert connection.via_hub
    recipients = sorted(email.to[0] for email in mail.outbox)
    assert recipients == ["hub@example.org", "tom@example.org"]
    hub = next(email for email in mail.outbox if email.to == ["hub@example.org"])
    assert "tom@example.org" in hub.body and "priya@example.org" in hub.body
    asker_email = next(email for email in mail.outbox if email.to == ["tom@example.org"])
    assert "priya" not in asker_email.body.lower()


def test_a_post_that_wants_hub_contact_always_goes_through_the_hub(asker, poster):
    post = GiftPostFactory(member=poster, via_hub_only=True)
    assert ask(asker, post).via_hub


def test_connection_made_is_recorded_and_counted(asker, post):
    connection = ask(asker, post)
    board.connection_answer(actor=post.posted_by, connection=connection, accept=True)
    assert board.connections_made_count() == 0

    board.connection_mark_connected(actor=asker.user, connection=connection)
    board.connection_mark_connected(actor=post.posted_by, connection=connection)  # no double count

    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.CONNECTED
    assert connection.connected_at is not None
    assert connection.connected_by == asker.user
    assert board.connections_made_count() == 1
    assert board.board_counts()["connections"] == 1


def test_cannot_ask_about_own_post_twice_or_from_another_bank(asker, post, poster):
    with pytest.raises(board.GiftboardError, match="own"):
        board.connection_request(actor=poster.user, member=poster, post=post, message="Hi")
    ask(asker, post)
    with pytest.raises(board.GiftboardError, match="already"):
        ask(asker, post)
    stranger = MemberFactory(timebank=TimebankFactory())
    with pytest.raises(board.GiftboardError, match="Join"):
        board.connection_request(actor=stranger.user, member=stranger, post=post, message="Hi")


def test_cannot_ask_about_a_closed_post(asker, post):
    board.post_close(actor=post.posted_by, post=post)
    with pytest.raises(board.GiftboardError, match="closed"):
        ask(asker, post)


def test_post_save_places_a_post_by_postcode_or_the_members_own(poster):
    ward = AreaFactory(code="E05002235", name="Grays Riverside")
    PostcodeFactory(postcode="RM176SL", ward_code=ward.code, latitude=51.47, longitude=0.32)
    category = CategoryFactory()

    given = board.post_save(
        actor=poster.user,
        member=poster,
        data={
            "kind": PostKind.NEED,
            "title": "Lift",
            "category": category,
            "gift_type": GiftType.HANDS,
        },
        postcode="rm17 6sl",
    )
    assert given.postcode == "RM176SL"
    assert given.ward == ward
    assert given.expires_on == timezone.localdate() + dt.timedelta(days=56)

    own = board.post_save(
        actor=poster.user,
        member=poster,
        data={
            "kind": PostKind.OFFER,
            "title": "Baking",
            "category": category,
            "gift_type": "heart",
        },
    )
    assert (own.latitude, own.longitude) == (poster.latitude, poster.longitude)

    with pytest.raises(board.GiftboardError) as refused:
        board.post_save(
            actor=poster.user,
            member=poster,
            data={"kind": PostKind.OFFER, "title": "X", "category": category, "gift_type": "heart"},
            postcode="not a postcode",
        )
    assert refused.value.field == "postcode"


def test_goods_posts_have_no_gift_type_and_help_posts_need_one(poster):
    sofa = CategoryFactory(name="Furniture", is_goods=True)
    goods = board.post_save(
        actor=poster.user,
        member=poster,
        data={"kind": PostKind.OFFER, "title": "Sofa", "category": sofa, "gift_type": "hands"},
    )
    assert goods.is_goods and goods.gift_type == ""
    with pytest.raises(board.GiftboardError):
        board.post_save(
            actor=poster.user,
            member=poster,
            data={"kind": PostKind.OFFER, "title": "Help", "category": CategoryFactory()},
        )


def test_only_the_poster_edits_closes_or_renews(asker, post):
    for action in (board.post_close, board.post_renew):
        with pytest.raises(board.GiftboardError):
            action(actor=asker.user, post=post)
    with pytest.raises(board.GiftboardError):
        board.post_save(actor=asker.user, member=asker, data={"title": "Mine now"}, post=post)


def test_expiry_reminds_once_then_expires_and_renewing_starts_again(poster):
    today = timezone.localdate()
    soon = GiftPostFactory(member=poster, expires_on=today + dt.timedelta(days=5))
    later = GiftPostFactory(member=poster, expires_on=today + dt.timedelta(days=30))
    past = GiftPostFactory(member=poster, expires_on=today - dt.timedelta(days=1))

    call_command("timebank_giftboard_expire", stdout=io.StringIO())
    call_command("timebank_giftboard_expire", stdout=io.StringIO())

    reminders = [email for email in mail.outbox if soon.title in email.subject]
    assert len(reminders) == 1
    assert reminders[0].to == [poster.user.email]
    assert len(mail.outbox) == 1
    statuses = dict(GiftPost.objects.values_list("pk", "status"))
    assert statuses == {
        soon.pk: PostStatus.OPEN,
        later.pk: PostStatus.OPEN,
        past.pk: PostStatus.EXPIRED,
    }

    # A week later the reminded post has passed its date.
    result = board.posts_expire(today=today + dt.timedelta(days=6))
    assert result.expired == 1 and result.reminded == 0
    soon.refresh_from_db()
    assert soon.status == PostStatus.EXPIRED

    board.post_renew(actor=poster.user, post=soon)
    soon.refresh_from_db()
    assert soon.status == PostStatus.OPEN
    assert soon.reminded_at is None
    assert soon.expires_on == today + dt.timedelta(days=56)


def test_hub_staff_open_and_mark_a_request_made_through_them(asker, post, bank):
    from commonweal.accounts.models import Membership

    connection = ask(asker, post, via_hub=True)
    staff = UserFactory()
    assert not board.connection_can_see(connection, staff)
    Membership.objects.create(user=staff, organisation=bank.organisation, role="coordinator")
    assert board.connection_can_see(connection, staff)

    board.connection_mark_connected(actor=staff, connection=connection)
    assert board.connections_made_count() == 1

    direct = ask(MemberFactory(timebank=bank), GiftPostFactory(member=post.member))
    assert not board.connection_can_see(direct, staff)  # only what went through the hub
