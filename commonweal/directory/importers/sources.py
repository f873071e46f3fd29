"""Tell what kind of source a command-line argument names, and open it."""

from __future__ import annotations

from pathlib import Path

from commonweal.directory.importers.hsds_tabular import hsds_records
from commonweal.directory.importers.oruk_api import OrukClient, api_records
from commonweal.directory.importers.oruk_json import oruk_file_records
from commonweal.directory.importers.records import Source, SourceError


def source_open(argument: str, *, name: str = "", timeout: float = 30.0) -> Source:
    """An ORUK API (http or https URL), an ORUK JSON file, or an HSDS data package (folder or zip)."""
    if argument.startswith(("http://", "https://")):
        return Source(
            name=name or argument.rstrip("/"),
            records=api_records(OrukClient(argument, timeout=timeout)),
        )
    path = Path(argument)
    if not path.exists():
        raise SourceError(f"{argument} does not exist (give a file, a folder or an http(s) URL).")
    if path.is_dir():
        records, total = hsds_records(path)
        return Source(name=name or path.resolve().name, records=records, total=total)
    with path.open("rb") as handle:
        start = handle.read(64).lstrip()
    if start[:2] == b"PK":
        records, total = hsds_records(path)
    elif start[:1] in (b"{", b"[") or path.suffix.lower() == ".json":
        records, total = oruk_file_records(path)
    else:
        raise SourceError(
            f"{path.name} is neither JSON nor a zip file: give an ORUK JSON file, an HSDS data package "
            "(folder or zip) or an ORUK API URL."
        )
    return Source(name=name or path.name, records=records, total=total)
