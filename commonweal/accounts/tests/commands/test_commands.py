from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from commonweal.accounts import selectors
from commonweal.accounts.constants import Role
from commonweal.accounts.models import ApiToken, User

pytestmark = pytest.mark.django_db


def test_api_token_create_prints_only_a_working_token(user):
    out, err = StringIO(), StringIO()
    call_command(
        "api_token_create",
        "--user",
        "ADA@example.org",
        "--name",
        "Nightly export",
        "--days",
        "7",
        stdout=out,
        stderr=err,
    )
    token = out.getvalue().strip()
    assert out.getvalue() == token + "\n"
    assert token.startswith("cw_") and " " not in token
    assert selectors.api_token_user_get(token=token) == user
    stored = ApiToken.objects.get(user=user)
    assert stored.name == "Nightly export"
    assert stored.expires_at is not None


def test_api_token_create_names_an_unknown_email():
    with pytest.raises(CommandError, match="No user with email nobody@example.org"):
        call_command("api_token_create", "--user", "nobody@example.org", stdout=StringIO())


def test_api_token_create_refuses_zero_days(user):
    with pytest.raises(CommandError, match="at least 1 day"):
        call_command("api_token_create", "--user", user.email, "--days", "0", stdout=StringIO())


def test_accounts_user_create_makes_a_person_with_a_role(organisation):
    out = StringIO()
    call_command(
        "accounts_user_create",
        "--email",
        "New.Broker@Example.org",
        "--name",
        "New Broker",
        "--role",
        "broker",
        "--organisation",
        organisation.slug,
        "--no-password",
        stdout=out,
    )
    person = User.objects.get(email="new.broker@example.org")
    assert person.has_role(Role.BROKER)
    assert not person.has_usable_password()
    assert "Created new.broker@example.org" in out.getvalue()
    assert "commonweal changepassword new.broker@example.org" in out.getvalue()
    # Running it again for an existing person adds the role without a second account.
    call_command(
        "accounts_user_create",
        "--email",
        "new.broker@example.org",
        "--role",
        "admin",
        "--organisation",
        organisation.slug,
        stdout=StringIO(),
    )
    assert User.objects.filter(email="new.broker@example.org").count() == 1
    person = User.objects.get(email="new.broker@example.org")
    assert person.has_role(Role.ADMIN)


def test_accounts_user_create_names_an_unknown_organisation():
    with pytest.raises(CommandError, match="No organisation with slug nowhere"):
        call_command(
            "accounts_user_create",
            "--email",
            "a@example.org",
            "--role",
            "member",
            "--organisation",
            "nowhere",
            stdout=StringIO(),
        )
    assert not User.objects.exists()
