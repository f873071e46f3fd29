"""``commonweal directory_review_reminders [--dry-run]``: ask groups to check listings nobody has checked.

Run it daily. A listing not checked for COMMONWEAL_DIRECTORY_REVIEW_DAYS gets one reminder, then no
other for 30 days; running it twice on a day sends nothing new.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from commonweal.directory.moderation_services import (
    REMINDER_INTERVAL_DAYS,
    review_reminders_send,
)


class Command(BaseCommand):
    help = "Email the groups of published listings that may be out of date, asking them to check."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Say who would be emailed; send nothing."
        )
        parser.add_argument(
            "--date", help="Run as if today were this date (YYYY-MM-DD), for catching up."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"--date must look like 2025-06-30: {error}") from error
        dry_run = options["dry_run"]
        summary = review_reminders_send(today=today, dry_run=dry_run)
        verb = "Would remind" if dry_run else "Reminded"
        for service, recipients in summary.reminded:
            self.stdout.write(f"{verb}: {service.name} -> {', '.join(recipients)}")
        for service in summary.nobody_to_email:
            self.stdout.write(f"Nobody to email: {service.name} (no representative or email)")
        emails = sum(len(recipients) for _, recipients in summary.reminded)
        self.stdout.write(
            f"{verb} {len(summary.reminded)} listing(s) ({emails} address(es)); "
            f"{summary.recently_reminded} already reminded in the last {REMINDER_INTERVAL_DAYS} days; "
            f"{len(summary.nobody_to_email)} with nobody to email."
        )
