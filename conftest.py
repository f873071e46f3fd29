"""Fixtures shared by every app's tests: database guard, users, and a real browser (Debian's chromium)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# Property tests check behaviour, never speed: on a shared, busy machine Hypothesis's default
# 200 ms deadline per example fails pure functions at random. Speed is for the benchmarks.
settings.register_profile("commonweal", deadline=None)
settings.load_profile("commonweal")

SHARED_DIR = Path(__file__).resolve().parent.parent / "shared"
CHROMIUM = os.environ.get("COMMONWEAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session", autouse=True)
def _database_is_the_one_asked_for(django_db_blocker: Any) -> None:
    """The PostgreSQL run must really run on PostgreSQL: never fall back to SQLite silently."""
    from django.db import connection

    if os.environ.get("COMMONWEAL_REQUIRE_POSTGRES") == "1" and connection.vendor != "postgresql":
        pytest.exit(
            f"COMMONWEAL_REQUIRE_POSTGRES=1 but the tests use {connection.vendor}", returncode=3
        )


@pytest.fixture
def shared_dir() -> Path:
    """../shared beside the project: standards, real geography and the national Code-Point Open file."""
    if not SHARED_DIR.is_dir():
        pytest.fail(f"{SHARED_DIR} is missing: the tests need ../shared beside the project")
    return SHARED_DIR


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless chromium per test worker. Fails (never skips) when chromium is missing."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (installs Debian's chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
