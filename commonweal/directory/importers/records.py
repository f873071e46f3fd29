"""What the readers hand to the writer, and what the writer reports back."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


class SourceError(Exception):
    """The source cannot be read at all (not JSON, not a zip, missing file, wrong columns...)."""


@dataclass(frozen=True, slots=True)
class Where:
    """A place in the source: a file and a row ("row 4") or a JSON pointer ("/contents/2/name")."""

    file: str
    at: str

    def child(self, *parts: str | int) -> Where:
        if self.at.startswith("row "):
            return self
        return Where(self.file, "/".join([self.at, *(str(part) for part in parts)]))


@dataclass(frozen=True, slots=True)
class Rejection:
    file: str
    at: str
    field: str
    reason: str

    def __str__(self) -> str:
        at = f" {self.at}" if self.at else ""
        name = f", field '{self.field}'" if self.field else ""
        return f"{self.file}{at}{name}: {self.reason}"


@dataclass(slots=True)
class ServiceRecord:
    """One service in the ORUK 3.0 full shape.

    Nested objects may carry ``_where`` (a ``Where``) when they came from another file or row;
    ``problems`` holds what the reader already found wrong (for example a row naming an unknown id).
    """

    data: dict[str, Any]
    where: Where
    problems: list[Rejection] = field(default_factory=list)
    # ORUK ids are UUIDs; other sources' ids are any text.
    ids_are_uuids: bool = True


@dataclass(slots=True)
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    rejected_records: int = 0

    @property
    def rejected(self) -> int:
        return self.rejected_records


@dataclass(slots=True)
class Source:
    """A readable source: its name (kept as provenance) and its records, read lazily."""

    name: str
    records: Iterator[ServiceRecord]
    total: int | None = None
