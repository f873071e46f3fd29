"""Opening times in plain words, and the dates a schedule next happens."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commonweal.directory.models import Schedule
from commonweal.directory.schedules import (
    date_words,
    next_occurrences,
    schedule_describe,
    schedule_rule_parse,
    time_words,
)

T = dt.time
LONDON = ZoneInfo("Europe/London")
TODAY = dt.date(2026, 1, 1)


def describe(**fields) -> str:
    return schedule_describe(Schedule(**fields), today=TODAY)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (T(10), "10am"),
        (T(9, 30), "9:30am"),
        (T(12), "12 noon"),
        (T(0), "12 midnight"),
        (T(15), "3pm"),
        (T(14, 30), "2:30pm"),
        (T(12, 15), "12:15pm"),
        (T(0, 5), "12:05am"),
    ],
)
def test_times_read_the_way_people_say_them(value, words):
    assert time_words(value) == words


def test_dates_read_day_month_year():
    assert date_words(dt.date(2026, 3, 1)) == "1 March 2026"


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        (
            {"freq": "WEEKLY", "byday": "TU", "opens_at": T(10), "closes_at": T(12)},
            "Every Tuesday, 10am to 12 noon",
        ),
        (
            {"freq": "WEEKLY", "byday": "MO,WE", "opens_at": T(9, 30), "closes_at": T(15)},
            "Mondays and Wednesdays, 9:30am to 3pm",
        ),
        (
            {"freq": "WEEKLY", "byday": "WE,MO,FR"},
            "Mondays, Wednesdays and Fridays",
        ),
        (
            {"freq": "MONTHLY", "byday": "2MO", "opens_at": T(10), "closes_at": T(12)},
            "2nd Monday of the month, 10am to 12 noon",
        ),
        (
            {"freq": "MONTHLY", "byday": "-1FR", "opens_at": T(19), "closes_at": T(21)},
            "Last Friday of the month, 7pm to 9pm",
        ),
        ({"freq": "MONTHLY", "byday": "-2TH"}, "2nd to last Thursday of the month"),
        ({"freq": "MONTHLY", "byday": "3MO,1MO"}, "1st and 3rd Monday of the month"),
        (
            {"freq": "MONTHLY", "byday": "1MO,3WE"},
            "1st Monday and 3rd Wednesday of the month",
        ),
        (
            {"freq": "MONTHLY", "interval": 2, "byday": "1SA", "dtstart": dt.date(2025, 1, 4)},
            "1st Saturday of every other month",
        ),
        (
            {
                "freq": "WEEKLY",
                "interval": 2,
                "byday": "WE",
                "opens_at": T(13),
                "closes_at": T(14, 30),
            },
            "Every other Wednesday, 1pm to 2:30pm",
        ),
        ({"freq": "WEEKLY", "interval": 3, "byday": "TH"}, "Every 3 weeks on Thursday"),
        (
            {"freq": "WEEKLY", "interval": 2, "byday": "TU,TH"},
            "Every other week on Tuesdays and Thursdays",
        ),
        (
            {
                "freq": "WEEKLY",
                "byday": "MO,TU,WE,TH,FR,SA,SU",
                "opens_at": T(9),
                "closes_at": T(17),
            },
            "Every day, 9am to 5pm",
        ),
        (
            {"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR", "opens_at": T(9), "closes_at": T(17)},
            "Weekdays, 9am to 5pm",
        ),
        ({"freq": "WEEKLY", "byday": "SA,SU"}, "Weekends"),
        ({"freq": "MONTHLY", "bymonthday": "15"}, "The 15th of the month"),
        ({"freq": "MONTHLY", "bymonthday": "-1"}, "The last day of the month"),
        ({"freq": "MONTHLY", "byday": "MO"}, "Every Monday"),
        # No days given: the start date says which day.
        ({"freq": "WEEKLY", "dtstart": dt.date(2025, 6, 3)}, "Every Tuesday"),
        ({"freq": "MONTHLY", "dtstart": dt.date(2025, 6, 3)}, "The 3rd of the month"),
        # Days but no frequency: read as weekly.
        ({"byday": "FR"}, "Every Friday"),
        # Lower case and spaces from hand-typed imports.
        ({"freq": "weekly", "byday": " mo , we "}, "Mondays and Wednesdays"),
        (
            {"freq": "WEEKLY", "byday": "TU", "opens_at": T(10), "attending_type": "online"},
            "Every Tuesday, from 10am, online",
        ),
        (
            {"freq": "WEEKLY", "byday": "TU", "closes_at": T(16), "attending_type": "phone"},
            "Every Tuesday, until 4pm, by phone",
        ),
        (
            {"freq": "WEEKLY", "byday": "FR", "opens_at": T(22), "closes_at": T(2)},
            "Every Friday, 10pm to 2am",
        ),
    ],
)
def test_rules_in_plain_words(fields, words):
    assert describe(**fields) == words


def test_a_start_still_to_come_and_an_end_are_said():
    rule = {"freq": "WEEKLY", "byday": "TU", "opens_at": T(10), "closes_at": T(12)}
    assert (
        describe(**rule, valid_from=dt.date(2026, 3, 1))
        == "Every Tuesday, 10am to 12 noon. From 1 March 2026"
    )
    assert (
        describe(**rule, valid_to=dt.date(2026, 6, 30))
        == "Every Tuesday, 10am to 12 noon. Until 30 June 2026"
    )
    assert (
        describe(**rule, dtstart=dt.date(2026, 3, 1), until=dt.date(2026, 6, 30))
        == "Every Tuesday, 10am to 12 noon. From 1 March 2026 until 30 June 2026"
    )


def test_a_start_already_passed_is_not_said_and_an_end_already_passed_is():
    rule = {"freq": "WEEKLY", "byday": "TU"}
    assert describe(**rule, valid_from=dt.date(2025, 3, 1)) == "Every Tuesday"
    assert describe(**rule, valid_to=dt.date(2025, 6, 30)) == "Every Tuesday. Ended on 30 June 2025"


def test_the_later_start_and_the_earlier_end_win():
    words = describe(
        freq="WEEKLY",
        byday="TU",
        dtstart=dt.date(2026, 2, 1),
        valid_from=dt.date(2026, 3, 1),
        until=dt.date(2026, 9, 1),
        valid_to=dt.date(2026, 6, 30),
    )
    assert words.endswith("From 1 March 2026 until 30 June 2026")


@pytest.mark.parametrize(
    "fields",
    [
        {"freq": "DAILY", "byday": "MO"},
        {"freq": "WEEKLY", "byday": "Mondays"},
        {"freq": "MONTHLY", "byday": "9MO"},
        {"freq": "MONTHLY", "byday": "0MO"},
        {"freq": "MONTHLY", "bymonthday": "32"},
        {"freq": "MONTHLY", "bymonthday": "first"},
        {"freq": "WEEKLY"},  # no days and no start date to take one from
        {"freq": "WEEKLY", "byday": "MO", "interval": 61},  # every 61 weeks: a slip
        {"freq": "WEEKLY", "byday": "MO", "bymonthday": "1"},
    ],
)
def test_a_rule_that_cannot_be_read_falls_back_to_the_description(fields):
    assert schedule_rule_parse(Schedule(**fields)) is None
    assert describe(**fields, description="  Ring   Sue for this term's dates ") == (
        "Ring Sue for this term's dates"
    )


def test_with_no_rule_the_description_is_used_as_written():
    assert describe(description="School term time only") == "School term time only"


def test_with_no_rule_and_no_description_times_and_a_prompt_remain():
    assert describe(opens_at=T(10), closes_at=T(12)) == (
        "10am to 12 noon (ask the service which days)"
    )
    assert describe() == "Ask the service when it runs"
    assert describe(valid_to=dt.date(2026, 6, 30)) == (
        "Ask the service when it runs. Until 30 June 2026"
    )


def aware(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


def dates(schedule: Schedule, after: dt.datetime, count: int = 3) -> list[dt.datetime]:
    return next_occurrences(schedule, after=after, count=count)


def test_next_weekly_dates_start_at_the_opening_time_in_local_time():
    schedule = Schedule(freq="WEEKLY", byday="TU,TH", opens_at=T(10))
    assert dates(schedule, aware(2026, 3, 24, 11, 0), 4) == [
        aware(2026, 3, 26, 10),
        aware(2026, 3, 31, 10),  # after the clocks go forward: still 10am in London
        aware(2026, 4, 2, 10),
        aware(2026, 4, 7, 10),
    ]


def test_an_occurrence_later_today_counts_and_one_already_begun_does_not():
    schedule = Schedule(freq="WEEKLY", byday="TU", opens_at=T(10))
    assert dates(schedule, aware(2026, 3, 3, 9, 59), 1) == [aware(2026, 3, 3, 10)]
    assert dates(schedule, aware(2026, 3, 3, 10, 0), 1) == [aware(2026, 3, 10, 10)]


def test_numbered_and_last_weekdays_of_the_month():
    second_monday = Schedule(freq="MONTHLY", byday="2MO", opens_at=T(10))
    assert dates(second_monday, aware(2026, 1, 1)) == [
        aware(2026, 1, 12, 10),
        aware(2026, 2, 9, 10),
        aware(2026, 3, 9, 10),
    ]
    last_friday = Schedule(freq="MONTHLY", byday="-1FR", opens_at=T(19))
    assert dates(last_friday, aware(2026, 1, 1)) == [
        aware(2026, 1, 30, 19),
        aware(2026, 2, 27, 19),
        aware(2026, 3, 27, 19),
    ]


def test_every_other_week_counts_from_the_start_date():
    schedule = Schedule(freq="WEEKLY", interval=2, byday="WE", dtstart=dt.date(2026, 1, 14))
    assert dates(schedule, aware(2026, 1, 1)) == [
        aware(2026, 1, 14),
        aware(2026, 1, 28),
        aware(2026, 2, 11),
    ]


def test_every_other_month_counts_from_the_start_date():
    schedule = Schedule(freq="MONTHLY", interval=2, bymonthday="1", dtstart=dt.date(2026, 2, 1))
    assert dates(schedule, aware(2026, 1, 1)) == [
        aware(2026, 2, 1),
        aware(2026, 4, 1),
        aware(2026, 6, 1),
    ]


def test_last_day_of_the_month_handles_short_months():
    schedule = Schedule(freq="MONTHLY", bymonthday="-1")
    assert dates(schedule, aware(2028, 1, 15)) == [
        aware(2028, 1, 31),
        aware(2028, 2, 29),
        aware(2028, 3, 31),
    ]


def test_dates_stay_within_the_valid_period():
    schedule = Schedule(
        freq="WEEKLY",
        byday="MO",
        valid_from=dt.date(2026, 3, 1),
        valid_to=dt.date(2026, 3, 16),
    )
    assert dates(schedule, aware(2026, 1, 1), 5) == [
        aware(2026, 3, 2),
        aware(2026, 3, 9),
        aware(2026, 3, 16),
    ]


def test_no_dates_when_they_cannot_be_known():
    assert dates(Schedule(description="Ring us"), aware(2026, 1, 1)) == []
    # Every other week, but from when?
    assert dates(Schedule(freq="WEEKLY", interval=2, byday="MO"), aware(2026, 1, 1)) == []
    # A fifth Monday in a window without one.
    window = Schedule(
        freq="MONTHLY", byday="5MO", valid_from=dt.date(2026, 2, 1), valid_to=dt.date(2026, 2, 28)
    )
    assert dates(window, aware(2026, 1, 1)) == []
    assert dates(Schedule(freq="WEEKLY", byday="MO"), aware(2026, 1, 1), 0) == []


def test_a_naive_after_is_read_as_local_time():
    schedule = Schedule(freq="WEEKLY", byday="TU", opens_at=T(10))
    naive = dt.datetime(2026, 3, 3, 9, 0)  # noqa: DTZ001  (naive on purpose)
    assert dates(schedule, naive, 1) == [aware(2026, 3, 3, 10)]


# --- any data at all -----------------------------------------------------------------------------

BYDAY_TOKENS = st.sampled_from(
    [
        "MO",
        "TU",
        "WE",
        "TH",
        "FR",
        "SA",
        "SU",
        "2MO",
        "-1FR",
        "5SA",
        "-5SU",
        "9XX",
        "+1TU",
        "mo",
        " ",
    ]
)
FIELD_TEXT = st.text(max_size=20)
DATES = st.none() | st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31))
TIMES = st.none() | st.times()

SCHEDULES = st.builds(
    Schedule,
    freq=st.sampled_from(["", "WEEKLY", "MONTHLY", "monthly", "DAILY", "YEARLY"]) | FIELD_TEXT,
    interval=st.none() | st.integers(min_value=0, max_value=1000),
    byday=st.lists(BYDAY_TOKENS, max_size=8).map(",".join) | FIELD_TEXT,
    bymonthday=st.lists(st.integers(min_value=-40, max_value=40).map(str), max_size=4).map(",".join)
    | FIELD_TEXT,
    dtstart=DATES,
    until=DATES,
    valid_from=DATES,
    valid_to=DATES,
    opens_at=TIMES,
    closes_at=TIMES,
    description=st.text(max_size=40),
    attending_type=st.sampled_from(["", "in_person", "online", "phone", "other"]),
)


@settings(max_examples=300, deadline=None)
@given(
    schedule=SCHEDULES, today=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2150, 1, 1))
)
def test_any_schedule_has_a_non_empty_sentence(schedule, today):
    words = schedule_describe(schedule, today=today)
    assert isinstance(words, str) and words.strip()
    assert words == words.strip()


@settings(max_examples=200, deadline=None)
@given(
    schedule=SCHEDULES,
    after=st.datetimes(
        min_value=dt.datetime(1950, 1, 1),  # noqa: DTZ001  (hypothesis bounds are naive)
        max_value=dt.datetime(2150, 1, 1),  # noqa: DTZ001
        timezones=st.just(LONDON),
    ),
    count=st.integers(min_value=-1, max_value=6),
)
def test_any_schedule_gives_ordered_future_dates_in_its_window(schedule, after, count):
    found = next_occurrences(schedule, after=after, count=count)
    assert len(found) <= max(count, 0)
    assert all(moment > after for moment in found)
    assert found == sorted(found) and len(set(found)) == len(found)
    rule = schedule_rule_parse(schedule)
    if found:
        assert rule is not None
        for moment in found:
            day = moment.astimezone(LONDON).date()
            assert rule.start is None or day >= rule.start
            assert rule.end is None or day <= rule.end
