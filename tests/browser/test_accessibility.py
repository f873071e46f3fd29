"""axe-core on every public page, for WCAG 2.2 level AA, in a real chromium."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import WCAG_TAGS, open_page
from tests.browser.public_pages import PUBLIC_PAGES, PublicPage

pytestmark = pytest.mark.browser


def describe(violations: list[dict]) -> str:
    """The violations as a reader would want them: rule, impact, what to fix, and where."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {', '.join(node['target'])}")
            lines.append(f"       {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"       {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    ... and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


@pytest.mark.parametrize("public_page", PUBLIC_PAGES, ids=lambda p: p.path)
def test_public_page_has_no_wcag_aa_violations(site, page, public_page: PublicPage):
    public_page.prepare()
    response = open_page(page, site.url + public_page.path)
    assert response is not None
    assert response.status == public_page.status, f"{public_page.name} answered {response.status}"

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})

    violations = results.response["violations"]
    assert not violations, (
        f"{public_page.name} ({public_page.path}) fails WCAG 2.2 AA:\n{describe(violations)}"
    )


def test_the_checks_find_a_violation_when_there_is_one(site, page):
    """The check itself works: an image without a text alternative is reported."""
    open_page(page, site.url + "/")
    page.evaluate(
        "() => { const img = document.createElement('img'); img.src = '/static/commonweal/images/favicon.svg';"
        " document.querySelector('main').append(img); }"
    )
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert "image-alt" in [violation["id"] for violation in results.response["violations"]]


def test_home_with_the_example_data_banner_has_no_wcag_aa_violations(site, page, settings):
    settings.COMMONWEAL_EXAMPLE_DATA = True
    open_page(page, site.url + "/")
    assert page.get_by_text("This is a demo borough").is_visible()
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = results.response["violations"]
    assert not violations, (
        f"home page with the example-data banner fails WCAG 2.2 AA:\n{describe(violations)}"
    )
