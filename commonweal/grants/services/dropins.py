"""Drop-in sessions: the programme team offers them, groups book a place."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from commonweal.accounts.models import User
from commonweal.core.audit import audit_record
from commonweal.core.emails import email_send
from commonweal.grants.constants import GrantsAuditKind
from commonweal.grants.exceptions import GrantRefused
from commonweal.grants.models import DropInBooking, DropInSession, Round


@transaction.atomic
def dropin_session_add(
    *, actor: Any, round_: Round, starts_at: datetime.datetime, place: str, capacity: int
) -> DropInSession:
    if not place.strip():
        raise GrantRefused("Say where the drop-in is.")
    if capacity < 1:
        raise GrantRefused("A drop-in needs room for at least one person.")
    session = DropInSession(
        round=round_, starts_at=starts_at, place=place.strip(), capacity=capacity
    )
    session.full_clean()
    session.save()
    audit_record(
        kind=GrantsAuditKind.DROPIN_SAVED,
        actor=actor,
        target=round_,
        after={"place": session.place},
    )
    return session


@transaction.atomic
def dropin_book(*, actor: User, session: DropInSession, needs: str = "") -> DropInBooking:
    """Book a place: refused when the session is past, full, or already booked by the person."""
    session = (
        DropInSession.objects.select_for_update().select_related("round__fund").get(pk=session.pk)
    )
    if session.starts_at <= timezone.now():
        raise GrantRefused("This drop-in has already happened.")
    if DropInBooking.objects.filter(session=session, user=actor).exists():
        raise GrantRefused("You already have a place at this drop-in.")
    if session.bookings.count() >= session.capacity:
        raise GrantRefused("This drop-in is full: please choose another.")
    try:
        with transaction.atomic():
            booking = DropInBooking.objects.create(
                session=session, user=actor, needs=needs.strip()[:300]
            )
    except IntegrityError:
        raise GrantRefused("You already have a place at this drop-in.") from None
    audit_record(
        kind=GrantsAuditKind.DROPIN_BOOKED,
        actor=actor,
        target=session.round,
        after={"session": str(session.public_id)},
    )
    email_send(
        to=[actor.email],
        template="grants/emails/dropin_booked.txt",
        context={"session": session, "booking": booking},
    )
    return booking
