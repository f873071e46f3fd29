"""CSV and JSON exports of stories with the teller's signification, for analysis elsewhere
(NarraFirma-style: one row per story, one column per answer).

Consent decides what leaves: the public export has published stories only; the staff export also has
stories kept for internal use; never withdrawn or declined ones. The teller's name is included only
when they chose to publish with it. The published (redacted) words go out, never the teller's
original where a moderator changed it. The teller's age band, gender and ethnic group are never
published with a story (the share form promises it): they are only in the staff export.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from commonweal.core.spreadsheets import csv_safe
from commonweal.stories.constants import ConsentLevel
from commonweal.stories.models import Signifier, Story

BASE_COLUMNS = [
    "id",
    "collection",
    "eliciting_question",
    "title",
    "text",
    "teller_name",
    "consent_level",
    "consent_version",
    "state",
    "collected_on",
    "collection_method",
    "ward_code",
    "ward_name",
    "outcomes",
    "themes",
]
# Only in the staff export: the share form promises these are never published with a story.
DEMOGRAPHIC_COLUMNS = ["age_band", "gender", "ethnic_group"]


def export_columns(*, internal: bool) -> list[str]:
    return [*BASE_COLUMNS, *DEMOGRAPHIC_COLUMNS] if internal else list(BASE_COLUMNS)


def _name(story: Story) -> str:
    return story.teller_name if story.consent_level == ConsentLevel.PUBLIC_NAMED else ""


def story_record(story: Story, *, internal: bool = False) -> dict[str, Any]:
    """One story as plain data (the JSON shape); demographics only when ``internal`` (staff)."""
    signification = []
    for answer in story.answers.all():
        signifier = answer.signifier
        signification.append(
            {
                "signifier": signifier.prompt,
                "kind": signifier.kind,
                "poles": signifier.poles,
                "not_applicable": answer.not_applicable,
                "values": [] if answer.not_applicable else answer.values,
            }
        )
    record: dict[str, Any] = {
        "id": str(story.public_id),
        "collection": story.collection.title,
        "eliciting_question": story.eliciting_question,
        "title": story.shown_title,
        "text": story.shown_text,
        "teller_name": _name(story),
        "consent_level": story.consent_level,
        "consent_version": story.consent_version,
        "state": story.state,
        "collected_on": story.created_at.date().isoformat(),
        "collection_method": story.collection_method,
        "ward_code": story.ward.code if story.ward else "",
        "ward_name": story.ward.name if story.ward else "",
        "outcomes": sorted(outcome.slug for outcome in story.outcomes.all()),
        "themes": sorted(theme.name for theme in story.themes.all()),
        "signification": signification,
    }
    if internal:
        record.update(age_band=story.age_band, gender=story.gender, ethnic_group=story.ethnic_group)
    return record


def _signifier_columns(stories: list[Story]) -> list[tuple[Signifier, str, int]]:
    """One column per pole of every signifier the stories answered, in a stable order."""
    seen: dict[int, Signifier] = {}
    for story in stories:
        for answer in story.answers.all():
            seen.setdefault(answer.signifier.pk, answer.signifier)
    columns = []
    for signifier in sorted(seen.values(), key=lambda s: (s.collection_id, s.position, s.pk)):
        for index, pole in enumerate(signifier.poles):
            columns.append((signifier, f"{signifier.prompt} [{pole}]", index))
    return columns


def stories_csv(stories: Iterable[Story], *, internal: bool = False) -> Iterator[str]:
    """The CSV, line by line (a header, then one row per story); demographics only when ``internal``."""
    stories = list(stories)
    base_columns = export_columns(internal=internal)
    columns = _signifier_columns(stories)
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        value = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return value

    writer.writerow([*base_columns, *(label for _, label, _ in columns)])
    yield flush()
    for story in stories:
        record = story_record(story, internal=internal)
        answers = {answer.signifier_id: answer for answer in story.answers.all()}
        row = [
            csv_safe(
                record[column]
                if not isinstance(record[column], list)
                else "; ".join(record[column])
            )
            for column in base_columns
        ]
        for signifier, _, index in columns:
            answer = answers.get(signifier.pk)
            if answer is None:
                row.append("")
            elif answer.not_applicable:
                row.append("N/A")
            else:
                values = answer.values
                row.append(str(values[index]) if index < len(values) else "")
        writer.writerow(row)
        yield flush()
