"""The real whole-GB Code-Point Open file from ../shared, restricted to Thurrock."""

from __future__ import annotations

import csv

import pytest
from django.core.management import call_command

from commonweal.geo.constants import AreaKind, ImportStatus
from commonweal.geo.importers import THURROCK_DIR
from commonweal.geo.models import Area, ImportLog, Postcode

pytestmark = pytest.mark.django_db


def test_thurrock_from_the_whole_gb_file(shared_dir):
    archive = shared_dir / "data" / "geo" / "codepo_gb.zip"
    assert archive.is_file(), f"{archive.name} is missing from ../shared/data/geo"
    call_command(
        "geo_import_codepoint", str(archive), "--district", "E06000034", "--quiet", verbosity=0
    )

    log = ImportLog.objects.get()
    assert log.status == ImportStatus.SUCCEEDED and log.release == "2025.2.0"
    assert log.rows_read > 1_700_000
    assert Postcode.objects.count() == log.rows_written == 3275
    assert set(Postcode.objects.values_list("district_code", flat=True)) == {"E06000034"}

    grays = Postcode.objects.get(postcode="RM176SL")
    assert grays.latitude == pytest.approx(51.4756, abs=1e-3)
    assert grays.longitude == pytest.approx(0.3238, abs=1e-3)

    # Every postcode lands within a metre or so of the published extract.
    with (THURROCK_DIR / "postcodes.csv").open(newline="") as handle:
        extract = {row["postcode"].replace(" ", ""): row for row in csv.DictReader(handle)}
    assert set(Postcode.objects.values_list("postcode", flat=True)) == set(extract)
    for postcode in Postcode.objects.all():
        row = extract[postcode.postcode]
        assert postcode.latitude == pytest.approx(float(row["latitude"]), abs=2e-5)
        assert postcode.longitude == pytest.approx(float(row["longitude"]), abs=2e-5)
        assert postcode.ward_code == row["ward_code"]

    district = Area.objects.get(kind=AreaKind.DISTRICT, code="E06000034")
    assert district.name == "Thurrock (B)"
    wards = Area.objects.filter(kind=AreaKind.WARD, parent=district)
    assert wards.count() == 20
    assert wards.filter(code="E05002235", name="Grays Riverside").exists()
