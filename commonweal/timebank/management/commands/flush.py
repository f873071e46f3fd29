"""``commonweal flush``: Django's flush, which on SQLite lifts the ledger's entry guard while it empties
every table (PostgreSQL's TRUNCATE fires no row triggers, so there the guard needs no lifting)."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import connections

from commonweal.timebank.ledger_guards import sqlite_entry_delete_guard


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            super().handle(**options)
            return
        sqlite_entry_delete_guard(connection, on=False)
        try:
            super().handle(**options)
        finally:
            sqlite_entry_delete_guard(connection, on=True)
