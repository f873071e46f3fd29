"""factory_boy factories for the timebank's tests.

Gift board: ``GiftPostFactory`` makes an open offer by a new member in the member's timebank, at the
member's point (pass ``latitude``/``longitude`` to put it elsewhere).

Members' part: ``TimebankFactory`` (run by a new organisation, two locality groups with
``TimebankFactory(localities=["Grays", "Tilbury"])``), ``MemberFactory`` (an active member with a user),
``ApplicantFactory`` (applied, waiting for a broker), ``ProxyMemberFactory``, ``VettingRecordFactory``,
``CategoryFactory`` and ``broker_of(timebank)``. Accounts are opened through the ledger, never made
here: use ``member_with_account(timebank)``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from commonweal.accounts.constants import Role
from commonweal.accounts.models import User
from commonweal.accounts.tests.factories import OrganisationFactory, UserFactory
from commonweal.timebank.constants import (
    AccountKind,
    GiftType,
    MemberStatus,
    PostKind,
    VettingKind,
    VettingOutcome,
)
from commonweal.timebank.models import (
    Account,
    Category,
    GiftPost,
    Locality,
    Member,
    Timebank,
    VettingRecord,
)


class TimebankFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Timebank
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Timebank {n}")
    slug = factory.Sequence(lambda n: f"timebank-{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    group_activities_first = 0

    @factory.post_generation
    def localities(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            for name in extracted:
                Locality.objects.create(timebank=self, name=name)


class LocalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Locality

    timebank = factory.SubFactory(TimebankFactory)
    name = factory.Sequence(lambda n: f"Locality {n}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Kind of help {n}")
    slug = factory.Sequence(lambda n: f"kind-of-help-{n}")


class MemberFactory(factory.django.DjangoModelFactory):
    """An active member with a user of their own (no account: see ``member_with_account``)."""

    class Meta:
        model = Member

    timebank = factory.SubFactory(TimebankFactory)
    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Member {n}")
    status = MemberStatus.ACTIVE
    can_offer = "A chat over a cup of tea"
    joined_on = factory.LazyFunction(timezone.localdate)
    terms_agreed_at = factory.LazyFunction(timezone.now)
    postcode = "RM176SL"
    latitude = Decimal("51.475500")
    longitude = Decimal("0.323800")


class ApplicantFactory(MemberFactory):
    status = MemberStatus.APPLIED
    joined_on = None


class ProxyMemberFactory(MemberFactory):
    user = None
    is_proxy = True
    contact_notes = "Landline 01375 000000, mornings"


class VettingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VettingRecord

    member = factory.SubFactory(MemberFactory)
    kind = VettingKind.DBS_ENHANCED
    outcome = VettingOutcome.CLEAR
    checked_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    expires_on = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=3 * 365)
    )
    reference = "001234567890"
    recorded_by = factory.SubFactory(UserFactory)


def broker_of(timebank: Timebank, role: str = Role.BROKER, **kwargs: Any) -> User:
    """A person with the broker role (or ``role``) in the organisation that runs ``timebank``."""
    return UserFactory(roles=[role], roles__organisation=timebank.organisation, **kwargs)  # type: ignore[no-any-return]


def member_with_account(timebank: Timebank, **kwargs: Any) -> Member:
    """An active member whose account the ledger has opened."""
    from commonweal.timebank import ledger

    member = MemberFactory(timebank=timebank, **kwargs)
    ledger.account_open(
        actor=member.user, timebank=timebank, kind=AccountKind.MEMBER, member=member
    )
    return member  # type: ignore[no-any-return]


def account_of(member: Member) -> Account:
    return Account.objects.get(member=member)


def example_timebank() -> Timebank:
    """A timebank with locality groups, for the browser checks of public pages."""
    from commonweal.timebank.membership import timebank_create

    return timebank_create(
        actor=None,
        name="Thurrock Timebank",
        slug="thurrock",
        organisation=OrganisationFactory(name="Thurrock CVS"),
        localities=["Grays", "Tilbury"],
    )


class GiftPostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GiftPost

    member = factory.SubFactory(MemberFactory)
    timebank = factory.SelfAttribute("member.timebank")
    posted_by = factory.SelfAttribute("member.user")
    kind = PostKind.OFFER
    title = factory.Sequence(lambda n: f"Gift {n}")
    category = factory.SubFactory(CategoryFactory)
    gift_type = GiftType.HANDS
    postcode = factory.SelfAttribute("member.postcode")
    latitude = factory.SelfAttribute("member.latitude")
    longitude = factory.SelfAttribute("member.longitude")
