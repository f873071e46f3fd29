"""factory_boy factories for timebanks, members, categories and gift board posts.

``MemberFactory`` makes an active member with a user of their own (``user=None, is_proxy=True`` for a
proxy member). ``GiftPostFactory`` makes an open offer by a new member in the member's timebank, at the
member's point; pass ``latitude``/``longitude`` to put it elsewhere.
"""

from __future__ import annotations

from decimal import Decimal

import factory

from commonweal.accounts.tests.factories import UserFactory
from commonweal.timebank.constants import GiftType, MemberStatus, PostKind
from commonweal.timebank.models import Category, GiftPost, Member, Timebank


class TimebankFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Timebank
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Timebank {n}")
    slug = factory.Sequence(lambda n: f"timebank-{n}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    timebank = factory.SubFactory(TimebankFactory)
    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Member {n}")
    status = MemberStatus.ACTIVE
    postcode = "RM176SL"
    latitude = Decimal("51.475500")
    longitude = Decimal("0.323800")


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
