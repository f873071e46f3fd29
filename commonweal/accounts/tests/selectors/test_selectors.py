from __future__ import annotations

import pytest

from commonweal.accounts import selectors, services
from commonweal.accounts.constants import OrganisationKind, Role
from commonweal.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_organisations_for_a_user_are_the_ones_with_a_current_role(user):
    larder = OrganisationFactory(name="Larder")
    shed = OrganisationFactory(name="Shed")
    old = OrganisationFactory(name="Old")
    MembershipFactory(user=user, organisation=larder, role=Role.VOLUNTEER)
    MembershipFactory(user=user, organisation=larder, role=Role.GROUP_REP)
    MembershipFactory(user=user, organisation=shed, role=Role.MEMBER)
    ended = MembershipFactory(user=user, organisation=old, role=Role.MEMBER)
    services.membership_end(actor=None, membership=ended)
    assert list(selectors.organisation_list_for_user(user=user)) == [larder, shed]
    assert list(selectors.organisation_list_for_user(user=user, roles=[Role.GROUP_REP])) == [larder]


def test_role_checks_in_one_organisation_or_any(user):
    larder, shed = OrganisationFactory(), OrganisationFactory()
    MembershipFactory(user=user, organisation=larder, role=Role.MODERATOR)
    assert selectors.user_has_role(user=user, roles=[Role.MODERATOR])
    assert selectors.user_has_role(user=user, roles=[Role.MODERATOR], organisation=larder)
    assert not selectors.user_has_role(user=user, roles=[Role.MODERATOR], organisation=shed)
    assert selectors.user_roles_in(user=user, organisation=larder) == {"moderator"}
    assert selectors.user_is_staff_role(user=user)
    assert list(selectors.user_list_with_role(role=Role.MODERATOR, organisation=larder)) == [user]


def test_superusers_hold_every_role_and_closed_accounts_none():
    root = UserFactory(is_superuser=True)
    assert selectors.user_has_role(user=root, roles=[Role.BROKER])
    closed = UserFactory(is_active=False, roles=[Role.BROKER])
    assert not selectors.user_has_role(user=closed, roles=[Role.BROKER])


def test_organisation_list_filters_by_kind():
    council = OrganisationFactory(kind=OrganisationKind.COUNCIL)
    OrganisationFactory(kind=OrganisationKind.CHARITY)
    assert list(selectors.organisation_list(kinds=[OrganisationKind.COUNCIL])) == [council]
    assert selectors.organisation_get(slug=council.slug) == council


def test_user_get_by_email_ignores_case_and_spaces(user):
    assert selectors.user_get_by_email(email=" ADA@example.ORG ") == user
    assert selectors.user_get_by_email(email="nobody@example.org") is None
