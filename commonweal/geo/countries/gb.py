"""Great Britain (and the rest of the UK postcode system): postcode shape and special postcodes.

Validation uses the BS 7666 pattern that django-localflavor's ``GBPostcodeField`` carries, plus an explicit
list of postcodes that are real but do not follow it (or that we want to name on purpose).
"""

from __future__ import annotations

import re

from localflavor.gb.forms import GBPostcodeField

EXAMPLE_POSTCODE = "RM17 6SL"

# Real postcodes outside the ordinary pattern, in canonical form.
SPECIAL_POSTCODES: frozenset[str] = frozenset(
    {
        "GIR0AA",  # Girobank (Santander), Bootle
        "SANTA1",  # Father Christmas (Royal Mail)
        "ASCN1ZZ",  # Ascension Island
        "BBND1ZZ",  # British Indian Ocean Territory
        "BIQQ1ZZ",  # British Antarctic Territory
        "FIQQ1ZZ",  # Falkland Islands
        "GX111AA",  # Gibraltar
        "PCRN1ZZ",  # Pitcairn Islands
        "SIQQ1ZZ",  # South Georgia and the South Sandwich Islands
        "STHL1ZZ",  # Saint Helena
        "TDCU1ZZ",  # Tristan da Cunha
        "TKCA1ZZ",  # Turks and Caicos Islands
    }
)

# British Forces Post Office numbers ("BFPO 123"): addresses, not places, but people will type them.
BFPO_PATTERN = re.compile(r"^BFPO\d{1,3}$")
_POSTCODE_PATTERN = GBPostcodeField.postcode_regex


def postcode_normalise(value: str) -> str:
    """Upper case with every space removed."""
    return "".join(value.split()).upper()


def postcode_format(canonical: str) -> str:
    """The written form: a single space before the last three characters ("BFPO 123" for BFPO)."""
    if BFPO_PATTERN.match(canonical):
        return f"BFPO {canonical[4:]}"
    if len(canonical) < 5:
        return canonical
    return f"{canonical[:-3]} {canonical[-3:]}"


def postcode_is_special(canonical: str) -> bool:
    return canonical in SPECIAL_POSTCODES or bool(BFPO_PATTERN.match(canonical))


def postcode_is_valid(canonical: str) -> bool:
    """True for a postcode in canonical form that follows the UK pattern or is a listed special one."""
    if not 5 <= len(canonical) <= 7:
        return False
    if postcode_is_special(canonical):
        return True
    return bool(_POSTCODE_PATTERN.match(postcode_format(canonical)))
