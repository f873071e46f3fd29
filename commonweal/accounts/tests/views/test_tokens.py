from __future__ import annotations

import pytest
from django.urls import reverse

from commonweal.accounts import selectors, services
from commonweal.accounts.models import ApiToken
from commonweal.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKENS = reverse("accounts:tokens")


def test_the_tokens_page_needs_sign_in(client):
    assert client.get(TOKENS).status_code == 302
    assert client.post(reverse("accounts:token_create"), {"name": "x"}).status_code == 302
    assert not ApiToken.objects.exists()


def test_the_tokens_page_lists_your_tokens_only(client, user):
    mine = services.api_token_create(actor=user, user=user, name="Ward dashboard").api_token
    services.api_token_create(actor=None, user=UserFactory(), name="Someone else's token")
    client.force_login(user)
    html = client.get(TOKENS).content.decode()
    assert "Ward dashboard" in html
    assert mine.prefix in html
    assert "Never" in html
    assert "Someone else" not in html


def test_creating_a_token_shows_it_once_and_it_works(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:token_create"), {"name": "Board report", "days": "30"})
    assert response.status_code == 200
    assert (
        response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    )
    html = response.content.decode()
    assert "Copy it now: it will not be shown again." in html
    token = html.split('id="new-token" type="text" value="')[1].split('"')[0]
    assert selectors.api_token_user_get(token=token) == user
    stored = ApiToken.objects.get(user=user)
    assert stored.name == "Board report"
    assert stored.expires_at is not None
    assert token not in client.get(TOKENS).content.decode()


def test_creating_a_token_with_bad_input_explains_it(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:token_create"), {"name": "", "days": "0"})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<a href="#id_name">Enter a name for the token</a>' in html
    assert '<a href="#id_days">The number of days must be 1 or more</a>' in html
    assert not ApiToken.objects.exists()


def test_revoking_a_token_from_the_page(client, user):
    issued = services.api_token_create(actor=user, user=user, name="Old script")
    client.force_login(user)
    response = client.post(reverse("accounts:token_revoke", args=[issued.api_token.public_id]))
    assert response.status_code == 302
    assert selectors.api_token_user_get(token=issued.token) is None
    html = client.get(TOKENS).content.decode()
    assert "Revoked" in html
    assert "no longer works" in html


def test_you_cannot_revoke_someone_elses_token(client, user):
    issued = services.api_token_create(actor=None, user=UserFactory(), name="Theirs")
    client.force_login(user)
    response = client.post(reverse("accounts:token_revoke", args=[issued.api_token.public_id]))
    assert response.status_code == 403
    assert "You can only revoke your own API tokens." in response.content.decode()
    assert selectors.api_token_user_get(token=issued.token) is not None
