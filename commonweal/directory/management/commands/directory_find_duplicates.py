"""``commonweal directory_find_duplicates [--threshold 0.65]``: flag listings that look like duplicates."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonweal.directory.duplicates import DEFAULT_THRESHOLD, duplicate_candidates_refresh


class Command(BaseCommand):
    help = (
        "Find listings that look like the same service (usually from different sources) for a "
        "moderator to merge or dismiss. Safe to run again: decided pairs are never reopened."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--threshold",
            type=float,
            default=DEFAULT_THRESHOLD,
            help=f"Lowest score (0 to 1) of a pair worth a look (default {DEFAULT_THRESHOLD}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        threshold = options["threshold"]
        if not 0 < threshold <= 1:
            raise CommandError("The threshold must be more than 0 and at most 1.")
        result = duplicate_candidates_refresh(threshold=threshold)
        self.stdout.write(
            f"Found {result.found} possible duplicate pairs: {result.created} new, "
            f"{result.updated} updated, {result.already_decided} already decided by a moderator; "
            f"{result.closed} earlier pairs no longer look alike."
        )
