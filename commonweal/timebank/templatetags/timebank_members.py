"""Template filters for the timebank's member pages: time in hours and minutes, in words."""

from __future__ import annotations

from django import template

register = template.Library()


def minutes_in_words(minutes: int | None) -> str:
    """190 -> "3 hours 10 minutes"; -60 -> "minus 1 hour"; 0 -> "0 minutes"."""
    if minutes is None:
        return ""
    value = int(minutes)
    sign = "minus " if value < 0 else ""
    hours, rest = divmod(abs(value), 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return sign + " ".join(parts)


def minutes_as_hmm(minutes: int | None) -> str:
    """190 -> "3:10"; -45 -> "-0:45"."""
    if minutes is None:
        return ""
    value = int(minutes)
    hours, rest = divmod(abs(value), 60)
    return f"{'-' if value < 0 else ''}{hours}:{rest:02d}"


@register.filter
def hours_minutes(minutes: int | None) -> str:
    return minutes_in_words(minutes)


@register.filter
def hmm(minutes: int | None) -> str:
    return minutes_as_hmm(minutes)
