from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from commonweal.accounts.tests.helpers import totp_code, wrong_code

pytestmark = pytest.mark.django_db

SETUP = reverse("accounts:two_factor_setup")
VERIFY = reverse("accounts:two_factor_verify")


def test_staff_without_a_device_are_sent_to_set_up_from_any_page(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("accounts:tokens"))
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2Faccounts%2Ftokens%2F"


def test_staff_with_a_device_are_sent_to_enter_a_code(client, coordinator, confirmed_device):
    client.force_login(coordinator)
    response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(f"{VERIFY}?next=")


def test_people_without_a_staff_role_are_not_asked_for_a_code(client, user):
    client.force_login(user)
    assert client.get(reverse("accounts:dashboard")).status_code == 200


@override_settings(COMMONWEAL_REQUIRE_STAFF_2FA=False)
def test_the_setting_turns_the_requirement_off(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("accounts:dashboard")).status_code == 200


def test_the_set_up_page_shows_a_qr_code_and_the_secret_with_no_outside_requests(
    client, coordinator
):
    client.force_login(coordinator)
    response = client.get(SETUP)
    assert response.status_code == 200
    html = response.content.decode()
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    assert '<img src="data:image/svg+xml' in html
    assert 'alt="QR code for adding your' in html
    import base64

    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    assert secret[:4] + " " + secret[4:8] in html
    assert 'autocomplete="one-time-code"' in html
    assert "http://" not in html.split("<main")[1].split("</main>")[0].replace(
        "http://www.w3.org", ""
    )
    # Reloading keeps the same secret, so a phone that already scanned it still works.
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=coordinator).count() == 1


def test_setting_up_with_the_right_code_confirms_the_device_and_signs_in_with_it(
    client, coordinator
):
    client.force_login(coordinator)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=coordinator)
    response = client.post(SETUP, {"code": totp_code(device), "next": "/accounts/tokens/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/tokens/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("accounts:tokens")).status_code == 200


def test_a_wrong_code_at_set_up_is_explained(client, coordinator):
    client.force_login(coordinator)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=coordinator)
    response = client.post(SETUP, {"code": wrong_code(device)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "The code is not right." in html
    assert 'href="#id_code"' in html
    device.refresh_from_db()
    assert not device.confirmed
    response = client.post(SETUP, {"code": "12ab"})
    assert "The code must be 6 digits, like 123456" in response.content.decode()


def test_set_up_cannot_add_a_second_device_before_the_first_is_used(
    client, coordinator, confirmed_device
):
    client.force_login(coordinator)
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=coordinator).count() == 1


def test_verify_with_the_right_code_lets_staff_in(client, coordinator, confirmed_device):
    client.force_login(coordinator)
    response = client.get(VERIFY + "?next=/accounts/profile/")
    assert response.status_code == 200
    assert "Enter your sign-in code" in response.content.decode()
    response = client.post(
        VERIFY, {"code": totp_code(confirmed_device), "next": "/accounts/profile/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    assert client.get(reverse("accounts:dashboard")).status_code == 200


def test_verify_with_a_wrong_code_keeps_staff_out(client, coordinator, confirmed_device):
    client.force_login(coordinator)
    response = client.post(VERIFY, {"code": wrong_code(confirmed_device)})
    assert response.status_code == 400
    assert "The code is not right." in response.content.decode()
    assert client.get(reverse("accounts:dashboard")).status_code == 302
    response = client.post(VERIFY, {"code": totp_code(confirmed_device)})
    assert "too many wrong codes" in response.content.decode()


def test_anyone_can_choose_to_set_up_two_factor(client, user):
    client.force_login(user)
    response = client.get(SETUP)
    assert response.status_code == 200
    assert "Keep your account safer" in response.content.decode()


def test_signed_out_people_can_not_reach_two_factor_pages(client):
    assert client.get(SETUP).status_code == 302
    assert client.get(VERIFY).status_code == 302


def test_staff_who_have_not_entered_a_code_can_still_sign_out(
    client, coordinator, confirmed_device
):
    client.force_login(coordinator)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert "_auth_user_id" not in client.session


def test_the_administration_site_also_needs_the_code(client, coordinator, confirmed_device):
    coordinator.is_staff = True
    coordinator.save()
    client.force_login(coordinator)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
