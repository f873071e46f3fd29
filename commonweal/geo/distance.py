"""Distances on the Earth's surface and bounding boxes for cheap prefilters (no PostGIS needed)."""

from __future__ import annotations

import math

EARTH_RADIUS_METRES = 6_371_008.8  # mean radius (IUGG)
_METRES_PER_DEGREE_LAT = math.pi * EARTH_RADIUS_METRES / 180


def haversine_metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two WGS84 points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_METRES * math.asin(min(1.0, math.sqrt(a)))


def bbox_around(lat: float, lon: float, metres: float) -> tuple[float, float, float, float]:
    """``(min_lat, max_lat, min_lon, max_lon)`` of a box that contains every point within ``metres``.

    The box is a prefilter: follow it with ``haversine_metres`` for the exact circle.
    """
    if metres < 0:
        raise ValueError("metres must not be negative")
    dlat = metres / _METRES_PER_DEGREE_LAT
    min_lat, max_lat = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    cos_lat = math.cos(math.radians(max(abs(min_lat), abs(max_lat))))
    if cos_lat < 1e-9:
        return min_lat, max_lat, -180.0, 180.0
    dlon = metres / (_METRES_PER_DEGREE_LAT * cos_lat)
    if dlon >= 180:
        return min_lat, max_lat, -180.0, 180.0
    return min_lat, max_lat, lon - dlon, lon + dlon
