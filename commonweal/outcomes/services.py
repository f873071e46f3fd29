"""Changes to the outcome framework. Every change is audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.text import slugify

from commonweal.core.audit import audit_record
from commonweal.outcomes.constants import DEFAULT_FRAMEWORK, DEFAULT_OUTCOMES, OutcomesAuditKind
from commonweal.outcomes.models import Outcome, OutcomeFramework


@transaction.atomic
def outcome_framework_ensure_default(*, actor: Any = None) -> OutcomeFramework:
    """Create the default framework with its seven outcomes if it is missing; never overwrite edits."""
    framework = OutcomeFramework.objects.filter(slug=DEFAULT_FRAMEWORK["slug"]).first()
    if framework is None:
        is_default = not OutcomeFramework.objects.filter(is_default=True).exists()
        framework = OutcomeFramework(**DEFAULT_FRAMEWORK, is_default=is_default)
        framework.full_clean()
        framework.save()
        audit_record(
            kind=OutcomesAuditKind.FRAMEWORK_SAVED,
            actor=actor,
            target=framework,
            after={"name": framework.name},
        )
    for position, (slug, name, description) in enumerate(DEFAULT_OUTCOMES, start=1):
        Outcome.objects.get_or_create(
            framework=framework,
            slug=slug,
            defaults={"name": name, "description": description, "position": position},
        )
    return framework


@transaction.atomic
def outcome_create(
    *,
    actor: Any,
    framework: OutcomeFramework,
    name: str,
    description: str = "",
    position: int | None = None,
) -> Outcome:
    if position is None:
        position = framework.outcomes.count() + 1
    outcome = Outcome(
        framework=framework,
        name=name,
        slug=slugify(name)[:150],
        description=description,
        position=position,
    )
    outcome.full_clean()
    outcome.save()
    audit_record(
        kind=OutcomesAuditKind.OUTCOME_SAVED, actor=actor, target=outcome, after={"name": name}
    )
    return outcome


@transaction.atomic
def outcome_update(
    *, actor: Any, outcome: Outcome, name: str, description: str, is_active: bool
) -> Outcome:
    before = {
        "name": outcome.name,
        "description": outcome.description,
        "is_active": outcome.is_active,
    }
    outcome.name, outcome.description, outcome.is_active = name, description, is_active
    outcome.full_clean()
    outcome.save()
    audit_record(
        kind=OutcomesAuditKind.OUTCOME_SAVED,
        actor=actor,
        target=outcome,
        before=before,
        after={"name": name, "description": description, "is_active": is_active},
    )
    return outcome
