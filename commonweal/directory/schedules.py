"""Opening times in plain words, and the next dates a schedule happens.

A ``Schedule`` carries an iCalendar recurrence rule (RFC 5545) in the fields Open Referral UK keeps:
``freq`` (WEEKLY or MONTHLY), ``interval``, ``byday`` ("MO,WE", "2MO", "-1FR"), ``bymonthday``
("1,15", "-1"), ``dtstart``/``until`` and the listing's own ``valid_from``/``valid_to``, with
``opens_at``/``closes_at``. Residents read them as "2nd Monday of the month, 10am to 12 noon".

Imported data is often odd: unknown day codes, closing before opening, a rule with no days. Nothing
here raises on such data: a rule we cannot read falls back to the listing's own free-text
``description``, and a schedule with nothing usable still says something true ("Ask the service...").

    schedule_describe(schedule)                 # "Every other Wednesday, 1pm to 2:30pm"
    next_occurrences(schedule, after=now, count=3)
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

if TYPE_CHECKING:
    from commonweal.directory.models import Schedule

__all__ = [
    "DayRule",
    "ScheduleRule",
    "date_words",
    "next_occurrences",
    "schedule_describe",
    "schedule_rule_parse",
    "time_words",
]

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS = frozenset(range(5))
WEEKEND = frozenset({5, 6})
EVERY_DAY = frozenset(range(7))

# How far ahead next_occurrences looks before giving up (a rule may never match, e.g. "5th Friday"
# every twelfth month with an end date next week).
SEARCH_DAYS = 3 * 366
MAX_SEARCH_DAYS = 20 * 366
# "Every 60 months" is already a stretch: larger intervals are read as a mistake.
MAX_INTERVAL = 60

_BYDAY_TOKEN = re.compile(r"^([+-]?)(\d{1,2})?([A-Z]{2})$")
_ATTENDING_WORDS = {"online": "online", "phone": "by phone"}


@dataclass(frozen=True, slots=True)
class DayRule:
    """One ``byday`` entry: a weekday (0 = Monday) and, in monthly rules, which one in the month."""

    weekday: int
    ordinal: int | None = None  # 2 = the 2nd in the month, -1 = the last


@dataclass(frozen=True, slots=True)
class ScheduleRule:
    """A schedule's recurrence rule, read and checked. ``freq`` is "WEEKLY", "MONTHLY" or ""."""

    freq: str
    interval: int
    days: tuple[DayRule, ...]
    month_days: tuple[int, ...]
    start: dt.date | None
    end: dt.date | None


# --- reading the rule ----------------------------------------------------------------------------


def _parse_byday(text: str) -> tuple[DayRule, ...] | None:
    """``"MO,WE"``, ``"2MO"``, ``"-1FR"`` → day rules; None when any part is not a day."""
    rules: list[DayRule] = []
    for raw in text.upper().replace(";", ",").split(","):
        token = raw.strip()
        if not token:
            continue
        match = _BYDAY_TOKEN.match(token)
        if match is None or match.group(3) not in WEEKDAY_CODES:
            return None
        sign, number, code = match.groups()
        ordinal: int | None = None
        if number is not None:
            ordinal = int(number) * (-1 if sign == "-" else 1)
            if ordinal == 0 or abs(ordinal) > 5:
                return None
        elif sign:
            return None
        rule = DayRule(WEEKDAY_CODES.index(code), ordinal)
        if rule not in rules:
            rules.append(rule)
    return tuple(rules)


def _parse_monthdays(text: str) -> tuple[int, ...] | None:
    """``"1,15"``, ``"-1"`` → day numbers; None when any part is not a day of a month."""
    days: list[int] = []
    for raw in text.replace(";", ",").split(","):
        token = raw.strip()
        if not token:
            continue
        if not re.fullmatch(r"[+-]?\d{1,2}", token):
            return None
        day = int(token)
        if day == 0 or abs(day) > 31:
            return None
        if day not in days:
            days.append(day)
    return tuple(days)


def _later(*dates: dt.date | None) -> dt.date | None:
    known = [day for day in dates if isinstance(day, dt.date)]
    return max(known) if known else None


def _earlier(*dates: dt.date | None) -> dt.date | None:
    known = [day for day in dates if isinstance(day, dt.date)]
    return min(known) if known else None


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def schedule_rule_parse(schedule: Schedule) -> ScheduleRule | None:
    """The schedule's rule, or None when there is no rule or it cannot be read.

    A rule with days but no ``freq`` is read as weekly (the days are the point); a monthly rule whose
    ``byday`` entries carry no number means every such weekday, as RFC 5545 says.
    """
    freq = str(schedule.freq or "").strip().upper()
    byday = _parse_byday(str(schedule.byday or ""))
    month_days = _parse_monthdays(str(schedule.bymonthday or ""))
    if byday is None or month_days is None:
        return None
    if freq not in ("", "WEEKLY", "MONTHLY"):
        return None
    if not freq:
        if not byday or month_days:
            return None
        freq = "WEEKLY"
    try:
        interval = int(schedule.interval) if schedule.interval else 1
    except (TypeError, ValueError):
        return None
    if interval < 1 or interval > MAX_INTERVAL:
        return None
    if freq == "WEEKLY":
        if month_days:
            return None
        # RFC 5545: numbered days only belong in monthly and yearly rules; read "2MO" weekly as Monday.
        byday = tuple(dict.fromkeys(DayRule(rule.weekday) for rule in byday))
    dtstart = _as_date(schedule.dtstart)
    start = _later(dtstart, _as_date(schedule.valid_from))
    end = _earlier(_as_date(schedule.until), _as_date(schedule.valid_to))
    if not byday and not month_days:
        # "Every week" or "every month" with nothing else: the start date says which day.
        if dtstart is None:
            return None
        if freq == "WEEKLY":
            byday = (DayRule(dtstart.weekday()),)
        else:
            month_days = (dtstart.day,)
    return ScheduleRule(
        freq=freq, interval=interval, days=byday, month_days=month_days, start=start, end=end
    )


# --- words ---------------------------------------------------------------------------------------


def time_words(value: dt.time) -> str:
    """10:00 → "10am", 09:30 → "9:30am", 12:00 → "12 noon", 00:00 → "12 midnight"."""
    if value.hour == 12 and value.minute == 0:
        return "12 noon"
    if value.hour == 0 and value.minute == 0:
        return "12 midnight"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    if value.minute:
        return f"{hour}:{value.minute:02d}{suffix}"
    return f"{hour}{suffix}"


def date_words(value: dt.date) -> str:
    """2026-03-01 → "1 March 2026"."""
    return f"{value.day} {calendar.month_name[value.month]} {value.year}"


def _ordinal_words(number: int) -> str:
    """2 → "2nd", -1 → "last", -2 → "2nd to last"."""
    if number == -1:
        return "last"
    if number < 0:
        return f"{_ordinal_words(-number)} to last"
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _and_list(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _weekday_set_words(weekdays: Iterable[int], *, plural: bool) -> str:
    """{0, 2} → "Mondays and Wednesdays"; every day, weekdays and weekends get their own words."""
    days = sorted(set(weekdays))
    chosen = frozenset(days)
    if chosen == EVERY_DAY:
        return "every day"
    if chosen == WEEKDAYS:
        return "weekdays"
    if chosen == WEEKEND:
        return "weekends"
    if not plural and len(days) == 1:
        return DAY_NAMES[days[0]]
    return _and_list([f"{DAY_NAMES[day]}s" for day in days])


def _period(interval: int, unit: str) -> str:
    """(1, "week") → "every week", (2, ...) → "every other week", (3, ...) → "every 3 weeks"."""
    if interval == 1:
        return f"every {unit}"
    if interval == 2:
        return f"every other {unit}"
    return f"every {interval} {unit}s"


def _weekly_words(rule: ScheduleRule, weekdays: Sequence[int]) -> str:
    days = frozenset(weekdays)
    if rule.interval == 1:
        if len(days) == 1:
            return f"Every {DAY_NAMES[next(iter(days))]}"
        return _capitalise(_weekday_set_words(days, plural=True))
    if len(days) == 1:
        day = DAY_NAMES[next(iter(days))]
        return (
            f"Every other {day}" if rule.interval == 2 else f"Every {rule.interval} weeks on {day}"
        )
    return (
        f"{_capitalise(_period(rule.interval, 'week'))} on {_weekday_set_words(days, plural=True)}"
    )


def _month_suffix(interval: int) -> str:
    if interval == 1:
        return "of the month"
    if interval == 2:
        return "of every other month"
    return f"of the month, every {interval} months"


def _numbered_days_words(days: Sequence[DayRule]) -> str:
    """(2MO, 4MO) → "2nd and 4th Monday"; (1MO, 3WE) → "1st Monday and 3rd Wednesday"."""
    by_weekday: dict[int, list[int]] = {}
    for rule in days:
        if rule.ordinal is not None:
            by_weekday.setdefault(rule.weekday, []).append(rule.ordinal)
    parts = []
    for weekday in sorted(by_weekday):
        ordinals = sorted(by_weekday[weekday], key=lambda n: (n < 0, n if n > 0 else -n))
        parts.append(f"{_and_list([_ordinal_words(n) for n in ordinals])} {DAY_NAMES[weekday]}")
    return _and_list(parts)


def _month_day_words(month_days: Sequence[int]) -> str:
    words = []
    for day in sorted(month_days, key=lambda n: (n < 0, n if n > 0 else -n)):
        if day == -1:
            words.append("last day")
        elif day < 0:
            words.append(f"{_ordinal_words(-day)} to last day")
        else:
            words.append(_ordinal_words(day))
    return _and_list(words)


def _monthly_words(rule: ScheduleRule) -> str:
    numbered = [day for day in rule.days if day.ordinal is not None]
    every = sorted({day.weekday for day in rule.days if day.ordinal is None})
    parts: list[str] = []
    if numbered:
        parts.append(f"{_numbered_days_words(numbered)} {_month_suffix(rule.interval)}")
    if every:
        if rule.interval == 1:
            parts.append(
                f"every {DAY_NAMES[every[0]]}"
                if len(every) == 1
                else _weekday_set_words(every, plural=True)
            )
        else:
            parts.append(
                f"{_weekday_set_words(every, plural=True)}, {_period(rule.interval, 'month')}"
            )
    if rule.month_days:
        days = _month_day_words(rule.month_days)
        if rule.days:
            # Both parts of an RFC 5545 rule must hold: "Mondays that fall on the 1st to 7th".
            parts = [f"{' and '.join(parts)}, when it falls on the {days}"]
        else:
            parts.append(f"the {days} {_month_suffix(rule.interval)}")
    return _capitalise(" and ".join(parts))


def _rule_words(rule: ScheduleRule) -> str:
    if rule.freq == "WEEKLY":
        return _weekly_words(rule, [day.weekday for day in rule.days])
    return _monthly_words(rule)


def _times_words(opens_at: object, closes_at: object) -> str:
    opens = opens_at if isinstance(opens_at, dt.time) else None
    closes = closes_at if isinstance(closes_at, dt.time) else None
    if opens and closes and closes != opens:
        # Closing before opening reads as overnight ("10pm to 2am").
        return f"{time_words(opens)} to {time_words(closes)}"
    if opens:
        return f"from {time_words(opens)}"
    if closes:
        return f"until {time_words(closes)}"
    return ""


def _dates_words(start: dt.date | None, end: dt.date | None, today: dt.date) -> str:
    if end is not None and end < today:
        return f"Ended on {date_words(end)}"
    shown_start = start if start is not None and start > today else None
    if shown_start and end:
        return f"From {date_words(shown_start)} until {date_words(end)}"
    if shown_start:
        return f"From {date_words(shown_start)}"
    if end:
        return f"Until {date_words(end)}"
    return ""


def schedule_describe(schedule: Schedule, *, today: dt.date | None = None) -> str:
    """The schedule in plain words, never empty and never raising.

    "Every Tuesday, 10am to 12 noon", "Last Friday of the month, 7pm to 9pm", with "From 1 March
    2026" once the start is still to come, "Until 30 June 2026" when it ends, and "online" or "by
    phone" for those not held in person. A rule that cannot be read gives way to the listing's own
    description.
    """
    today = today or timezone.localdate()
    try:
        rule = schedule_rule_parse(schedule)
    except Exception:  # noqa: BLE001  (odd imported data must never break a listing page)
        rule = None
    description = " ".join(str(schedule.description or "").split())
    times = _times_words(schedule.opens_at, schedule.closes_at)
    attending = _ATTENDING_WORDS.get(str(schedule.attending_type or ""), "")

    if rule is not None:
        words = [_rule_words(rule)]
        if times:
            words.append(times)
        if attending:
            words.append(attending)
        sentence = ", ".join(words)
        dates = _dates_words(rule.start, rule.end, today)
    elif description:
        return description
    else:
        start = _later(_as_date(schedule.dtstart), _as_date(schedule.valid_from))
        end = _earlier(_as_date(schedule.until), _as_date(schedule.valid_to))
        dates = _dates_words(start, end, today)
        if times:
            sentence = _capitalise(", ".join([times, *([attending] if attending else [])]))
            sentence += " (ask the service which days)"
        else:
            sentence = "Ask the service when it runs"
    return f"{sentence}. {dates}" if dates else sentence


# --- dates ---------------------------------------------------------------------------------------


def _week_index(day: dt.date) -> int:
    """Weeks since a fixed Monday (RFC 5545's default WKST=MO)."""
    return (day - dt.date(1970, 1, 5)).days // 7


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _matches_numbered(day: dt.date, rule: DayRule) -> bool:
    if day.weekday() != rule.weekday:
        return False
    if rule.ordinal is None:
        return True
    if rule.ordinal > 0:
        return (day.day - 1) // 7 + 1 == rule.ordinal
    last = calendar.monthrange(day.year, day.month)[1]
    return -((last - day.day) // 7 + 1) == rule.ordinal


def _matches_month_day(day: dt.date, month_day: int) -> bool:
    if month_day > 0:
        return day.day == month_day
    last = calendar.monthrange(day.year, day.month)[1]
    return day.day == last + month_day + 1


def _occurs_on(rule: ScheduleRule, day: dt.date) -> bool:
    if rule.start is not None and day < rule.start:
        return False
    if rule.end is not None and day > rule.end:
        return False
    if rule.freq == "WEEKLY":
        if (
            rule.interval > 1
            and (_week_index(day) - _week_index(rule.start or day)) % rule.interval
        ):
            return False
        return any(day.weekday() == item.weekday for item in rule.days)
    if rule.interval > 1 and (_month_index(day) - _month_index(rule.start or day)) % rule.interval:
        return False
    if rule.days and not any(_matches_numbered(day, item) for item in rule.days):
        return False
    return not rule.month_days or any(_matches_month_day(day, item) for item in rule.month_days)


def next_occurrences(
    schedule: Schedule, *, after: dt.datetime, count: int = 3, until: dt.date | None = None
) -> list[dt.datetime]:
    """The next ``count`` times the schedule starts, strictly after ``after``, in order.

    Times are in the site's time zone; a schedule with no opening time starts at midnight. A rule that
    cannot be read, or a repeat every n weeks or months with no start date to count from, has no
    known dates: the answer is an empty list, never an error. ``until`` stops the search after that
    day (the search results only say when a group next meets if it is soon).
    """
    if count <= 0:
        return []
    try:
        rule = schedule_rule_parse(schedule)
    except Exception:  # noqa: BLE001
        return []
    if rule is None or (rule.interval > 1 and rule.start is None):
        return []
    try:
        return _occurrences(schedule, rule, after=after, count=count, until=until)
    except (OverflowError, ValueError):  # dates at the very end of the calendar
        return []


def _occurrences(
    schedule: Schedule,
    rule: ScheduleRule,
    *,
    after: dt.datetime,
    count: int,
    until: dt.date | None = None,
) -> list[dt.datetime]:
    zone = timezone.get_current_timezone()
    if timezone.is_naive(after):
        after = timezone.make_aware(after, zone)
    after_local = timezone.localtime(after, zone)
    opens = schedule.opens_at if isinstance(schedule.opens_at, dt.time) else dt.time(0, 0)
    day = after_local.date()
    if rule.start is not None and rule.start > day:
        day = rule.start
    found: list[dt.datetime] = []
    for _ in range(min(SEARCH_DAYS * rule.interval, MAX_SEARCH_DAYS)):
        if (rule.end is not None and day > rule.end) or (until is not None and day > until):
            break
        if _occurs_on(rule, day):
            start = timezone.make_aware(dt.datetime.combine(day, opens), zone)
            if start > after:
                found.append(start)
                if len(found) == count:
                    break
        day += dt.timedelta(days=1)
    return found
