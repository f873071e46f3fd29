from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from commonweal.accounts import services
from commonweal.accounts.constants import AccountsAuditKind, Role
from commonweal.accounts.models import Membership
from commonweal.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_membership_grant_gives_the_role_at_once(user, organisation):
    assert not user.has_role(Role.BROKER)
    membership = services.membership_grant(
        actor=None, user=user, organisation=organisation, role=Role.BROKER
    )
    assert membership.role == Role.BROKER
    assert user.has_role(Role.BROKER)
    assert user.needs_two_factor
    entry = AuditEntry.objects.get(kind=AccountsAuditKind.MEMBERSHIP_GRANTED)
    assert entry.after["role"] == "broker"
    assert entry.after["organisation"] == organisation.slug


def test_granting_a_role_held_already_changes_nothing(user, organisation):
    first = services.membership_grant(
        actor=None, user=user, organisation=organisation, role=Role.MEMBER
    )
    second = services.membership_grant(
        actor=None, user=user, organisation=organisation, role=Role.MEMBER
    )
    assert first.pk == second.pk
    assert AuditEntry.objects.filter(kind=AccountsAuditKind.MEMBERSHIP_GRANTED).count() == 1


def test_membership_grant_refuses_an_unknown_role(user, organisation):
    with pytest.raises(ValidationError) as error:
        services.membership_grant(actor=None, user=user, organisation=organisation, role="wizard")
    assert "role" in error.value.message_dict
    assert not Membership.objects.exists()


def test_membership_grant_refuses_an_end_before_the_start(user, organisation):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        services.membership_grant(
            actor=None,
            user=user,
            organisation=organisation,
            role=Role.MEMBER,
            ends_on=today - datetime.timedelta(days=3),
        )
    assert "ends_on" in error.value.message_dict


def test_membership_end_takes_the_role_away_today_and_keeps_the_record(user, organisation):
    membership = services.membership_grant(
        actor=None,
        user=user,
        organisation=organisation,
        role=Role.COORDINATOR,
        starts_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    assert user.has_role(Role.COORDINATOR)
    services.membership_end(actor=user, membership=membership)
    user = type(user).objects.get(pk=user.pk)
    assert not user.has_role(Role.COORDINATOR)
    membership.refresh_from_db()
    assert membership.ends_on == timezone.localdate() - datetime.timedelta(days=1)
    entry = AuditEntry.objects.get(kind=AccountsAuditKind.MEMBERSHIP_ENDED)
    assert entry.before == {"ends_on": None}


def test_granting_an_ended_role_again_reopens_it(user, organisation):
    membership = services.membership_grant(
        actor=None, user=user, organisation=organisation, role=Role.VOLUNTEER
    )
    services.membership_end(actor=None, membership=membership)
    again = services.membership_grant(
        actor=None, user=user, organisation=organisation, role=Role.VOLUNTEER
    )
    assert again.pk == membership.pk
    assert again.ends_on is None
    assert user.has_role(Role.VOLUNTEER)
