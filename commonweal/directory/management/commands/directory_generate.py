"""``commonweal directory_generate --services N --seed S [--batch B]``: a synthetic national directory."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonweal.directory.generate import GenerateError, directory_generate


class Command(BaseCommand):
    help = (
        "Generate a synthetic directory of N services (about N/3 organisations, 0.6 N places) over "
        "real postcodes from the geo Postcode table, for load tests and benchmarks. The same seed "
        "gives the same directory. Never run it on a live directory."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--services", type=int, required=True, help="How many services.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--batch", type=int, default=5000, help="Services written per transaction."
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bar, even on a terminal."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            summary = directory_generate(
                services=options["services"],
                seed=options["seed"],
                batch_size=options["batch"],
                progress=False if options["no_progress"] else None,
                say=self.stderr.write,
            )
        except GenerateError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Generated a directory with seed {options['seed']} in "
            f"{time.perf_counter() - started:.1f} s:"
        )
        for name, count in summary.counts.items():
            self.stdout.write(f"  {name}: {count:,}")
