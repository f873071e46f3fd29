"""Parse and check ORUK query parameters: anything hostile becomes a ``BadParameter`` with a clear message."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from django.utils.dateparse import parse_date, parse_datetime

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
MAX_PAGE = 100_000
MAX_TEXT = 200
MAX_PROXIMITY_METRES = 200_000

_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}


class BadParameter(ValueError):
    """A query parameter or path id that cannot be used; the message names it."""


def text(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if len(value) > MAX_TEXT:
        raise BadParameter(f"'{name}' is too long: at most {MAX_TEXT} characters.")
    if "\x00" in value:
        raise BadParameter(f"'{name}' contains a character that is not allowed.")
    return value or None


def uuid(name: str, value: str | None) -> UUID | None:
    if value is None or value.strip() == "":
        return None
    if len(value) > 64:
        raise BadParameter(f"'{name}' must be a UUID.")
    try:
        return UUID(value.strip())
    except ValueError:
        raise BadParameter(f"'{name}' must be a UUID, not {value[:40]!r}.") from None


def boolean(name: str, value: str | None) -> bool:
    if value is None or value.strip() == "":
        return False
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise BadParameter(f"'{name}' must be true or false.")


def integer(name: str, value: str | None, *, default: int, minimum: int, maximum: int) -> int:
    if value is None or value.strip() == "":
        return default
    stripped = value.strip()
    if len(stripped) > 12 or not stripped.lstrip("-").isdigit():
        raise BadParameter(f"'{name}' must be a whole number.")
    number = int(stripped)
    if number < minimum or number > maximum:
        raise BadParameter(f"'{name}' must be between {minimum} and {maximum}.")
    return number


def page_and_size(page: str | None, per_page: str | None) -> tuple[int, int]:
    return (
        integer("page", page, default=1, minimum=1, maximum=MAX_PAGE),
        integer("per_page", per_page, default=DEFAULT_PER_PAGE, minimum=1, maximum=MAX_PER_PAGE),
    )


def moment(name: str, value: str | None) -> dt.datetime | None:
    """An RFC 3339 date-time (or a plain date, taken as midnight UTC); naive times are taken as UTC."""
    if value is None or value.strip() == "":
        return None
    stripped = value.strip()
    if len(stripped) > 40:
        raise BadParameter(f"'{name}' must be a date-time such as 2025-01-31T09:00:00Z.")
    try:
        parsed = parse_datetime(stripped)
        if parsed is None:
            day = parse_date(stripped)
            if day is not None:
                parsed = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    except ValueError:
        parsed = None
    if parsed is None:
        raise BadParameter(f"'{name}' must be a date-time such as 2025-01-31T09:00:00Z.")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


def output_format(value: str | None) -> str:
    if value is None or value.strip() == "":
        return "json"
    lowered = value.strip().lower()
    if lowered not in {"json", "ndjson"}:
        raise BadParameter("'format' must be json or ndjson.")
    return lowered


def proximity(value: str | None) -> float | None:
    if value is None or value.strip() == "":
        return None
    stripped = value.strip()
    try:
        metres = float(stripped) if len(stripped) <= 20 else float("nan")
    except ValueError:
        metres = float("nan")
    if not (0 < metres <= MAX_PROXIMITY_METRES):
        raise BadParameter(
            f"'proximity' must be a distance in metres, above 0 and at most {MAX_PROXIMITY_METRES}."
        )
    return metres


def postcode(value: str | None) -> str | None:
    if value is None or value.strip() == "":
        return None
    compact = "".join(value.split()).upper()
    if not (
        5 <= len(compact) <= 7
        and compact.isalnum()
        and compact[0].isalpha()
        and compact[-3].isdigit()
    ):
        raise BadParameter(
            f"'postcode' must be a UK postcode such as RM17 6SL, not {value[:20]!r}."
        )
    return compact
