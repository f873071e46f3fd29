from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commonweal.stories.signification import (
    SignificationError,
    dyad_check,
    triad_normalise,
    triad_point,
    triad_zone,
)


@given(st.lists(st.integers(min_value=0, max_value=1000), min_size=3, max_size=3).filter(any))
def test_any_three_numbers_become_whole_shares_adding_up_to_100(values):
    shares = triad_normalise(values)
    assert sum(shares) == 100
    assert all(0 <= share <= 100 for share in shares)
    # The order of the corners is kept: a bigger number never gets a smaller share.
    for i in range(3):
        for j in range(3):
            if values[i] > values[j]:
                assert shares[i] >= shares[j]


def test_shares_already_adding_up_to_100_are_kept():
    assert triad_normalise([20, 30, 50]) == (20, 30, 50)
    assert triad_normalise([1, 1, 1]) == (34, 33, 33)


@pytest.mark.parametrize("values", [[0, 0, 0], [-1, 50, 51], [1, 2]])
def test_impossible_triads_are_refused_with_a_reason(values):
    with pytest.raises(SignificationError):
        triad_normalise(values)


def test_dyad_values_must_lie_between_0_and_100():
    assert dyad_check(42.4) == 42
    with pytest.raises(SignificationError):
        dyad_check(101)


@pytest.mark.parametrize(
    ("shares", "zone"),
    [
        ((70, 20, 10), "a"),
        ((10, 80, 10), "b"),
        ((5, 5, 90), "c"),
        ((45, 45, 10), "ab"),
        ((10, 40, 50), "bc"),
        ((40, 10, 50), "ac"),
        ((34, 33, 33), "centre"),
    ],
)
def test_triad_zones_follow_the_usual_reading(shares, zone):
    assert triad_zone(shares) == zone


def test_a_triad_point_sits_at_the_corner_it_leans_to():
    assert triad_point((100, 0, 0)) == (50.0, 0.0)
    assert triad_point((0, 100, 0)) == (0.0, 86.6)
    x, y = triad_point((0, 50, 50))
    assert (x, y) == (50.0, 86.6)
