from __future__ import annotations

import pytest
from django.test import override_settings

from commonweal.geo.exceptions import InvalidPostcodeError
from commonweal.geo.postcodes import (
    postcode_canonical,
    postcode_display,
    postcode_is_special,
    postcode_is_valid,
    postcode_validate,
)


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("RM17 6SL", "RM176SL"),
        ("rm17 6sl", "RM176SL"),
        ("  rm17   6sl  ", "RM176SL"),
        ("RM176SL", "RM176SL"),
        ("b1 1ay", "B11AY"),
        ("sw1a 1aa", "SW1A1AA"),
        ("m1 1ae", "M11AE"),
        ("gir 0aa", "GIR0AA"),
        ("BFPO 123", "BFPO123"),
        ("SAN TA1", "SANTA1"),
        ("gx11 1aa", "GX111AA"),
    ],
)
def test_valid_postcodes_validate_to_canonical_form(given, canonical):
    assert postcode_validate(given) == canonical
    assert postcode_is_valid(given)
    assert len(canonical) <= 7


@pytest.mark.parametrize(
    "given",
    [
        "",
        "   ",
        "hello",
        "12345",
        "RM17",
        "RM17 6S",
        "RM17 6SLX",
        "QQ1 1AA",
        "RM17 6CL",
        "BFPO 12345",
        "E1 1A1",
        "'; drop",
    ],
)
def test_garbage_is_not_a_postcode(given):
    assert not postcode_is_valid(given)
    with pytest.raises(InvalidPostcodeError) as raised:
        postcode_validate(given)
    assert "RM17 6SL" in str(raised.value)


def test_invalid_message_quotes_what_was_typed():
    with pytest.raises(InvalidPostcodeError, match="“hello” is not a postcode"):
        postcode_validate("hello")
    with pytest.raises(InvalidPostcodeError, match="Enter a postcode"):
        postcode_validate("  ")


@pytest.mark.parametrize(
    ("given", "display"),
    [
        ("RM176SL", "RM17 6SL"),
        ("rm17  6sl", "RM17 6SL"),
        ("B11AY", "B1 1AY"),
        ("GIR0AA", "GIR 0AA"),
        ("BFPO123", "BFPO 123"),
        ("SANTA1", "SAN TA1"),
    ],
)
def test_display_form_puts_one_space_before_the_inward_code(given, display):
    assert postcode_display(given) == display


def test_special_postcodes_are_listed():
    assert postcode_is_special("GIR 0AA")
    assert postcode_is_special("bfpo 7")
    assert postcode_is_special("FIQQ 1ZZ")
    assert not postcode_is_special("RM17 6SL")


def test_canonical_only_normalises():
    assert postcode_canonical(" ab1\t0aa ") == "AB10AA"


@override_settings(COMMONWEAL_COUNTRY="atlantis")
def test_an_unknown_country_is_a_configuration_error():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="atlantis"):
        postcode_validate("RM17 6SL")
