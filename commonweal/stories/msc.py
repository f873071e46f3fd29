"""Most Significant Change: the services and selectors of rounds, domains and selections.

A round covers a reporting period; each domain's candidates are the stories staff may analyse
(published or kept internal) told in that period and, for a domain tied to an outcome, whose teller chose
that outcome. The panel picks one story per domain and must say why; a later pick replaces the earlier
one (both are in the audit log). Publishing the feedback shows the panel's reasons on each published
chosen story's page and on every chosen story's private link page, which is how tellers (who leave no
contact details) hear back, including those whose story is kept for internal use.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from commonweal.core.audit import audit_record
from commonweal.outcomes.models import Outcome
from commonweal.stories.constants import StoriesAuditKind, StoryState
from commonweal.stories.models import MscDomain, MscRound, MscSelection, Story

OTHER_CHANGE = "Any other change"


class MscError(ValueError):
    """A selection or round that cannot be made; the message says why."""


@transaction.atomic
def msc_round_create(
    *,
    actor: Any,
    title: str,
    period_start: datetime.date,
    period_end: datetime.date,
    panel: str,
    outcomes: Sequence[Outcome],
) -> MscRound:
    """A round whose domains are the chosen outcomes, plus "any other change"."""
    msc_round = MscRound(title=title, period_start=period_start, period_end=period_end, panel=panel)
    msc_round.full_clean()
    msc_round.save()
    for position, outcome in enumerate(outcomes, start=1):
        MscDomain.objects.create(
            round=msc_round, name=outcome.name, outcome=outcome, position=position
        )
    MscDomain.objects.create(round=msc_round, name=OTHER_CHANGE, position=len(outcomes) + 1)
    audit_record(
        kind=StoriesAuditKind.MSC_ROUND_CREATED,
        actor=actor,
        target=msc_round,
        after={"domains": len(outcomes) + 1, "period": f"{period_start}..{period_end}"},
    )
    return msc_round


def msc_candidates(*, domain: MscDomain) -> QuerySet[Story]:
    msc_round = domain.round
    stories = Story.objects.filter(
        state__in=[StoryState.PUBLISHED, StoryState.INTERNAL],
        created_at__date__gte=msc_round.period_start,
        created_at__date__lte=msc_round.period_end,
    )
    if domain.outcome_id is not None:
        stories = stories.filter(outcomes=domain.outcome_id)
    return stories.select_related("ward").order_by("created_at", "id")


@transaction.atomic
def msc_select(*, actor: Any, domain: MscDomain, story: Story, reasons: str) -> MscSelection:
    reasons = reasons.strip()
    if not reasons:
        raise MscError("Say why the panel found this change the most significant.")
    if not msc_candidates(domain=domain).filter(pk=story.pk).exists():
        raise MscError(
            "This story cannot be chosen in this domain: it is outside the round's period or domain, or it was withdrawn."
        )
    previous = MscSelection.objects.filter(domain=domain).first()
    before = {"story": str(previous.story.public_id)} if previous else {}
    if previous is not None:
        previous.delete()
    selection = MscSelection(
        round=domain.round, domain=domain, story=story, reasons=reasons, selected_by=actor
    )
    selection.full_clean()
    selection.save()
    audit_record(
        kind=StoriesAuditKind.MSC_STORY_SELECTED,
        actor=actor,
        target=domain.round,
        before=before,
        after={"domain": domain.name, "story": str(story.public_id)},
        note=reasons,
    )
    return selection


@transaction.atomic
def msc_feedback_publish(*, actor: Any, msc_round: MscRound) -> MscRound:
    if not msc_round.selections.exists():
        raise MscError("The panel has not chosen any stories yet.")
    msc_round.feedback_published_at = timezone.now()
    msc_round.save(update_fields=["feedback_published_at", "updated_at"])
    audit_record(
        kind=StoriesAuditKind.MSC_FEEDBACK_PUBLISHED,
        actor=actor,
        target=msc_round,
        after={"selections": msc_round.selections.count()},
    )
    return msc_round


def msc_feedback_for(*, story: Story) -> list[MscSelection]:
    """The panels' published reasons for choosing this story."""
    return list(
        MscSelection.objects.filter(story=story, round__feedback_published_at__isnull=False)
        .select_related("round", "domain")
        .order_by("round__period_end")
    )
