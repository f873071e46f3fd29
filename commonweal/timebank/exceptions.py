"""Refusals from the timebank's ledger, each with a plain-words message and a stable ``code``.

The ledger never changes when one of these is raised. ``status`` is the HTTP status the JSON API
answers with; pages show ``message``.
"""

from __future__ import annotations


class LedgerError(Exception):
    """A request the ledger refuses. ``code`` is stable (clients may rely on it); ``message`` is for people."""

    status = 400
    default_code = "refused"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code

    def __str__(self) -> str:
        return self.message


class InvalidRequest(LedgerError):
    """What was asked cannot be recorded: no minutes, paying yourself, a future date..."""

    status = 400
    default_code = "invalid"


class NotAllowed(LedgerError):
    """The person asking may not do this (not their account, not a broker, too late to undo)."""

    status = 403
    default_code = "not_allowed"


class UnknownRecord(LedgerError):
    """No account (or exchange) the person can see has this id."""

    status = 404
    default_code = "unknown_account"


class Conflict(LedgerError):
    """The request clashes with what is already recorded (a replay with another body, a second reversal)."""

    status = 409
    default_code = "conflict"


class CannotTransact(LedgerError):
    """An account is frozen or closed, or the exchange would take it past its limits."""

    status = 422
    default_code = "cannot_transact"
