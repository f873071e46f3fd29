"""The ONS Postcode Directory (ONSPD): one CSV with a header row, every UK postcode past and present.

Terminated postcodes (``doterm`` set) and postcodes with no grid reference are skipped and counted.
Both the 2011 (``lsoa11``, ``msoa11``) and 2021 (``lsoa21``, ``msoa21``) statistical geographies are
understood; 2021 wins when a file has both.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from typing import IO

from commonweal.geo.constants import AreaKind
from commonweal.geo.exceptions import HeaderMismatchError, ImportFileError
from commonweal.geo.importers.areas import AreaRecord, areas_upsert
from commonweal.geo.importers.base import (
    PostcodeImporter,
    check_required_columns,
    parse_float,
    parse_int,
)
from commonweal.geo.importers.writer import PostcodeRow

REQUIRED = ["pcds", "lat", "long", "oslaua", "osward", "doterm"]
NO_LATITUDE = 99.999999  # ONSPD's value when a postcode has no grid reference


class OnspdImporter(PostcodeImporter):
    source = "onspd"

    _zip: zipfile.ZipFile | None = None
    _handle: io.TextIOWrapper | None = None

    def _open_stream(self) -> tuple[str, IO[bytes]]:
        path = self.path
        if not path.is_file():
            raise ImportFileError("there is no such file.", file=path.name)
        if zipfile.is_zipfile(path):
            self._zip = zipfile.ZipFile(path)
            names = [
                name
                for name in self._zip.namelist()
                if name.lower().endswith(".csv")
                and "/data/" in "/" + name.lower()
                and "onspd" in name.lower()
            ]
            if len(names) != 1:
                raise ImportFileError(
                    "the zip should hold exactly one Data/ONSPD_*.csv; give the CSV file itself instead.",
                    file=path.name,
                )
            return names[0], self._zip.open(names[0])
        return path.name, path.open("rb")

    def open(self) -> None:
        name, raw = self._open_stream()
        self.current_file = name
        self._handle = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")
        self._reader = csv.reader(self._handle)
        try:
            header = [column.strip().lower() for column in next(self._reader, [])]
        except (UnicodeDecodeError, csv.Error) as exc:
            raise ImportFileError("the first line is not a CSV header.", file=name, line=1) from exc
        check_required_columns(required=REQUIRED, found=header, file=name)
        lsoa = "lsoa21" if "lsoa21" in header else "lsoa11"
        msoa = "msoa21" if "msoa21" in header else "msoa11"
        for column in (lsoa, msoa):
            if column not in header:
                raise HeaderMismatchError(
                    expected=[*REQUIRED, "lsoa21 or lsoa11", "msoa21 or msoa11"],
                    found=header,
                    file=name,
                )
        self.release = _release_from_name(name)
        index = {column: header.index(column) for column in header}
        self._columns = (
            index["pcds"],
            index["lat"],
            index["long"],
            index.get("oseast1m"),
            index.get("osnrth1m"),
            index.get("osgrdind"),
            index.get("ctry"),
            index["oslaua"],
            index["osward"],
            index[lsoa],
            index[msoa],
            index["doterm"],
        )
        self._width = len(header)
        self.ward_district: dict[str, str] = {}
        self.msoa_district: dict[str, str] = {}
        self.lsoa_msoa: dict[str, tuple[str, str]] = {}

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        if self._zip is not None:
            self._zip.close()
            self._zip = None

    def batches(self) -> Iterator[list[PostcodeRow]]:
        name = self.current_file
        reader = self._reader
        (
            pcds,
            lat_i,
            lon_i,
            east_i,
            north_i,
            grid_i,
            ctry_i,
            la_i,
            ward_i,
            lsoa_i,
            msoa_i,
            doterm_i,
        ) = self._columns
        districts = self.districts
        batch: list[PostcodeRow] = []
        try:
            for row in reader:
                if not row:
                    continue
                line = reader.line_num
                self.rows_read += 1
                if len(row) != self._width:
                    raise ImportFileError(
                        f"expected {self._width} columns, found {len(row)} (is the file cut short?).",
                        file=name,
                        line=line,
                    )
                if row[doterm_i].strip():
                    self.skip("terminated postcodes")
                    continue
                district = row[la_i].strip()
                if districts and district not in districts:
                    self.rows_filtered += 1
                    continue
                latitude_text, longitude_text = row[lat_i].strip(), row[lon_i].strip()
                if not latitude_text or not longitude_text:
                    self.skip("no coordinates")
                    continue
                latitude = parse_float(latitude_text, field="lat", file=name, line=line)
                longitude = parse_float(longitude_text, field="long", file=name, line=line)
                grid = _optional_int(row, grid_i, field="osgrdind", file=name, line=line)
                if abs(latitude - NO_LATITUDE) < 1e-6 or grid == 9:
                    self.skip("no coordinates")
                    continue
                canonical = row[pcds].replace(" ", "").upper()
                if not 5 <= len(canonical) <= 7:
                    raise ImportFileError(f"“{row[pcds]}” is not a postcode.", file=name, line=line)
                ward, lsoa, msoa = row[ward_i].strip(), row[lsoa_i].strip(), row[msoa_i].strip()
                if ward:
                    self.ward_district[ward] = district
                if msoa:
                    self.msoa_district[msoa] = district
                if lsoa:
                    self.lsoa_msoa[lsoa] = (msoa, district)
                batch.append(
                    (
                        canonical,
                        round(latitude, 6),
                        round(longitude, 6),
                        _optional_int(row, east_i, field="oseast1m", file=name, line=line),
                        _optional_int(row, north_i, field="osnrth1m", file=name, line=line),
                        grid,
                        row[ctry_i].strip() if ctry_i is not None else "",
                        district,
                        ward,
                        lsoa,
                        msoa,
                    )
                )
                if len(batch) >= self.batch_size:
                    self.current_line = line
                    yield batch
                    batch = []
        except csv.Error as exc:
            raise ImportFileError(
                f"the CSV cannot be read ({exc}).", file=name, line=reader.line_num
            ) from exc
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                "the file is not UTF-8 text.", file=name, line=reader.line_num + 1
            ) from exc
        self.current_line = reader.line_num
        if batch:
            yield batch

    def write_areas(self) -> int:
        """Make sure every area code the postcodes name exists (ONSPD has codes, not names)."""
        districts = set(self.ward_district.values()) | set(self.msoa_district.values())
        records = [
            AreaRecord(AreaKind.DISTRICT, code, "", code, None)
            for code in sorted(districts)
            if code
        ]
        records += [
            AreaRecord(AreaKind.MSOA, c, "", d, d) for c, d in sorted(self.msoa_district.items())
        ]
        records += [
            AreaRecord(AreaKind.WARD, c, "", d, d) for c, d in sorted(self.ward_district.items())
        ]
        records += [
            AreaRecord(AreaKind.LSOA, c, "", d, m) for c, (m, d) in sorted(self.lsoa_msoa.items())
        ]
        return areas_upsert(records, vintage=self.release)


def _optional_int(
    row: list[str], index: int | None, *, field: str, file: str, line: int
) -> int | None:
    if index is None:
        return None
    value = row[index].strip()
    if not value:
        return None
    return parse_int(value, field=field, file=file, line=line)


def _release_from_name(name: str) -> str:
    """ "ONSPD_MAY_2025_UK.csv" -> "MAY_2025"; other names give no release."""
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    parts = stem.split("_")
    if len(parts) >= 3 and parts[0].upper() == "ONSPD":
        return "_".join(parts[1:3]).upper()
    return ""
