"""commonweal stories_import_population FILE.csv: import how many people live in each ward."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonweal.stories.population import PopulationImportError, population_import


class Command(BaseCommand):
    help = (
        "Import ward populations for the “whose voices” page from a CSV file with the columns "
        "“ward code” (ONS code, for example E05002229) and “population”, and optionally more "
        "columns of whole numbers (age bands or groups). Columns named <demographic>:<option>, "
        "such as age_band:16_24, gender:woman or ethnic_group:asian, count residents with that "
        "answer, to compare with tellers; a column like x:y that is neither stops the import. "
        "A file with any bad line imports nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file.")
        parser.add_argument("--source", default="", help="Where the figures come from.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError as exc:
            raise CommandError(f"There is no file {path}.") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path} is not a UTF-8 text file: save it as CSV UTF-8.") from exc
        try:
            count = population_import(actor=None, text=text, source=options["source"] or path.name)
        except PopulationImportError as exc:
            raise CommandError("Nothing was imported:\n" + "\n".join(exc.problems[:50])) from exc
        self.stdout.write(f"Imported the population of {count} ward{'s' if count != 1 else ''}.")
