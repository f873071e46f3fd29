"""The ideas gallery: publish an idea, similar ideas (TF-IDF, offline), connect two groups, merge ideas."""

from __future__ import annotations

import numpy as np
from django.db import transaction
from django.utils import timezone
from sklearn.feature_extraction.text import TfidfVectorizer

from commonweal.accounts.models import User
from commonweal.core.audit import audit_record
from commonweal.core.emails import email_send
from commonweal.grants.constants import CanvasStatus, GrantsAuditKind
from commonweal.grants.exceptions import GrantRefused
from commonweal.grants.models import Canvas, Collaborator, Connection, SimilarIdea
from commonweal.grants.permissions import user_acts_for_canvas

SIMILAR_PER_IDEA = 5
SIMILAR_MIN_SCORE = 0.05
CHUNK = 500


@transaction.atomic
def canvas_gallery_set(*, actor: User, canvas: Canvas, show: bool) -> Canvas:
    """Show an idea in the round's gallery (or take it out). Only while the round is open."""
    canvas = (
        Canvas.objects.select_for_update(of=("self",)).select_related("round").get(pk=canvas.pk)
    )
    if not user_acts_for_canvas(actor, canvas):
        raise GrantRefused("Only the group that wrote this idea can share it.")
    if show and not canvas.round.is_open:
        raise GrantRefused("Ideas can be shared in the gallery only while the round is open.")
    if canvas.status == CanvasStatus.MERGED:
        raise GrantRefused("This idea has been merged into a joint application.")
    canvas.in_gallery = show
    canvas.save(update_fields=["in_gallery", "updated_at"])
    audit_record(
        kind=GrantsAuditKind.GALLERY_CHANGED, actor=actor, target=canvas, after={"in_gallery": show}
    )
    return canvas


def canvas_text(canvas: Canvas) -> str:
    return " ".join(
        [canvas.title, canvas.summary, *[str(value) for value in canvas.answers.values()]]
    )


def similar_ideas_compute(*, round_id: int | None = None) -> int:
    """Recompute and store every gallery idea's most similar ideas in the same round.

    TF-IDF over the idea's words (title, summary, answers), cosine similarity in chunks so memory
    stays small for thousands of ideas. Returns how many pairs were stored.
    """
    canvases = Canvas.objects.in_gallery().order_by("round_id", "pk")
    if round_id is not None:
        canvases = canvases.filter(round_id=round_id)
    by_round: dict[int, list[Canvas]] = {}
    for canvas in canvases.only("pk", "round_id", "title", "summary", "answers"):
        by_round.setdefault(canvas.round_id, []).append(canvas)
    now = timezone.now()
    rows: list[SimilarIdea] = []
    for ideas in by_round.values():
        if len(ideas) < 2:
            continue
        matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=1).fit_transform(
            [canvas_text(canvas) for canvas in ideas]
        )
        ids = np.array([canvas.pk for canvas in ideas])
        for start in range(0, len(ideas), CHUNK):
            block = (matrix[start : start + CHUNK] @ matrix.T).toarray()
            for offset, scores in enumerate(block):
                scores[start + offset] = 0.0  # not similar to itself
                top = np.argpartition(-scores, min(SIMILAR_PER_IDEA, len(scores) - 1))[
                    :SIMILAR_PER_IDEA
                ]
                for index in top[np.argsort(-scores[top])]:
                    if scores[index] >= SIMILAR_MIN_SCORE:
                        rows.append(
                            SimilarIdea(
                                canvas_id=int(ids[start + offset]),
                                other_id=int(ids[index]),
                                score=float(scores[index]),
                                computed_at=now,
                            )
                        )
    with transaction.atomic():
        stale = (
            SimilarIdea.objects.all()
            if round_id is None
            else SimilarIdea.objects.filter(canvas__round_id=round_id)
        )
        stale.delete()
        SimilarIdea.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _emails(canvas: Canvas) -> list[str]:
    addresses = [canvas.created_by.email]
    if canvas.organisation_id and canvas.organisation and canvas.organisation.email:
        addresses.append(canvas.organisation.email)
    return addresses


@transaction.atomic
def connection_make(
    *, actor: User, from_canvas: Canvas, to_canvas: Canvas, message: str = ""
) -> Connection:
    """Introduce the group behind ``from_canvas`` to the group behind ``to_canvas`` by email."""
    if not user_acts_for_canvas(actor, from_canvas):
        raise GrantRefused("Connect from one of your own group's ideas.")
    if from_canvas.pk == to_canvas.pk or user_acts_for_canvas(actor, to_canvas):
        raise GrantRefused("That is your own idea.")
    if not to_canvas.in_gallery or to_canvas.status == CanvasStatus.MERGED:
        raise GrantRefused("That idea is not in the gallery.")
    if from_canvas.round_id != to_canvas.round_id:
        raise GrantRefused("You can connect with ideas in the same round.")
    if Connection.objects.filter(from_canvas=from_canvas, to_canvas=to_canvas).exists():
        raise GrantRefused("You have already asked to be introduced to this group.")
    connection = Connection(
        from_canvas=from_canvas, to_canvas=to_canvas, message=message.strip()[:2000], made_by=actor
    )
    connection.full_clean()
    connection.save()
    audit_record(
        kind=GrantsAuditKind.CONNECTION_MADE,
        actor=actor,
        target=to_canvas,
        after={"from": str(from_canvas.public_id)},
    )
    email_send(
        to=_emails(from_canvas) + _emails(to_canvas),
        template="grants/emails/connection.txt",
        context={
            "from_canvas": from_canvas,
            "to_canvas": to_canvas,
            "connection": connection,
            "actor": actor,
        },
    )
    return connection


@transaction.atomic
def canvas_merge(*, actor: User, source: Canvas, target: Canvas) -> Canvas:
    """Fold ``source`` into ``target``: a joint application with the source's group as a collaborator.

    The person merging acts for the source group; the two groups must have been introduced; the
    target must still be a draft in an open round, so its group can bring the two ideas together.
    """
    source = (
        Canvas.objects.select_for_update(of=("self",))
        .select_related("round", "organisation")
        .get(pk=source.pk)
    )
    target = (
        Canvas.objects.select_for_update(of=("self",))
        .select_related("round", "created_by")
        .get(pk=target.pk)
    )
    if not user_acts_for_canvas(actor, source):
        raise GrantRefused("Only the group that wrote this idea can merge it.")
    if source.pk == target.pk or source.round_id != target.round_id:
        raise GrantRefused("Ideas merge only with another idea in the same round.")
    if not source.is_draft or not target.is_draft:
        raise GrantRefused("Both ideas must still be drafts: ideas sent in can no longer merge.")
    if not target.round.is_open:
        raise GrantRefused("The round has closed, so ideas can no longer merge.")
    introduced = Connection.objects.filter(
        from_canvas__in=[source, target], to_canvas__in=[source, target]
    ).exists()
    if not introduced:
        raise GrantRefused("Connect with the other group first, so you can agree to work together.")
    source.status = CanvasStatus.MERGED
    source.merged_into = target
    source.in_gallery = False
    source.save(update_fields=["status", "merged_into", "in_gallery", "updated_at"])
    if source.organisation_id and source.organisation_id != target.organisation_id:
        Collaborator.objects.get_or_create(
            canvas=target,
            organisation_id=source.organisation_id,
            defaults={"role": f"Joined with their idea '{source.title}'", "added_by": actor},
        )
    audit_record(
        kind=GrantsAuditKind.CANVAS_MERGED,
        actor=actor,
        target=target,
        after={"merged": str(source.public_id), "title": source.title},
    )
    email_send(
        to=_emails(target),
        template="grants/emails/merged.txt",
        context={"source": source, "target": target},
    )
    return target


def gallery_nearby(*, canvas: Canvas, limit: int = 5, metres: float = 5000) -> list[Canvas]:
    """Other gallery ideas in the same ward first, then the nearest groups within ``metres``.

    Two small queries whatever the size of the gallery: the ward, then a bounding box around the
    group's place (followed by the exact distance).
    """
    from commonweal.geo.distance import bbox_around, haversine_metres

    ideas = (
        Canvas.objects.in_gallery()
        .filter(round_id=canvas.round_id)
        .exclude(pk=canvas.pk)
        .select_related("organisation", "ward")
    )
    found: list[Canvas] = []
    if canvas.ward_id:
        found = list(ideas.filter(ward_id=canvas.ward_id).order_by("pk")[:limit])
    here = canvas.organisation
    if len(found) >= limit or here is None or not here.has_point:
        return found
    lat, lon = float(here.latitude), float(here.longitude)  # type: ignore[arg-type]
    min_lat, max_lat, min_lon, max_lon = bbox_around(lat, lon, metres)
    candidates = ideas.exclude(pk__in=[c.pk for c in found]).filter(
        organisation__latitude__gte=min_lat,
        organisation__latitude__lte=max_lat,
        organisation__longitude__gte=min_lon,
        organisation__longitude__lte=max_lon,
    )[:500]
    ranked = []
    for other in candidates:
        there = other.organisation
        gap = haversine_metres(lat, lon, float(there.latitude), float(there.longitude))  # type: ignore[union-attr,arg-type]
        if gap <= metres:
            ranked.append((gap, other.pk, other))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return found + [other for _, _, other in ranked[: limit - len(found)]]
