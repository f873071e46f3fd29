"""Sponsors: suggested by ward, theme and load, confirmed by a manager, a conflict on the panel, contacts logged."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from commonweal.accounts.constants import Role
from commonweal.accounts.tests.factories import UserFactory
from commonweal.grants.exceptions import GrantRefused
from commonweal.grants.models import Canvas, Conflict
from commonweal.grants.services.panels import panel_create, panel_member_add, score_record
from commonweal.grants.services.sponsors import (
    sponsor_confirm,
    sponsor_contact_log,
    sponsor_profile_save,
    sponsor_suggestions,
)
from commonweal.grants.tests import factories as f

pytestmark = pytest.mark.django_db


def sponsor(name, wards=(), themes="", capacity=5):
    user = UserFactory(full_name=name, roles=[Role.SPONSOR])
    sponsor_profile_save(actor=None, user=user, wards=wards, themes=themes, capacity=capacity)
    return user


def test_suggestions_weigh_ward_theme_and_load_and_leave_out_full_sponsors():
    round_ = f.open_round(budget="100000")
    canvas = f.ready_canvas(round_, title="Community garden", text="Growing food with young people")
    local = sponsor("Local Officer", wards=[canvas.ward])
    themed = sponsor("Themed Officer", themes="food, gardens")
    busy = sponsor("Busy Officer", wards=[canvas.ward], themes="food", capacity=1)
    other = f.ready_canvas(round_, title="Other")
    sponsor_confirm(actor=f.officer(), canvas=other, sponsor=busy)
    names = [s.profile.user.full_name for s in sponsor_suggestions(canvas=canvas)]
    assert names == ["Local Officer", "Themed Officer"]
    [first, second] = sponsor_suggestions(canvas=canvas)
    assert first.ward_match and second.themes == ["food"]
    assert local and themed


def test_a_confirmed_sponsor_is_introduced_and_cannot_score_their_sponsee(client):
    round_ = f.open_round()
    canvas = f.ready_canvas(round_)
    officer_user = sponsor("Sam Sponsor")
    panel = panel_create(actor=None, round_=round_, name="Panel")
    member = panel_member_add(actor=None, panel=panel, user=officer_user, kind="officer")
    from commonweal.grants.services.panels import declaration_make

    declaration_make(actor=officer_user, member=member, conflicts={}, confirmed=True)
    mail.outbox.clear()
    client.force_login(f.officer())
    client.post(
        reverse("grants:sponsor_confirm", args=[canvas.public_id]),
        {"sponsor": str(officer_user.public_id)},
    )
    canvas.refresh_from_db()
    assert canvas.sponsor == officer_user
    assert set(mail.outbox[-1].to) == {canvas.created_by.email, officer_user.email}
    assert Conflict.objects.filter(member=member, canvas=canvas).exists()
    with pytest.raises(GrantRefused, match="conflict of interest"):
        score_record(actor=officer_user, member=member, canvas=canvas, scores={})


def test_only_people_with_the_sponsor_role_can_sponsor_and_drafts_wait():
    round_ = f.open_round()
    draft = f.ready_canvas(round_, submit=False)
    with pytest.raises(GrantRefused, match="sponsor role"):
        sponsor_confirm(actor=f.officer(), canvas=draft, sponsor=UserFactory())
    with pytest.raises(GrantRefused, match="once an idea has been sent in"):
        sponsor_confirm(actor=f.officer(), canvas=draft, sponsor=sponsor("S"))


def test_sponsors_log_contacts_with_their_groups_only(client):
    round_ = f.open_round()
    canvas = f.ready_canvas(round_)
    mine = sponsor("Mine")
    sponsor_confirm(actor=f.officer(), canvas=canvas, sponsor=mine)
    with pytest.raises(GrantRefused, match="Only the idea's sponsor"):
        sponsor_contact_log(
            actor=sponsor("Other"), canvas=canvas, happened_on=datetime.date(2026, 5, 1), note="Hi"
        )
    client.force_login(mine)
    client.post(
        reverse("grants:sponsor_contact", args=[canvas.public_id]),
        {"happened_on": "2026-05-02", "note": "Met at the hall"},
    )
    page = client.get(reverse("grants:my_sponsored")).content.decode()
    assert "Met at the hall" in page and canvas.title in page
    assert Canvas.objects.get(pk=canvas.pk).sponsor_contacts.get().happened_on == datetime.date(
        2026, 5, 2
    )
