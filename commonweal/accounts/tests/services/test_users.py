from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from commonweal.accounts import services
from commonweal.accounts.constants import AccountsAuditKind
from commonweal.accounts.models import Profile, User
from commonweal.core.models import AuditEntry
from commonweal.settings import base

pytestmark = pytest.mark.django_db


def test_user_create_stores_the_email_in_lower_case_with_a_profile_and_an_audit_entry(user):
    created = services.user_create(
        actor=user,
        email="  Sam.Jones@Example.ORG ",
        password="a long and unusual passphrase",
        full_name="Sam Jones",
    )
    assert created.email == "sam.jones@example.org"
    assert created.check_password("a long and unusual passphrase")
    assert Profile.objects.filter(user=created).exists()
    entry = AuditEntry.objects.get(kind=AccountsAuditKind.USER_CREATED)
    assert entry.actor == user
    assert entry.target_id == str(created.pk)
    assert entry.after["email"] == "sam.jones@example.org"


def test_user_create_hashes_passwords_with_argon2():
    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        created = services.user_create(
            actor=None, email="argon@example.org", password="a long and unusual passphrase"
        )
    assert created.password.startswith("argon2$")


def test_user_create_refuses_an_email_already_used_in_another_case(user):
    with pytest.raises(ValidationError) as error:
        services.user_create(actor=None, email="ADA@example.org")
    assert "email" in error.value.message_dict
    assert User.objects.filter(email__iexact="ada@example.org").count() == 1


def test_user_create_refuses_a_weak_password_and_writes_nothing():
    with pytest.raises(ValidationError) as error:
        services.user_create(actor=None, email="weak@example.org", password="password")
    assert "password" in error.value.message_dict
    assert not User.objects.filter(email="weak@example.org").exists()
    assert not AuditEntry.objects.exists()


def test_user_create_without_a_password_makes_an_account_that_cannot_sign_in():
    created = services.user_create(actor=None, email="later@example.org")
    assert not created.has_usable_password()


def test_user_create_refuses_a_malformed_email():
    with pytest.raises(ValidationError) as error:
        services.user_create(actor=None, email="not an email")
    assert "email" in error.value.message_dict


def test_user_update_changes_given_fields_and_audits_before_and_after(user):
    services.user_update(actor=user, user=user, preferred_name="Ada", email="Ada.L@Example.org")
    user.refresh_from_db()
    assert user.preferred_name == "Ada"
    assert user.email == "ada.l@example.org"
    assert user.full_name == "Ada Lovelace"
    entry = AuditEntry.objects.get(kind=AccountsAuditKind.USER_UPDATED)
    assert entry.before == {"preferred_name": "", "email": "ada@example.org"}
    assert entry.after == {"preferred_name": "Ada", "email": "ada.l@example.org"}


def test_user_update_without_changes_writes_no_audit_entry(user):
    services.user_update(actor=user, user=user, full_name="Ada Lovelace")
    assert not AuditEntry.objects.filter(kind=AccountsAuditKind.USER_UPDATED).exists()
