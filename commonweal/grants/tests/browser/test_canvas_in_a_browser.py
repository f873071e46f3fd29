"""A group drafts its idea on a phone in a real chromium, using the keyboard: the draft saves itself as
they type, they send it in, and a panellist scores it. axe-core checks the pages for WCAG 2.2 AA."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from commonweal.accounts.models import Membership
from commonweal.accounts.tests.factories import PASSWORD, OrganisationFactory, UserFactory
from commonweal.grants.constants import CanvasStatus
from commonweal.grants.models import Canvas, Score
from commonweal.grants.tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def assert_accessible(page, what: str) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = results.response["violations"]
    described = "\n".join(
        f"- {v['id']}: {v['help']} at {', '.join(n['target'][0] for n in v['nodes'][:3])}"
        for v in violations
    )
    assert not violations, f"{what} fails WCAG 2.2 AA:\n{described}"


def sign_in(page, url: str, email: str) -> None:
    page.goto(f"{url}/accounts/sign-in/", wait_until="load")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, locale="en-GB", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_a_group_drafts_on_a_phone_the_draft_saves_itself_and_they_send_it_in(live_server, phone):
    round_ = f.open_round()
    rep = UserFactory()
    group = OrganisationFactory(name="Tilbury Tenants")
    Membership.objects.create(user=rep, organisation=group, role="group_rep")
    canvas = f.ready_canvas(round_, user=rep, organisation=group, submit=False, text="")
    sign_in(phone, live_server.url, rep.email)
    phone.goto(f"{live_server.url}/grants/ideas/{canvas.public_id}/edit/", wait_until="load")
    assert_accessible(phone, "The ideas canvas")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the canvas scrolls sideways on a phone ({width}px)"
    phone.get_by_label("What is your idea?").click()
    phone.keyboard.type("Neighbours mend things together on Saturdays")
    phone.locator("#save-status").get_by_text("Draft saved").wait_for()
    canvas.refresh_from_db()
    assert canvas.answers["idea"] == "Neighbours mend things together on Saturdays"
    for label in [
        "Who will it help?",
        "What difference will it make?",
        "What will you spend the money on?",
    ]:
        phone.get_by_label(label).fill("Everyone on the estate")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Send in my idea").press("Enter")
    assert "your idea has been sent in" in phone.content()
    canvas.refresh_from_db()
    assert canvas.status == CanvasStatus.SUBMITTED


def test_a_panellist_declares_then_scores_with_the_keyboard(live_server, page):
    round_ = f.open_round()
    canvas = f.ready_canvas(round_, title="Repair café")
    panel, [member] = f.panel_with(round_, 1, declare=False)
    sign_in(page, live_server.url, member.user.email)
    page.goto(f"{live_server.url}/grants/panels/{panel.public_id}/", wait_until="load")
    assert_accessible(page, "The declaration of interests")
    page.get_by_label("I have declared every interest I have").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Make my declaration").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Repair café").click()
    assert_accessible(page, "The scoring page")
    for fieldset in page.locator("fieldset").all():
        fieldset.locator("input[type=radio]").first.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save my scores").press("Enter")
    assert (
        Score.objects.filter(member=member, canvas=canvas).count()
        == Canvas.objects.get(pk=canvas.pk).round.criteria.count()
    )


def test_the_round_page_the_gallery_and_the_meeting_view_pass_axe(live_server, page):
    import datetime

    from django.utils import timezone

    from commonweal.grants.services.dropins import dropin_session_add
    from commonweal.grants.services.gallery import canvas_gallery_set, similar_ideas_compute
    from commonweal.grants.services.panels import score_record

    round_ = f.open_round()
    dropin_session_add(
        actor=None,
        round_=round_,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        place="Hub",
        capacity=5,
    )
    ideas = []
    for title in ["Community garden", "Allotment garden"]:
        canvas = f.ready_canvas(
            round_, title=title, text="Growing vegetables together", submit=False
        )
        ideas.append(canvas_gallery_set(actor=canvas.created_by, canvas=canvas, show=True))
    similar_ideas_compute()
    sent = f.ready_canvas(round_, title="Repair café")
    panel, [member] = f.panel_with(round_, 1)
    score_record(
        actor=member.user,
        member=member,
        canvas=sent,
        scores={c.pk: (1, "") for c in round_.criteria.all()},
    )
    page.goto(f"{live_server.url}/grants/rounds/{round_.public_id}/", wait_until="load")
    assert_accessible(page, "The round's page")
    page.goto(f"{live_server.url}/grants/gallery/{ideas[0].public_id}/", wait_until="load")
    assert "Allotment garden" in page.content()
    assert_accessible(page, "An idea in the gallery")
    officer = f.officer()
    sign_in(page, live_server.url, officer.email)
    page.goto(
        f"{live_server.url}/grants/panels/{panel.public_id}/meeting/?view=z", wait_until="load"
    )
    assert "Repair café" in page.content()
    assert_accessible(page, "The panel meeting view")
