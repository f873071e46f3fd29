"""The community of practice: projects and sponsors join, events are announced, notes are shared."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from commonweal.accounts.constants import Role
from commonweal.accounts.tests.factories import UserFactory
from commonweal.grants.exceptions import GrantRefused
from commonweal.grants.models import PracticeMember
from commonweal.grants.services.awards import award_make
from commonweal.grants.services.panels import decision_make
from commonweal.grants.services.practice import practice_note_post
from commonweal.grants.services.sponsors import sponsor_confirm
from commonweal.grants.tests import factories as f

pytestmark = pytest.mark.django_db


def test_funded_projects_and_sponsors_join_and_take_part_and_others_are_kept_out(client):
    round_ = f.open_round()
    canvas = f.ready_canvas(round_, amount="1000")
    officer = f.officer()
    sponsor = UserFactory(roles=[Role.SPONSOR])
    sponsor_confirm(actor=officer, canvas=canvas, sponsor=sponsor)
    decision_make(
        actor=officer,
        canvas=canvas,
        outcome="funded",
        amount=Decimal("1000"),
        reasons="r",
        feedback="f",
    )
    canvas.refresh_from_db()
    award_make(
        actor=officer,
        canvas=canvas,
        starts_on=datetime.date(2026, 12, 1),
        ends_on=datetime.date(2027, 3, 1),
    )
    fund = round_.fund
    assert set(PracticeMember.objects.filter(fund=fund).values_list("role", flat=True)) == {
        "Project",
        "Sponsor",
    }

    client.force_login(officer)
    mail.outbox.clear()
    client.post(
        reverse("grants:practice", args=[fund.public_id]),
        {
            "kind": "event",
            "title": "Learning lunch",
            "starts_at": "2027-01-15T12:30",
            "place": "Grays hall",
        },
    )
    assert {canvas.created_by.email, sponsor.email} <= set(mail.outbox[-1].to)
    client.force_login(canvas.created_by)
    client.post(
        reverse("grants:practice", args=[fund.public_id]),
        {"kind": "note", "title": "Posters work", "body": "Put them in the chip shop."},
    )
    page = client.get(reverse("grants:practice", args=[fund.public_id])).content.decode()
    assert (
        "Learning lunch" in page
        and "Put them in the chip shop." in page
        and sponsor.full_name in page
    )
    home = client.get(reverse("grants:home")).content.decode()
    assert reverse("grants:practice", args=[fund.public_id]) in home

    outsider = UserFactory()
    client.force_login(outsider)
    assert client.get(reverse("grants:practice", args=[fund.public_id])).status_code == 403
    with pytest.raises(GrantRefused, match="Only members"):
        practice_note_post(actor=outsider, fund=fund, title="x", body="y")
    response = client.post(
        reverse("grants:practice", args=[fund.public_id]),
        {"kind": "event", "title": "Sneaky", "starts_at": "2027-01-15T12:30", "place": "x"},
    )
    assert response.status_code == 403


def test_only_the_programme_team_announces_events_and_bad_dates_get_a_message(client):
    round_ = f.open_round()
    canvas = f.ready_canvas(round_)
    sponsor = UserFactory(roles=[Role.SPONSOR])
    sponsor_confirm(actor=f.officer(), canvas=canvas, sponsor=sponsor)
    client.force_login(sponsor)
    response = client.post(
        reverse("grants:practice", args=[round_.fund.public_id]),
        {"kind": "event", "title": "Mine", "starts_at": "2027-01-15T12:30", "place": "x"},
        follow=True,
    )
    assert "Only the programme team" in response.content.decode()
    client.force_login(f.officer())
    response = client.post(
        reverse("grants:practice", args=[round_.fund.public_id]),
        {"kind": "event", "title": "Lunch", "starts_at": "soon", "place": "x"},
        follow=True,
    )
    assert "Give the date and time" in response.content.decode()
