"""The database's own backstops for the ledger, installed by migration ``0002_ledger``.

- Entries can never be updated or deleted (PostgreSQL and SQLite): a correction is a reversal.
- A committed transaction stays committed (PostgreSQL and SQLite).
- PostgreSQL also checks, when each database transaction commits (a ``CONSTRAINT TRIGGER ...
  DEFERRABLE INITIALLY DEFERRED``), that every transaction written has two or more entries summing to
  zero, all on accounts of the transaction's timebank.

``commonweal flush`` (and so the test runner's flush between transactional tests) empties every
table: PostgreSQL's TRUNCATE fires no row triggers, and on SQLite the flush command lifts the entry
guard for the length of the flush only (see ``management/commands/flush.py``).
"""

from __future__ import annotations

from typing import Any

ENTRY_MESSAGE = "Ledger entries cannot be changed or deleted: record a reversal instead."
COMMITTED_MESSAGE = "A committed transaction stays committed: record a reversal instead."

POSTGRES_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION timebank_entry_immutable() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE = '{ENTRY_MESSAGE}';
    END $$;
    """,
    """
    CREATE TRIGGER timebank_entry_immutable BEFORE UPDATE OR DELETE ON timebank_entry
    FOR EACH ROW EXECUTE FUNCTION timebank_entry_immutable();
    """,
    f"""
    CREATE OR REPLACE FUNCTION timebank_transaction_stays_committed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.state <> 'committed' OR NEW.timebank_id <> OLD.timebank_id THEN
            RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE = '{COMMITTED_MESSAGE}';
        END IF;
        RETURN NEW;
    END $$;
    """,
    """
    CREATE TRIGGER timebank_transaction_stays_committed BEFORE UPDATE ON timebank_transaction
    FOR EACH ROW WHEN (OLD.state = 'committed')
    EXECUTE FUNCTION timebank_transaction_stays_committed();
    """,
    """
    CREATE OR REPLACE FUNCTION timebank_transaction_balanced() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        tx_id bigint;
        total bigint;
        entry_count integer;
        other_bank integer;
    BEGIN
        IF TG_TABLE_NAME = 'timebank_entry' THEN
            tx_id := NEW.transaction_id;
        ELSE
            tx_id := NEW.id;
        END IF;
        SELECT COALESCE(SUM(e.amount_minutes), 0), COUNT(e.id),
               COUNT(e.id) FILTER (WHERE a.timebank_id <> t.timebank_id)
          INTO total, entry_count, other_bank
          FROM timebank_transaction t
          LEFT JOIN timebank_entry e ON e.transaction_id = t.id
          LEFT JOIN timebank_account a ON a.id = e.account_id
         WHERE t.id = tx_id;
        IF total <> 0 OR entry_count < 2 THEN
            RAISE EXCEPTION USING ERRCODE = 'check_violation', MESSAGE = format(
                'Ledger transaction %s has %s entries summing to %s minutes: '
                'it needs two or more summing to zero.', tx_id, entry_count, total);
        END IF;
        IF other_bank > 0 THEN
            RAISE EXCEPTION USING ERRCODE = 'check_violation', MESSAGE = format(
                'Ledger transaction %s has entries on another timebank''s accounts.', tx_id);
        END IF;
        RETURN NULL;
    END $$;
    """,
    """
    CREATE CONSTRAINT TRIGGER timebank_entry_balanced AFTER INSERT ON timebank_entry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION timebank_transaction_balanced();
    """,
    """
    CREATE CONSTRAINT TRIGGER timebank_transaction_balanced AFTER INSERT ON timebank_transaction
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION timebank_transaction_balanced();
    """,
]

POSTGRES_REMOVE = [
    "DROP TRIGGER IF EXISTS timebank_transaction_balanced ON timebank_transaction;",
    "DROP TRIGGER IF EXISTS timebank_entry_balanced ON timebank_entry;",
    "DROP FUNCTION IF EXISTS timebank_transaction_balanced();",
    "DROP TRIGGER IF EXISTS timebank_transaction_stays_committed ON timebank_transaction;",
    "DROP FUNCTION IF EXISTS timebank_transaction_stays_committed();",
    "DROP TRIGGER IF EXISTS timebank_entry_immutable ON timebank_entry;",
    "DROP FUNCTION IF EXISTS timebank_entry_immutable();",
]

SQLITE_ENTRY_DELETE = [
    f"""
    CREATE TRIGGER IF NOT EXISTS timebank_entry_no_delete BEFORE DELETE ON timebank_entry
    BEGIN SELECT RAISE(ABORT, '{ENTRY_MESSAGE}'); END;
    """,
]
SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER IF NOT EXISTS timebank_entry_no_update BEFORE UPDATE ON timebank_entry
    BEGIN SELECT RAISE(ABORT, '{ENTRY_MESSAGE}'); END;
    """,
    *SQLITE_ENTRY_DELETE,
    f"""
    CREATE TRIGGER IF NOT EXISTS timebank_transaction_stays_committed
    BEFORE UPDATE ON timebank_transaction
    WHEN OLD.state = 'committed'
         AND (NEW.state <> 'committed' OR NEW.timebank_id <> OLD.timebank_id)
    BEGIN SELECT RAISE(ABORT, '{COMMITTED_MESSAGE}'); END;
    """,
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS timebank_transaction_stays_committed;",
    "DROP TRIGGER IF EXISTS timebank_entry_no_delete;",
    "DROP TRIGGER IF EXISTS timebank_entry_no_update;",
]


def _run(schema_editor: Any, statements: list[str]) -> None:
    for statement in statements:
        schema_editor.execute(statement, params=None)


def install(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRES_INSTALL)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_INSTALL)


def remove(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRES_REMOVE)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_REMOVE)


def sqlite_entry_delete_guard(connection: Any, *, on: bool) -> None:
    """Lift (``on=False``) or restore the SQLite guard on deleting entries; for ``flush`` only."""
    with connection.cursor() as cursor:
        if on:
            for statement in SQLITE_ENTRY_DELETE:
                cursor.execute(statement)
        else:
            cursor.execute("DROP TRIGGER IF EXISTS timebank_entry_no_delete;")
