"""Write awarded grants as a 360Giving data package: ``commonweal grants_export_360giving --output FILE``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonweal.core.audit import audit_record
from commonweal.grants.constants import GrantsAuditKind
from commonweal.grants.models import Fund, Round
from commonweal.grants.opendata import grants_package, grants_spreadsheet


class Command(BaseCommand):
    help = "Export awarded grants as 360Giving JSON (or the flattened spreadsheet when FILE ends in .xlsx)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fund", help="Only this fund (its short name).")
        parser.add_argument(
            "--round", help="Only this round (its short name; with --fund if names repeat)."
        )
        parser.add_argument("--output", required=True, help="File to write: .json or .xlsx.")

    def handle(self, *args: Any, **options: Any) -> None:
        fund = None
        round_ = None
        if options["fund"]:
            fund = Fund.objects.filter(slug=options["fund"]).first()
            if fund is None:
                raise CommandError(f"No fund has the short name '{options['fund']}'.")
        if options["round"]:
            rounds = Round.objects.filter(slug=options["round"])
            if fund is not None:
                rounds = rounds.filter(fund=fund)
            if rounds.count() != 1:
                raise CommandError(
                    f"No single round has the short name '{options['round']}': "
                    "give --fund as well, or check the name."
                )
            round_ = rounds.get()
        package = grants_package(fund=fund, round_=round_)
        output = Path(options["output"])
        if output.suffix.lower() == ".xlsx":
            output.write_bytes(grants_spreadsheet(package))
        else:
            output.write_text(json.dumps(package, indent=2, ensure_ascii=False), encoding="utf-8")
        audit_record(
            kind=GrantsAuditKind.EXPORTED,
            actor=None,
            target=round_ or fund,
            after={"grants": len(package["grants"]), "file": output.name},
        )
        self.stdout.write(f"Wrote {len(package['grants'])} grants to {output}.")
