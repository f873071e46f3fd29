"""`commonweal demo_load`: build (or top up) the demo borough. Safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commonweal.demo.borough import DEMO_PASSWORD, DemoResult
from commonweal.demo.loaders import DEMO_LOADERS


class Command(BaseCommand):
    help = (
        "Load the demo borough: Thurrock's real geography with invented groups, people and events."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = DemoResult()
        for label, loader in DEMO_LOADERS:
            self.stderr.write(f"Loading {label}…")
            loader(result)
        self.stdout.write(
            self.style.SUCCESS("The demo borough is ready (all people and groups are invented).")
        )
        for name, count in result.counts.items():
            self.stdout.write(f"  {name}: {count}")
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        width = max(len(email) for email, _, _ in result.logins)
        for email, role, organisation in result.logins:
            where = f" at {organisation}" if organisation else ""
            self.stdout.write(f"  {email.ljust(width)}  {role}{where}")
