"""The gallery: sharing during the round, similar ideas computed offline, nearby groups, connect, merge."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from commonweal.accounts.tests.factories import UserFactory
from commonweal.grants.constants import CanvasStatus
from commonweal.grants.exceptions import GrantRefused
from commonweal.grants.models import Canvas, Connection, SimilarIdea
from commonweal.grants.selectors import similar_ideas_for
from commonweal.grants.services.canvas import canvas_submit
from commonweal.grants.services.gallery import (
    canvas_gallery_set,
    canvas_merge,
    connection_make,
    gallery_nearby,
    similar_ideas_compute,
)
from commonweal.grants.tests import factories as f

pytestmark = pytest.mark.django_db


def shared(round_, title, text, **extra):
    canvas = f.ready_canvas(round_, title=title, text=text, submit=False, **extra)
    return canvas_gallery_set(actor=canvas.created_by, canvas=canvas, show=True)


@pytest.fixture
def round_():
    return f.open_round()


def test_ideas_are_shared_only_by_their_group_and_only_while_the_round_is_open(round_):
    canvas = f.ready_canvas(round_, submit=False)
    with pytest.raises(GrantRefused, match="Only the group"):
        canvas_gallery_set(actor=UserFactory(), canvas=canvas, show=True)
    with (
        time_machine.travel(round_.closes_at + datetime.timedelta(hours=1)),
        pytest.raises(GrantRefused, match="only while the round is open"),
    ):
        canvas_gallery_set(actor=canvas.created_by, canvas=canvas, show=True)
    assert canvas_gallery_set(actor=canvas.created_by, canvas=canvas, show=True).in_gallery


def test_similar_ideas_are_computed_by_the_command_stored_and_shown(client, round_):
    garden = shared(
        round_,
        "Community garden",
        "Growing vegetables in raised beds with neighbours and the school garden club",
    )
    allotment = shared(
        round_,
        "Allotment for families",
        "Families growing vegetables on raised beds in the allotment garden",
    )
    choir = shared(
        round_,
        "Choir for everyone",
        "Singing songs together every Tuesday evening at the church hall",
    )
    out = io.StringIO()
    call_command("grants_compute_similar", stdout=out)
    assert "Stored" in out.getvalue()
    similar = similar_ideas_for(canvas=garden)
    assert similar[0][0] == allotment
    assert choir not in [other for other, _ in similar]
    page = client.get(reverse("grants:gallery_idea", args=[garden.public_id])).content.decode()
    assert "Allotment for families" in page.split("Similar ideas")[1]
    # Computing again replaces, never piles up.
    count = SimilarIdea.objects.count()
    similar_ideas_compute()
    assert SimilarIdea.objects.count() == count


def test_who_is_working_nearby_starts_with_the_same_ward(round_):
    here = shared(round_, "Here", "x")
    same_ward = shared(round_, "Same ward", "y")
    Canvas.objects.filter(pk=same_ward.pk).update(ward=here.ward)
    elsewhere = shared(round_, "Elsewhere", "z")
    assert gallery_nearby(canvas=here) == [same_ward]
    assert elsewhere not in gallery_nearby(canvas=here)


def test_connect_introduces_both_groups_by_email_once(client, round_):
    theirs = shared(round_, "Repair café", "Fixing things")
    mine = f.ready_canvas(round_, title="Mend it Monday", submit=False)
    mail.outbox.clear()
    client.force_login(mine.created_by)
    client.post(
        reverse("grants:gallery_connect", args=[theirs.public_id]),
        {"from": str(mine.public_id), "message": "Shall we team up?"},
    )
    [email] = mail.outbox
    assert {mine.created_by.email, theirs.created_by.email} <= set(email.to)
    assert "Shall we team up?" in email.body
    with pytest.raises(GrantRefused, match="already asked"):
        connection_make(actor=mine.created_by, from_canvas=mine, to_canvas=theirs)
    with pytest.raises(GrantRefused, match="your own idea"):
        connection_make(actor=mine.created_by, from_canvas=mine, to_canvas=mine)


def test_ideas_merge_into_a_joint_application_after_an_introduction(client, round_):
    theirs = shared(round_, "Repair café", "Fixing things")
    mine = f.ready_canvas(round_, title="Mend it Monday", submit=False)
    with pytest.raises(GrantRefused, match="Connect with the other group first"):
        canvas_merge(actor=mine.created_by, source=mine, target=theirs)
    connection_make(actor=mine.created_by, from_canvas=mine, to_canvas=theirs)
    client.force_login(mine.created_by)
    page = client.get(reverse("grants:canvas_edit", args=[mine.public_id])).content.decode()
    assert "Merge into a joint application" in page
    client.post(
        reverse("grants:canvas_merge", args=[mine.public_id]), {"into": str(theirs.public_id)}
    )
    mine.refresh_from_db()
    assert mine.status == CanvasStatus.MERGED and mine.merged_into == theirs and not mine.in_gallery
    assert theirs.collaborators.get().organisation == mine.organisation
    with pytest.raises(GrantRefused):
        canvas_submit(actor=mine.created_by, canvas=mine)
    assert Connection.objects.count() == 1


def test_sent_in_ideas_no_longer_merge(round_):
    theirs = shared(round_, "Repair café", "Fixing things")
    mine = f.ready_canvas(round_, title="Mend it", submit=True)
    connection_make(actor=mine.created_by, from_canvas=mine, to_canvas=theirs)
    with pytest.raises(GrantRefused, match="must still be drafts"):
        canvas_merge(actor=mine.created_by, source=mine, target=theirs)


def test_the_gallery_is_public_and_lists_only_shared_ideas(client, round_):
    shared(round_, "Shared idea", "x")
    f.ready_canvas(round_, title="Private idea", submit=False)
    page = client.get(reverse("grants:gallery")).content.decode()
    assert "Shared idea" in page and "Private idea" not in page


def test_ids_that_are_not_ids_get_a_clear_message_not_an_error(client, round_):
    theirs = shared(round_, "Repair café", "Fixing things")
    mine = f.ready_canvas(round_, submit=False)
    client.force_login(mine.created_by)
    response = client.post(
        reverse("grants:gallery_connect", args=[theirs.public_id]),
        {"from": "not-an-id"},
        follow=True,
    )
    assert response.status_code == 200 and "Choose which of your ideas" in response.content.decode()
    response = client.post(
        reverse("grants:canvas_merge", args=[mine.public_id]), {"into": "nope"}, follow=True
    )
    assert response.status_code == 200 and "Choose the idea to join" in response.content.decode()
    client.force_login(f.officer())
    assert client.get(reverse("grants:reports"), {"fund": "bad"}).status_code == 200
    response = client.post(
        reverse("grants:sponsor_confirm", args=[mine.public_id]), {"sponsor": "x"}, follow=True
    )
    assert "Choose a sponsor" in response.content.decode()
