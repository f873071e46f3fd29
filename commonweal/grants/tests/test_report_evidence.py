"""Monitoring reports with evidence: published stories linked to them, and timebank hours."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from commonweal.accounts.tests.factories import UserFactory
from commonweal.grants.exceptions import GrantRefused
from commonweal.grants.models import ReportStory
from commonweal.grants.selectors import report_stories, report_story_candidates
from commonweal.grants.services.awards import (
    award_make,
    award_match,
    monitoring_report_submit,
    report_period,
    report_story_link,
    report_story_unlink,
)
from commonweal.grants.services.panels import decision_make
from commonweal.grants.tests import factories as f
from commonweal.stories.constants import ConsentLevel, StoryState
from commonweal.stories.services import story_withdraw
from commonweal.stories.tests.factories import StoryFactory, published_story
from commonweal.timebank.tests import factories as tb

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 12, 1)
END = datetime.date(2027, 6, 30)


def awarded(hours: str = "30"):
    round_ = f.small_sparks_round()
    canvas = f.ready_canvas(round_, amount="250", hours=hours)
    decision_make(
        actor=f.officer(),
        canvas=canvas,
        outcome="funded",
        amount=Decimal("250"),
        reasons="r",
        feedback="f",
    )
    canvas.refresh_from_db()
    return award_make(actor=f.officer(), canvas=canvas, starts_on=START, ends_on=END)


def test_the_group_links_a_published_story_found_in_its_ward_and_the_award_page_shows_it(client):
    award = awarded()
    canvas = award.canvas
    report = award.reports.first()
    told_here = published_story(ward=canvas.ward, title="The bulbs came up")
    elsewhere = published_story(title="A story from across town")
    StoryFactory(ward=canvas.ward, title="Waiting for a moderator")

    candidates, source = report_story_candidates(report)
    assert candidates == [told_here] and canvas.ward.name in source
    client.force_login(canvas.created_by)
    page = client.get(reverse("grants:report_stories", args=[report.public_id]))
    assert "The bulbs came up" in page.content.decode()
    assert "Waiting for a moderator" not in page.content.decode()
    response = client.post(
        reverse("grants:report_stories", args=[report.public_id]),
        {"story": str(told_here.public_id), "action": "link"},
    )
    assert response.status_code == 302
    assert report_stories(report) == [told_here]
    # A search finds stories from anywhere; already linked ones are not offered again.
    found, _ = report_story_candidates(report, q="across town")
    assert found == [elsewhere]
    assert report_story_candidates(report, q="bulbs")[0] == []
    detail = client.get(reverse("grants:award_detail", args=[award.public_id])).content.decode()
    assert "The bulbs came up" in detail


def test_only_published_stories_with_consent_can_be_linked_and_withdrawn_ones_drop_out():
    award = awarded()
    report = award.reports.first()
    group = award.canvas.created_by
    waiting = StoryFactory()
    # Even a story marked published is refused when its teller did not agree to publication.
    internal = StoryFactory(consent_level=ConsentLevel.INTERNAL, state=StoryState.PUBLISHED)
    for story in (waiting, internal):
        with pytest.raises(GrantRefused, match="Only published stories"):
            report_story_link(actor=group, report=report, story=story)
    story = published_story()
    report_story_link(actor=group, report=report, story=story)
    with pytest.raises(GrantRefused, match="already linked"):
        report_story_link(actor=group, report=report, story=story)
    story_withdraw(story=story)
    assert report_stories(report) == []


def test_only_the_group_or_an_officer_may_link_and_unlink(client):
    award = awarded()
    report = award.reports.first()
    story = published_story(title="Linked by the officer")
    stranger = UserFactory()
    with pytest.raises(GrantRefused, match="Only the group"):
        report_story_link(actor=stranger, report=report, story=story)
    report_story_link(actor=f.officer(), report=report, story=story)
    client.force_login(stranger)
    assert client.get(reverse("grants:report_stories", args=[report.public_id])).status_code == 403
    with pytest.raises(GrantRefused, match="Only the group"):
        report_story_unlink(actor=stranger, report=report, story=story)
    report_story_unlink(actor=award.canvas.created_by, report=report, story=story)
    assert not ReportStory.objects.exists()


def test_a_report_covers_the_days_since_the_previous_one():
    award = awarded()
    progress, final = list(award.reports.order_by("due_on"))
    assert report_period(progress) == (START, progress.due_on)
    assert report_period(final) == (progress.due_on + datetime.timedelta(days=1), END)


def test_timebank_hours_given_to_the_group_are_shown_and_count_towards_the_match(client):
    award = awarded(hours="30")
    canvas = award.canvas
    progress, final = list(award.reports.order_by("due_on"))
    bank = tb.TimebankFactory()
    account = tb.organisation_account(bank, organisation=canvas.organisation)
    helper = tb.account_of(tb.member_with_account(bank))
    tb.exchange_for_tests(account, helper, 600, service_date=START + datetime.timedelta(days=3))
    tb.exchange_for_tests(account, helper, 300, service_date=END + datetime.timedelta(days=3))

    client.force_login(canvas.created_by)
    form = client.get(reverse("grants:report_submit", args=[progress.public_id])).content.decode()
    assert "timebank-evidence" in form and "10 hours" in form
    assert "Other volunteer hours, not recorded in the timebank" in form
    client.post(
        reverse("grants:report_submit", args=[progress.public_id]),
        {"what_happened": "Litter picks every Saturday", "volunteer_hours": "12"},
    )
    progress.refresh_from_db()
    assert progress.volunteer_hours == Decimal("12") and progress.timebank_hours == Decimal("10")
    match = award_match(award)
    assert match["stated_hours"] == Decimal("12") and match["timebank_hours"] == Decimal("10")
    assert match["delivered_hours"] == Decimal("22") and not match["met"]
    assert match["delivered_value"] == Decimal("275.00")  # 22 hours at the round's £12.50
    detail = client.get(reverse("grants:award_detail", args=[award.public_id])).content.decode()
    assert "12 stated by the group, 10 shown by the timebank" in detail
    # The exchange after the project ended is outside every report's period.
    monitoring_report_submit(
        actor=canvas.created_by,
        report=final,
        what_happened="We finished",
        outcomes=[],
        volunteer_hours=Decimal("8"),
    )
    final.refresh_from_db()
    assert final.timebank_hours == Decimal("0") and award_match(award)["met"]


def test_a_group_without_a_timebank_account_is_told_nothing_about_the_timebank(client):
    award = awarded()
    report = award.reports.first()
    client.force_login(award.canvas.created_by)
    form = client.get(reverse("grants:report_submit", args=[report.public_id])).content.decode()
    assert "timebank-evidence" not in form
