from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _grants_test_settings(settings, tmp_path):
    """Programme managers hold a staff role; the two-factor step has its own tests in accounts."""
    settings.COMMONWEAL_REQUIRE_STAFF_2FA = False
    settings.MEDIA_ROOT = tmp_path / "media"
