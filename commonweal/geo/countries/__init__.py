"""Rules that differ by nation, behind one hook module chosen by ``settings.COMMONWEAL_COUNTRY``.

Each module here (``gb`` today) provides the same names; code asks ``country_rules()`` for them instead
of scattering ``if country == ...`` tests.
"""

from __future__ import annotations

import importlib
from functools import cache
from types import ModuleType
from typing import Protocol, cast

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class CountryRules(Protocol):
    """What a country module provides."""

    SPECIAL_POSTCODES: frozenset[str]
    EXAMPLE_POSTCODE: str

    def postcode_normalise(self, value: str) -> str: ...

    def postcode_is_valid(self, canonical: str) -> bool: ...

    def postcode_is_special(self, canonical: str) -> bool: ...

    def postcode_format(self, canonical: str) -> str: ...


@cache
def _load(code: str) -> ModuleType:
    try:
        return importlib.import_module(f"commonweal.geo.countries.{code}")
    except ModuleNotFoundError as exc:
        raise ImproperlyConfigured(
            f"COMMONWEAL_COUNTRY={code!r} has no rules in commonweal.geo.countries"
        ) from exc


def country_rules() -> CountryRules:
    """The rules module for the configured country (default "gb")."""
    code = str(getattr(settings, "COMMONWEAL_COUNTRY", "gb") or "gb").lower()
    return cast(CountryRules, _load(code))
