"""The API over real HTTP: a live server, urllib and ``Authorization: Bearer TOKEN``."""

from __future__ import annotations

import datetime
import json
import urllib.error
import urllib.request

import pytest
from django.utils import timezone

from commonweal.accounts import services
from commonweal.accounts.constants import Role
from commonweal.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

AUTH_MESSAGE = "A valid API token is needed: send 'Authorization: Bearer TOKEN'."


def _get(url: str, token: str | None = None, header: str | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    if header is not None:
        request.add_header("Authorization", header)
    elif token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def me_url(live_server):
    return f"{live_server.url}/api/accounts/me"


def test_a_good_token_answers_who_you_are(me_url):
    person = UserFactory(email="api.user@example.org", full_name="Api User", roles=[Role.ANALYST])
    issued = services.api_token_create(actor=person, user=person)
    status, body = _get(me_url, issued.token)
    assert status == 200
    assert body["email"] == "api.user@example.org"
    assert body["name"] == "Api User"
    assert body["roles"] == ["analyst"]
    assert body["id"] == str(person.public_id)


def test_a_missing_header_is_refused_with_a_json_error(me_url):
    status, body = _get(me_url)
    assert status == 401
    assert body["error"]["message"] == AUTH_MESSAGE


def test_a_wrong_token_is_refused(me_url):
    person = UserFactory()
    issued = services.api_token_create(actor=person, user=person)
    for header in (
        f"Bearer {issued.token[:-1]}x",
        "Bearer cw_nothing",
        f"Token {issued.token}",
        "Bearer",
    ):
        status, body = _get(me_url, header=header)
        assert status == 401, header
        assert body["error"]["message"] == AUTH_MESSAGE


def test_a_revoked_token_is_refused(me_url):
    person = UserFactory()
    issued = services.api_token_create(actor=person, user=person)
    assert _get(me_url, issued.token)[0] == 200
    services.api_token_revoke(actor=person, api_token=issued.api_token)
    status, body = _get(me_url, issued.token)
    assert status == 401
    assert body["error"]["message"] == AUTH_MESSAGE


def test_an_expired_token_is_refused(me_url):
    person = UserFactory()
    issued = services.api_token_create(
        actor=person, user=person, expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    status, body = _get(me_url, issued.token)
    assert status == 401
    assert body["error"]["message"] == AUTH_MESSAGE
