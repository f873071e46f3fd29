"""``commonweal directory_export --format oruk-json|csv --output FILE``: export the published directory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonweal.directory.exports import Writable, export_csv, export_oruk_json

EXPORTERS: dict[str, Callable[[Writable], int]] = {"oruk-json": export_oruk_json, "csv": export_csv}


class Command(BaseCommand):
    help = "Export every published service as ORUK 3.0 JSON (full records) or CSV (one row each)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=sorted(EXPORTERS), default="oruk-json")
        parser.add_argument("--output", required=True, help="The file to write ('-' for stdout).")

    def handle(self, *args: Any, **options: Any) -> None:
        exporter = EXPORTERS[options["format"]]
        if options["output"] == "-":
            count = exporter(self.stdout)
            return
        path = Path(options["output"])
        if not path.parent.is_dir():
            raise CommandError(f"Cannot write {path}: the folder {path.parent} does not exist.")
        newline = "" if options["format"] == "csv" else None
        with path.open("w", encoding="utf-8", newline=newline) as output:
            count = exporter(output)
        self.stderr.write(f"Exported {count} services to {path}.")
