"""The demo funds: what they hold, that loading again adds nothing, and that the demo logins see them."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse

from commonweal.accounts.models import User
from commonweal.demo.borough import DEMO_EMAIL_DOMAIN
from commonweal.demo.grants import INNOVATION_SLUG, SPARKS_SLUG
from commonweal.grants.constants import CanvasStatus
from commonweal.grants.models import (
    Award,
    Canvas,
    Conflict,
    MonitoringReport,
    Panel,
    ReportStory,
    Score,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.COMMONWEAL_REQUIRE_STAFF_2FA = False
    call_command("demo_load", stdout=io.StringIO(), stderr=io.StringIO())


def test_the_innovation_round_has_ideas_in_every_state_a_scored_panel_a_conflict_and_sponsors(
    demo, client
):
    canvases = Canvas.objects.filter(round__fund__slug=INNOVATION_SLUG)
    states = Counter(canvases.values_list("status", flat=True))
    assert canvases.count() >= 40
    assert {
        CanvasStatus.DRAFT,
        CanvasStatus.SUBMITTED,
        CanvasStatus.FUNDED,
        CanvasStatus.NOT_FUNDED,
    } <= set(states)
    panel = Panel.objects.get(round__fund__slug=INNOVATION_SLUG)
    conflict = Conflict.objects.get(member__panel=panel)
    assert not Score.objects.filter(member=conflict.member, canvas=conflict.canvas).exists()
    assert Score.objects.filter(member__panel=panel).count() > 1000
    assert not canvases.exclude(status=CanvasStatus.DRAFT).filter(sponsor__isnull=True).exists()
    client.force_login(User.objects.get(email=f"analyst@{DEMO_EMAIL_DOMAIN}"))
    page = client.get(reverse("grants:panel_meeting", args=[panel.public_id]))
    assert page.status_code == 200 and conflict.member.user.full_name in page.content.decode()
    client.force_login(User.objects.get(email=f"panel@{DEMO_EMAIL_DOMAIN}"))
    home = client.get(reverse("grants:panel_home", args=[panel.public_id])).content.decode()
    assert "Conflict: not for you" in home


def test_small_sparks_has_awards_matched_by_hours_with_reports_in_and_one_late(demo):
    awards = Award.objects.filter(canvas__round__fund__slug=SPARKS_SLUG)
    assert awards.count() == 6
    assert all(award.pledged_value >= award.amount for award in awards)
    reports = MonitoringReport.objects.filter(award__in=awards)
    assert reports.filter(received_at__isnull=False).exists()
    assert reports.late().count() >= 1
    linked = ReportStory.objects.filter(report__in=reports)
    assert linked.count() == 2 and all(link.story.state == "published" for link in linked)


def test_the_small_sparks_gallery_has_similar_ideas_and_an_introduction(demo, client):
    from commonweal.grants.models import Connection, SimilarIdea

    shared = Canvas.objects.filter(round__fund__slug=SPARKS_SLUG, in_gallery=True)
    assert shared.count() >= 10
    assert SimilarIdea.objects.filter(canvas__in=shared).exists()
    connection = Connection.objects.get()
    page = client.get(reverse("grants:gallery")).content.decode()
    assert connection.to_canvas.title in page


def test_drop_ins_calibration_and_the_community_of_practice(demo):
    from commonweal.grants.models import DropInBooking, PracticeEvent, PracticeMember, PracticeNote

    panel = Panel.objects.get(round__fund__slug=INNOVATION_SLUG)
    assert panel.calibration_canvases.count() == 2
    assert DropInBooking.objects.filter(session__round__fund__slug=SPARKS_SLUG).count() == 1
    roles = set(
        PracticeMember.objects.filter(fund__slug=INNOVATION_SLUG).values_list("role", flat=True)
    )
    assert roles == {"Project", "Sponsor"}
    assert PracticeEvent.objects.exists() and PracticeNote.objects.exists()


def test_loading_again_adds_nothing(demo):
    before = (Canvas.objects.count(), Score.objects.count(), Award.objects.count())
    call_command("demo_load", stdout=io.StringIO(), stderr=io.StringIO())
    assert (Canvas.objects.count(), Score.objects.count(), Award.objects.count()) == before
