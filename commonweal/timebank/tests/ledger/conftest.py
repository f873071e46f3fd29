from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from commonweal.timebank.tests.ledger.factories import TimebankFactory, broker_of, member_account


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def bank(db):
    return TimebankFactory(name="Thurrock Timebank", slug="thurrock")


@pytest.fixture
def broker(bank):
    return broker_of(bank)


@pytest.fixture
def alice(bank):
    return member_account(bank, "Alice")


@pytest.fixture
def bob(bank):
    return member_account(bank, "Bob")
