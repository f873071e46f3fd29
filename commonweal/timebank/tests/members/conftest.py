from __future__ import annotations

import pytest

from commonweal.timebank.membership import timebank_create
from commonweal.timebank.tests.factories import broker_of


@pytest.fixture(autouse=True)
def _no_two_factor_in_member_tests(settings):
    """Brokers hold a staff role; the two-factor step has its own tests in accounts."""
    settings.COMMONWEAL_REQUIRE_STAFF_2FA = False


@pytest.fixture
def timebank(db):
    from commonweal.accounts.tests.factories import OrganisationFactory

    return timebank_create(
        actor=None,
        name="Thurrock Timebank",
        slug="thurrock",
        organisation=OrganisationFactory(name="Thurrock CVS"),
        localities=["Grays", "Tilbury"],
        group_activities_first=0,
    )


@pytest.fixture
def other_timebank(db):
    from commonweal.accounts.tests.factories import OrganisationFactory

    return timebank_create(
        actor=None,
        name="Basildon Timebank",
        slug="basildon",
        organisation=OrganisationFactory(name="Basildon hub"),
    )


@pytest.fixture
def broker(timebank):
    return broker_of(timebank, full_name="Bea Broker", email="bea@example.org")


@pytest.fixture
def other_broker(other_timebank):
    return broker_of(other_timebank, full_name="Olu Other", email="olu@example.org")
