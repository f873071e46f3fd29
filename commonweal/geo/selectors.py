"""Reads of the geo app: postcode lookup through the provider chain, areas, nearby areas, sources."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from commonweal.geo.constants import AreaKind, ImportStatus
from commonweal.geo.distance import bbox_around, haversine_metres
from commonweal.geo.exceptions import (
    GeoError,
    UnknownAreaError,
    UnknownPostcodeError,
    UpstreamAPIError,
)
from commonweal.geo.models import Area, ImportLog, Postcode
from commonweal.geo.postcodes import postcode_display, postcode_validate
from commonweal.geo.providers import PostcodeProvider, provider_chain
from commonweal.geo.sources import DataSource, data_sources
from commonweal.geo.types import AreaDistance, PostcodeAreas, PostcodePoint

logger = logging.getLogger(__name__)

__all__ = [
    "AreaDistance",
    "DataSourceStatus",
    "PostcodeAreas",
    "PostcodePoint",
    "area_get",
    "areas_near",
    "data_source_list",
    "postcode_areas_get",
    "postcode_point_get",
    "postcode_points_get",
    "ward_list",
]


def postcode_point_get(
    postcode: str, *, providers: list[PostcodeProvider] | None = None
) -> PostcodePoint:
    """Where ``postcode`` is, asking each provider in turn (the local table first).

    Raises ``InvalidPostcodeError`` when it is not a postcode, ``UnknownPostcodeError`` when no provider
    knows it, and ``UpstreamAPIError`` when no provider knew it and a remote one could not answer.
    """
    canonical = postcode_validate(postcode)
    upstream_error: UpstreamAPIError | None = None
    for provider in provider_chain() if providers is None else providers:
        try:
            point = provider.lookup(canonical)
        except UpstreamAPIError as exc:
            logger.warning("postcode provider %s failed: %s", provider.name, exc)
            upstream_error = exc
            continue
        if point is not None:
            return point
    if upstream_error is not None:
        raise upstream_error
    raise UnknownPostcodeError(postcode_display(canonical))


def postcode_points_get(postcodes: Iterable[str]) -> dict[str, PostcodePoint]:
    """Where each of ``postcodes`` is, keyed by the postcode as given; those nobody knows are left out.

    The local table answers all it can in one query per thousand postcodes; only the rest are asked
    of the other providers, one by one. Invalid postcodes are left out too.
    """
    canonical: dict[str, str] = {}
    for postcode in postcodes:
        try:
            canonical[postcode] = postcode_validate(postcode)
        except GeoError:
            continue
    wanted = sorted(set(canonical.values()))
    found: dict[str, PostcodePoint] = {}
    for start in range(0, len(wanted), 1000):
        for row in Postcode.objects.filter(postcode__in=wanted[start : start + 1000]):
            found[row.postcode] = PostcodePoint(
                postcode=row.postcode,
                latitude=row.latitude,
                longitude=row.longitude,
                district_code=row.district_code,
                ward_code=row.ward_code,
                lsoa_code=row.lsoa_code,
                msoa_code=row.msoa_code,
                source="local",
            )
    result: dict[str, PostcodePoint] = {}
    for given, code in canonical.items():
        point = found.get(code)
        if point is None:
            try:
                point = postcode_point_get(code)
            except GeoError:
                continue
        result[given] = point
    return result


def _areas_by_code(codes: dict[AreaKind, str]) -> dict[AreaKind, Area]:
    wanted = {kind: code for kind, code in codes.items() if code}
    if not wanted:
        return {}
    found: dict[AreaKind, Area] = {}
    rows = Area.objects.filter(code__in=set(wanted.values())).order_by("valid_to", "-id")
    for area in rows:
        kind = AreaKind(area.kind)
        if wanted.get(kind) == area.code and kind not in found:
            found[kind] = area
    return found


def postcode_areas_get(postcode: str) -> PostcodeAreas:
    """The point of ``postcode`` with its district, ward, LSOA and MSOA (same errors as above)."""
    point = postcode_point_get(postcode)
    areas = _areas_by_code(
        {
            AreaKind.DISTRICT: point.district_code,
            AreaKind.WARD: point.ward_code,
            AreaKind.LSOA: point.lsoa_code,
            AreaKind.MSOA: point.msoa_code,
        }
    )
    return PostcodeAreas(
        point=point,
        district=areas.get(AreaKind.DISTRICT),
        ward=areas.get(AreaKind.WARD),
        lsoa=areas.get(AreaKind.LSOA),
        msoa=areas.get(AreaKind.MSOA),
    )


_KIND_COLUMN = {
    AreaKind.WARD: "ward_code",
    AreaKind.DISTRICT: "district_code",
    AreaKind.LSOA: "lsoa_code",
    AreaKind.MSOA: "msoa_code",
}


def areas_near(
    *, latitude: float, longitude: float, metres: float, kind: AreaKind = AreaKind.WARD
) -> list[AreaDistance]:
    """Areas of ``kind`` with at least one postcode within ``metres`` of the point, nearest first.

    The distance of an area is the distance to its nearest postcode: area membership comes from codes,
    so no polygons are needed.
    """
    column = _KIND_COLUMN[kind]
    min_lat, max_lat, min_lon, max_lon = bbox_around(latitude, longitude, metres)
    candidates = Postcode.objects.filter(
        latitude__gte=min_lat, latitude__lte=max_lat, longitude__gte=min_lon, longitude__lte=max_lon
    ).values_list(column, "latitude", "longitude")
    nearest: dict[str, float] = {}
    for code, lat, lon in candidates.iterator(chunk_size=2000):
        if not code:
            continue
        distance = haversine_metres(latitude, longitude, lat, lon)
        if distance <= metres and distance < nearest.get(code, float("inf")):
            nearest[code] = distance
    areas = {
        area.code: area for area in Area.objects.filter(kind=kind, code__in=list(nearest)).current()
    }
    found = [
        AreaDistance(area=areas[code], metres=d) for code, d in nearest.items() if code in areas
    ]
    return sorted(found, key=lambda item: (item.metres, item.area.name))


def ward_list(district_code: str | None = None) -> QuerySet[Area]:
    """Current wards by name, optionally only those of one district."""
    wards = Area.objects.wards().current()
    if district_code:
        wards = wards.in_district(district_code)
    return wards.order_by("name", "code")


def area_get(code: str) -> Area:
    """The current area with this GSS code (``UnknownAreaError`` when there is none)."""
    area = Area.objects.filter(code=code.strip().upper()).order_by("valid_to", "-id").first()
    if area is None:
        raise UnknownAreaError(code)
    return area


@dataclass(frozen=True, slots=True)
class DataSourceStatus:
    """A data source from the registry with its last successful import (None when never imported)."""

    source: DataSource
    last_import: ImportLog | None


def data_source_list() -> list[DataSourceStatus]:
    """Every registered data source with what was last imported from it, for the /data page."""
    latest: dict[str, ImportLog] = {}
    for log in ImportLog.objects.filter(status=ImportStatus.SUCCEEDED).order_by(
        "-started_at", "-id"
    ):
        latest.setdefault(log.source, log)
    return [
        DataSourceStatus(source=source, last_import=latest.get(source.key))
        for source in data_sources()
    ]
