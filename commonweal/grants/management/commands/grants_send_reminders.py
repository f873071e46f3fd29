"""Remind groups of monitoring reports due within a week or late: ``commonweal grants_send_reminders``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commonweal.grants.services.awards import monitoring_reminders_send


class Command(BaseCommand):
    help = "Email groups whose monitoring reports are due within a week or late (once a week each)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = monitoring_reminders_send()
        self.stdout.write(f"Sent {sent} reminders.")
