from __future__ import annotations

import zipfile

import pytest
from django.core.management import CommandError, call_command

from commonweal.geo.constants import AreaKind, ImportStatus
from commonweal.geo.exceptions import HeaderMismatchError, ImportFileError
from commonweal.geo.models import Area, ImportLog, Postcode
from commonweal.geo.services import codepoint_import
from commonweal.geo.tests.conftest import CODEPOINT, build_codepoint_zip

pytestmark = pytest.mark.django_db

GOOD_ROWS = 16  # rows in the fixture CSVs with coordinates (two more have positional quality 90)


def _table():
    return sorted(
        Postcode.objects.values_list(
            "postcode",
            "latitude",
            "longitude",
            "easting",
            "northing",
            "positional_quality",
            "district_code",
            "ward_code",
        )
    )


def test_imports_postcodes_areas_and_log(codepoint_zip):
    log = codepoint_import(path=codepoint_zip)
    assert log.status == ImportStatus.SUCCEEDED
    assert (log.source, log.release, log.file_name) == (
        "codepoint_open",
        "2025.2.0",
        "codepo_mini.zip",
    )
    assert (log.rows_read, log.rows_written, log.rows_rejected) == (18, GOOD_ROWS, 2)
    assert "2 skipped: no coordinates (positional quality 90)" in log.message
    assert Postcode.objects.count() == GOOD_ROWS
    grays = Postcode.objects.get(postcode="RM176SL")
    assert grays.latitude == pytest.approx(51.4756, abs=1e-4)
    assert grays.longitude == pytest.approx(0.3238, abs=1e-4)
    assert (grays.easting, grays.northing, grays.positional_quality) == (561480, 177737, 10)
    assert (grays.district_code, grays.ward_code, grays.country_code) == (
        "E06000034",
        "E05002235",
        "E92000001",
    )
    assert not Postcode.objects.filter(postcode__startswith="AB43").exists()
    ward = Area.objects.get(kind=AreaKind.WARD, code="E05002235")
    assert ward.name == "Grays Riverside"  # " Ward" is dropped from the OS name
    assert ward.parent.name == "Thurrock (B)" and ward.vintage == "2025.2.0"
    assert Area.objects.get(code="E09000016").name == "Havering London Boro"
    # A ward the code list does not name keeps its code as name.
    assert Area.objects.get(code="E05013983").name == "E05013983"


def test_reimport_gives_the_same_table(codepoint_zip):
    codepoint_import(path=codepoint_zip)
    first = _table()
    areas = sorted(Area.objects.values_list("kind", "code", "name", "parent__code"))
    codepoint_import(path=codepoint_zip)
    assert _table() == first
    assert sorted(Area.objects.values_list("kind", "code", "name", "parent__code")) == areas
    assert ImportLog.objects.filter(status=ImportStatus.SUCCEEDED).count() == 2


def test_full_import_replaces_postcodes_that_have_gone(codepoint_zip, tmp_path):
    codepoint_import(path=codepoint_zip)
    rm = (CODEPOINT / "Data" / "CSV" / "rm.csv").read_text().splitlines()
    smaller = build_codepoint_zip(
        tmp_path / "smaller.zip", data={"rm.csv": "\n".join(rm[:-1]) + "\n"}
    )
    codepoint_import(path=smaller)
    assert Postcode.objects.count() == GOOD_ROWS - 1


def test_code_point_keeps_lsoa_codes_from_other_sources(codepoint_zip, thurrock):
    codepoint_import(path=codepoint_zip, districts=["E06000034"])
    assert Postcode.objects.get(postcode="RM176SL").lsoa_code == "E01015954"


def test_district_filter(codepoint_zip):
    log = codepoint_import(path=codepoint_zip, districts=["E06000034"])
    assert set(Postcode.objects.values_list("district_code", flat=True)) == {"E06000034"}
    assert Postcode.objects.count() == 10
    assert "outside the chosen districts were left out" in log.message
    assert not Area.objects.filter(code="E06000033").exists()


def test_district_import_leaves_other_districts_alone(codepoint_zip, tmp_path):
    codepoint_import(path=codepoint_zip)
    southend = set(
        Postcode.objects.filter(district_code="E06000033").values_list("postcode", flat=True)
    )
    empty_ss = build_codepoint_zip(tmp_path / "no_ss.zip", data={"ss.csv": ""})
    codepoint_import(path=empty_ss, districts=["E06000034"])
    assert (
        set(Postcode.objects.filter(district_code="E06000033").values_list("postcode", flat=True))
        == southend
    )
    assert not Postcode.objects.filter(
        district_code="E06000034", postcode__startswith="SS"
    ).exists()


def test_header_mismatch_shows_expected_and_found(tmp_path):
    bad = build_codepoint_zip(tmp_path / "bad.zip", headers="PC,PQ,EA,NO,CY,RH,LH,CC,WC\n")
    with pytest.raises(HeaderMismatchError) as raised:
        codepoint_import(path=bad)
    message = str(raised.value)
    assert "Doc/Code-Point_Open_Column_Headers.csv, line 1" in message
    assert "expected: PC, PQ, EA, NO, CY, RH, LH, CC, DC, WC" in message
    assert "found:    PC, PQ, EA, NO, CY, RH, LH, CC, WC" in message
    assert "missing:  DC" in message


@pytest.mark.parametrize(
    ("ss_csv", "expected"),
    [
        (
            '"SS1 1AA",10,588100,185700,"E92000001"\n',
            "Data/CSV/ss.csv, line 1: expected 10 columns, found 5",
        ),
        (
            '"SS1 1AA",10,588100,185700,"E92000001","","","","E06000033","E05002219"\n'
            '"SS1 1AB",10,5881x0,185700,"E92000001","","","","E06000033","E05002219"\n',
            "Data/CSV/ss.csv, line 2: Eastings “5881x0” is not a whole number",
        ),
        (
            '"NOT A POSTCODE",10,1,1,"E92000001","","","","E06000033","E05002219"\n',
            "line 1: “NOT A POSTCODE” is not a postcode",
        ),
    ],
)
def test_bad_rows_fail_with_file_and_line_and_change_nothing(
    codepoint_zip, tmp_path, ss_csv, expected
):
    codepoint_import(path=codepoint_zip)
    before = _table()
    bad = build_codepoint_zip(
        tmp_path / "bad.zip", data={"zz.csv": ss_csv.replace("ss.csv", "zz.csv")}
    )
    with pytest.raises(ImportFileError) as raised:
        codepoint_import(path=bad)
    assert expected.replace("ss.csv", "zz.csv") in str(raised.value)
    assert _table() == before
    failed = ImportLog.objects.get(status=ImportStatus.FAILED)
    assert "zz.csv" in failed.message and failed.finished_at is not None


def test_failure_mid_file_leaves_previous_rows_untouched(codepoint_zip, tmp_path):
    """A bad row after many good ones (in a later batch) must not leave the good ones written."""
    from commonweal.geo.importers import CodePointImporter

    codepoint_import(path=codepoint_zip)
    before = _table()
    good = (CODEPOINT / "Data" / "CSV" / "rm.csv").read_text()
    moved = good.replace(
        "561480,177737", "561000,177000"
    )  # RM17 6SL moves: would be visible if written
    bad = build_codepoint_zip(
        tmp_path / "bad.zip", data={"rm.csv": moved, "zz.csv": '"ZZ1 1ZZ",10\n'}
    )
    importer = CodePointImporter(bad, batch_size=2)
    with pytest.raises(ImportFileError, match="zz.csv, line 1"):
        importer.run()
    assert importer.rows_read > 2  # several batches had been staged before the failure
    assert _table() == before


def test_duplicate_postcodes_are_refused(codepoint_zip, tmp_path):
    rm = (CODEPOINT / "Data" / "CSV" / "rm.csv").read_text()
    bad = build_codepoint_zip(tmp_path / "dup.zip", data={"zz.csv": rm.splitlines()[0] + "\n"})
    with pytest.raises(ImportFileError, match="appears more than once"):
        codepoint_import(path=bad)
    assert Postcode.objects.count() == 0


def test_a_zip_with_a_top_folder_and_an_unzipped_folder_both_work(tmp_path):
    archive = build_codepoint_zip(tmp_path / "nested.zip", top_folder="codepo_gb/")
    assert codepoint_import(path=archive).rows_written == GOOD_ROWS
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(folder)
    assert codepoint_import(path=folder / "codepo_gb").rows_written == GOOD_ROWS


def test_not_a_zip(tmp_path):
    text = tmp_path / "codepo_gb.zip"
    text.write_text("this is not a zip")
    with pytest.raises(ImportFileError, match="codepo_gb.zip: this is not a zip file"):
        codepoint_import(path=text)


def test_a_zip_without_code_point_files(tmp_path):
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("hello.txt", "hello")
    with pytest.raises(ImportFileError, match="Code-Point_Open_Column_Headers.csv is missing"):
        codepoint_import(path=other)


def test_command_prints_counts(codepoint_zip, capsys):
    call_command("geo_import_codepoint", str(codepoint_zip), "--district", "E06000034", "--quiet")
    out = capsys.readouterr().out
    assert "Imported codepo_mini.zip (release 2025.2.0)" in out
    assert "10 postcodes written from 18 rows read" in out


def test_command_turns_bad_input_into_a_command_error(tmp_path):
    missing = tmp_path / "nothing.zip"
    with pytest.raises(
        CommandError, match="Nothing was imported. nothing.zip: there is no such file"
    ):
        call_command("geo_import_codepoint", str(missing), "--quiet")
