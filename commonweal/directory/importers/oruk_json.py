"""Read ORUK 3.0 service records from JSON: one service, a list of them, or a page with ``contents``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from commonweal.directory.importers.records import ServiceRecord, SourceError, Where


def services_from_json(value: Any, *, file: str) -> tuple[list[ServiceRecord], int]:
    """The service records in a parsed JSON document, each with the JSON pointer it sits at."""
    if isinstance(value, dict) and isinstance(value.get("contents"), list):
        items, prefix = value["contents"], "/contents"
    elif isinstance(value, list):
        items, prefix = value, ""
    elif isinstance(value, dict) and "id" in value and "name" in value:
        items, prefix = [value], None
    else:
        raise SourceError(
            f"{file}: expected an ORUK service, a list of services or a page with 'contents'."
        )
    records = []
    for index, item in enumerate(items):
        at = "" if prefix is None else f"{prefix}/{index}"
        if not isinstance(item, dict):
            raise SourceError(
                f"{file} {at or '/'}: expected a service object, found {type(item).__name__}."
            )
        records.append(ServiceRecord(data=item, where=Where(file, at)))
    return records, len(records)


def read_json_file(path: Path) -> Any:
    try:
        with path.open("rb") as handle:
            return json.load(handle)
    except UnicodeDecodeError as error:
        raise SourceError(f"{path.name} is not UTF-8 text: {error.reason}.") from error
    except json.JSONDecodeError as error:
        raise SourceError(
            f"{path.name} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})."
        ) from error


def oruk_file_records(path: Path) -> tuple[Iterator[ServiceRecord], int]:
    records, total = services_from_json(read_json_file(path), file=path.name)
    return iter(records), total
