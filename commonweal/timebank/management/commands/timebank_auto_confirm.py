"""``commonweal timebank_auto_confirm [--date YYYY-MM-DD]``: count pending exchanges of timebanks whose
policy is "counts after a set number of days" once those days have passed. Run it daily."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from commonweal.timebank.ledger import transactions_auto_confirm


class Command(BaseCommand):
    help = "Commit pending exchanges whose auto-confirmation period has passed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"--date must look like 2025-06-30: {error}") from error
        result = transactions_auto_confirm(today=today)
        for tx, why in result.refused:
            self.stdout.write(f"Still pending: {tx.public_id}: {why}")
        self.stdout.write(
            f"Counted {len(result.committed)} exchange(s); {len(result.sent_to_broker)} sent to a "
            f"broker; {len(result.refused)} still pending."
        )
