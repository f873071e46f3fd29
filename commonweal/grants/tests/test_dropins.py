"""Drop-in sessions: the programme team offers them on the round's page; groups book a place."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.tests.factories import UserFactory
from commonweal.grants.exceptions import GrantRefused
from commonweal.grants.models import DropInBooking, DropInSession
from commonweal.grants.services.dropins import dropin_book, dropin_session_add
from commonweal.grants.tests import factories as f

pytestmark = pytest.mark.django_db


def test_an_officer_adds_a_drop_in_and_a_resident_books_a_place_from_the_rounds_page(client):
    round_ = f.open_round()
    client.force_login(f.officer())
    client.post(
        reverse("grants:dropin_add", args=[round_.public_id]),
        {
            "starts_at": (timezone.localtime() + datetime.timedelta(days=3)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "place": "Tilbury Hub",
            "capacity": "2",
        },
    )
    session = DropInSession.objects.get()
    resident = UserFactory()
    client.force_login(resident)
    page = client.get(reverse("grants:round_detail", args=[round_.public_id])).content.decode()
    assert "Tilbury Hub" in page and "Book a place" in page
    mail.outbox.clear()
    client.post(
        reverse("grants:dropin_book", args=[session.public_id]), {"needs": "Step-free access"}
    )
    booking = DropInBooking.objects.get()
    assert booking.user == resident and booking.needs == "Step-free access"
    assert "Step-free access" in mail.outbox[-1].body


def test_bookings_are_refused_when_full_twice_or_past():
    round_ = f.open_round()
    session = dropin_session_add(
        actor=None,
        round_=round_,
        starts_at=timezone.now() + datetime.timedelta(days=1),
        place="Hall",
        capacity=1,
    )
    first = UserFactory()
    dropin_book(actor=first, session=session)
    with pytest.raises(GrantRefused, match="already have a place"):
        dropin_book(actor=first, session=session)
    with pytest.raises(GrantRefused, match="full"):
        dropin_book(actor=UserFactory(), session=session)
    past = dropin_session_add(
        actor=None,
        round_=round_,
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        place="Hall",
        capacity=5,
    )
    with pytest.raises(GrantRefused, match="already happened"):
        dropin_book(actor=UserFactory(), session=past)
    assert DropInBooking.objects.count() == 1
