"""The community of practice: projects and sponsors join, events are announced, notes are shared."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from commonweal.accounts.models import Organisation, User
from commonweal.core.audit import audit_record
from commonweal.core.emails import email_send
from commonweal.grants.constants import GrantsAuditKind
from commonweal.grants.exceptions import GrantRefused
from commonweal.grants.models import Fund, PracticeEvent, PracticeMember, PracticeNote
from commonweal.grants.permissions import is_fund_officer

PROJECT = "Project"
SPONSOR = "Sponsor"
TEAM = "Programme team"


def practice_member_ensure(
    *, fund: Fund, user: User, role: str, organisation: Organisation | None = None
) -> PracticeMember:
    """Add a person to the fund's community of practice (awards and sponsorships call this)."""
    member, created = PracticeMember.objects.get_or_create(
        fund=fund, user=user, defaults={"role": role, "organisation": organisation}
    )
    if created:
        audit_record(
            kind=GrantsAuditKind.PRACTICE_JOINED,
            actor=None,
            target=fund,
            after={"user": user.email, "role": role},
        )
    return member


def practice_can_take_part(user: Any, fund: Fund) -> bool:
    if not (user is not None and user.is_authenticated):
        return False
    return is_fund_officer(user) or PracticeMember.objects.filter(fund=fund, user=user).exists()


@transaction.atomic
def practice_event_save(
    *,
    actor: User,
    fund: Fund,
    title: str,
    starts_at: datetime.datetime,
    place: str,
    description: str = "",
) -> PracticeEvent:
    if not is_fund_officer(actor):
        raise GrantRefused("Only the programme team announces events.")
    event = PracticeEvent(
        fund=fund,
        title=title.strip(),
        starts_at=starts_at,
        place=place.strip(),
        description=description.strip(),
    )
    event.full_clean()
    event.save()
    audit_record(
        kind=GrantsAuditKind.PRACTICE_EVENT_SAVED,
        actor=actor,
        target=fund,
        after={"title": event.title},
    )
    members = PracticeMember.objects.filter(fund=fund).select_related("user")
    email_send(
        to=[member.user.email for member in members],
        template="grants/emails/practice_event.txt",
        context={"event": event, "fund": fund},
    )
    return event


@transaction.atomic
def practice_note_post(*, actor: User, fund: Fund, title: str, body: str) -> PracticeNote:
    if not practice_can_take_part(actor, fund):
        raise GrantRefused(
            "Only members of this fund's community of practice can share notes here."
        )
    if not title.strip() or not body.strip():
        raise GrantRefused("Give your note a title and a few words.")
    note = PracticeNote(fund=fund, author=actor, title=title.strip(), body=body.strip())
    note.full_clean()
    note.save()
    audit_record(
        kind=GrantsAuditKind.PRACTICE_NOTE_POSTED,
        actor=actor,
        target=fund,
        after={"title": note.title},
    )
    return note
