"""Listening records: the services (writes) and selectors (reads) of community organisers' conversations.

Kept apart from the story services: these records are never published, never exported with stories, and
are read only by the organiser's team (members of the record's organisation who are coordinators or
administrators there). Every read of a record is written to the access log by the page that shows it.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils.text import slugify

from commonweal.accounts.constants import Role
from commonweal.accounts.models import Organisation
from commonweal.accounts.selectors import organisation_list_for_user
from commonweal.core.audit import audit_record
from commonweal.geo.models import Area
from commonweal.stories.constants import (
    ISSUE_CATEGORIES,
    SPECIAL_CATEGORY_VERSION,
    SPECIAL_CATEGORY_WORDING,
    ActionStatus,
    StoriesAuditKind,
)
from commonweal.stories.models import IssueCategory, ListeningAction, ListeningRecord

TEAM_ROLES = (Role.COORDINATOR, Role.ADMIN)


class ListeningError(ValueError):
    """A listening record cannot be kept as given; the message says why."""


def issue_categories_ensure() -> QuerySet[IssueCategory]:
    """The default issue categories, made if missing (never renamed)."""
    for position, name in enumerate(ISSUE_CATEGORIES, start=1):
        IssueCategory.objects.get_or_create(
            slug=slugify(name)[:100], defaults={"name": name, "position": position}
        )
    return IssueCategory.objects.all()


def listening_teams_for(*, user: Any) -> QuerySet[Organisation]:
    """The teams whose listening records this person may make and read."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return organisation_list_for_user(user=user, roles=TEAM_ROLES)


@dataclass
class ListeningDraft:
    team: Organisation
    conversation_on: datetime.date
    issues: str
    energy: str
    ward: Area | None = None
    street: str = ""
    categories: Sequence[IssueCategory] = ()
    follow_up_consent: bool = False
    contact_name: str = ""
    contact_detail: str = ""
    special_category_consent: bool = False
    political_opinions: str = ""
    religious_beliefs: str = ""


@transaction.atomic
def listening_record_create(*, actor: Any, draft: ListeningDraft) -> ListeningRecord:
    if not listening_teams_for(user=actor).filter(pk=draft.team.pk).exists():
        raise ListeningError(
            f"You do not organise with {draft.team}: choose one of your own teams."
        )
    special = bool(draft.political_opinions.strip() or draft.religious_beliefs.strip())
    if special and not draft.special_category_consent:
        raise ListeningError(
            "Political opinions and religious beliefs can only be written down with the person's "
            "explicit consent."
        )
    contact = bool(draft.contact_name.strip() or draft.contact_detail.strip())
    if contact and not draft.follow_up_consent:
        raise ListeningError(
            "Contact details can only be kept if the person agreed to be contacted again."
        )
    record = ListeningRecord(
        team=draft.team,
        recorded_by=actor,
        conversation_on=draft.conversation_on,
        ward=draft.ward,
        street=draft.street.strip(),
        issues=draft.issues.strip(),
        energy=draft.energy,
        follow_up_consent=draft.follow_up_consent,
        contact_name=draft.contact_name.strip() if draft.follow_up_consent else "",
        contact_detail=draft.contact_detail.strip() if draft.follow_up_consent else "",
        special_category_consent=draft.special_category_consent and special,
        special_category_wording=SPECIAL_CATEGORY_WORDING if special else "",
        special_category_version=SPECIAL_CATEGORY_VERSION if special else "",
        political_opinions=draft.political_opinions.strip(),
        religious_beliefs=draft.religious_beliefs.strip(),
    )
    record.full_clean()
    record.save()
    record.categories.set(draft.categories)
    audit_record(
        kind=StoriesAuditKind.LISTENING_RECORDED,
        actor=actor,
        target=record,
        after={
            "team": draft.team.slug,
            "categories": sorted(c.slug for c in draft.categories),
            "energy": draft.energy,
            "special_category": special,
        },
    )
    return record


@transaction.atomic
def listening_record_delete(*, actor: Any, record: ListeningRecord) -> None:
    """Delete a conversation for good, as the special category consent wording promises.

    Only the record's team may. The audit entry names the team and the record's public id, and
    says whether it held special category answers or contact details; it copies none of the
    deleted words, place or contact details (its target is the team, not the deleted record).
    """
    if not listening_teams_for(user=actor).filter(pk=record.team_id).exists():
        raise ListeningError("Only the team that recorded this conversation can delete it.")
    record = ListeningRecord.objects.select_for_update().select_related("team").get(pk=record.pk)
    facts = {
        "record": str(record.public_id),
        "special_category": bool(record.political_opinions or record.religious_beliefs),
        "contact_details": bool(record.contact_name or record.contact_detail),
        "actions": record.actions.count(),
    }
    team = record.team
    record.delete()  # its links to categories and actions go with it; the actions stay
    audit_record(kind=StoriesAuditKind.LISTENING_DELETED, actor=actor, target=team, before=facts)


@transaction.atomic
def listening_record_special_category_remove(
    *, actor: Any, record: ListeningRecord
) -> ListeningRecord:
    """Remove the political opinions and religious beliefs (and the consent to keep them) from a
    record, keeping the rest of the conversation. Audited without the words removed."""
    if not listening_teams_for(user=actor).filter(pk=record.team_id).exists():
        raise ListeningError("Only the team that recorded this conversation can change it.")
    record = ListeningRecord.objects.select_for_update().get(pk=record.pk)
    had = {
        "political_opinions": bool(record.political_opinions),
        "religious_beliefs": bool(record.religious_beliefs),
        "special_category_consent": record.special_category_consent,
    }
    if not any(had.values()):
        return record
    record.political_opinions = ""
    record.religious_beliefs = ""
    record.special_category_consent = False
    record.special_category_wording = ""
    record.special_category_version = ""
    record.full_clean()
    record.save(
        update_fields=[
            "political_opinions",
            "religious_beliefs",
            "special_category_consent",
            "special_category_wording",
            "special_category_version",
            "updated_at",
        ]
    )
    audit_record(
        kind=StoriesAuditKind.LISTENING_SPECIAL_REMOVED,
        actor=actor,
        target=record,
        before=had,
        after=dict.fromkeys(had, False),
    )
    return record


def listening_record_list(*, user: Any) -> QuerySet[ListeningRecord]:
    """The records of the person's teams, newest first."""
    teams = list(listening_teams_for(user=user).values_list("pk", flat=True))
    return (
        ListeningRecord.objects.for_teams(teams)
        .select_related("ward", "team", "recorded_by")
        .prefetch_related("categories")
    )


def listening_record_get(*, user: Any, public_id: Any) -> ListeningRecord | None:
    """One record, only for its team; None for anyone else (as if it did not exist)."""
    return listening_record_list(user=user).filter(public_id=public_id).first()


@dataclass(frozen=True)
class IssueRollup:
    category: str
    slug: str
    conversations: int
    ready_to_act: int  # people who would help or lead


def listening_issue_rollup(*, user: Any) -> list[IssueRollup]:
    """How often each category came up in the team's conversations, and how many would act on it."""
    records = listening_record_list(user=user)
    rows = (
        IssueCategory.objects.filter(records__in=records)
        .annotate(
            conversations=Count("records", distinct=True),
        )
        .order_by("-conversations", "position")
    )
    ready = dict(
        IssueCategory.objects.filter(records__in=records.filter(energy__in=["some", "high"]))
        .annotate(n=Count("records", distinct=True))
        .values_list("pk", "n")
    )
    return [
        IssueRollup(row.name, row.slug, row.conversations, ready.get(row.pk, 0)) for row in rows
    ]


# --- actions: issues the team turns into something to do ----------------------------------------


@dataclass
class ActionDraft:
    team: Organisation
    title: str
    plan: str
    lead: str
    category: IssueCategory | None = None
    records: Sequence[ListeningRecord] = ()


@transaction.atomic
def listening_action_create(*, actor: Any, draft: ActionDraft) -> ListeningAction:
    """Turn a kind of issue into an action of the team, linked to the conversations behind it."""
    if not listening_teams_for(user=actor).filter(pk=draft.team.pk).exists():
        raise ListeningError(
            f"You do not organise with {draft.team}: choose one of your own teams."
        )
    if any(record.team_id != draft.team.pk for record in draft.records):
        raise ListeningError("Link only conversations of the team that will act.")
    action = ListeningAction(
        team=draft.team,
        created_by=actor,
        category=draft.category,
        title=draft.title.strip(),
        plan=draft.plan.strip(),
        lead=draft.lead.strip(),
    )
    action.full_clean()
    action.save()
    action.records.set(draft.records)
    audit_record(
        kind=StoriesAuditKind.ACTION_CREATED,
        actor=actor,
        target=action,
        after={
            "team": draft.team.slug,
            "category": draft.category.slug if draft.category else "",
            "records": len(draft.records),
        },
    )
    return action


@transaction.atomic
def listening_action_status_set(
    *, actor: Any, action: ListeningAction, status: str
) -> ListeningAction:
    if status not in ActionStatus.values:
        raise ListeningError("Choose open, doing or done.")
    if not listening_teams_for(user=actor).filter(pk=action.team_id).exists():
        raise ListeningError("Only the team that owns this action can change it.")
    action = ListeningAction.objects.select_for_update().get(pk=action.pk)
    before = action.status
    if before == status:
        return action
    action.status = status
    action.save(update_fields=["status", "updated_at"])
    audit_record(
        kind=StoriesAuditKind.ACTION_STATUS_CHANGED,
        actor=actor,
        target=action,
        before={"status": before},
        after={"status": status},
    )
    return action


def listening_action_list(*, user: Any) -> QuerySet[ListeningAction]:
    """The actions of the person's teams, newest first."""
    teams = list(listening_teams_for(user=user).values_list("pk", flat=True))
    return (
        ListeningAction.objects.filter(team_id__in=teams)
        .select_related("team", "category")
        .annotate(conversations=Count("records", distinct=True))
    )


def listening_action_get(*, user: Any, public_id: Any) -> ListeningAction | None:
    """One action, only for its team; None for anyone else (as if it did not exist)."""
    teams = list(listening_teams_for(user=user).values_list("pk", flat=True))
    return (
        ListeningAction.objects.filter(team_id__in=teams, public_id=public_id)
        .select_related("team", "category", "created_by")
        .first()
    )
