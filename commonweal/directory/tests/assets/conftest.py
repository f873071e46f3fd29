from __future__ import annotations

import pytest

from commonweal.accounts.constants import Role
from commonweal.accounts.tests.factories import UserFactory
from commonweal.directory.tests.assets.factories import BOROUGH, Borough, borough_build


@pytest.fixture
def borough(db, settings) -> Borough:
    settings.COMMONWEAL_DISTRICT_CODE = BOROUGH
    return borough_build()


@pytest.fixture
def officer(db, settings):
    settings.COMMONWEAL_REQUIRE_STAFF_2FA = False
    return UserFactory(email="officer@example.org", roles=[Role.COORDINATOR])


@pytest.fixture
def moderator(db, settings):
    settings.COMMONWEAL_REQUIRE_STAFF_2FA = False
    return UserFactory(email="moderator@example.org", roles=[Role.MODERATOR])


@pytest.fixture
def group_rep(db):
    return UserFactory(email="rep@example.org", roles=[Role.GROUP_REP])
