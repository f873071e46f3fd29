"""Example records the gift board's public pages show in the browser checks (made per test)."""

from __future__ import annotations

import uuid

EXAMPLE_GIFT_POST_ID = uuid.UUID("0b5e55c0-1157-4a6e-9c1a-0000000091f7")


def example_gift_board() -> None:
    """An offer with a ward and availability, a need, and an item to give away."""
    from commonweal.geo.tests.factories import AreaFactory
    from commonweal.timebank.constants import GiftType, PostKind
    from commonweal.timebank.tests.factories import (
        CategoryFactory,
        GiftPostFactory,
        MemberFactory,
        TimebankFactory,
    )

    bank = TimebankFactory(name="Thurrock Timebank", slug="thurrock-example")
    ward = AreaFactory(code="E05002229", name="Grays Riverside")
    garden = CategoryFactory(name="Gardening", slug="gardening-example")
    GiftPostFactory(
        public_id=EXAMPLE_GIFT_POST_ID,
        member=MemberFactory(timebank=bank, display_name="Sam"),
        kind=PostKind.OFFER,
        title="Help with an overgrown garden",
        description="I have tools and a free Saturday most weeks.",
        category=garden,
        gift_type=GiftType.HANDS,
        availability="Saturday mornings",
        available_days="sat",
        ward=ward,
    )
    GiftPostFactory(
        member=MemberFactory(timebank=bank, display_name="Ada"),
        kind=PostKind.NEED,
        title="Someone to chat to about computers",
        category=CategoryFactory(name="Computer help", slug="computers-example"),
        gift_type=GiftType.HEAD,
        ward=ward,
    )
    GiftPostFactory(
        member=MemberFactory(timebank=bank, display_name="Lee"),
        kind=PostKind.OFFER,
        title="Pine bed frame",
        category=CategoryFactory(name="Furniture", slug="furniture-example", is_goods=True),
        gift_type="",
        ward=ward,
    )
