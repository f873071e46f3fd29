"""OS Code-Point Open: every GB postcode unit with its grid reference, district and ward.

The product is a zip (or the unzipped folder) with ``Data/CSV/*.csv`` (no header row), the column names
in ``Doc/Code-Point_Open_Column_Headers.csv``, area names in ``Doc/Codelist.xlsx`` and the release in
``Doc/metadata.txt``. Eastings and northings are converted to WGS84 with pyproj, one batch at a time.
"""

from __future__ import annotations

import csv
import io
import zipfile
from array import array
from collections.abc import Callable, Iterator
from itertools import islice, repeat
from pathlib import Path
from typing import IO, Any, NoReturn

from openpyxl import load_workbook

from commonweal.geo.constants import AreaKind
from commonweal.geo.exceptions import ImportFileError
from commonweal.geo.importers.areas import AreaRecord, areas_upsert
from commonweal.geo.importers.base import PostcodeImporter, StagedBatch, check_header, gc_paused
from commonweal.geo.importers.coordinates import grid_to_wgs84

HEADERS_FILE = "Doc/Code-Point_Open_Column_Headers.csv"
CODELIST_FILE = "Doc/Codelist.xlsx"
METADATA_FILE = "Doc/metadata.txt"
DATA_FOLDER = "Data/CSV/"
COLUMNS = ["PC", "PQ", "EA", "NO", "CY", "RH", "LH", "CC", "DC", "WC"]
NO_COORDINATES_TEXT = "90"  # positional quality 90: no coordinates available

# Codelist.xlsx sheets (their descriptions are in the AREA_CODES sheet).
DISTRICT_SHEETS = {"DIS", "LBO", "MTD", "UTA"}
WARD_SHEETS = {"DIW", "LBW", "MTW", "UTW", "UTE"}


def _numbers_ok(row: list[str]) -> bool:
    try:
        int(row[1]), int(row[2]), int(row[3])
    except ValueError:
        return False
    return True


def _number_message(row: list[str]) -> str:
    for index, label in ((1, "Positional quality"), (2, "Eastings"), (3, "Northings")):
        try:
            int(row[index])
        except ValueError:
            return f"{label} “{row[index]}” is not a whole number."
    return "a number cannot be read."


def _width_message(row: list[str]) -> str:
    return f"expected {len(COLUMNS)} columns, found {len(row)} (is the file cut short?)."


def _postcode_message(row: list[str]) -> str:
    return f"“{row[0]}” is not a postcode."


def _raise_at_first(
    name: str,
    chunk: list[list[str]],
    first_line: int,
    ok: Callable[[list[str]], bool],
    message: Callable[[list[str]], str],
) -> NoReturn:
    """The slow path: find the first row that is not ``ok`` and name its line."""
    for offset, row in enumerate(chunk):
        if not ok(row):
            raise ImportFileError(message(row), file=name, line=first_line + offset)
    raise ImportFileError("a row cannot be read.", file=name, line=first_line)


class _Container:
    """A zip file or a folder, addressed by the product's relative paths (with or without a top folder)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        names: list[str]
        if path.is_dir():
            names = [p.relative_to(path).as_posix() for p in sorted(path.rglob("*")) if p.is_file()]
        elif path.is_file() and zipfile.is_zipfile(path):
            try:
                self.zip = zipfile.ZipFile(path)
                names = [info.filename for info in self.zip.infolist() if not info.is_dir()]
            except (zipfile.BadZipFile, OSError) as exc:
                raise ImportFileError(
                    f"the zip file cannot be read ({exc}).", file=path.name
                ) from exc
        elif path.exists():
            raise ImportFileError(
                "this is not a zip file or a folder of Code-Point Open.", file=path.name
            )
        else:
            raise ImportFileError("there is no such file or folder.", file=str(path.name))
        self.names = names

    def find(self, relative: str) -> str | None:
        wanted = relative.lower()
        for name in self.names:
            lowered = name.lower()
            if lowered == wanted or lowered.endswith("/" + wanted):
                return name
        return None

    def require(self, relative: str) -> str:
        name = self.find(relative)
        if name is None:
            raise ImportFileError(
                f"{relative} is missing: is this Code-Point Open?", file=self.path.name
            )
        return name

    def data_files(self) -> list[str]:
        marker = DATA_FOLDER.lower()
        return sorted(
            name
            for name in self.names
            if name.lower().endswith(".csv")
            and (name.lower().startswith(marker) or "/" + marker in name.lower())
        )

    def open_binary(self, name: str) -> IO[bytes]:
        if self.zip is not None:
            return self.zip.open(name)
        return (self.path / name).open("rb")

    def open_text(self, name: str) -> io.TextIOWrapper:
        return io.TextIOWrapper(
            self.open_binary(name), encoding="utf-8-sig", errors="replace", newline=""
        )

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()


def _clean_ward_name(name: str) -> str:
    name = name.strip()
    return name[: -len(" Ward")] if name.endswith(" Ward") else name


class CodePointImporter(PostcodeImporter):
    source = "codepoint_open"
    # Code-Point Open knows nothing of LSOAs and MSOAs: keep what ONSPD or the demo set.
    update_columns = (
        "latitude",
        "longitude",
        "easting",
        "northing",
        "positional_quality",
        "country_code",
        "district_code",
        "ward_code",
    )

    container: _Container | None = None

    def open(self) -> None:
        self.container = container = _Container(self.path)
        headers_name = container.require(HEADERS_FILE)
        with container.open_text(headers_name) as handle:
            first = next(csv.reader(handle), [])
        check_header(expected=COLUMNS, found=first, file=headers_name)
        self.data_names = container.data_files()
        if not self.data_names:
            raise ImportFileError(f"there are no CSV files in {DATA_FOLDER}.", file=self.path.name)
        self.release = self._read_release()
        self.names_by_code, self.kinds_by_code = self._read_codelist()
        self.district_of_ward: dict[str, str] = {}
        self.districts_seen: set[str] = set()

    def close(self) -> None:
        if self.container is not None:
            self.container.close()
            self.container = None

    def _read_release(self) -> str:
        assert self.container is not None
        name = self.container.find(METADATA_FILE)
        if name is None:
            return ""
        with self.container.open_text(name) as handle:
            for line in handle:
                key, _, value = line.partition(":")
                if key.strip().upper() == "DATASET VERSION NUMBER":
                    return value.strip()
        return ""

    def _read_codelist(self) -> tuple[dict[str, str], dict[str, AreaKind]]:
        assert self.container is not None
        name = self.container.require(CODELIST_FILE)
        names: dict[str, str] = {}
        kinds: dict[str, AreaKind] = {}
        with self.container.open_binary(name) as raw:
            try:
                workbook = load_workbook(io.BytesIO(raw.read()), read_only=True, data_only=True)
            except Exception as exc:  # openpyxl raises many kinds for a damaged file
                raise ImportFileError(
                    f"the spreadsheet cannot be read ({exc}).", file=name
                ) from exc
        try:
            for sheet in workbook.worksheets:
                title = sheet.title.strip().upper()
                if title in DISTRICT_SHEETS:
                    kind = AreaKind.DISTRICT
                elif title in WARD_SHEETS:
                    kind = AreaKind.WARD
                else:
                    continue
                for row in sheet.iter_rows(values_only=True):
                    if len(row) < 2 or not row[0] or not row[1]:
                        continue
                    code = str(row[1]).strip().upper()
                    label = str(row[0]).strip()
                    names[code] = _clean_ward_name(label) if kind == AreaKind.WARD else label
                    kinds[code] = kind
        finally:
            workbook.close()
        return names, kinds

    def batches(self) -> Iterator[StagedBatch]:
        assert self.container is not None
        for name in self.data_names:
            self.current_file = name
            with self.container.open_text(name) as handle:
                yield from self._file_batches(name, handle)

    def _file_batches(self, name: str, handle: io.TextIOWrapper) -> Iterator[StagedBatch]:
        """Read ``batch_size`` rows at a time and work on whole columns (the file is never read whole).

        The fast path converts columns with ``map``; only when it meets a bad value does it walk the
        rows one by one to name the line.
        """
        reader = csv.reader(handle)
        # Many small lists are made and dropped at once: the cycle collector only slows that down.
        with gc_paused():
            yield from self._chunks(name, reader)

    def _chunks(self, name: str, reader: Any) -> Iterator[StagedBatch]:
        while True:
            first_line = reader.line_num + 1
            try:
                chunk = list(islice(reader, self.batch_size))
            except csv.Error as exc:
                raise ImportFileError(
                    f"the CSV cannot be read ({exc}).", file=name, line=reader.line_num
                ) from exc
            except UnicodeDecodeError as exc:
                raise ImportFileError(
                    "the file is not text.", file=name, line=reader.line_num + 1
                ) from exc
            if not chunk:
                return
            self.rows_read += len(chunk)
            self.current_line = reader.line_num
            batch = self._chunk_batch(name, chunk, first_line)
            if batch is not None:
                yield batch

    def _chunk_batch(
        self, name: str, chunk: list[list[str]], first_line: int
    ) -> StagedBatch | None:
        if set(map(len, chunk)) != {len(COLUMNS)}:
            _raise_at_first(
                name, chunk, first_line, lambda row: len(row) == len(COLUMNS), _width_message
            )
        rows = chunk
        if self.districts:
            districts = self.districts
            rows = [row for row in rows if row[8] in districts]
            self.rows_filtered += len(chunk) - len(rows)
            if not rows:
                return None
        if any(row[1] == NO_COORDINATES_TEXT for row in rows):
            kept = [row for row in rows if row[1] != NO_COORDINATES_TEXT]
            self.skip("no coordinates (positional quality 90)", len(rows) - len(kept))
            rows = kept
            if not rows:
                return None
        (
            postcodes,
            qualities_text,
            eastings_text,
            northings_text,
            countries,
            _rh,
            _lh,
            _cc,
            districts_col,
            wards,
        ) = zip(*rows, strict=True)
        try:
            qualities = list(map(int, qualities_text))
            easting_ints = list(map(int, eastings_text))
            northing_ints = list(map(int, northings_text))
        except ValueError:
            _raise_at_first(name, chunk, first_line, _numbers_ok, _number_message)
            raise
        eastings, northings = array("d", easting_ints), array("d", northing_ints)
        canonical = [postcode.replace(" ", "").upper() for postcode in postcodes]
        if min(map(len, canonical)) < 5 or max(map(len, canonical)) > 7:
            _raise_at_first(
                name,
                chunk,
                first_line,
                lambda row: 5 <= len(row[0].replace(" ", "")) <= 7,
                _postcode_message,
            )
        longitudes, latitudes = grid_to_wgs84(eastings, northings)
        self.districts_seen.update(districts_col)
        self.district_of_ward.update(zip(wards, districts_col, strict=True))
        blank = repeat("")
        return StagedBatch(
            rows=zip(
                canonical,
                latitudes,
                longitudes,
                easting_ints,
                northing_ints,
                qualities,
                countries,
                districts_col,
                wards,
                blank,
                blank,
                strict=False,  # ``blank`` repeats for ever
            ),
            count=len(canonical),
        )

    def write_areas(self) -> int:
        records: list[AreaRecord] = []
        for code in sorted(code for code in self.districts_seen if code):
            records.append(
                AreaRecord(AreaKind.DISTRICT, code, self.names_by_code.get(code, ""), code, None)
            )
        for ward, district in sorted(self.district_of_ward.items()):
            if not ward:
                continue
            records.append(
                AreaRecord(
                    AreaKind.WARD, ward, self.names_by_code.get(ward, ""), district, district
                )
            )
        return areas_upsert(records, vintage=self.release)
