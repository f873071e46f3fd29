"""A group links a story to its monitoring report with the keyboard, and the reports page shows money
by deprivation decile. axe-core checks the pages for WCAG 2.2 AA."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from commonweal.geo.constants import AreaKind
from commonweal.geo.models import AreaDeprivation
from commonweal.geo.tests.factories import AreaFactory
from commonweal.grants.models import Canvas, ReportStory
from commonweal.grants.services.awards import award_make
from commonweal.grants.services.panels import decision_make
from commonweal.grants.tests import factories as f
from commonweal.grants.tests.browser.test_canvas_in_a_browser import assert_accessible, sign_in
from commonweal.stories.tests.factories import published_story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_group_links_a_story_to_its_report_and_the_reports_show_deprivation(live_server, page):
    round_ = f.small_sparks_round()
    canvas = f.ready_canvas(round_, amount="250", hours="30")
    lsoa = AreaFactory(kind=AreaKind.LSOA, code="E01015780", name="Thurrock 001A")
    Canvas.objects.filter(pk=canvas.pk).update(lsoa=lsoa)
    officer = f.officer()
    decision_make(
        actor=officer,
        canvas=canvas,
        outcome="funded",
        amount=Decimal("250"),
        reasons="r",
        feedback="f",
    )
    canvas.refresh_from_db()
    start = datetime.date(2026, 12, 1)
    award = award_make(
        actor=officer, canvas=canvas, starts_on=start, ends_on=start + datetime.timedelta(days=60)
    )
    report = award.reports.get()
    published_story(ward=canvas.ward, title="We met our neighbours")

    sign_in(page, live_server.url, canvas.created_by.email)
    page.goto(f"{live_server.url}/grants/reports/{report.public_id}/stories/", wait_until="load")
    assert_accessible(page, "Linking stories to a report")
    link = page.get_by_role("button", name="Link We met our neighbours")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert ReportStory.objects.filter(report=report).count() == 1
    assert page.get_by_role("button", name="Unlink We met our neighbours").is_visible()

    AreaDeprivation.objects.create(area=lsoa, decile=2, rank=4000, index_name="IMD 2019")
    page.context.clear_cookies()
    sign_in(page, live_server.url, officer.email)
    page.goto(f"{live_server.url}/grants/manage/reports/", wait_until="load")
    assert page.locator('[data-chart="money-by-deprivation"]').is_visible()
    assert_accessible(page, "The grants reports with money against deprivation")
