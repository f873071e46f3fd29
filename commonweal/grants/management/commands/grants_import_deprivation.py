"""Import an index of deprivation for the grants reports: ``commonweal grants_import_deprivation FILE.csv``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonweal.geo.exceptions import GeoError
from commonweal.geo.services import IMD_2019_LSOAS, deprivation_import


class Command(BaseCommand):
    help = (
        "Import a CSV of LSOA codes with a deprivation decile or rank (rank 1 the most deprived), "
        "for example file 1 of the English Indices of Deprivation. It replaces any earlier import."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file.")
        parser.add_argument(
            "--index",
            default="IMD 2019",
            help="Which index and release the figures are from (shown on the reports page).",
        )
        parser.add_argument(
            "--lsoas-ranked",
            type=int,
            default=IMD_2019_LSOAS,
            help="How many LSOAs the ranks run over, to work out deciles from ranks "
            f"(default {IMD_2019_LSOAS:,}, England in 2019).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if options["lsoas_ranked"] < 10:
            raise CommandError("--lsoas-ranked must be at least 10.")
        try:
            with path.open(encoding="utf-8-sig", newline="") as lines:
                result = deprivation_import(
                    lines=lines,
                    index_name=options["index"].strip() or "IMD 2019",
                    lsoas_ranked=options["lsoas_ranked"],
                )
        except FileNotFoundError as error:
            raise CommandError(f"There is no file {path}.") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path} is not a UTF-8 CSV file.") from error
        except GeoError as error:
            raise CommandError(f"{path}: {error}") from error
        self.stdout.write(
            f"Imported {result.imported} LSOAs' deprivation deciles ({options['index']}). "
            f"{result.not_in_areas} LSOAs in the file are not among Commonweal's areas and were left out."
        )
