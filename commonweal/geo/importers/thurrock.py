"""The Thurrock extract shipped with Commonweal (package data) for the demonstration borough.

``data/thurrock/`` holds postcodes.csv (3,275 postcodes with WGS84 points), wards.csv (20 wards) and
lsoas.csv (98 LSOAs with their MSOAs), all taken from OS Code-Point Open and ONS releases.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from commonweal.geo.constants import AreaKind
from commonweal.geo.exceptions import ImportFileError
from commonweal.geo.importers.areas import AreaRecord, areas_upsert
from commonweal.geo.importers.base import PostcodeImporter, check_header, parse_float, parse_int
from commonweal.geo.importers.writer import PostcodeRow

THURROCK_DIR = Path(__file__).resolve().parent.parent / "data" / "thurrock"
THURROCK_CODE = "E06000034"

POSTCODE_COLUMNS = [
    "postcode",
    "latitude",
    "longitude",
    "easting",
    "northing",
    "positional_quality",
    "ward_code",
    "lsoa11_code",
    "msoa11_code",
    "district_code",
]
WARD_COLUMNS = ["ward_code", "ward_name", "district_code", "district_name"]
LSOA_COLUMNS = ["lsoa11_code", "lsoa11_name", "msoa11_code", "msoa11_name", "district_code"]
ENGLAND = "E92000001"


def _read(path: Path, columns: list[str]) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        check_header(expected=columns, found=next(reader, []), file=path.name)
        rows = []
        for row in reader:
            if len(row) != len(columns):
                raise ImportFileError(
                    f"expected {len(columns)} columns, found {len(row)}.",
                    file=path.name,
                    line=reader.line_num,
                )
            rows.append(dict(zip(columns, (value.strip() for value in row), strict=True)))
        return rows


class ThurrockDemoImporter(PostcodeImporter):
    source = "thurrock_demo"

    def __init__(self, path: str | Path = THURROCK_DIR, **kwargs: object) -> None:
        super().__init__(path, districts=[THURROCK_CODE], quiet=True, actor=kwargs.get("actor"))

    def open(self) -> None:
        self.release = "Thurrock extract, LSOA 2011"
        self.wards = _read(self.path / "wards.csv", WARD_COLUMNS)
        self.lsoas = _read(self.path / "lsoas.csv", LSOA_COLUMNS)

    def batches(self) -> Iterator[list[PostcodeRow]]:
        path = self.path / "postcodes.csv"
        name = path.name
        self.current_file = name
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            check_header(expected=POSTCODE_COLUMNS, found=next(reader, []), file=name)
            batch: list[PostcodeRow] = []
            for row in reader:
                line = reader.line_num
                self.rows_read += 1
                if len(row) != len(POSTCODE_COLUMNS):
                    raise ImportFileError(
                        f"expected 10 columns, found {len(row)}.", file=name, line=line
                    )
                postcode, lat, lon, east, north, quality, ward, lsoa, msoa, district = (
                    v.strip() for v in row
                )
                batch.append(
                    (
                        postcode.replace(" ", "").upper(),
                        parse_float(lat, field="latitude", file=name, line=line),
                        parse_float(lon, field="longitude", file=name, line=line),
                        parse_int(east, field="easting", file=name, line=line),
                        parse_int(north, field="northing", file=name, line=line),
                        parse_int(quality, field="positional_quality", file=name, line=line),
                        ENGLAND,
                        district,
                        ward,
                        lsoa,
                        msoa,
                    )
                )
            self.current_line = reader.line_num
            yield batch

    def write_areas(self) -> int:
        district_names = {row["district_code"]: row["district_name"] for row in self.wards}
        records = [
            AreaRecord(AreaKind.DISTRICT, code, name, code, None)
            for code, name in district_names.items()
        ]
        records += [
            AreaRecord(
                AreaKind.WARD,
                row["ward_code"],
                row["ward_name"],
                row["district_code"],
                row["district_code"],
            )
            for row in self.wards
        ]
        msoas = {
            row["msoa11_code"]: (row["msoa11_name"], row["district_code"]) for row in self.lsoas
        }
        records += [
            AreaRecord(AreaKind.MSOA, code, name, d, d) for code, (name, d) in msoas.items()
        ]
        lsoa_records = [
            AreaRecord(
                AreaKind.LSOA,
                row["lsoa11_code"],
                row["lsoa11_name"],
                row["district_code"],
                row["msoa11_code"],
            )
            for row in self.lsoas
        ]
        written = areas_upsert(records, vintage="")
        return written + areas_upsert(lsoa_records, vintage="2011")
