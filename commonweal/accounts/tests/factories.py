"""factory_boy factories for people, organisations, memberships, consent and API tokens.

Other apps' tests use these: ``UserFactory`` (email ``person{n}@example.org``, password
``correct horse battery``) and ``OrganisationFactory`` (slug ``organisation-{n}``, kind ``vcs_group``).
``UserFactory(roles=[Role.COORDINATOR])`` also gives the person those roles in a new organisation
(or in ``roles__organisation=org``). Sign people in with ``client.force_login(user)``: django-axes
needs the request, so ``client.login()`` does not work.
"""

from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone

from commonweal.accounts.constants import ConsentPurpose, OrganisationKind, Role
from commonweal.accounts.models import (
    ApiToken,
    ConsentRecord,
    Membership,
    Organisation,
    Profile,
    User,
)
from commonweal.accounts.tokens import token_generate, token_hash

PASSWORD = "correct horse battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password(PASSWORD)
    is_active = True

    @factory.post_generation
    def roles(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        _grant_roles(self, create, extracted, **kwargs)


class StaffUserFactory(UserFactory):
    """A coordinator: a staff role that must use two-factor sign-in."""

    @factory.post_generation
    def roles(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        _grant_roles(self, create, [Role.COORDINATOR] if extracted is None else extracted, **kwargs)


def _grant_roles(user: User, create: bool, roles: Any, **kwargs: Any) -> None:
    """``roles=[...]`` (and ``roles__organisation=org``) on a user factory."""
    if not create or not roles:
        return
    organisation = kwargs.get("organisation") or OrganisationFactory()
    for role in roles:
        Membership.objects.create(user=user, organisation=organisation, role=str(role))
    user.__dict__.pop("_active_roles", None)


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = OrganisationKind.VCS_GROUP


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.MEMBER
    starts_on = factory.LazyFunction(timezone.localdate)


class ConsentRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsentRecord

    user = factory.SubFactory(UserFactory)
    purpose = ConsentPurpose.CONTACT
    wording = "You may contact me about my request."


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """A stored token whose plain form nobody knows. For a token to send, use ``services.api_token_create``."""

    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory)
    name = "Test token"
    prefix = "cw_unknown"
    token_hash = factory.LazyFunction(lambda: token_hash(token_generate()))
