"""The registry of data sources (``sources.toml``): publisher, licence and required attribution."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SOURCES_FILE = Path(__file__).resolve().parent / "sources.toml"


@dataclass(frozen=True, slots=True)
class DataSource:
    key: str
    title: str
    publisher: str
    url: str
    licence: str
    licence_url: str
    description: str
    used_for: str
    attribution: tuple[str, ...]


def _text(entry: dict[str, object], field: str, key: str) -> str:
    value = entry.get(field, "")
    if not isinstance(value, str):
        raise ValueError(f"sources.toml [{key}] {field} must be text")
    return value


@cache
def data_sources() -> tuple[DataSource, ...]:
    """Every data source, in the order of the file."""
    with SOURCES_FILE.open("rb") as handle:
        raw = tomllib.load(handle)
    sources = []
    for key, entry in raw.items():
        attribution = entry.get("attribution", [])
        if isinstance(attribution, str):
            attribution = [attribution]
        sources.append(
            DataSource(
                key=key,
                title=_text(entry, "title", key),
                publisher=_text(entry, "publisher", key),
                url=_text(entry, "url", key),
                licence=_text(entry, "licence", key),
                licence_url=_text(entry, "licence_url", key),
                description=_text(entry, "description", key),
                used_for=_text(entry, "used_for", key),
                attribution=tuple(str(line) for line in attribution),
            )
        )
    return tuple(sources)


def data_source_get(key: str) -> DataSource:
    for source in data_sources():
        if source.key == key:
            return source
    raise KeyError(f"No data source {key!r} in sources.toml")
