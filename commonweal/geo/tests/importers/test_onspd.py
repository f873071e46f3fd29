from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from commonweal.geo.constants import AreaKind, ImportStatus
from commonweal.geo.exceptions import HeaderMismatchError, ImportFileError
from commonweal.geo.models import Area, ImportLog, Postcode
from commonweal.geo.services import onspd_import

pytestmark = pytest.mark.django_db


def _table():
    return sorted(
        Postcode.objects.values_list(
            "postcode", "latitude", "longitude", "ward_code", "lsoa_code", "msoa_code"
        )
    )


def test_imports_current_postcodes_with_lsoa_and_msoa(onspd_csv):
    log = onspd_import(path=onspd_csv)
    assert log.status == ImportStatus.SUCCEEDED and log.source == "onspd"
    assert (log.rows_read, log.rows_written, log.rows_rejected) == (6, 4, 2)
    assert "1 skipped: terminated postcodes" in log.message
    assert "1 skipped: no coordinates" in log.message
    assert set(Postcode.objects.values_list("postcode", flat=True)) == {
        "RM176SL",
        "RM176SA",
        "RM162AA",
        "SS11AA",
    }
    grays = Postcode.objects.get(postcode="RM176SL")
    assert (grays.latitude, grays.longitude) == (51.47555, 0.323813)
    assert (grays.ward_code, grays.lsoa_code, grays.msoa_code, grays.district_code) == (
        "E05002235",
        "E01015954",
        "E02003312",
        "E06000034",
    )
    assert (grays.easting, grays.northing, grays.positional_quality) == (561480, 177737, 1)
    # Every code named gets an area row, with its parent.
    lsoa = Area.objects.get(kind=AreaKind.LSOA, code="E01015954")
    assert lsoa.parent.code == "E02003312" and lsoa.parent.parent.code == "E06000034"


def test_onspd_does_not_rename_known_areas(onspd_csv, thurrock):
    onspd_import(path=onspd_csv)
    assert Area.objects.get(kind=AreaKind.WARD, code="E05002235").name == "Grays Riverside"


def test_idempotent(onspd_csv):
    onspd_import(path=onspd_csv)
    first = _table()
    onspd_import(path=onspd_csv)
    assert _table() == first
    assert ImportLog.objects.filter(source="onspd", status=ImportStatus.SUCCEEDED).count() == 2


def test_district_filter(onspd_csv):
    onspd_import(path=onspd_csv, districts=["E06000033"])
    assert list(Postcode.objects.values_list("postcode", flat=True)) == ["SS11AA"]


def test_header_mismatch(tmp_path):
    bad = tmp_path / "ONSPD_MAY_2025_UK.csv"
    bad.write_text("pcds,latitude,longitude,oslaua\nRM17 6SL,51.4,0.3,E06000034\n")
    with pytest.raises(HeaderMismatchError) as raised:
        onspd_import(path=bad)
    message = str(raised.value)
    assert "ONSPD_MAY_2025_UK.csv, line 1" in message
    assert "missing:  lat, long, osward, doterm" in message


def test_bad_number_fails_with_line_and_changes_nothing(onspd_csv, tmp_path):
    onspd_import(path=onspd_csv)
    before = _table()
    lines = onspd_csv.read_text().splitlines()
    lines[2] = lines[2].replace("51.476654", "fifty-one")
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(ImportFileError, match="bad.csv, line 3: lat “fifty-one” is not a number"):
        onspd_import(path=bad)
    assert _table() == before
    assert ImportLog.objects.filter(status=ImportStatus.FAILED).count() == 1


def test_truncated_file(onspd_csv, tmp_path):
    text = onspd_csv.read_text()
    bad = tmp_path / "cut.csv"
    bad.write_text(text[: text.index("RM162AA") + 40])
    with pytest.raises(CommandError, match="cut.csv, line 5: expected 47 columns"):
        call_command("geo_import_onspd", str(bad), "--quiet")
    assert Postcode.objects.count() == 0


def test_release_comes_from_the_file_name(onspd_csv, tmp_path):
    named = tmp_path / "ONSPD_MAY_2025_UK.csv"
    named.write_bytes(onspd_csv.read_bytes())
    assert onspd_import(path=named).release == "MAY_2025"
