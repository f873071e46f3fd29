"""Writes of the geo app: imports of postcode data and setting the place of located records."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from commonweal.geo.constants import AreaKind
from commonweal.geo.importers import CodePointImporter, OnspdImporter, ThurrockDemoImporter
from commonweal.geo.models import Area, ImportLog, LocatedModel
from commonweal.geo.selectors import postcode_point_get

Located = TypeVar("Located", bound=LocatedModel)

_SIX_PLACES = Decimal("0.000001")


def located_model_fill_from_postcode(*, instance: Located, postcode: str) -> Located:
    """Set the postcode (canonical), point, ward and LSOA of ``instance`` from ``postcode``. Does not save.

    Raises ``InvalidPostcodeError`` (not a postcode), ``UnknownPostcodeError`` (no one knows it) or
    ``UpstreamAPIError`` (a remote provider failed); ``instance`` is unchanged when it raises.
    """
    point = postcode_point_get(postcode)
    codes = {code for code in (point.ward_code, point.lsoa_code) if code}
    areas = {
        (area.kind, area.code): area
        for area in Area.objects.filter(
            code__in=codes, kind__in=[AreaKind.WARD, AreaKind.LSOA]
        ).current()
    }
    instance.postcode = point.postcode
    instance.latitude = Decimal(str(point.latitude)).quantize(_SIX_PLACES)
    instance.longitude = Decimal(str(point.longitude)).quantize(_SIX_PLACES)
    instance.ward = areas.get((AreaKind.WARD, point.ward_code))
    instance.lsoa = areas.get((AreaKind.LSOA, point.lsoa_code))
    return instance


def codepoint_import(
    *, actor: Any = None, path: str | Path, districts: Iterable[str] = (), quiet: bool = True
) -> ImportLog:
    """Import OS Code-Point Open (zip or folder). Raises ``ImportFileError`` for a file it cannot import."""
    return CodePointImporter(path, districts=districts, quiet=quiet, actor=actor).run()


def onspd_import(
    *, actor: Any = None, path: str | Path, districts: Iterable[str] = (), quiet: bool = True
) -> ImportLog:
    """Import the ONS Postcode Directory CSV. Raises ``ImportFileError`` for a file it cannot import."""
    return OnspdImporter(path, districts=districts, quiet=quiet, actor=actor).run()


def demo_geography_load(*, actor: Any = None) -> ImportLog:
    """Load Thurrock's district, wards, MSOAs, LSOAs and postcodes from the package data (idempotent)."""
    return ThurrockDemoImporter(actor=actor).run()
