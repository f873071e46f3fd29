from __future__ import annotations

from django.db import models

# The seven outcomes residents' stories revealed in Dudley: the default framework.
DEFAULT_FRAMEWORK = {
    "slug": "community-resilience-seven",
    "name": "Community resilience outcomes",
    "source": "Dudley's story of stories: the seven outcomes residents' stories revealed.",
}
DEFAULT_OUTCOMES: list[tuple[str, str, str]] = [
    (
        "opportunities-to-learn",
        "Opportunities to learn",
        "People learn new skills, knowledge and confidence.",
    ),
    (
        "autonomy-and-control",
        "Autonomy and control",
        "People have choice and control over their lives.",
    ),
    (
        "purpose",
        "Purpose",
        "People have a reason to get up in the morning and something to aim for.",
    ),
    (
        "relationships-and-connections",
        "Relationships and connections",
        "People know others around them and have someone to turn to.",
    ),
    ("being-active", "Being active", "People move more and take part in activities."),
    (
        "belonging-and-community",
        "Belonging and community",
        "People feel they belong where they live.",
    ),
    (
        "contributing-and-giving-back",
        "Contributing and giving back",
        "People give their time, skills and care to others.",
    ),
]


class OutcomesAuditKind(models.TextChoices):
    FRAMEWORK_SAVED = "outcomes.framework_saved", "Outcome framework saved"
    OUTCOME_SAVED = "outcomes.outcome_saved", "Outcome saved"
