"""Reads of the outcome framework."""

from __future__ import annotations

from django.db.models import QuerySet

from commonweal.outcomes.models import Outcome, OutcomeFramework


def outcome_framework_default_get() -> OutcomeFramework | None:
    return OutcomeFramework.objects.default()


def outcome_list(*, framework: OutcomeFramework | None = None) -> QuerySet[Outcome]:
    """Active outcomes of a framework (the default one unless another is given), in their order."""
    outcomes = Outcome.objects.active().select_related("framework")
    if framework is None:
        return outcomes.in_default_framework()
    return outcomes.filter(framework=framework)


def outcome_choices() -> list[tuple[str, str]]:
    """(slug, name) pairs for forms in other modules."""
    return [(outcome.slug, outcome.name) for outcome in outcome_list()]
