"""UK postcodes: canonical form, display form and validation (the only place that knows their shape).

Canonical form is upper case with no space, at most seven characters ("RM176SL"); that is how postcodes
are stored and compared. Display form has the single space people write ("RM17 6SL"). The rules
themselves come from the country hook (``commonweal.geo.countries``).
"""

from __future__ import annotations

from commonweal.geo.countries import country_rules
from commonweal.geo.exceptions import InvalidPostcodeError


def postcode_canonical(value: str) -> str:
    """Upper case with no spaces: "rm17 6sl " -> "RM176SL". Does not check that it is a postcode."""
    return country_rules().postcode_normalise(value)


def postcode_display(value: str) -> str:
    """The form people write: "RM176SL" -> "RM17 6SL"."""
    return country_rules().postcode_format(postcode_canonical(value))


def postcode_is_valid(value: str) -> bool:
    """Whether ``value`` (in any case and spacing) is a postcode, including the special ones."""
    return country_rules().postcode_is_valid(postcode_canonical(value))


def postcode_is_special(value: str) -> bool:
    """Whether ``value`` is one of the listed special postcodes (GIR 0AA, BFPO numbers, territories...)."""
    return country_rules().postcode_is_special(postcode_canonical(value))


def postcode_validate(value: str) -> str:
    """The canonical form of ``value``, or ``InvalidPostcodeError`` when it is not a postcode."""
    canonical = postcode_canonical(value)
    if not country_rules().postcode_is_valid(canonical):
        raise InvalidPostcodeError(value)
    return canonical
