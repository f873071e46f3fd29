from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path: Path) -> Iterator[None]:
    """Uploaded photos and recordings go to a folder of the test's own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture(autouse=True)
def _no_two_factor_prompt(settings):
    """Moderators hold a staff role; the two-factor step has its own tests in accounts."""
    settings.COMMONWEAL_REQUIRE_STAFF_2FA = False


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
