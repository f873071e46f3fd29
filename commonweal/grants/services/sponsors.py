"""Sponsors: suggest an officer for every applicant (ward, theme, load), a manager confirms, contacts logged."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from commonweal.accounts.constants import Role
from commonweal.accounts.models import User
from commonweal.accounts.selectors import user_has_role
from commonweal.core.audit import audit_record
from commonweal.core.emails import email_send
from commonweal.geo.models import Area
from commonweal.grants.constants import CanvasStatus, GrantsAuditKind
from commonweal.grants.exceptions import GrantRefused
from commonweal.grants.models import Canvas, Conflict, PanelMember, SponsorContact, SponsorProfile
from commonweal.grants.selectors import sponsor_loads
from commonweal.grants.services.practice import SPONSOR, practice_member_ensure

# A sponsor's load counts the ideas they still accompany: see selectors.still_sponsored.


@dataclass
class SponsorSuggestion:
    profile: SponsorProfile
    load: int
    ward_match: bool
    themes: list[str]

    @property
    def score(self) -> float:
        spare = max(self.profile.capacity - self.load, 0) / max(self.profile.capacity, 1)
        return (3.0 if self.ward_match else 0.0) + len(self.themes) + spare

    @property
    def reasons(self) -> str:
        parts = []
        if self.ward_match:
            parts.append("knows the ward")
        if self.themes:
            parts.append("themes: " + ", ".join(self.themes))
        parts.append(f"{self.load} of {self.profile.capacity} projects")
        return "; ".join(parts)


@transaction.atomic
def sponsor_profile_save(
    *, actor: Any, user: User, wards: Iterable[Area], themes: str, capacity: int
) -> SponsorProfile:
    if not user_has_role(user=user, roles=[Role.SPONSOR]):
        raise GrantRefused(f"{user} does not hold the sponsor role.")
    profile, _ = SponsorProfile.objects.get_or_create(user=user)
    profile.themes = themes.strip()
    profile.capacity = capacity
    profile.full_clean()
    profile.save()
    profile.wards.set(list(wards))
    audit_record(
        kind=GrantsAuditKind.SPONSOR_PROFILE_SAVED,
        actor=actor,
        target=profile,
        after={"capacity": capacity},
    )
    return profile


def sponsor_suggestions(*, canvas: Canvas, limit: int = 3) -> list[SponsorSuggestion]:
    """Officers ranked for one canvas: knows its ward, shares its themes, has room. Full ones are left out."""
    text = " ".join(
        [canvas.title, canvas.summary, *[str(v) for v in canvas.answers.values()]]
    ).lower()
    profiles = list(
        SponsorProfile.objects.filter(user__is_active=True)
        .select_related("user")
        .prefetch_related("wards")
    )
    loads = sponsor_loads(user_ids=[profile.user_id for profile in profiles])
    suggestions = []
    for profile in profiles:
        load = loads.get(profile.user_id, 0)
        if load >= profile.capacity or profile.user_id == canvas.created_by_id:
            continue
        suggestions.append(
            SponsorSuggestion(
                profile=profile,
                load=load,
                ward_match=canvas.ward_id is not None
                and any(w.pk == canvas.ward_id for w in profile.wards.all()),
                themes=[word for word in profile.theme_words if word in text],
            )
        )
    suggestions.sort(key=lambda s: (-s.score, s.profile.user.full_name))
    return suggestions[:limit]


@transaction.atomic
def sponsor_confirm(*, actor: User, canvas: Canvas, sponsor: User) -> Canvas:
    """A manager confirms the sponsor. The sponsor can no longer see or score the idea on a panel."""
    if not user_has_role(user=sponsor, roles=[Role.SPONSOR]):
        raise GrantRefused(f"{sponsor} does not hold the sponsor role.")
    canvas = (
        Canvas.objects.select_for_update(of=("self",))
        .select_related("created_by", "round__fund")
        .get(pk=canvas.pk)
    )
    if canvas.status == CanvasStatus.DRAFT:
        raise GrantRefused("Sponsors are matched once an idea has been sent in.")
    before = {"sponsor": canvas.sponsor.email if canvas.sponsor else ""}
    canvas.sponsor = sponsor
    canvas.save(update_fields=["sponsor", "updated_at"])
    practice_member_ensure(fund=canvas.round.fund, user=sponsor, role=SPONSOR)
    for seat in PanelMember.objects.filter(user=sponsor, panel__round_id=canvas.round_id):
        Conflict.objects.get_or_create(
            member=seat, canvas=canvas, defaults={"nature": "Sponsor of this idea"}
        )
    audit_record(
        kind=GrantsAuditKind.SPONSOR_CONFIRMED,
        actor=actor,
        target=canvas,
        before=before,
        after={"sponsor": sponsor.email},
    )
    email_send(
        to=[canvas.created_by.email, sponsor.email],
        template="grants/emails/sponsor_introduced.txt",
        context={"canvas": canvas, "sponsor": sponsor},
    )
    return canvas


@transaction.atomic
def sponsor_change(*, actor: User, canvas: Canvas, sponsor: User, reason: str) -> Canvas:
    """A manager hands an idea to another sponsor, with a recorded reason. The new sponsor can no
    longer see or score the idea on a panel; the old one keeps the conflict they had (they have
    worked with the group). Both sponsors and the group are told by email."""
    if not reason.strip():
        raise GrantRefused("Say why the sponsor changes: the reason is kept with the idea.")
    if not user_has_role(user=sponsor, roles=[Role.SPONSOR]):
        raise GrantRefused(f"{sponsor} does not hold the sponsor role.")
    canvas = (
        Canvas.objects.select_for_update(of=("self",))
        .select_related("created_by", "round__fund", "sponsor")
        .get(pk=canvas.pk)
    )
    previous = canvas.sponsor
    if previous is None:
        raise GrantRefused("This idea has no sponsor yet: confirm one first.")
    if previous.pk == sponsor.pk:
        raise GrantRefused(f"{sponsor} already sponsors this idea.")
    if sponsor.pk == canvas.created_by_id:
        raise GrantRefused("The person who wrote the idea cannot sponsor it.")
    canvas.sponsor = sponsor
    canvas.save(update_fields=["sponsor", "updated_at"])
    practice_member_ensure(fund=canvas.round.fund, user=sponsor, role=SPONSOR)
    for seat in PanelMember.objects.filter(user=sponsor, panel__round_id=canvas.round_id):
        Conflict.objects.get_or_create(
            member=seat, canvas=canvas, defaults={"nature": "Sponsor of this idea"}
        )
    audit_record(
        kind=GrantsAuditKind.SPONSOR_CHANGED,
        actor=actor,
        target=canvas,
        before={"sponsor": previous.email},
        after={"sponsor": sponsor.email},
        note=reason.strip(),
    )
    email_send(
        to=[previous.email],
        template="grants/emails/sponsor_handed_over.txt",
        context={"canvas": canvas, "sponsor": sponsor, "previous": previous},
    )
    email_send(
        to=[canvas.created_by.email, sponsor.email],
        template="grants/emails/sponsor_introduced.txt",
        context={"canvas": canvas, "sponsor": sponsor, "previous": previous},
    )
    return canvas


@transaction.atomic
def sponsor_contact_log(
    *, actor: User, canvas: Canvas, happened_on: datetime.date, note: str
) -> SponsorContact:
    if canvas.sponsor_id != actor.pk:
        raise GrantRefused("Only the idea's sponsor logs contacts with the group.")
    if not note.strip():
        raise GrantRefused("Write a line about the contact.")
    contact = SponsorContact(
        canvas=canvas, sponsor=actor, happened_on=happened_on, note=note.strip()
    )
    contact.full_clean()
    contact.save()
    audit_record(
        kind=GrantsAuditKind.SPONSOR_CONTACT_LOGGED,
        actor=actor,
        target=canvas,
        after={"on": happened_on.isoformat()},
    )
    return contact
