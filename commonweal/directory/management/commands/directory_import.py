"""``commonweal directory_import SOURCE``: import services from an ORUK 3.0 file or API, or an HSDS 1.1 package."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from commonweal.directory.importers.oruk_api import UpstreamAPIError
from commonweal.directory.importers.records import ImportSummary, ServiceRecord, SourceError
from commonweal.directory.importers.sources import source_open
from commonweal.directory.importers.writer import records_import


class Command(BaseCommand):
    help = (
        "Import services from an ORUK 3.0 JSON file, an ORUK 3.0 API base URL, or an HSDS 1.1 / "
        "ORUK v1 data package (folder or zip). Nothing is written if any record is rejected, "
        "unless --partial is given. Imported services are published unless the source marks them "
        "draft or withdrawn (commonweal_publication)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="A JSON file, a folder or zip, or an http(s) URL.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check everything, write nothing."
        )
        parser.add_argument(
            "--partial", action="store_true", help="Write the good records and report the rejected."
        )
        parser.add_argument(
            "--source-name",
            default="",
            help="Name kept as each record's source (default: the file name or the URL).",
        )
        parser.add_argument("--timeout", type=float, default=30.0, help="Seconds per HTTP request.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            source = source_open(
                options["source"], name=options["source_name"], timeout=options["timeout"]
            )
            records: Iterable[ServiceRecord] = tqdm(
                source.records,
                total=source.total,
                unit="service",
                file=sys.stderr,
                disable=not sys.stderr.isatty(),
            )
            summary = records_import(
                records,
                actor=None,
                source=source.name,
                partial=options["partial"],
                dry_run=options["dry_run"],
            )
        except (SourceError, UpstreamAPIError) as error:
            raise CommandError(str(error)) from error
        self._report(summary, dry_run=options["dry_run"], partial=options["partial"])

    def _report(self, summary: ImportSummary, *, dry_run: bool, partial: bool) -> None:
        for rejection in summary.rejections:
            self.stderr.write(f"Rejected: {rejection}")
        rolled_back = summary.rejected and not partial
        verb = "would be " if dry_run or rolled_back else ""
        self.stdout.write(
            f"Services {verb}created: {summary.created}, {verb}updated: {summary.updated}, "
            f"unchanged: {summary.unchanged}, rejected: {summary.rejected}."
        )
        if rolled_back:
            raise CommandError(
                f"{summary.rejected} service record(s) rejected, so nothing was written "
                "(fix them, or use --partial to write the others)."
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
