"""Rules for the teller's signification: triads are three whole shares adding up to 100.

People may give a triad as any three non-negative numbers (the form's numeric fallback) or as a point in
the triangle (the script); both end here, as shares that add up to exactly 100 (largest remainder).
Zones follow the usual SenseMaker reading: a corner when one share is 60 or more, an edge when two are
20 to 60 and the third under 20, otherwise the centre.
"""

from __future__ import annotations

from collections.abc import Sequence


class SignificationError(ValueError):
    """Values that cannot be a triad or a dyad; the message can be shown to the teller."""


def triad_normalise(values: Sequence[float]) -> tuple[int, int, int]:
    """Three non-negative numbers, not all zero, as whole shares adding up to 100."""
    if len(values) != 3:
        raise SignificationError("A triad needs three numbers.")
    if any(value < 0 for value in values):
        raise SignificationError("Use numbers from 0 to 100.")
    total = float(sum(values))
    if total <= 0:
        raise SignificationError(
            "Give at least one corner a number above 0, or choose “Does not apply”."
        )
    exact = [value * 100 / total for value in values]
    shares = [int(share) for share in exact]
    short = 100 - sum(shares)
    by_remainder = sorted(range(3), key=lambda i: (-(exact[i] - shares[i]), i))
    for index in by_remainder[:short]:
        shares[index] += 1
    return shares[0], shares[1], shares[2]


def dyad_check(value: float) -> int:
    if not 0 <= value <= 100:
        raise SignificationError("Choose a value from 0 to 100.")
    return round(value)


def triad_zone(shares: Sequence[int]) -> str:
    """ "a", "b" or "c" (a corner), "ab", "bc" or "ac" (an edge), or "centre"."""
    names = "abc"
    for name, share in zip(names, shares, strict=True):
        if share >= 60:
            return name
    for low in range(3):
        others = [i for i in range(3) if i != low]
        if shares[low] < 20 and all(20 <= shares[i] <= 60 for i in others):
            return "".join(names[i] for i in others)
    return "centre"


def triad_point(shares: Sequence[int], *, size: float = 100.0) -> tuple[float, float]:
    """Where a triad's shares sit in an upright triangle of side ``size`` (a top, b bottom left, c bottom right)."""
    a, b, c = (share / 100 for share in shares)
    height = size * 0.8660254
    top, left, right = (size / 2, 0.0), (0.0, height), (size, height)
    x = a * top[0] + b * left[0] + c * right[0]
    y = a * top[1] + b * left[1] + c * right[1]
    return round(x, 2), round(y, 2)
