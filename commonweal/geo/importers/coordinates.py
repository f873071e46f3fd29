"""OSGB36 / British National Grid eastings and northings to WGS84 latitude and longitude (pyproj)."""

from __future__ import annotations

from array import array
from functools import cache

from pyproj import Transformer


@cache
def _transformer() -> Transformer:
    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def grid_to_wgs84(
    eastings: array[float], northings: array[float]
) -> tuple[array[float], array[float]]:
    """Convert whole batches at once; returns (longitudes, latitudes), x before y like pyproj."""
    if not eastings:
        return array("d"), array("d")
    longitudes, latitudes = _transformer().transform(eastings, northings)
    return longitudes, latitudes
