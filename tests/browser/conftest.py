"""What the browser checks need besides the root conftest's chromium: built assets and a live site."""

from __future__ import annotations

from pathlib import Path

import pytest

BUILT_CSS = (
    Path(__file__).resolve().parents[2] / "commonweal" / "static" / "commonweal" / "commonweal.css"
)

# The axe-core rule sets for WCAG 2.2 level AA (2.0, 2.1 and 2.2 rules, levels A and AA).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def site(live_server, transactional_db):
    """The live server with what the public pages show (the default outcome framework), and built assets."""
    if not BUILT_CSS.exists():
        pytest.fail(
            f"{BUILT_CSS.name} has not been built: run `make assets` (npm ci && npm run build)"
        )
    from commonweal.outcomes.services import outcome_framework_ensure_default

    outcome_framework_ensure_default()
    return live_server


def open_page(page, url: str):
    """Open ``url`` and wait until the page and its scripts have finished loading."""
    response = page.goto(url, wait_until="load")
    # Set by commonweal.mjs once GOV.UK Frontend's components have started.
    page.wait_for_function("document.documentElement.dataset.commonwealReady === 'true'")
    return response
