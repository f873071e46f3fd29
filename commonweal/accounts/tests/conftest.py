from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from commonweal.accounts.constants import Role
from commonweal.accounts.tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def user(db):
    return UserFactory(full_name="Ada Lovelace", email="ada@example.org")


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Grays Community Larder")


@pytest.fixture
def coordinator(db, organisation):
    return UserFactory(
        email="coordinator@example.org", roles=[Role.COORDINATOR], roles__organisation=organisation
    )


@pytest.fixture
def confirmed_device(db, coordinator):
    return TOTPDevice.objects.create(user=coordinator, name="Authenticator app", confirmed=True)
