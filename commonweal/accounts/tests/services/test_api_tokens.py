from __future__ import annotations

import datetime
import hashlib

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from commonweal.accounts import selectors, services
from commonweal.accounts.constants import AccountsAuditKind
from commonweal.accounts.models import ApiToken
from commonweal.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_api_token_create_returns_the_token_once_and_stores_only_its_hash(user):
    issued = services.api_token_create(actor=user, user=user, name="Dashboard")
    stored = ApiToken.objects.get(pk=issued.api_token.pk)
    assert issued.token.startswith("cw_")
    assert stored.token_hash == hashlib.sha256(issued.token.encode()).hexdigest()
    assert stored.prefix == issued.token[:10]
    assert issued.token not in str(list(ApiToken.objects.values()))
    assert stored.expires_at is None
    entry = AuditEntry.objects.get(kind=AccountsAuditKind.TOKEN_CREATED)
    assert entry.after["prefix"] == stored.prefix
    assert issued.token not in str(entry.after)
    assert selectors.api_token_user_get(token=issued.token) == user


def test_tokens_are_different_every_time(user):
    tokens = {services.api_token_create(actor=user, user=user).token for _ in range(5)}
    assert len(tokens) == 5


def test_a_token_with_an_expiry_stops_working_after_it(user):
    issued = services.api_token_create(actor=user, user=user, expires_in_days=30)
    assert issued.api_token.expires_at is not None
    assert selectors.api_token_user_get(token=issued.token) == user
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        assert selectors.api_token_user_get(token=issued.token) is None


def test_a_token_must_last_at_least_a_day(user):
    with pytest.raises(ValidationError) as error:
        services.api_token_create(actor=user, user=user, expires_in_days=0)
    assert "expires_in_days" in error.value.message_dict


def test_a_revoked_token_stops_working_at_once(user):
    issued = services.api_token_create(actor=user, user=user)
    services.api_token_revoke(actor=user, api_token=issued.api_token)
    assert issued.api_token.revoked_at is not None
    assert selectors.api_token_user_get(token=issued.token) is None
    assert AuditEntry.objects.filter(kind=AccountsAuditKind.TOKEN_REVOKED).count() == 1


def test_a_token_of_a_closed_account_does_not_work(user):
    issued = services.api_token_create(actor=user, user=user)
    services.user_update(actor=None, user=user, is_active=False)
    assert selectors.api_token_user_get(token=issued.token) is None


def test_wrong_tokens_are_refused(user):
    issued = services.api_token_create(actor=user, user=user)
    assert selectors.api_token_user_get(token=issued.token + "x") is None
    assert selectors.api_token_user_get(token="not-a-token") is None
    assert selectors.api_token_user_get(token="") is None


def test_using_a_token_records_when_it_was_last_used(user):
    issued = services.api_token_create(actor=user, user=user)
    selectors.api_token_user_get(token=issued.token)
    issued.api_token.refresh_from_db()
    assert issued.api_token.last_used_at is not None
