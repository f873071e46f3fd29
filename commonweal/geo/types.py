"""Plain values the geo selectors return."""

from __future__ import annotations

from dataclasses import dataclass

from commonweal.geo.models import Area
from commonweal.geo.postcodes import postcode_display


@dataclass(frozen=True, slots=True)
class PostcodePoint:
    """Where a postcode is, and the ONS areas it belongs to (codes; empty when unknown)."""

    postcode: str  # canonical: upper case, no space
    latitude: float
    longitude: float
    district_code: str = ""
    ward_code: str = ""
    lsoa_code: str = ""
    msoa_code: str = ""
    source: str = ""

    @property
    def display(self) -> str:
        return postcode_display(self.postcode)


@dataclass(frozen=True, slots=True)
class PostcodeAreas:
    """A postcode's point with the Area rows for its codes (None where we hold no such area)."""

    point: PostcodePoint
    district: Area | None
    ward: Area | None
    lsoa: Area | None
    msoa: Area | None


@dataclass(frozen=True, slots=True)
class AreaDistance:
    """An area and how far its nearest known postcode is from a point, in metres."""

    area: Area
    metres: float
