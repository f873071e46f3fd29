from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_totp.models import TOTPDevice

from commonweal.accounts import selectors, services
from commonweal.accounts.constants import AccountsAuditKind
from commonweal.accounts.tests.helpers import totp_code, wrong_code
from commonweal.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_totp_device_create_makes_one_unconfirmed_device_and_reuses_it(coordinator):
    device = services.totp_device_create(actor=coordinator, user=coordinator)
    again = services.totp_device_create(actor=coordinator, user=coordinator)
    assert device.pk == again.pk
    assert not device.confirmed
    assert not selectors.two_factor_is_set_up(user=coordinator)
    assert AuditEntry.objects.filter(kind=AccountsAuditKind.TWO_FACTOR_DEVICE_CREATED).count() == 1


def test_totp_device_confirm_accepts_the_code_the_app_shows(coordinator):
    device = services.totp_device_create(actor=coordinator, user=coordinator)
    services.totp_device_confirm(actor=coordinator, device=device, code=totp_code(device))
    device.refresh_from_db()
    assert device.confirmed
    assert selectors.two_factor_is_set_up(user=coordinator)
    assert AuditEntry.objects.filter(
        kind=AccountsAuditKind.TWO_FACTOR_ENABLED, actor=coordinator
    ).exists()


def test_a_wrong_code_is_refused_in_plain_words_and_slows_the_next_try(coordinator):
    device = services.totp_device_create(actor=coordinator, user=coordinator)
    with pytest.raises(ValidationError) as error:
        services.totp_device_confirm(actor=coordinator, device=device, code=wrong_code(device))
    assert error.value.message_dict["code"] == [services.WRONG_CODE_MESSAGE]
    device.refresh_from_db()
    assert not device.confirmed
    assert device.throttling_failure_count == 1
    # Straight after a wrong code even the right one must wait.
    with pytest.raises(ValidationError) as error:
        services.totp_device_confirm(actor=coordinator, device=device, code=totp_code(device))
    assert error.value.message_dict["code"] == [services.THROTTLED_CODE_MESSAGE]


def test_totp_device_verify_finds_the_confirmed_device_and_refuses_a_reused_code(
    coordinator, confirmed_device
):
    code = totp_code(confirmed_device)
    assert services.totp_device_verify(user=coordinator, code=code) == confirmed_device
    with pytest.raises(ValidationError):
        services.totp_device_verify(user=coordinator, code=code)


def test_totp_device_verify_without_a_device_says_so(coordinator):
    TOTPDevice.objects.create(user=coordinator, name="Unconfirmed", confirmed=False)
    with pytest.raises(ValidationError) as error:
        services.totp_device_verify(user=coordinator, code="123456")
    assert "not set up" in error.value.message_dict["code"][0]
