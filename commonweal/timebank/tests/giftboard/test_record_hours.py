"""From a gift board connection to the ledger: once two members have made a connection, each is offered
a link to record the hours on their own record form, with the other person chosen and the post's title
as the description; the timebank's consent policy decides when the hours move."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.tests.factories import OrganisationFactory
from commonweal.timebank import giftboard as board
from commonweal.timebank.constants import PostKind, TransactionState
from commonweal.timebank.membership import timebank_create
from commonweal.timebank.models import Transaction
from commonweal.timebank.tests.factories import (
    CategoryFactory,
    GiftPostFactory,
    account_of,
    member_with_account,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def timebank():
    return timebank_create(
        actor=None,
        name="Thurrock Timebank",
        slug="thurrock",
        organisation=OrganisationFactory(name="Thurrock CVS"),
        group_activities_first=0,
    )


@pytest.fixture
def poster(timebank):
    return member_with_account(timebank, display_name="Pat Poster")


@pytest.fixture
def asker(timebank):
    return member_with_account(timebank, display_name="Ash Asker")


def connect(post, asker, *, made=True):
    connection = board.connection_request(
        actor=asker.user, member=asker, post=post, message="Could you help?"
    )
    connection = board.connection_answer(actor=post.posted_by, connection=connection, accept=True)
    if made:
        connection = board.connection_mark_connected(actor=asker.user, connection=connection)
    return connection


def post_of(poster, kind, title):
    return GiftPostFactory(
        member=poster, kind=kind, title=title, category=CategoryFactory(name="Gardening")
    )


def record_link(client, connection):
    page = client.get(reverse("timebank:giftboard_connection", args=[connection.public_id]))
    found = re.search(r'href="([^"]*connection=[^"]*)"', page.content.decode())
    return found.group(1).replace("&amp;", "&") if found else None, page.content.decode()


def selected(page, name):
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S).group(0)
    option = re.search(r'<option value="([^"]*)" selected>', select)
    return option.group(1) if option else None


def record_data(form_page, **extra):
    return {
        "client_id": str(uuid.uuid4()),
        "direction": re.search(r'name="direction" value="([^"]*)"', form_page).group(1),
        "payee": selected(form_page, "payee"),
        "hours": "2",
        "minutes": "0",
        "service_date": timezone.localdate().isoformat(),
        "category": selected(form_page, "category") or "",
        "description": re.search(r'<textarea[^>]*name="description"[^>]*>\s*([^<]*)<', form_page)
        .group(1)
        .strip(),
        **extra,
    }


def test_an_offers_asker_records_the_help_they_received_and_the_hours_move(
    client, timebank, poster, asker
):
    post = post_of(poster, PostKind.OFFER, "Cleared the garden")
    connection = connect(post, asker)

    client.force_login(asker.user)
    link, page = record_link(client, connection)
    assert "Record the hours Pat Poster gave you" in page
    assert link == (
        f"{reverse('timebank:dashboard')}?timebank=thurrock&connection={connection.public_id}#record"
    )
    form_page = client.get(link).content.decode()
    assert "Record help you received" in form_page
    assert selected(form_page, "payee") == str(account_of(poster).pk)
    assert "Cleared the garden" in form_page
    assert selected(form_page, "category") == str(post.category.pk)

    response = client.post(
        reverse("timebank:exchange_record", args=[timebank.slug]), record_data(form_page)
    )
    assert response.status_code == 302
    transaction = Transaction.objects.get()
    assert transaction.state == TransactionState.COMMITTED  # the payer recorded it
    assert transaction.description == "Cleared the garden"
    assert account_of(asker).cached_balance == -120
    assert account_of(poster).cached_balance == 120


def test_a_needs_asker_records_the_help_they_gave_and_the_poster_confirms(
    client, timebank, poster, asker
):
    post = post_of(poster, PostKind.NEED, "Garden needs clearing")
    connection = connect(post, asker)

    client.force_login(asker.user)
    link, page = record_link(client, connection)
    assert "Record the hours you gave Pat Poster" in page
    form_page = client.get(link).content.decode()
    assert "Record help you gave" in form_page
    assert "Who did you help?" in form_page
    response = client.post(
        reverse("timebank:exchange_record", args=[timebank.slug]), record_data(form_page)
    )
    assert response.status_code == 302
    transaction = Transaction.objects.get()
    # Paid by the one helped, to the helper, waiting for the payer as the consent policy says.
    assert transaction.state == TransactionState.PENDING
    assert transaction.recorded_by == asker.user
    amounts = {e.account_id: e.amount_minutes for e in transaction.entries.all()}
    assert amounts == {account_of(poster).pk: -120, account_of(asker).pk: 120}
    assert account_of(asker).cached_balance == 0

    client.force_login(poster.user)
    dashboard = client.get(f"{reverse('timebank:dashboard')}?timebank=thurrock").content.decode()
    assert "Garden needs clearing" in dashboard
    client.post(
        reverse("timebank:exchange_answer", args=[transaction.public_id]), {"decision": "confirm"}
    )
    transaction.refresh_from_db()
    assert transaction.state == TransactionState.COMMITTED
    assert account_of(asker).cached_balance == 120


def test_the_poster_gets_the_link_too_with_the_roles_from_the_post(client, timebank, poster, asker):
    offer = post_of(poster, PostKind.OFFER, "Fixed a bike")
    connection = connect(offer, asker)
    client.force_login(poster.user)
    link, page = record_link(client, connection)
    assert "Record the hours you gave Ash Asker" in page
    form_page = client.get(link).content.decode()
    assert "Record help you gave" in form_page
    assert selected(form_page, "payee") == str(account_of(asker).pk)

    need = post_of(poster, PostKind.NEED, "Lift to the surgery")
    connection = connect(need, asker)
    link, page = record_link(client, connection)
    assert "Record the hours Ash Asker gave you" in page
    assert "Record help you received" in client.get(link).content.decode()


def test_no_record_step_before_the_connection_is_made_or_for_anyone_else(
    client, timebank, poster, asker
):
    post = post_of(poster, PostKind.OFFER, "Cleared the garden")
    waiting = connect(post, asker, made=False)
    client.force_login(asker.user)
    link, page = record_link(client, waiting)
    assert link is None and "Record the hours" not in page

    board.connection_mark_connected(actor=asker.user, connection=waiting)
    stranger = member_with_account(timebank, display_name="Sam Stranger")
    client.force_login(stranger.user)
    form_page = client.get(
        f"{reverse('timebank:dashboard')}?timebank=thurrock&connection={waiting.public_id}"
    ).content.decode()
    assert "Cleared the garden" not in form_page
    assert selected(form_page, "payee") is None
    assert (
        client.get(
            f"{reverse('timebank:dashboard')}?timebank=thurrock&connection=not-a-uuid"
        ).status_code
        == 200
    )


def test_people_you_have_connected_with_come_first_in_who_helped_you(
    client, timebank, poster, asker
):
    others = [member_with_account(timebank, display_name=name) for name in ("Abi", "Zed")]
    client.force_login(asker.user)
    url = f"{reverse('timebank:dashboard')}?timebank=thurrock"
    page = client.get(url).content.decode()
    assert "<optgroup" not in page  # nobody connected yet: the plain list
    assert all(f">{member.display_name}</option>" in page for member in (*others, poster))

    connect(post_of(poster, PostKind.OFFER, "Cleared the garden"), asker, made=False)
    page = client.get(url).content.decode()
    select = re.search(r'<select[^>]*name="payee".*?</select>', page, re.S).group(0)
    groups = re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select, re.S)
    assert [label for label, _ in groups] == [
        "People you have connected with",
        "Everyone else in the timebank",
    ]
    assert re.findall(r">([^<]+)</option>", groups[0][1]) == ["Pat Poster"]
    assert re.findall(r">([^<]+)</option>", groups[1][1]) == ["Abi", "Zed"]

    # The poster sees the asker first too.
    client.force_login(poster.user)
    page = client.get(url).content.decode()
    first = re.search(
        r'<optgroup label="People you have connected with">(.*?)</optgroup>', page, re.S
    )
    assert re.findall(r">([^<]+)</option>", first.group(1)) == ["Ash Asker"]
