"""Timebanks, members and accounts for the ledger's tests (entries are only ever made by the ledger)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from commonweal.accounts.constants import Role
from commonweal.accounts.tests.factories import OrganisationFactory, UserFactory
from commonweal.timebank.constants import (
    AccountKind,
    ConfirmationPolicy,
    LimitPolicy,
    MemberStatus,
    VettingKind,
)
from commonweal.timebank.models import Account, Member, Timebank, VettingRecord


class TimebankFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Timebank

    name = factory.Sequence(lambda n: f"Timebank {n}")
    slug = factory.Sequence(lambda n: f"timebank-{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    rounding_minutes = 15
    default_min_balance = -600
    default_max_balance = None
    limit_policy = LimitPolicy.BLOCK
    confirmation_policy = ConfirmationPolicy.PAYER
    group_activities_first = 0
    max_backdate_days = 90


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    timebank = factory.SubFactory(TimebankFactory)
    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Neighbour {n}")
    status = MemberStatus.ACTIVE


def member_account(timebank: Timebank, name: str = "", **member: Any) -> Account:
    """A member with a user and an open account in ``timebank``. The account's ``member.user`` signs in."""
    person = MemberFactory(timebank=timebank, **({"display_name": name} if name else {}), **member)
    return Account.objects.create(
        timebank=timebank, kind=AccountKind.MEMBER, member=person, name=person.display_name
    )


def organisation_account(timebank: Timebank, *, rep_roles: tuple[str, ...] = (Role.GROUP_REP,)):
    """An organisation's account and a user who acts for it."""
    organisation = OrganisationFactory()
    rep = UserFactory(roles=list(rep_roles), roles__organisation=organisation)
    account = Account.objects.create(
        timebank=timebank,
        kind=AccountKind.ORGANISATION,
        organisation=organisation,
        name=organisation.name,
    )
    return account, rep


def broker_of(timebank: Timebank, role: str = Role.BROKER):
    return UserFactory(roles=[role], roles__organisation=timebank.organisation)


def enhanced_dbs(member: Member, *, by: Any, checked_on: dt.date, expires_on: dt.date | None):
    return VettingRecord.objects.create(
        member=member,
        kind=VettingKind.DBS_ENHANCED,
        checked_on=checked_on,
        expires_on=expires_on,
        recorded_by=by,
    )
