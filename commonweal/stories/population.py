"""Who lives in each ward, imported by the council, and "whose voices" against it.

The import reads a CSV with a ward code column and a population column; any further columns with
whole numbers (age bands, groups) are kept with the ward. A file with any bad line imports nothing and
says which lines are wrong, so that a half-imported table never skews the comparison.

Extra columns named ``<demographic>:<option>`` count the people in the ward who have that answer to a
question tellers are asked: the demographic is ``age_band``, ``gender`` or ``ethnic_group`` and the
option one of that question's values on ``Story`` (``age_band:16_24``, ``gender:woman``,
``ethnic_group:asian``; a hyphen is read as an underscore, so ``age_band:16-24`` works too). A column
named like ``x:y`` that is not a known demographic and option is a problem with line 1, so a typing
slip never silently drops a group. Other extra columns are kept as before.

The comparison counts stories staff may analyse by the teller's ward and sets each ward's share of the
stories against its share of the people. A ward whose share of stories is under half its share of the
population is marked as a gap, in words. Counts under ``SMALL_NUMBER`` are shown as "fewer than 5",
and their share is not shown, as in the other whose-voices tables.

``demographics_against_population`` does the same for each demographic: among the stories in wards
whose population has that demographic's columns and whose teller answered the question, the share
that gave each option, against that option's people as a share of all the people in those wards.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet

from commonweal.core.audit import audit_record
from commonweal.geo.models import Area
from commonweal.stories.constants import AgeBand, EthnicGroup, Gender, StoriesAuditKind
from commonweal.stories.models import Story, WardPopulation
from commonweal.stories.patterns import SMALL_NUMBER

CODE_COLUMNS = ("ward code", "ward_code", "wardcode", "code", "ward")
POPULATION_COLUMNS = ("population", "people", "residents")
MAX_ROWS = 5_000
GAP_RATIO = 0.5  # a share of stories under half the share of people is a gap
# The demographics a population column can name, as (Story field, caption, choices); "would rather
# not say" is an answer a teller gives, never a count of residents.
DEMOGRAPHICS: tuple[tuple[str, str, list[tuple[str, str]]], ...] = (
    ("age_band", "age", [c for c in AgeBand.choices if c[0] != AgeBand.NOT_SAID]),
    ("gender", "gender", [c for c in Gender.choices if c[0] != Gender.NOT_SAID]),
    (
        "ethnic_group",
        "ethnic group",
        [c for c in EthnicGroup.choices if c[0] != EthnicGroup.NOT_SAID],
    ),
)


class PopulationImportError(ValueError):
    """The file cannot be imported; ``problems`` says which lines are wrong and why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _number(value: str) -> int | None:
    cleaned = value.strip().replace(",", "").replace(" ", "")
    if not cleaned.isdigit():
        return None
    return int(cleaned)


def demographic_column(name: str) -> str | None:
    """The stored name (``age_band:16_24``) of a ``<demographic>:<option>`` column, else ``None``.

    Raises ``ValueError`` for a name like ``x:y`` that is not a known demographic and option.
    """
    if ":" not in name:
        return None
    demographic, _, option = (part.strip().lower() for part in name.partition(":"))
    option = option.replace("-", "_").replace(" ", "_")
    for field_name, _, choices in DEMOGRAPHICS:
        if demographic == field_name:
            values = [value for value, _ in choices]
            if option in values:
                return f"{field_name}:{option}"
            raise ValueError(
                f"Line 1: the column “{name.strip()}” is not an option of {field_name}; "
                f"use one of {', '.join(values)}."
            )
    raise ValueError(
        f"Line 1: the column “{name.strip()}” is not a known demographic; "
        f"use {', '.join(d[0] for d in DEMOGRAPHICS)} before the colon."
    )


def population_rows_read(text: str) -> list[tuple[int, str, int, dict[str, int]]]:
    """(line, ward code, population, groups) of each line of ``text``; raises with every problem."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = {(name or "").strip().lower(): name for name in reader.fieldnames or []}
    code_column = next((headers[c] for c in CODE_COLUMNS if c in headers), None)
    population_column = next((headers[c] for c in POPULATION_COLUMNS if c in headers), None)
    if code_column is None or population_column is None:
        raise PopulationImportError(
            ["The first line must name the columns, with “ward code” and “population”."]
        )
    extra = [
        name for name in reader.fieldnames or [] if name not in (code_column, population_column)
    ]
    rows, problems = [], []
    stored = {}  # the name each extra column is kept under
    for name in extra:
        try:
            stored[name] = demographic_column(name or "") or (name or "").strip()
        except ValueError as exc:
            problems.append(str(exc))
    for line, row in enumerate(reader, start=2):
        if line - 1 > MAX_ROWS:
            raise PopulationImportError([f"The file has more than {MAX_ROWS:,} lines."])
        code = (row.get(code_column) or "").strip().upper()
        if not code and not any((value or "").strip() for value in row.values()):
            continue  # a blank line
        population = _number(row.get(population_column) or "")
        if not code:
            problems.append(f"Line {line}: the ward code is missing.")
            continue
        if population is None:
            problems.append(f"Line {line}: the population of {code} is not a whole number.")
            continue
        groups = {}
        for name in extra:
            value = (row.get(name) or "").strip()
            if not value:
                continue
            count = _number(value)
            if count is None:
                problems.append(f"Line {line}: “{name.strip()}” of {code} is not a whole number.")
            else:
                groups[stored.get(name, name.strip())] = count
        rows.append((line, code, population, groups))
    if problems:
        raise PopulationImportError(problems)
    if not rows:
        raise PopulationImportError(["The file has no wards in it."])
    return rows


@transaction.atomic
def population_import(*, actor: Any, text: str, source: str = "") -> int:
    """Import ward populations from CSV ``text``: all of it or, if any line is wrong, none of it."""
    rows = population_rows_read(text)
    wards = {area.code: area for area in Area.objects.wards().filter(code__in=[r[1] for r in rows])}
    problems = [
        f"Line {line}: {code} is not a ward Commonweal knows."
        for line, code, _, _ in rows
        if code not in wards
    ]
    seen: dict[str, int] = {}
    for line, code, _, _ in rows:
        if code in seen:
            problems.append(f"Line {line}: {code} is already on line {seen[code]}.")
        seen.setdefault(code, line)
    if problems:
        raise PopulationImportError(problems)
    for _, code, population, groups in rows:
        WardPopulation.objects.update_or_create(
            area=wards[code],
            defaults={"population": population, "groups": groups, "source": source[:200]},
        )
    audit_record(
        kind=StoriesAuditKind.POPULATION_IMPORTED,
        actor=actor,
        after={"wards": len(rows), "source": source[:200]},
    )
    return len(rows)


class _Shares:
    """The gap rule and small-number hiding shared by the ward and the demographic comparisons."""

    stories: int
    story_share: float  # percent of the stories compared
    population_share: float  # percent of the people

    @property
    def is_small(self) -> bool:
        return 0 < self.stories < SMALL_NUMBER

    @property
    def stories_shown(self) -> str:
        return "fewer than 5" if self.is_small else str(self.stories)

    @property
    def story_share_shown(self) -> str:
        return "not shown" if self.is_small else f"{self.story_share:.1f}%"

    @property
    def is_gap(self) -> bool:
        return self.story_share < GAP_RATIO * self.population_share

    @property
    def chart_story_share(self) -> float:
        """The bar drawn: a small count is drawn as nothing rather than as its exact share."""
        return 0.0 if self.is_small else self.story_share


@dataclass(frozen=True)
class WardVoice(_Shares):
    ward: str
    stories: int
    population: int
    story_share: float  # percent of the stories in wards with a population
    population_share: float  # percent of the people

    @property
    def label(self) -> str:
        return self.ward


@dataclass(frozen=True)
class OptionVoice(_Shares):
    """One answer to a demographic question: the tellers who gave it against the residents."""

    value: str
    label: str
    stories: int
    population: int
    story_share: float  # percent of the stories whose teller answered the question
    population_share: float  # percent of the people in the wards compared


@dataclass(frozen=True)
class DemographicVoices:
    field_name: str
    caption: str  # "age", "gender", "ethnic group"
    voices: list[OptionVoice]
    wards: int  # wards whose population has this demographic's columns
    answered: int  # stories in those wards whose teller answered the question


def voices_against_population(stories: QuerySet[Story]) -> list[WardVoice]:
    """Each ward with an imported population: its stories and people, as counts and shares."""
    populations = list(WardPopulation.objects.select_related("area"))
    if not populations:
        return []
    counts = dict(
        stories.filter(ward__in=[p.area_id for p in populations])
        .values_list("ward")
        .annotate(n=Count("id"))
        .values_list("ward", "n")
    )
    total_stories = sum(counts.values())
    total_people = sum(p.population for p in populations) or 1
    voices = [
        WardVoice(
            ward=p.area.name,
            stories=counts.get(p.area_id, 0),
            population=p.population,
            story_share=100 * counts.get(p.area_id, 0) / total_stories if total_stories else 0.0,
            population_share=100 * p.population / total_people,
        )
        for p in populations
    ]
    return sorted(voices, key=lambda v: (v.story_share - v.population_share, v.ward))


def demographics_against_population(stories: QuerySet[Story]) -> list[DemographicVoices]:
    """For each demographic with population columns: each option's share of the stories (among
    tellers in those wards who answered) against its share of the people living in those wards.

    An option without a column in any ward is left out of the comparison (nobody counted them), but
    its stories still count among those who answered, so the other shares are not inflated.
    """
    populations = list(WardPopulation.objects.all())
    result = []
    for field_name, caption, choices in DEMOGRAPHICS:
        prefix = f"{field_name}:"
        covered = [p for p in populations if any(key.startswith(prefix) for key in p.groups)]
        if not covered:
            continue
        values = [value for value, _ in choices]
        counts = dict(
            stories.filter(ward__in=[p.area_id for p in covered], **{f"{field_name}__in": values})
            .values_list(field_name)
            .annotate(n=Count("id"))
            .values_list(field_name, "n")
        )
        answered = sum(counts.values())
        total_people = sum(p.population for p in covered) or 1
        voices = []
        for value, label in choices:
            key = prefix + value
            if not any(key in p.groups for p in covered):
                continue
            people = sum(p.groups.get(key, 0) for p in covered)
            told = counts.get(value, 0)
            voices.append(
                OptionVoice(
                    value=value,
                    label=str(label),
                    stories=told,
                    population=people,
                    story_share=100 * told / answered if answered else 0.0,
                    population_share=100 * people / total_people,
                )
            )
        result.append(
            DemographicVoices(
                field_name=field_name,
                caption=caption,
                voices=voices,
                wards=len(covered),
                answered=answered,
            )
        )
    return result


def population_groups(rows: Iterable[WardPopulation]) -> list[str]:
    """The names of the extra columns imported, in the order first seen."""
    names: dict[str, None] = {}
    for row in rows:
        names.update(dict.fromkeys(row.groups))
    return list(names)
