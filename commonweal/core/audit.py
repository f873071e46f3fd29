"""Write the audit log (every state change) and the access log (every read of a sensitive record).

Services call ``audit_record`` inside their transaction; views and selectors that show a sensitive
record call ``access_record``. Both logs are append-only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Model

from commonweal.core.models import AccessLogEntry, AuditEntry


def _target_fields(target: Model | None) -> dict[str, Any]:
    if target is None:
        return {"target_type": None, "target_id": "", "target_repr": ""}
    return {
        "target_type": ContentType.objects.get_for_model(target, for_concrete_model=False),
        "target_id": str(target.pk),
        "target_repr": str(target)[:255],
    }


def _actor(actor: Any) -> Any:
    """Anonymous users are recorded as no actor."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return actor


def audit_record(
    *,
    kind: str | models.TextChoices,
    actor: Any,
    target: Model | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    """Append one entry to the audit log. ``kind`` is a value of an app's ``AuditKind`` choices."""
    return AuditEntry.objects.create(
        kind=str(kind),
        actor=_actor(actor),
        before=dict(before or {}),
        after=dict(after or {}),
        note=note,
        **_target_fields(target),
    )


def access_record(
    *, actor: Any, target: Model, purpose: str = "", path: str = ""
) -> AccessLogEntry:
    """Append one entry to the access log for a read of a sensitive record."""
    return AccessLogEntry.objects.create(
        actor=_actor(actor), purpose=purpose[:120], path=path[:500], **_target_fields(target)
    )


def audit_entries_for(target: Model) -> models.QuerySet[AuditEntry]:
    """The history of one record, newest first."""
    content_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
    return AuditEntry.objects.filter(
        target_type=content_type, target_id=str(target.pk)
    ).select_related("actor")
