from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CODEPOINT = FIXTURES / "codepoint"

AREA_CODES = [
    ("CTY", "County"),
    ("DIS", "District"),
    ("LBO", "London Borough"),
    ("LBW", "London Borough Ward"),
    ("UTA", "Unitary Authority"),
    ("UTW", "Unitary Authority Ward"),
]


def codelist_xlsx(path: Path) -> Path:
    """Doc/Codelist.xlsx in the shape OS ships it, built from the small codelist.csv fixture."""
    workbook = Workbook()
    workbook.active.title = "AREA_CODES"
    for row in AREA_CODES:
        workbook.active.append(row)
    sheets: dict[str, list[tuple[str, str]]] = {}
    with (CODEPOINT / "codelist.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            sheets.setdefault(row["sheet"], []).append((row["name"], row["code"]))
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def build_codepoint_zip(
    target: Path,
    *,
    data: dict[str, str] | None = None,
    headers: str | None = None,
    top_folder: str = "",
) -> Path:
    """A mini Code-Point Open zip from the committed fixtures; ``data`` replaces or adds CSV files."""
    codelist = codelist_xlsx(target.parent / "Codelist.xlsx")
    files = {
        f"Data/CSV/{p.name}": p.read_text()
        for p in sorted((CODEPOINT / "Data" / "CSV").glob("*.csv"))
    }
    files.update({f"Data/CSV/{name}": text for name, text in (data or {}).items()})
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(top_folder + name, text)
        headers_text = (
            headers
            if headers is not None
            else (CODEPOINT / "Doc" / "Code-Point_Open_Column_Headers.csv").read_text()
        )
        archive.writestr(top_folder + "Doc/Code-Point_Open_Column_Headers.csv", headers_text)
        archive.writestr(
            top_folder + "Doc/metadata.txt", (CODEPOINT / "Doc" / "metadata.txt").read_text()
        )
        archive.write(codelist, top_folder + "Doc/Codelist.xlsx")
    return target


@pytest.fixture
def codepoint_zip(tmp_path: Path) -> Path:
    return build_codepoint_zip(tmp_path / "codepo_mini.zip")


@pytest.fixture
def onspd_csv() -> Path:
    return FIXTURES / "onspd_mini.csv"


@pytest.fixture
def thurrock(db):
    from commonweal.geo.services import demo_geography_load

    return demo_geography_load()
