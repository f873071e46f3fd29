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


def test_a_programme_manager_adds_a_council_officer_as_a_sponsor_and_changes_their_details(client):
    from commonweal.geo.tests.factories import AreaFactory
    from commonweal.grants.models import SponsorProfile

    ward = AreaFactory()
    officer = UserFactory(
        email="pat@council.example", full_name="Pat Officer", roles=[Role.SPONSOR]
    )
    UserFactory(email="no.role@council.example")
    page = reverse("grants:sponsor_list")
    client.force_login(UserFactory())
    assert client.get(page).status_code == 403
    client.force_login(f.officer())
    refused = client.post(page, {"email": "no.role@council.example", "capacity": "3"})
    assert (
        refused.status_code == 400 and "does not hold the sponsor role" in refused.content.decode()
    )
    unknown = client.post(page, {"email": "nobody@council.example", "capacity": "3"})
    assert (
        unknown.status_code == 400 and "Nobody has a Commonweal account" in unknown.content.decode()
    )
    added = client.post(
        page,
        {
            "email": "pat@council.example",
            "themes": "food, gardens",
            "capacity": "3",
            "wards": [ward.pk],
        },
    )
    assert added.status_code == 302
    profile = SponsorProfile.objects.get(user=officer)
    assert profile.capacity == 3 and profile.theme_words == ["food", "gardens"]
    assert list(profile.wards.all()) == [ward]
    listing = client.get(page).content.decode()
    assert "Pat Officer" in listing and "0 of 3" in listing and ward.name in listing
    again = client.post(page, {"email": "pat@council.example", "capacity": "4"})
    assert again.status_code == 400 and "already a sponsor" in again.content.decode()

    edit = reverse("grants:sponsor_edit", args=[officer.public_id])
    assert "food, gardens" in client.get(edit).content.decode()
    assert client.post(edit, {"themes": "young people", "capacity": "0"}).status_code == 400
    assert client.post(edit, {"themes": "young people", "capacity": "6"}).status_code == 302
    profile.refresh_from_db()
    assert profile.capacity == 6 and profile.themes == "young people"
    assert not profile.wards.exists()


def test_a_manager_changes_a_confirmed_sponsor_only_with_a_reason_and_both_are_told(client):
    from commonweal.core.models import AuditEntry
    from commonweal.grants.constants import GrantsAuditKind

    round_ = f.open_round()
    canvas = f.ready_canvas(round_, title="Seed library")
    first = sponsor("First Sponsor")
    second = sponsor("Second Sponsor")
    panel = panel_create(actor=None, round_=round_, name="Panel")
    seat = panel_member_add(actor=None, panel=panel, user=second, kind="officer")
    manager = f.officer()
    sponsor_confirm(actor=manager, canvas=canvas, sponsor=first)
    from commonweal.grants.services.sponsors import sponsor_change

    with pytest.raises(GrantRefused, match="Say why"):
        sponsor_change(actor=manager, canvas=canvas, sponsor=second, reason="  ")
    with pytest.raises(GrantRefused, match="already sponsors"):
        sponsor_change(actor=manager, canvas=canvas, sponsor=first, reason="Moved team")
    assert Canvas.objects.get(pk=canvas.pk).sponsor == first

    client.force_login(manager)
    rounds_page = reverse("grants:round_sponsors", args=[round_.public_id])
    change = reverse("grants:sponsor_change", args=[canvas.public_id])
    assert change in client.get(rounds_page).content.decode()
    client.post(change, {"sponsor": str(second.public_id), "reason": ""})
    assert Canvas.objects.get(pk=canvas.pk).sponsor == first
    mail.outbox.clear()
    response = client.post(
        change, {"sponsor": str(second.public_id), "reason": "First is on leave"}
    )
    assert response.status_code == 302
    canvas.refresh_from_db()
    assert canvas.sponsor == second
    entry = AuditEntry.objects.filter(kind=GrantsAuditKind.SPONSOR_CHANGED).get()
    assert entry.note == "First is on leave"
    assert entry.before == {"sponsor": first.email} and entry.after == {"sponsor": second.email}
    to = {address for message in mail.outbox for address in message.to}
    assert {first.email, second.email, canvas.created_by.email} <= to
    handed_over = next(message for message in mail.outbox if message.to == [first.email])
    assert "Second Sponsor" in handed_over.body
    # The new sponsor can no longer see or score the idea on the panel.
    assert Conflict.objects.filter(member=seat, canvas=canvas).exists()


def test_a_sponsors_load_counts_only_ideas_they_still_accompany():
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from commonweal.grants.models import Award, Round
    from commonweal.grants.selectors import sponsor_loads
    from commonweal.grants.services.awards import award_make
    from commonweal.grants.services.panels import decision_make

    round_ = f.open_round()
    officer_user = sponsor("Busy Officer", capacity=2)
    manager = f.officer()
    waiting = f.ready_canvas(round_, title="Waiting")
    turned_down = f.ready_canvas(round_, title="Turned down")
    funded = f.ready_canvas(round_, title="Funded", amount="500")
    for canvas in (waiting, turned_down, funded):
        sponsor_confirm(actor=manager, canvas=canvas, sponsor=officer_user)
    for canvas, outcome, amount in ((turned_down, "not_funded", "0"), (funded, "funded", "500")):
        decision_make(
            actor=manager,
            canvas=canvas,
            outcome=outcome,
            amount=Decimal(amount),
            reasons="r",
            feedback="f",
        )
    assert sponsor_loads(user_ids=[officer_user.pk]) == {officer_user.pk: 3}

    # The round closes: the idea not funded no longer counts; the funded one waits for its award.
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - dt.timedelta(days=1))
    assert sponsor_loads(user_ids=[officer_user.pk]) == {officer_user.pk: 2}
    today = timezone.localdate()
    award = award_make(
        actor=manager,
        canvas=Canvas.objects.get(pk=funded.pk),
        starts_on=today - dt.timedelta(days=200),
        ends_on=today - dt.timedelta(days=30),
    )
    # The project has ended but its report is still to come in: it still counts.
    assert sponsor_loads(user_ids=[officer_user.pk]) == {officer_user.pk: 2}
    award.reports.update(received_at=timezone.now())
    assert sponsor_loads(user_ids=[officer_user.pk]) == {officer_user.pk: 1}
    assert Award.objects.count() == 1
    # With room again, they are suggested for a new idea.
    other_round = f.open_round(round_.fund, slug="round-2")
    fresh = f.ready_canvas(other_round, title="Fresh")
    [suggestion] = sponsor_suggestions(canvas=fresh)
    assert suggestion.profile.user == officer_user and suggestion.load == 1
