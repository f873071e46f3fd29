"""Remind posters a week before their gift board posts end, and expire posts past their date.

Run it daily (it is safe to run more often: nobody is reminded twice for the same eight weeks).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commonweal.timebank.giftboard import posts_expire


class Command(BaseCommand):
    help = "Remind gift board posters a week before a post ends, and expire posts past their date."

    def handle(self, *args: Any, **options: Any) -> None:
        result = posts_expire()
        self.stdout.write(
            f"Gift board: {result.reminded} reminder(s) sent, {result.expired} post(s) expired."
        )
