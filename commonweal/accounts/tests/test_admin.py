from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from commonweal.accounts import services
from commonweal.accounts.tests.factories import ConsentRecordFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_no_two_factor")]


@pytest.fixture
def _no_two_factor():
    with override_settings(COMMONWEAL_REQUIRE_STAFF_2FA=False):
        yield


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(email="root@example.org", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "model", ["user", "organisation", "membership", "consentrecord", "apitoken"]
)
def test_every_accounts_model_has_a_searchable_list(admin_client, model):
    MembershipFactory()
    ConsentRecordFactory()
    response = admin_client.get(reverse(f"admin:accounts_{model}_changelist") + "?q=example")
    assert response.status_code == 200


def test_the_token_page_shows_the_hash_read_only(admin_client, user):
    issued = services.api_token_create(actor=None, user=user, name="Export")
    response = admin_client.get(
        reverse("admin:accounts_apitoken_change", args=[issued.api_token.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert issued.api_token.token_hash in html
    assert 'name="token_hash"' not in html
    assert issued.token not in html
    assert admin_client.get(reverse("admin:accounts_apitoken_add")).status_code == 403


def test_the_user_page_opens_with_profile_and_roles(admin_client, user):
    MembershipFactory(user=user)
    response = admin_client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert response.status_code == 200
    assert "roles in organisations" in response.content.decode().lower()
