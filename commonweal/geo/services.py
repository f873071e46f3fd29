"""Writes of the geo app: imports of postcode data and setting the place of located records."""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from django.db import transaction

from commonweal.geo.constants import AreaKind
from commonweal.geo.exceptions import GeoError
from commonweal.geo.importers import CodePointImporter, OnspdImporter, ThurrockDemoImporter
from commonweal.geo.models import Area, AreaDeprivation, ImportLog, LocatedModel
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


# England's Index of Multiple Deprivation 2019 ranks 32,844 LSOAs (rank 1 is the most deprived).
IMD_2019_LSOAS = 32844
_LSOA_CODE = re.compile(r"^[EW]01\d{6}$")
MAX_REPORTED_PROBLEMS = 5


@dataclass(frozen=True)
class DeprivationImport:
    imported: int
    not_in_areas: (
        int  # LSOAs in the file that Commonweal has no area for (outside the council's patch)
    )


def _column(header: list[str], *words: str) -> int | None:
    for index, name in enumerate(header):
        lowered = name.strip().lower()
        if all(word in lowered for word in words):
            return index
    return None


def _plain(error: ValueError) -> str:
    text = str(error)
    if text.startswith("invalid literal for int()"):
        return "the decile or rank is not a whole number"
    return text


def deprivation_import(
    *, lines: Iterable[str], index_name: str, lsoas_ranked: int = IMD_2019_LSOAS
) -> DeprivationImport:
    """Import an index of deprivation from CSV: a column of LSOA codes and a decile or a rank.

    Columns are found by their headings ("LSOA code", "decile", "rank"), so the government's file 1
    of the English indices works as it is. With only ranks, the decile is worked out from
    ``lsoas_ranked``. A file with any bad row is refused whole, naming the lines; nothing is saved.
    Importing again replaces every figure.
    """
    rows = csv.reader(lines)
    header = next(rows, None)
    if not header:
        raise GeoError("The file is empty.")
    code_at = _column(header, "lsoa", "code")
    if code_at is None:
        code_at = _column(header, "lsoa")
    decile_at = _column(header, "decile")
    rank_at = _column(header, "rank")
    if code_at is None or (decile_at is None and rank_at is None):
        raise GeoError(
            "The first line must name the columns: one with 'LSOA code' and one with 'decile' or "
            f"'rank'. It has: {', '.join(name.strip() for name in header)}."
        )
    figures: dict[str, tuple[int, int | None]] = {}
    problems: list[str] = []
    for line_number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            code = row[code_at].strip().upper()
            if not _LSOA_CODE.match(code):
                raise ValueError(f"'{code}' is not an LSOA code like E01015780")
            rank = int(row[rank_at]) if rank_at is not None and row[rank_at].strip() else None
            if rank is not None and not 1 <= rank <= lsoas_ranked:
                raise ValueError(f"the rank {rank} is not between 1 and {lsoas_ranked:,}")
            if decile_at is not None and row[decile_at].strip():
                decile = int(row[decile_at])
            elif rank is not None:
                decile = math.ceil(rank * 10 / lsoas_ranked)
            else:
                raise ValueError("it has neither a decile nor a rank")
            if not 1 <= decile <= 10:
                raise ValueError(f"the decile {decile} is not between 1 and 10")
        except IndexError:
            problems.append(f"line {line_number}: it has too few columns")
        except ValueError as error:
            problems.append(f"line {line_number}: {_plain(error)}")
        else:
            figures[code] = (decile, rank)
    if problems:
        more = len(problems) - MAX_REPORTED_PROBLEMS
        listed = "; ".join(problems[:MAX_REPORTED_PROBLEMS]) + (
            f"; and {more} more" if more > 0 else ""
        )
        raise GeoError(f"Nothing was imported. Please correct the file: {listed}.")
    if not figures:
        raise GeoError("The file has no rows after its first line.")
    areas = dict(Area.objects.lsoas().filter(code__in=list(figures)).values_list("code", "pk"))
    with transaction.atomic():
        AreaDeprivation.objects.all().delete()
        AreaDeprivation.objects.bulk_create(
            AreaDeprivation(
                area_id=pk, decile=figures[code][0], rank=figures[code][1], index_name=index_name
            )
            for code, pk in areas.items()
        )
    return DeprivationImport(imported=len(areas), not_in_areas=len(figures) - len(areas))
