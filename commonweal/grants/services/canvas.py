"""Ideas canvases: start, save as a draft, add collaborators and attachments, send in."""

from __future__ import annotations

import os
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from commonweal.accounts.models import Organisation, User
from commonweal.core.audit import audit_record
from commonweal.core.emails import email_send
from commonweal.geo.exceptions import InvalidPostcodeError, UnknownPostcodeError, UpstreamAPIError
from commonweal.geo.models import Area
from commonweal.geo.selectors import postcode_areas_get
from commonweal.grants.constants import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TYPES,
    ATTACHMENTS_PER_CANVAS,
    CanvasStatus,
    FieldKind,
    GrantsAuditKind,
)
from commonweal.grants.exceptions import GrantRefused
from commonweal.grants.models import Attachment, Canvas, Collaborator, Round
from commonweal.grants.permissions import can_edit_canvas
from commonweal.grants.selectors import lsoa_lies_in_ward


def _round_takes_ideas(round_: Round) -> None:
    now = timezone.now()
    if now < round_.opens_at:
        raise GrantRefused(f"This round opens on {timezone.localtime(round_.opens_at):%-d %B %Y}.")
    if now >= round_.closes_at:
        raise GrantRefused(
            f"This round closed on {timezone.localtime(round_.closes_at):%-d %B %Y at %H:%M}, "
            "so ideas can no longer be sent in or changed."
        )


def _editable(actor: Any, canvas: Canvas) -> None:
    decision = can_edit_canvas(actor, canvas)
    if not decision:
        raise GrantRefused(decision.reason)


def _lock(canvas: Canvas) -> Canvas:
    """Re-read the canvas under a row lock so two saves or a save and a submit never cross."""
    return Canvas.objects.select_for_update().select_related("round").get(pk=canvas.pk)


@transaction.atomic
def canvas_start(
    *,
    actor: User,
    round_: Round,
    title: str,
    organisation: Organisation | None = None,
    group_name: str = "",
) -> Canvas:
    _round_takes_ideas(round_)
    title = title.strip()
    if not title:
        raise GrantRefused("Give your idea a short name.")
    if organisation is None and not group_name.strip():
        raise GrantRefused("Tell us the name of your group.")
    canvas = Canvas(
        round=round_,
        organisation=organisation,
        group_name="" if organisation else group_name.strip(),
        created_by=actor,
        title=title,
        ward=organisation.ward if organisation else None,
        lsoa=organisation.lsoa if organisation else None,
    )
    canvas.full_clean()
    canvas.save()
    audit_record(
        kind=GrantsAuditKind.CANVAS_STARTED, actor=actor, target=canvas, after={"title": title}
    )
    return canvas


def _clean_answers(round_: Round, answers: dict[str, Any]) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    for field in round_.canvas_fields.all():
        value = str(answers.get(field.key, "") or "").strip()
        if len(value) > field.max_length:
            raise GrantRefused(
                f"'{field.label}' is too long: {len(value)} characters, at most {field.max_length}."
            )
        if value and field.kind == FieldKind.NUMBER:
            try:
                Decimal(value)
            except InvalidOperation:
                raise GrantRefused(f"'{field.label}' must be a number.") from None
        cleaned[field.key] = value
    return cleaned


def canvas_place_from_postcode(*, round_: Round, postcode: str) -> tuple[Area, Area | None]:
    """The ward and LSOA of the postcode where the project happens, through geo's postcode lookup.

    The postcode itself is never kept: only the areas are, and only they are published. Refused
    with the reason when the postcode is not one, nobody knows it, or its ward is not in the round.
    """
    try:
        found = postcode_areas_get(postcode)
    except InvalidPostcodeError:
        raise GrantRefused(
            f"'{postcode.strip()}' is not a full postcode, like RM17 6SL. Or choose the ward."
        ) from None
    except UnknownPostcodeError:
        raise GrantRefused(
            f"We could not find the postcode {postcode.strip().upper()}. Check it, or choose the ward."
        ) from None
    except UpstreamAPIError:
        raise GrantRefused(
            "We could not look the postcode up just now. Try again later, or choose the ward."
        ) from None
    if found.ward is None:
        raise GrantRefused("We could not tell which ward that postcode is in: choose the ward.")
    wards = round_.wards.all()
    if wards.exists() and not wards.filter(pk=found.ward.pk).exists():
        raise GrantRefused(
            f"That postcode is in {found.ward.name}, which this round does not cover."
        )
    return found.ward, found.lsoa


@transaction.atomic
def canvas_save(
    *,
    actor: User,
    canvas: Canvas,
    title: str,
    summary: str,
    answers: dict[str, Any],
    amount_requested: Decimal | None,
    pledged_hours: Decimal,
    ward: Area | None,
    postcode: str = "",
) -> Canvas:
    """Save the draft as it stands: nothing needs to be complete until it is sent in.

    A postcode for where the project happens sets its ward and LSOA (the postcode is not kept).
    Without one, a ward chosen by hand replaces the ward, and an LSOA that does not lie in the new
    ward (taken from the group's organisation, or an earlier postcode) is cleared.
    """
    canvas = _lock(canvas)
    _editable(actor, canvas)
    if not title.strip():
        raise GrantRefused("Give your idea a short name.")
    if amount_requested is not None and amount_requested < 0:
        raise GrantRefused("The amount must be zero or more.")
    if pledged_hours < 0:
        raise GrantRefused("Volunteer hours must be zero or more.")
    canvas.title = title.strip()
    canvas.summary = summary.strip()
    canvas.answers = _clean_answers(canvas.round, answers)
    canvas.amount_requested = amount_requested
    canvas.pledged_hours = pledged_hours
    place_before = (canvas.ward_id, canvas.lsoa_id)
    if postcode.strip():
        canvas.ward, canvas.lsoa = canvas_place_from_postcode(
            round_=canvas.round, postcode=postcode
        )
    elif ward is not None and ward.pk != canvas.ward_id:
        canvas.ward = ward
        if canvas.lsoa is not None and not lsoa_lies_in_ward(lsoa=canvas.lsoa, ward=ward):
            canvas.lsoa = None
    canvas.full_clean()
    canvas.save()
    place = {}
    if (canvas.ward_id, canvas.lsoa_id) != place_before:
        place = {
            "ward": canvas.ward.code if canvas.ward else "",
            "lsoa": canvas.lsoa.code if canvas.lsoa else "",
        }
    audit_record(kind=GrantsAuditKind.CANVAS_SAVED, actor=actor, target=canvas, after=place)
    return canvas


def canvas_problems(canvas: Canvas) -> list[str]:
    """What still stops the canvas being sent in, in plain words (empty when it is ready)."""
    round_ = canvas.round
    problems = []
    for field in round_.canvas_fields.all():
        if field.required and not str(canvas.answers.get(field.key, "")).strip():
            problems.append(f"Answer '{field.label}'.")
    if canvas.amount_requested is None or canvas.amount_requested <= 0:
        problems.append("Say how much money you are asking for.")
    elif canvas.amount_requested > round_.max_award:
        problems.append(
            f"Ask for no more than £{round_.max_award:,.2f}, the most this round gives."
        )
    if round_.needs_match and canvas.amount_requested:
        value = canvas.pledged_hours * round_.hourly_rate
        if value < canvas.amount_requested:
            needed = (canvas.amount_requested / round_.hourly_rate).quantize(Decimal("0.1"))
            problems.append(
                f"This round is matched by volunteer time: pledge at least {needed} hours "
                f"(each hour is valued at £{round_.hourly_rate})."
            )
    eligible = list(round_.wards.all())
    if eligible and canvas.ward_id not in {ward.pk for ward in eligible}:
        problems.append("Choose the ward where it will happen: this round is for some wards only.")
    return problems


@transaction.atomic
def canvas_submit(*, actor: User, canvas: Canvas) -> Canvas:
    canvas = _lock(canvas)
    if not canvas.is_draft:
        raise GrantRefused("This idea has already been sent in.")
    _round_takes_ideas(canvas.round)
    _editable(actor, canvas)
    problems = canvas_problems(canvas)
    if problems:
        raise GrantRefused("Your idea is not ready to send yet: " + " ".join(problems))
    canvas.status = CanvasStatus.SUBMITTED
    canvas.submitted_at = timezone.now()
    canvas.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(
        kind=GrantsAuditKind.CANVAS_SUBMITTED,
        actor=actor,
        target=canvas,
        before={"status": CanvasStatus.DRAFT},
        after={"status": CanvasStatus.SUBMITTED},
    )
    email_send(
        to=[actor.email],
        template="grants/emails/canvas_submitted.txt",
        context={"canvas": canvas, "round": canvas.round},
    )
    return canvas


@transaction.atomic
def collaborator_add(
    *, actor: User, canvas: Canvas, organisation: Organisation, role: str = ""
) -> Collaborator:
    canvas = _lock(canvas)
    _editable(actor, canvas)
    if organisation.pk == canvas.organisation_id:
        raise GrantRefused("That is the group applying: add other groups you work with.")
    if canvas.collaborators.filter(organisation=organisation).exists():
        raise GrantRefused(f"{organisation.name} is already working with you on this idea.")
    collaborator = Collaborator(
        canvas=canvas, organisation=organisation, role=role.strip(), added_by=actor
    )
    collaborator.full_clean()
    collaborator.save()
    audit_record(
        kind=GrantsAuditKind.COLLABORATOR_ADDED,
        actor=actor,
        target=canvas,
        after={"organisation": organisation.name},
    )
    return collaborator


@transaction.atomic
def collaborator_remove(*, actor: User, collaborator: Collaborator) -> None:
    """The group takes a partner group off its draft."""
    canvas = _lock(collaborator.canvas)
    _editable(actor, canvas)
    name = collaborator.organisation.name
    collaborator.delete()
    audit_record(
        kind=GrantsAuditKind.COLLABORATOR_REMOVED,
        actor=actor,
        target=canvas,
        before={"organisation": name},
    )


def _sniff(head: bytes, extension: str) -> bool:
    """A light check that the file's first bytes match its name."""
    signatures = {
        ".pdf": [b"%PDF"],
        ".png": [b"\x89PNG"],
        ".jpg": [b"\xff\xd8\xff"],
        ".jpeg": [b"\xff\xd8\xff"],
        ".docx": [b"PK\x03\x04"],
        ".odt": [b"PK\x03\x04"],
    }
    if extension == ".txt":
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    return any(head.startswith(signature) for signature in signatures.get(extension, []))


@transaction.atomic
def attachment_add(*, actor: User, canvas: Canvas, upload: UploadedFile) -> Attachment:
    canvas = _lock(canvas)
    _editable(actor, canvas)
    name = os.path.basename(upload.name or "file")
    extension = os.path.splitext(name)[1].lower()
    if extension not in ATTACHMENT_TYPES:
        allowed = ", ".join(sorted({key.lstrip(".").upper() for key in ATTACHMENT_TYPES}))
        raise GrantRefused(f"'{name}' is not a kind of file we take. Send one of: {allowed}.")
    size = upload.size or 0
    if size > ATTACHMENT_MAX_BYTES:
        raise GrantRefused(
            f"'{name}' is {size / 1024 / 1024:.1f} MB: files must be "
            f"{ATTACHMENT_MAX_BYTES // 1024 // 1024} MB or smaller."
        )
    if size == 0:
        raise GrantRefused(f"'{name}' is empty.")
    if canvas.attachments.count() >= ATTACHMENTS_PER_CANVAS:
        raise GrantRefused(f"An idea can have at most {ATTACHMENTS_PER_CANVAS} files.")
    upload.seek(0)
    head = upload.read(512)
    upload.seek(0)
    if not _sniff(head, extension):
        raise GrantRefused(f"'{name}' does not look like a {extension.lstrip('.').upper()} file.")
    attachment = Attachment(
        canvas=canvas,
        name=name[:200],
        content_type=ATTACHMENT_TYPES[extension],
        size=size,
        uploaded_by=actor,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    audit_record(
        kind=GrantsAuditKind.ATTACHMENT_ADDED,
        actor=actor,
        target=canvas,
        after={"name": attachment.name, "size": size},
    )
    return attachment


@transaction.atomic
def attachment_remove(*, actor: User, attachment: Attachment) -> None:
    """The group takes a file off its draft; the stored file goes once the removal is saved."""
    canvas = _lock(attachment.canvas)
    _editable(actor, canvas)
    name, size, stored = attachment.name, attachment.size, attachment.file
    attachment.delete()
    audit_record(
        kind=GrantsAuditKind.ATTACHMENT_REMOVED,
        actor=actor,
        target=canvas,
        before={"name": name, "size": size},
    )
    transaction.on_commit(lambda: stored.storage.delete(stored.name))
