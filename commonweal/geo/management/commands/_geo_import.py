"""What the geo import commands share: options, error handling and the summary they print."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonweal.geo.exceptions import ImportFileError
from commonweal.geo.models import ImportLog


class GeoImportCommand(BaseCommand):
    path_help = "The file to import."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help=self.path_help)
        parser.add_argument(
            "--district",
            action="append",
            default=[],
            metavar="CODE",
            help="Only import postcodes of this local authority district (GSS code, e.g. E06000034). Repeatable.",
        )
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def run_import(self, **options: Any) -> ImportLog:
        """Each command names its importer here."""
        raise CommandError(f"{type(self).__name__} does not say which importer to run.")

    def handle(self, *args: Any, **options: Any) -> None:
        quiet = options["quiet"] or options.get("verbosity", 1) == 0
        try:
            log = self.run_import(path=options["path"], districts=options["district"], quiet=quiet)
        except ImportFileError as exc:
            raise CommandError(f"Nothing was imported. {exc}") from exc
        if options.get("verbosity", 1) > 0:
            release = f" (release {log.release})" if log.release else ""
            self.stdout.write(self.style.SUCCESS(f"Imported {log.file_name}{release}."))
            self.stdout.write(log.message)
