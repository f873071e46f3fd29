"""Every write of the stories app: collections, submitting, withdrawing and moderating stories.

Each service runs in a transaction, checks the record with ``full_clean()`` and writes an audit entry.
Publishing needs the teller's public consent (and a parent or carer's for under-16s): the services
refuse otherwise, and ``Story.objects.published()`` checks it again at query time.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.core import signing
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from commonweal.core.audit import audit_record
from commonweal.geo.models import Area
from commonweal.outcomes.models import Outcome
from commonweal.stories.constants import (
    AUDIO_TYPES,
    CONSENT_VERSION,
    CONSENT_WORDING,
    GUARDIAN_WORDING,
    PUBLIC_CONSENT,
    CollectionMethod,
    SignifierKind,
    StoriesAuditKind,
    StoryState,
)
from commonweal.stories.media import MediaError, audio_detect, photo_without_metadata
from commonweal.stories.models import Collection, Signifier, SignifierAnswer, Story, Theme
from commonweal.stories.selectors import filter_choices_forget
from commonweal.stories.workflow import can_move

WITHDRAW_SALT = "commonweal.stories.withdraw"
_WORD = re.compile(r"[^\W_]+")


class StoryError(ValueError):
    """A story cannot be changed that way; the message says why in plain words."""


class WithdrawalLinkError(StoryError):
    """The withdrawal link was not made by Commonweal (changed, cut short or made up)."""


# --- collections -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignifierSpec:
    kind: str
    prompt: str
    poles: Sequence[str]


@transaction.atomic
def collection_create(
    *,
    actor: Any,
    title: str,
    question: str,
    place: str = "",
    starts_on: Any = None,
    ends_on: Any = None,
    description: str = "",
    slug: str = "",
    is_open: bool = True,
    signifiers: Iterable[SignifierSpec] = (),
) -> Collection:
    """A new collection. Without a ``slug`` one is made from the title, numbered if already taken
    (the slug is in the share form's address, so it never changes afterwards)."""
    collection = Collection(
        title=title.strip(),
        slug=slug or _free_slug(title),
        question=question.strip(),
        place=place.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        description=description.strip(),
        is_open=is_open,
        closed_at=None if is_open else timezone.now(),
    )
    collection.full_clean()
    collection.save()
    for position, spec in enumerate(signifiers, start=1):
        poles = list(spec.poles) + ["", "", ""]
        signifier = Signifier(
            collection=collection,
            kind=spec.kind,
            prompt=spec.prompt,
            pole_a=poles[0],
            pole_b=poles[1],
            pole_c=poles[2] if spec.kind == SignifierKind.TRIAD else "",
            position=position,
        )
        signifier.full_clean()
        signifier.save()
    audit_record(
        kind=StoriesAuditKind.COLLECTION_SAVED,
        actor=actor,
        target=collection,
        after={"title": title, "signifiers": collection.signifiers.count()},
    )
    return collection


def _free_slug(title: str) -> str:
    base = slugify(title)[:140] or "collection"
    slug, number = base, 1
    while Collection.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


_COLLECTION_FIELDS = (
    "title",
    "question",
    "place",
    "starts_on",
    "ends_on",
    "description",
    "is_open",
)


@transaction.atomic
def collection_update(
    *,
    actor: Any,
    collection: Collection,
    title: str,
    question: str,
    place: str = "",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    description: str = "",
    is_open: bool = True,
) -> Collection:
    """Change a collection's details or open or close it. Its stories keep the question they were
    told to (each story stores it), so rewording the question changes nothing already told."""
    collection = Collection.objects.select_for_update().get(pk=collection.pk)
    before = {name: _plain(getattr(collection, name)) for name in _COLLECTION_FIELDS}
    collection.title = title.strip()
    collection.question = question.strip()
    collection.place = place.strip()
    collection.starts_on = starts_on
    collection.ends_on = ends_on
    collection.description = description.strip()
    if collection.is_open and not is_open:
        collection.closed_at = timezone.now()  # gatherers' late drafts are counted from here
    elif is_open:
        collection.closed_at = None
    collection.is_open = is_open
    collection.full_clean()
    collection.save()
    after = {name: _plain(getattr(collection, name)) for name in _COLLECTION_FIELDS}
    changed = [name for name in _COLLECTION_FIELDS if before[name] != after[name]]
    if changed:
        filter_choices_forget()
        audit_record(
            kind=StoriesAuditKind.COLLECTION_SAVED,
            actor=actor,
            target=collection,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
        )
    return collection


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


class SignifierError(StoryError):
    """A triad or dyad cannot be changed that way; the message says why in plain words."""


def _poles(poles: Sequence[str]) -> tuple[str, str, str]:
    """Three poles, the missing ones empty (``Signifier.clean`` says a dyad has no third one)."""
    a, b, c, *_ = [pole.strip() for pole in poles] + ["", "", ""]
    return a, b, c


@transaction.atomic
def signifier_add(
    *, actor: Any, collection: Collection, kind: str, prompt: str, poles: Sequence[str]
) -> Signifier:
    """Add a triad (three poles) or a dyad (two) to a collection, after those it has."""
    pole_a, pole_b, pole_c = _poles(poles)
    last = collection.signifiers.order_by("-position").values_list("position", flat=True).first()
    signifier = Signifier(
        collection=collection,
        kind=kind,
        prompt=prompt.strip(),
        pole_a=pole_a,
        pole_b=pole_b,
        pole_c=pole_c,
        position=(last or 0) + 1,
    )
    signifier.full_clean()
    signifier.save()
    audit_record(
        kind=StoriesAuditKind.SIGNIFIER_SAVED,
        actor=actor,
        target=collection,
        after={"kind": kind, "prompt": signifier.prompt, "poles": signifier.poles},
    )
    return signifier


def _answered(signifier: Signifier) -> int:
    return SignifierAnswer.objects.filter(signifier=signifier).count()


@transaction.atomic
def signifier_update(
    *, actor: Any, signifier: Signifier, prompt: str, poles: Sequence[str]
) -> Signifier:
    """Reword a triad's or dyad's question, or change its poles while no teller has answered it.

    A teller's answer is a share for each pole in turn, so once stories are placed, changing a pole
    would silently change what those answers say: that is refused, and the message says what to do.
    """
    signifier = Signifier.objects.select_for_update().get(pk=signifier.pk)
    pole_a, pole_b, pole_c = _poles(poles)
    before = {"prompt": signifier.prompt, "poles": signifier.poles}
    poles_change = (pole_a, pole_b, pole_c) != (
        signifier.pole_a,
        signifier.pole_b,
        signifier.pole_c,
    )
    answered = _answered(signifier)
    if poles_change and answered:
        raise SignifierError(
            f"Tellers have already placed {answered} {_stories(answered)} between these poles, so "
            "the poles cannot change: their answers would then say something they did not mean. "
            f"You can still reword the question. To ask about other poles, add a new {signifier.kind}."
        )
    signifier.prompt = prompt.strip()
    signifier.pole_a, signifier.pole_b, signifier.pole_c = pole_a, pole_b, pole_c
    signifier.full_clean()
    signifier.save()
    after = {"prompt": signifier.prompt, "poles": signifier.poles}
    if after != before:
        audit_record(
            kind=StoriesAuditKind.SIGNIFIER_SAVED,
            actor=actor,
            target=signifier.collection,
            before=before,
            after=after,
        )
    return signifier


@transaction.atomic
def signifier_remove(*, actor: Any, signifier: Signifier) -> None:
    """Remove a triad or dyad that no teller has answered yet."""
    signifier = Signifier.objects.select_for_update().get(pk=signifier.pk)
    answered = _answered(signifier)
    if answered:
        raise SignifierError(
            f"Tellers have already answered this for {answered} {_stories(answered)}. Removing it "
            "would delete their answers, so it stays. To stop asking it, close the collection and "
            "set up a new one."
        )
    collection = signifier.collection
    before = {"kind": signifier.kind, "prompt": signifier.prompt, "poles": signifier.poles}
    signifier.delete()
    audit_record(
        kind=StoriesAuditKind.SIGNIFIER_REMOVED, actor=actor, target=collection, before=before
    )


def _stories(count: int) -> str:
    return "story" if count == 1 else "stories"


def theme_ensure(*, name: str) -> Theme:
    theme, _ = Theme.objects.get_or_create(slug=slugify(name)[:100], defaults={"name": name})
    return theme


# --- submitting --------------------------------------------------------------------------------


@dataclass
class StoryDraft:
    """What the share-your-story form (or a gatherer's phone) sends, already checked by the form."""

    title: str
    text: str
    consent_level: str
    ward: Area | None = None
    teller_name: str = ""
    teller_under_16: bool = False
    guardian_name: str = ""
    age_band: str = ""
    gender: str = ""
    ethnic_group: str = ""
    outcomes: Sequence[Outcome] = ()
    # signifier id -> (a, b, c) shares for triads, (a,) for dyads, or None for "does not apply"
    answers: dict[int, tuple[int, ...] | None] = field(default_factory=dict)
    photo: File[bytes] | None = None
    photo_alt: str = ""
    audio: File[bytes] | None = None
    audio_type: str = ""
    client_uuid: uuid.UUID | None = None


@dataclass(frozen=True)
class SubmitResult:
    story: Story
    created: bool  # False when this draft had already arrived (a second send of the same draft)
    # True when this send may be given the story's private withdrawal link: it made the story, or it
    # is the same draft again (same words, from the same signed-in gatherer if one recorded it).
    same_sender: bool = True


def _gatherer(actor: Any, method: str) -> Any:
    return actor if method == CollectionMethod.GATHERER and actor is not None else None


def _already_received(
    *, existing: Story, actor: Any, draft: StoryDraft, method: str
) -> SubmitResult:
    """A draft whose client id we already have. Knowing a client id is not enough to be given the
    withdrawal link: the words must be the same, and so must the gatherer who recorded it, if any."""
    gatherer = _gatherer(actor, method)
    same = (
        existing.title == draft.title.strip()
        and existing.text == draft.text.strip()
        and existing.gathered_by_id == (gatherer.pk if gatherer is not None else None)
    )
    return SubmitResult(existing, created=False, same_sender=same)


def story_submit(
    *,
    actor: Any,
    collection: Collection,
    draft: StoryDraft,
    method: str = CollectionMethod.WEB,
    late: bool = False,
) -> SubmitResult:
    """Record a teller's story, waiting for a moderator. The same draft sent twice makes one story.

    ``late`` is a gatherer's draft that waited on a phone without a signal: it is taken by a
    collection that closed no more than ``LATE_DRAFT_DAYS`` ago.
    """
    if draft.client_uuid is not None:
        existing = Story.objects.filter(client_uuid=draft.client_uuid).first()
        if existing is not None:
            return _already_received(existing=existing, actor=actor, draft=draft, method=method)
    late_ok = late and method == CollectionMethod.GATHERER and collection.takes_late_drafts()
    if not collection.is_open and not late_ok:
        raise StoryError("This collection is closed: it no longer takes new stories.")
    draft = _draft_with_safe_media(draft)
    try:
        return SubmitResult(
            _story_create(actor=actor, collection=collection, draft=draft, method=method),
            created=True,
        )
    except IntegrityError:
        # The same draft arrived twice at once: the other request made it.
        if draft.client_uuid is not None:
            existing = Story.objects.filter(client_uuid=draft.client_uuid).first()
            if existing is not None:
                return _already_received(existing=existing, actor=actor, draft=draft, method=method)
        raise


def _draft_with_safe_media(draft: StoryDraft) -> StoryDraft:
    """The draft with its photo saved again without metadata (GPS, device, comments) and its photo and
    recording named, and typed, from what they really are rather than the names they came with."""
    photo, audio, audio_type = draft.photo, draft.audio, draft.audio_type
    if photo:
        try:
            photo = photo_without_metadata(photo)
        except MediaError as exc:
            raise StoryError(str(exc)) from exc
    if audio:
        extension = audio_detect(audio)
        if extension is None:
            raise StoryError("The sound recording must be an MP3, M4A, AAC, OGG, WAV or WebM file.")
        audio = File(audio, name=f"recording.{extension}")
        audio_type = AUDIO_TYPES[extension]
    return replace(draft, photo=photo, audio=audio, audio_type=audio_type)


@transaction.atomic
def _story_create(*, actor: Any, collection: Collection, draft: StoryDraft, method: str) -> Story:
    gatherer = _gatherer(actor, method)
    story = Story(
        collection=collection,
        client_uuid=draft.client_uuid,
        eliciting_question=collection.question,
        title=draft.title.strip(),
        text=draft.text.strip(),
        ward=draft.ward,
        age_band=draft.age_band,
        gender=draft.gender,
        ethnic_group=draft.ethnic_group,
        teller_name=draft.teller_name.strip(),
        consent_level=draft.consent_level,
        consent_wording=CONSENT_WORDING.get(draft.consent_level, ""),
        consent_version=CONSENT_VERSION,
        consent_given_at=timezone.now(),
        teller_under_16=draft.teller_under_16,
        guardian_name=draft.guardian_name.strip() if draft.teller_under_16 else "",
        guardian_wording=GUARDIAN_WORDING if draft.teller_under_16 else "",
        collection_method=method,
        gathered_by=gatherer,
        photo_alt=draft.photo_alt.strip() if draft.photo else "",
        audio_type=draft.audio_type if draft.audio else "",
    )
    if draft.photo:
        story.photo = draft.photo
    if draft.audio:
        story.audio = draft.audio
    story.full_clean(exclude=["client_uuid"])
    story.save()
    story.outcomes.set(draft.outcomes)
    signifiers = {s.pk: s for s in collection.signifiers.all()}
    answers = []
    for signifier_id, values in draft.answers.items():
        signifier = signifiers.get(signifier_id)
        if signifier is None:
            continue
        answer = SignifierAnswer(story=story, signifier=signifier, not_applicable=values is None)
        if values is not None:
            padded = [*values, None, None, None]
            answer.value_a, answer.value_b = padded[0], padded[1]
            if signifier.is_triad:
                answer.value_c = padded[2]
            else:
                answer.value_b = 100 - int(padded[0] or 0)
        answers.append(answer)
    SignifierAnswer.objects.bulk_create(answers)
    audit_record(
        kind=StoriesAuditKind.STORY_SUBMITTED,
        actor=actor,
        target=story,
        after={
            "collection": collection.slug,
            "consent_level": story.consent_level,
            "consent_version": story.consent_version,
            "method": method,
            "under_16": story.teller_under_16,
        },
    )
    return story


# --- withdrawing -------------------------------------------------------------------------------


def story_withdraw_token(story: Story) -> str:
    """The private token of a story's withdrawal link: signed, so it cannot be guessed or changed."""
    return signing.Signer(salt=WITHDRAW_SALT).sign(str(story.public_id))


def story_from_withdraw_token(token: str) -> Story:
    try:
        public_id = uuid.UUID(signing.Signer(salt=WITHDRAW_SALT).unsign(token))
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise WithdrawalLinkError(
            "This link is not one we made. Check that you copied all of it, or ask the person who "
            "gathered your story for help."
        ) from exc
    story = Story.objects.filter(public_id=public_id).first()
    if story is None:
        raise WithdrawalLinkError(
            "We have no story for this link: it may already have been removed."
        )
    return story


@transaction.atomic
def story_withdraw(*, story: Story, actor: Any = None) -> Story:
    """The teller takes their story back: it leaves the public site at once and is kept out of analysis."""
    story = Story.objects.select_for_update().get(pk=story.pk)
    if story.state == StoryState.WITHDRAWN:
        return story
    before = story.state
    story.state = StoryState.WITHDRAWN
    story.withdrawn_at = timezone.now()
    story.featured = False
    story.search_text = ""
    story.save(update_fields=["state", "withdrawn_at", "featured", "search_text", "updated_at"])
    filter_choices_forget()
    audit_record(
        kind=StoriesAuditKind.STORY_WITHDRAWN,
        actor=actor,
        target=story,
        before={"state": before},
        after={"state": story.state},
        note="Withdrawn through the teller's private link.",
    )
    return story


# --- moderating --------------------------------------------------------------------------------


def _move(story: Story, to_state: str) -> str:
    if not can_move(story.state, to_state):
        raise StoryError(
            f"A story that is “{story.get_state_display().lower()}” cannot be moved to "
            f"“{StoryState(to_state).label.lower()}”."
        )
    before = story.state
    story.state = to_state
    return before


def _locked(story: Story) -> Story:
    return Story.objects.select_for_update().get(pk=story.pk)


def search_text_for(story: Story) -> str:
    """The words a public search looks in: each distinct word of the published title and text, the
    collection and the ward, once, lower-cased (searches match whole words and their beginnings)."""
    parts = [story.shown_title, story.shown_text, story.collection.title]
    if story.ward is not None:
        parts.append(story.ward.name)
    words = _WORD.findall(" ".join(parts).casefold())
    return " " + " ".join(dict.fromkeys(words)) + " "


@transaction.atomic
def story_redact(*, actor: Any, story: Story, public_title: str, public_text: str) -> Story:
    """Set what the public will read; the teller's own words stay as they were, privately."""
    story = _locked(story)
    public_title, public_text = public_title.strip(), public_text.strip()
    if not public_title or not public_text:
        raise StoryError("The published title and text cannot be empty.")
    before = {"public_title": story.public_title, "public_text": story.public_text}
    # Only what differs from the teller's words is stored; the public reads the teller's words otherwise.
    story.public_title = public_title if public_title != story.title else ""
    story.public_text = public_text if public_text != story.text else ""
    if story.state == StoryState.PUBLISHED:
        story.search_text = search_text_for(story)
    story.full_clean()
    story.save()
    audit_record(
        kind=StoriesAuditKind.STORY_REDACTED,
        actor=actor,
        target=story,
        before={"changed": bool(before["public_text"] or before["public_title"])},
        after={"redacted": bool(story.is_redacted)},
    )
    return story


@transaction.atomic
def story_publish(
    *, actor: Any, story: Story, themes: Iterable[Theme] | None = None, note: str = ""
) -> Story:
    story = _locked(story)
    if story.consent_level not in PUBLIC_CONSENT:
        raise StoryError(
            "The teller asked us not to publish this story: it can only be kept for internal use."
        )
    if story.teller_under_16 and not story.guardian_name:
        raise StoryError(
            "The teller is under 16 and no parent or carer has agreed: it cannot be published."
        )
    before = _move(story, StoryState.PUBLISHED)
    story.published_at = story.published_at or timezone.now()
    story.moderated_by = actor
    story.decision_reason = note
    story.search_text = search_text_for(story)
    story.full_clean()
    story.save()
    if themes is not None:
        story.themes.set(themes)
    filter_choices_forget()
    audit_record(
        kind=StoriesAuditKind.STORY_PUBLISHED,
        actor=actor,
        target=story,
        before={"state": before},
        after={"state": story.state, "consent_level": story.consent_level},
        note=note,
    )
    return story


@transaction.atomic
def story_keep_internal(
    *, actor: Any, story: Story, themes: Iterable[Theme] | None = None, note: str = ""
) -> Story:
    """Accept a story for internal use only (or take a published one off the public site)."""
    story = _locked(story)
    before = _move(story, StoryState.INTERNAL)
    story.moderated_by = actor
    story.decision_reason = note
    story.featured = False
    story.search_text = ""
    story.save()
    if themes is not None:
        story.themes.set(themes)
    filter_choices_forget()
    audit_record(
        kind=StoriesAuditKind.STORY_KEPT_INTERNAL,
        actor=actor,
        target=story,
        before={"state": before},
        after={"state": story.state},
        note=note,
    )
    return story


@transaction.atomic
def story_decline(*, actor: Any, story: Story, reason: str) -> Story:
    reason = reason.strip()
    if not reason:
        raise StoryError("Say why the story is declined.")
    story = _locked(story)
    before = _move(story, StoryState.DECLINED)
    story.moderated_by = actor
    story.decision_reason = reason
    story.featured = False
    story.search_text = ""
    story.save()
    filter_choices_forget()
    audit_record(
        kind=StoriesAuditKind.STORY_DECLINED,
        actor=actor,
        target=story,
        before={"state": before},
        after={"state": story.state},
        note=reason,
    )
    return story


@transaction.atomic
def story_feature(*, actor: Any, story: Story, featured: bool) -> Story:
    story = _locked(story)
    if featured and story.state != StoryState.PUBLISHED:
        raise StoryError("Only a published story can be featured.")
    story.featured = featured
    story.save(update_fields=["featured", "updated_at"])
    audit_record(
        kind=StoriesAuditKind.STORY_FEATURED,
        actor=actor,
        target=story,
        after={"featured": featured},
    )
    return story
