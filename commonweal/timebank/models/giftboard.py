"""The gift board: offers and needs of the head, hands and heart, goods to give away, and the
connections people make through them. Nothing here touches the ledger: no minutes change hands.

A post's place is only ever a postcode (its point, ward and LSOA come from geo): never an address.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from commonweal.core.models import BaseModel
from commonweal.geo.models import LocatedModel
from commonweal.timebank.constants import (
    POST_LIFETIME_DAYS,
    ConnectionStatus,
    GiftType,
    PostKind,
    PostStatus,
)
from commonweal.timebank.models.banks import Category, Timebank
from commonweal.timebank.models.members import Member


def post_expiry_default() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=POST_LIFETIME_DAYS)


def post_photo_path(instance: GiftPost, filename: str) -> str:
    """Photos are stored under a random name: the file name a phone gives can say who took it."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"giftboard/{instance.public_id}.{suffix[:5]}"


class GiftPostQuerySet(models.QuerySet["GiftPost"]):
    def live(self) -> GiftPostQuerySet:
        """Open and not past its expiry date (the nightly command marks those expired)."""
        return self.filter(status=PostStatus.OPEN, expires_on__gte=timezone.localdate())


class GiftPost(LocatedModel, BaseModel):
    """An offer or a need on the gift board; with a goods category, an item to give away or wanted.

    Posted by a member, or by an organisation (a school, a hub) through one of its people.
    ``category_family`` is the category's top-level ancestor, kept here so matching can narrow in SQL.
    """

    timebank = models.ForeignKey(Timebank, on_delete=models.PROTECT, related_name="gift_posts")
    kind = models.CharField(max_length=8, choices=PostKind.choices)
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="gift_posts")
    category_family = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="+", editable=False
    )
    is_goods = models.BooleanField(default=False, editable=False)
    gift_type = models.CharField(max_length=8, choices=GiftType.choices, blank=True)
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.CASCADE, related_name="gift_posts"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="gift_posts",
        help_text="When an organisation (a school, a hub) offers or asks.",
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="gift_posts"
    )
    availability = models.CharField(max_length=200, blank=True)
    available_days = models.CharField(
        max_length=40, blank=True, help_text="Comma-separated day codes (mon,tue...)."
    )
    home_visit = models.BooleanField(
        default=False,
        help_text="The help happens in someone's home (never suggested to members who cannot have it).",
    )
    via_hub_only = models.BooleanField(
        default=False, help_text="People contact the poster only through hub staff."
    )
    photo = models.ImageField(upload_to=post_photo_path, blank=True)
    photo_alt = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=8, choices=PostStatus.choices, default=PostStatus.OPEN)
    expires_on = models.DateField(default=post_expiry_default)
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = GiftPostQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # Matching: the live posts of one kind in a bank, in a category family, inside a box.
            models.Index(
                fields=["timebank", "kind", "status", "category_family", "latitude", "longitude"],
                name="timebank_gift_match_idx",
            ),
            models.Index(
                fields=["timebank", "kind", "status", "gift_type", "latitude", "longitude"],
                name="timebank_gift_match_type_idx",
            ),
            models.Index(fields=["status", "expires_on"], name="timebank_gift_expiry_idx"),
            models.Index(
                fields=["timebank", "status", "kind", "is_goods", "-created_at"],
                name="timebank_gift_browse_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member__isnull=False) | models.Q(organisation__isnull=False),
                name="timebank_gift_post_has_poster",
            ),
            models.CheckConstraint(
                condition=models.Q(photo="") | ~models.Q(photo_alt=""),
                name="timebank_gift_photo_has_alt",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        family = self.category
        while family.parent_id is not None and family.parent is not None:
            family = family.parent
        self.category_family = family
        self.is_goods = self.category.is_goods
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def poster_name(self) -> str:
        """What others see: the organisation's name, or the member's display name."""
        if self.organisation_id is not None and self.organisation is not None:
            return self.organisation.name
        return self.member.display_name if self.member is not None else ""

    @property
    def days(self) -> list[str]:
        return [day for day in self.available_days.split(",") if day]

    @property
    def is_live(self) -> bool:
        return self.status == PostStatus.OPEN and self.expires_on >= timezone.localdate()


class Connection(BaseModel):
    """Someone asked about a post (perhaps offering their own post in answer), and what came of it.

    Personal details are shared only once the poster accepts, or never when it goes through hub staff.
    ``connected_at`` is the figure the gift board reports: a connection made.
    """

    post = models.ForeignKey(GiftPost, on_delete=models.CASCADE, related_name="connections")
    their_post = models.ForeignKey(
        GiftPost,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="connections_offered",
        help_text="The asker's own offer or need that answers the post, if any.",
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="gift_connections"
    )
    asked_by_member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField()
    via_hub = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=ConnectionStatus.choices, default=ConnectionStatus.REQUESTED
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    connected_at = models.DateTimeField(null=True, blank=True)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "connected_at"], name="timebank_gift_conn_made_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.post}"
