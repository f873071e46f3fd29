"""``commonweal timebank_reconcile [--timebank SLUG]``: prove the ledger adds up. Run it nightly.

Checks that every account's cached balance equals the sum of its committed entries, that every
timebank sums to zero, and that every committed transaction has two or more entries summing to zero
on its own timebank's accounts. Prints a report and exits with status 1 on any break. It never
changes anything: a break is a bug to report, not to fix silently.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonweal.timebank.models import Timebank
from commonweal.timebank.selectors import ledger_reconcile


class Command(BaseCommand):
    help = "Check the timebank ledger's zero sums and cached balances; exit 1 on any break."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--timebank", help="Only this timebank (its slug).")

    def handle(self, *args: Any, **options: Any) -> None:
        timebank = None
        if options["timebank"]:
            timebank = Timebank.objects.filter(slug=options["timebank"]).first()
            if timebank is None:
                raise CommandError(f"No timebank has the slug {options['timebank']!r}.")
        report = ledger_reconcile(timebank=timebank)
        self.stdout.write(
            f"Checked {report.accounts_checked} account(s), {report.transactions_checked} committed "
            f"transaction(s) and {report.timebanks_checked} timebank(s)."
        )
        for line in report.breaks:
            self.stdout.write(f"BREAK: {line}")
        if report.sound:
            self.stdout.write("The ledger is sound: every sum is zero and every balance matches.")
            return
        self.stderr.write(f"{len(report.breaks)} break(s) found: report them; nothing was changed.")
        sys.exit(1)
