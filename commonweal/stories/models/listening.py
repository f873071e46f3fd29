"""Listening records: what a community organiser heard in a conversation, door to door or on the street.

No name is needed. The place is a ward or a street name (never a house number). Contact details are kept
only with the person's agreement to be contacted again. Political opinions and religious beliefs are
special category data (UK GDPR Article 9): they are kept only with the person's explicit consent, whose
words and version are stored. Every record is seen only by the organiser's team (an organisation).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from commonweal.accounts.models import Organisation
from commonweal.core.models import BaseModel
from commonweal.geo.models import Area
from commonweal.stories.constants import ActionStatus, EnergyToAct


class IssueCategory(BaseModel):
    """A category of the issues people raise (housing, transport...), the listening taxonomy."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "issue categories"

    def __str__(self) -> str:
        return self.name


class ListeningRecordQuerySet(models.QuerySet["ListeningRecord"]):
    def for_teams(self, team_ids: list[int]) -> ListeningRecordQuerySet:
        return self.filter(team_id__in=team_ids)


class ListeningRecord(BaseModel):
    sensitive = True

    team = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    conversation_on = models.DateField()
    ward = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    street = models.CharField(
        max_length=120, blank=True, help_text="A street name, never a house number."
    )
    issues = models.TextField()
    categories = models.ManyToManyField(IssueCategory, blank=True, related_name="records")
    energy = models.CharField(max_length=8, choices=EnergyToAct.choices)
    follow_up_consent = models.BooleanField(default=False)
    contact_name = models.CharField(max_length=100, blank=True)
    contact_detail = models.CharField(max_length=200, blank=True)
    special_category_consent = models.BooleanField(default=False)
    special_category_wording = models.TextField(blank=True)
    special_category_version = models.CharField(max_length=20, blank=True)
    political_opinions = models.TextField(blank=True)
    religious_beliefs = models.TextField(blank=True)

    objects = ListeningRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-conversation_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(follow_up_consent=True) | (Q(contact_name="") & Q(contact_detail="")),
                name="stories_listening_contact_needs_consent",
            ),
            models.CheckConstraint(
                condition=Q(special_category_consent=True)
                | (Q(political_opinions="") & Q(religious_beliefs="")),
                name="stories_listening_special_category_needs_consent",
            ),
            models.CheckConstraint(
                condition=~Q(ward=None) | ~Q(street=""), name="stories_listening_has_a_place"
            ),
        ]

    def __str__(self) -> str:
        place = self.ward.name if self.ward else self.street
        return f"Conversation on {self.conversation_on:%d %B %Y} in {place}"


class ListeningAction(BaseModel):
    """What a team will do about a kind of issue people raised, with the conversations behind it.

    Seen only by the team, like the records it is made from.
    """

    sensitive = True

    team = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN, db_index=True
    )
    category = models.ForeignKey(
        IssueCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    title = models.CharField(max_length=150)
    lead = models.CharField(max_length=100, help_text="Who leads it: a name or a group.")
    plan = models.TextField(help_text="What will be done.")
    records = models.ManyToManyField(ListeningRecord, blank=True, related_name="actions")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title
