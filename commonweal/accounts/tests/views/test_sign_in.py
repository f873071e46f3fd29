from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import override_settings
from django.urls import reverse

from commonweal.accounts.forms import INVALID_LOGIN
from commonweal.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:login")


def test_the_sign_in_page_asks_for_an_email_address_and_a_password(client):
    response = client.get(SIGN_IN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label class="govuk-label" for="id_username">Email address</label>' in html
    assert 'type="email"' in html
    assert 'for="id_password">Password</label>' in html
    assert 'autocomplete="current-password"' in html


def test_signing_in_with_the_right_details_goes_to_your_account(client, user):
    response = client.post(SIGN_IN, {"username": "ada@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    assert client.get(reverse("accounts:dashboard")).status_code == 200


def test_the_email_address_is_not_case_sensitive(client, user):
    response = client.post(SIGN_IN, {"username": "  ADA@Example.org", "password": PASSWORD})
    assert response.status_code == 302


def test_signing_in_follows_a_safe_next_but_not_another_site(client, user):
    response = client.post(
        SIGN_IN, {"username": user.email, "password": PASSWORD, "next": "/accounts/profile/"}
    )
    assert response["Location"] == "/accounts/profile/"
    client.logout()
    response = client.post(
        SIGN_IN, {"username": user.email, "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("accounts:dashboard")


def test_wrong_details_show_an_error_summary_linking_to_the_email_field(client, user):
    response = client.post(SIGN_IN, {"username": user.email, "password": "not the password"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert f'<a href="#id_username">{INVALID_LOGIN}</a>' in html
    assert "<title>Error: Sign in" in html
    assert "_auth_user_id" not in client.session


def test_empty_fields_are_named_in_the_error_summary(client):
    response = client.post(SIGN_IN, {"username": "", "password": ""})
    html = response.content.decode()
    assert '<a href="#id_username">Enter your email address</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html


@override_settings(AXES_FAILURE_LIMIT=5)
def test_after_five_failures_the_sixth_try_is_locked_out_even_with_the_right_password(client, user):
    for attempt in range(1, 5):
        response = client.post(SIGN_IN, {"username": user.email, "password": f"wrong {attempt}"})
        assert response.status_code == 200, attempt
    response = client.post(SIGN_IN, {"username": user.email, "password": "wrong 5"})
    assert response.status_code == 429
    response = client.post(SIGN_IN, {"username": user.email, "password": PASSWORD})
    assert response.status_code == 429
    html = response.content.decode()
    assert "You cannot sign in for now" in html
    assert "Wait 15 minutes, then try again" in html
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get().failures_since_start >= 5


@override_settings(AXES_FAILURE_LIMIT=5)
def test_failures_count_the_same_whatever_the_case_of_the_email(client, user):
    for attempt in range(5):
        client.post(
            SIGN_IN,
            {"username": user.email.upper() if attempt % 2 else user.email, "password": "wrong"},
        )
    response = client.post(SIGN_IN, {"username": user.email, "password": PASSWORD})
    assert response.status_code == 429


@override_settings(AXES_FAILURE_LIMIT=5)
def test_a_success_before_the_limit_resets_the_count(client, user):
    for _ in range(4):
        client.post(SIGN_IN, {"username": user.email, "password": "wrong"})
    assert client.post(SIGN_IN, {"username": user.email, "password": PASSWORD}).status_code == 302
    client.logout()
    for _ in range(4):
        assert (
            client.post(SIGN_IN, {"username": user.email, "password": "wrong"}).status_code == 200
        )


def test_sign_out_needs_a_post_and_ends_the_session(client, user):
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("accounts:dashboard")).status_code == 302
