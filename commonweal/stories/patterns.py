"""Patterns across stories for staff: outcomes by collection and by ward, where tellers placed their
stories on each triad and dyad, and whose voices we are hearing (by ward, age, gender, ethnic group).

Only stories staff may analyse are counted (published or kept internal; never withdrawn, declined or
still waiting). Counts under ``SMALL_NUMBER`` are shown as "fewer than 5" in the demographic tables, so
that no small group can be picked out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet

from commonweal.outcomes.selectors import outcome_list
from commonweal.stories.constants import AgeBand, EthnicGroup, Gender, StoryState
from commonweal.stories.models import Collection, Signifier, SignifierAnswer, Story
from commonweal.stories.signification import triad_point, triad_zone

SMALL_NUMBER = 5
DYAD_ZONES = ["0–19", "20–39", "40–59", "60–79", "80–100"]
# The dyad strip plot: a band 100 wide (the slider's 0 to 100), dots spread up and down it so that
# stories at the same place stay visible. The spread is fixed (not random): the same stories give
# the same picture.
STRIP_TOP, STRIP_HEIGHT = 4.0, 16.0
GOLDEN = 0.6180339887


def analysed_stories() -> QuerySet[Story]:
    return Story.objects.filter(state__in=[StoryState.PUBLISHED, StoryState.INTERNAL])


@dataclass
class CountTable:
    """Rows × columns of counts, for a table a screen reader can read."""

    caption: str
    columns: list[str]
    rows: list[tuple[str, list[int]]]


def outcome_tables(stories: QuerySet[Story]) -> list[CountTable]:
    outcomes = list(outcome_list())
    through = Story.outcomes.through.objects.filter(story__in=stories)
    by_collection = Counter(
        (row["story__collection__title"], row["outcome_id"])
        for row in through.values("story__collection__title", "outcome_id")
    )
    by_ward = Counter(
        (row["story__ward__name"] or "Ward not given", row["outcome_id"])
        for row in through.values("story__ward__name", "outcome_id")
    )
    tables = []
    for caption, counts in (
        ("Outcomes the tellers chose, by collection", by_collection),
        ("Outcomes the tellers chose, by ward", by_ward),
    ):
        names = sorted({key for key, _ in counts})
        tables.append(
            CountTable(
                caption=caption,
                columns=[outcome.name for outcome in outcomes],
                rows=[(name, [counts[(name, o.pk)] for o in outcomes]) for name in names],
            )
        )
    return tables


@dataclass
class SignifierPattern:
    signifier: Signifier
    answered: int
    not_applicable: int
    points: list[tuple[float, float]] = field(default_factory=list)  # triad dots, or dyad dots
    zones: list[tuple[str, int]] = field(default_factory=list)


def _zone_name(signifier: Signifier, zone: str) -> str:
    poles = dict(zip("abc", signifier.poles, strict=False))
    if zone == "centre":
        return "Centre (all three)"
    return " and ".join(poles[letter] for letter in zone)


def signifier_patterns(stories: QuerySet[Story], collection: Collection) -> list[SignifierPattern]:
    answers = SignifierAnswer.objects.filter(story__in=stories, signifier__collection=collection)
    by_signifier: dict[int, list[SignifierAnswer]] = {}
    for answer in answers:
        by_signifier.setdefault(answer.signifier_id, []).append(answer)
    patterns = []
    for signifier in collection.signifiers.all():
        found = by_signifier.get(signifier.pk, [])
        values = [a for a in found if not a.not_applicable]
        pattern = SignifierPattern(signifier, len(values), len(found) - len(values))
        if signifier.is_triad:
            zones = Counter(triad_zone(a.values) for a in values)
            order = ["a", "b", "c", "ab", "bc", "ac", "centre"]
            pattern.zones = [(_zone_name(signifier, z), zones[z]) for z in order]
            pattern.points = [triad_point(a.values) for a in values]
        else:
            bands = Counter(min(4, int(a.value_a or 0) // 20) for a in values)
            pattern.zones = [(label, bands[i]) for i, label in enumerate(DYAD_ZONES)]
            pattern.points = dyad_strip_points([int(a.value_a or 0) for a in values])
        patterns.append(pattern)
    return patterns


def dyad_strip_points(values: list[int]) -> list[tuple[float, float]]:
    """Where each dyad answer is drawn on the strip: across at its value (0 to 100), and spread
    up and down the band by a fixed low-discrepancy sequence, so piles of answers show as piles."""
    ordered = sorted(max(0, min(100, value)) for value in values)
    return [
        (float(value), round(STRIP_TOP + STRIP_HEIGHT * ((index * GOLDEN) % 1.0), 2))
        for index, value in enumerate(ordered)
    ]


def _shown(count: int) -> str:
    return "fewer than 5" if 0 < count < SMALL_NUMBER else str(count)


def whose_voices(stories: QuerySet[Story]) -> list[dict[str, Any]]:
    """Who told stories, by ward and by each demographic answer, with small numbers hidden."""
    tables = []
    wards = stories.values("ward__name").annotate(n=Count("id")).order_by("-n", "ward__name")
    tables.append(
        {
            "caption": "Stories by the teller's ward",
            "rows": [(row["ward__name"] or "Not given", _shown(row["n"])) for row in wards],
        }
    )
    for caption, field_name, choices in (
        ("Stories by the teller's age", "age_band", AgeBand.choices),
        ("Stories by the teller's gender", "gender", Gender.choices),
        ("Stories by the teller's ethnic group", "ethnic_group", EthnicGroup.choices),
    ):
        counts = Counter(stories.values_list(field_name, flat=True))
        rows = [(label, _shown(counts[value])) for value, label in choices]
        rows.append(("Not answered", _shown(counts[""])))
        tables.append({"caption": caption, "rows": rows})
    return tables
