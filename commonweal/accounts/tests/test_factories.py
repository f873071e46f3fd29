from __future__ import annotations

import pytest

from commonweal.accounts.constants import OrganisationKind, Role
from commonweal.accounts.tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    StaffUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_user_factory_makes_people_who_can_sign_in_with_the_shared_password():
    first, second = UserFactory(), UserFactory()
    assert first.email != second.email
    assert first.email.endswith("@example.org")
    assert PASSWORD == "correct horse battery"
    assert first.check_password("correct horse battery")


def test_organisation_factory_makes_unique_slugs_of_voluntary_groups():
    first, second = OrganisationFactory(), OrganisationFactory()
    assert first.slug != second.slug
    assert first.kind == OrganisationKind.VCS_GROUP


def test_roles_can_be_given_through_the_user_factory():
    organisation = OrganisationFactory()
    person = UserFactory(roles=[Role.BROKER, Role.MEMBER], roles__organisation=organisation)
    assert person.active_roles() == {Role.BROKER, Role.MEMBER}
    assert set(person.memberships.values_list("organisation", flat=True)) == {organisation.pk}


def test_staff_user_factory_makes_a_coordinator_who_needs_two_factor():
    person = StaffUserFactory()
    assert person.has_role(Role.COORDINATOR)
    assert person.needs_two_factor


def test_membership_factory_is_active_today():
    membership = MembershipFactory(role=Role.VOLUNTEER)
    assert membership.user.has_role(Role.VOLUNTEER)
