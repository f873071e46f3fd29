"""Importing HSDS 1.1 / ORUK v1 tabular data packages (folders and zips)."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from commonweal.directory.models import Location, Organization, Schedule, Service
from commonweal.directory.tests.importers.conftest import FIXTURES, export_json, run
from commonweal.geo.constants import AreaKind
from commonweal.geo.models import Area, Postcode

pytestmark = pytest.mark.django_db


def _thurrock_postcode() -> None:
    Area.objects.create(kind=AreaKind.WARD, code="E05002229", name="Grays Riverside")
    Area.objects.create(kind=AreaKind.LSOA, code="E01015899", name="Thurrock 015A")
    Postcode.objects.create(
        postcode="RM176SL",
        latitude=51.476501,
        longitude=0.323891,
        district_code="E06000034",
        ward_code="E05002229",
        lsoa_code="E01015899",
    )


def _zip(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for file in folder.iterdir():
            archive.write(file, f"export/{file.name}")
    return target


def test_a_package_folder_imports_every_service_with_its_details():
    result = run("directory_import", str(FIXTURES / "hsds"))

    assert "created: 3" in result.out
    larder = Service.objects.get(name="Community larder")
    assert larder.organization.name == "Grays Community Larder"
    assert larder.fees == "£3.50 a visit"
    assert [phone.number for phone in larder.phones.all()] == ["01375 000001"]
    assert [(s.byday, str(s.opens_at)) for s in larder.schedules.all()] == [("FR", "10:00:00")]
    assert [a.taxonomy_term.name for a in larder.attributes.all()] == ["Food"]
    walk = Service.objects.get(name="Riverside walk")
    assert walk.schedules.get().service_at_location.location.name == "Tilbury Fort car park"
    assert walk.contacts.get().phones.get().number == "01375 000002"
    # Two services share one hall: it is imported once.
    assert Location.objects.filter(name="Grays Community Hall").count() == 1


def test_the_exported_json_carries_what_the_package_said(tmp_path: Path):
    run("directory_import", str(FIXTURES / "hsds"))
    _, records = export_json(tmp_path)
    walk = next(record for record in records if record["name"] == "Riverside walk")
    assert walk["organization"]["name"] == "Tilbury Walking Group"
    address = walk["service_at_locations"][0]["location"]["addresses"][0]
    assert (address["address_1"], address["postal_code"]) == ("Fort Road", "RM18 7NR")
    assert walk["schedules"][0]["byday"] == "TU"
    assert walk["attributes"][0]["taxonomy_term"]["name"] == "Physical activity"


def test_a_zip_imports_like_the_folder_and_again_updates_nothing_new(tmp_path: Path):
    archive = _zip(FIXTURES / "hsds", tmp_path / "directory.zip")
    run("directory_import", str(archive))
    again = run("directory_import", str(archive))

    assert "unchanged: 3" in again.out
    assert Service.objects.count() == 3 and Organization.objects.count() == 2


def test_a_changed_row_updates_the_record_it_made(hsds_dir: Path):
    run("directory_import", str(hsds_dir))
    services = (hsds_dir / "services.csv").read_text().replace("Riverside walk", "Riverside stroll")
    (hsds_dir / "services.csv").write_text(services)

    result = run("directory_import", str(hsds_dir))

    assert "updated: 1" in result.out and "unchanged: 2" in result.out
    assert sorted(Service.objects.values_list("name", flat=True)) == [
        "Community larder",
        "Cookery club",
        "Riverside stroll",
    ]


def test_a_thurrock_postcode_sets_the_point_ward_and_lsoa():
    _thurrock_postcode()
    run("directory_import", str(FIXTURES / "hsds"))

    hall = Location.objects.get(name="Grays Community Hall")
    assert hall.postcode == "RM176SL"
    assert (float(hall.latitude), float(hall.longitude)) == (51.476501, 0.323891)
    assert hall.ward.name == "Grays Riverside" and hall.lsoa.code == "E01015899"
    # No postcode row for the fort: the package's own coordinates are kept, with no ward.
    fort = Location.objects.get(name="Tilbury Fort car park")
    assert (float(fort.latitude), float(fort.longitude)) == (51.4527, 0.3731)
    assert fort.ward is None


def test_bad_rows_are_reported_by_file_row_and_field_and_nothing_is_written(hsds_dir: Path):
    addresses = (hsds_dir / "physical_addresses.csv").read_text().replace("RM18 7NR", "NOT A CODE")
    (hsds_dir / "physical_addresses.csv").write_text(addresses)
    schedules = (hsds_dir / "regular_schedules.csv").read_text().replace("Friday", "Caturday")
    (hsds_dir / "regular_schedules.csv").write_text(schedules)
    services = (
        (hsds_dir / "services_taxonomy.csv")
        .read_text()
        .replace("st-3,svc-3,tax-food", "st-3,svc-3,tax-nope")
    )
    (hsds_dir / "services_taxonomy.csv").write_text(services)

    err = io.StringIO()
    with pytest.raises(CommandError, match="3 service record"):
        call_command("directory_import", str(hsds_dir), stdout=io.StringIO(), stderr=err)

    report = err.getvalue()
    assert "physical_addresses.csv row 3, field 'postal_code': bad postcode 'NOT A CODE'" in report
    assert (
        "regular_schedules.csv row 2, field 'weekday': 'Caturday' is not a day of the week"
        in report
    )
    assert (
        "services_taxonomy.csv row 4, field 'taxonomy_term_id': unknown taxonomy term 'tax-nope'"
        in report
    )
    assert Service.objects.count() == 0 and Schedule.objects.count() == 0


def test_partial_writes_the_services_without_problems(hsds_dir: Path):
    services = (hsds_dir / "services.csv").read_text().replace(",active,", ",open,", 1)
    (hsds_dir / "services.csv").write_text(services)

    err = io.StringIO()
    call_command("directory_import", str(hsds_dir), "--partial", stdout=io.StringIO(), stderr=err)

    assert "services.csv row 2, field 'status': 'open' is not one of" in err.getvalue()
    assert sorted(Service.objects.values_list("name", flat=True)) == [
        "Cookery club",
        "Riverside walk",
    ]


def test_a_package_without_datapackage_json_is_refused(hsds_dir: Path):
    (hsds_dir / "datapackage.json").unlink()
    with pytest.raises(CommandError, match="has no datapackage.json"):
        run("directory_import", str(hsds_dir))


def test_wrong_columns_are_named(hsds_dir: Path):
    services = (hsds_dir / "services.csv").read_text().replace("status", "state", 1)
    (hsds_dir / "services.csv").write_text(services)
    with pytest.raises(CommandError, match=r"services.csv lacks the columns status \(it has: id,"):
        run("directory_import", str(hsds_dir))


def test_a_file_named_zip_that_is_not_one_is_refused(tmp_path: Path):
    fake = tmp_path / "directory.zip"
    shutil.copy(FIXTURES / "hsds" / "services.csv", fake)
    with pytest.raises(CommandError, match="neither JSON nor a zip file"):
        run("directory_import", str(fake))


def test_a_field_too_long_for_csv_is_a_readable_report_and_nothing_is_imported(hsds_dir: Path):
    services = (hsds_dir / "services.csv").read_text().splitlines()
    cells = services[2].split(",")
    # A description over the CSV reader's 128 KB limit, on the second service (row 3).
    cells[5] = '"' + "x" * (200 * 1024) + '"'
    services[2] = ",".join(cells)
    (hsds_dir / "services.csv").write_text("\n".join(services) + "\n")

    with pytest.raises(CommandError) as raised:
        run("directory_import", str(hsds_dir))

    message = str(raised.value)
    assert "services.csv row 3 cannot be read as CSV" in message
    assert "a field is longer than 128 KB" in message
    assert "Nothing was imported" in message
    assert "Traceback" not in message
    assert not Service.objects.exists()
    assert not Organization.objects.exists()


def test_a_malformed_header_is_a_readable_report(hsds_dir: Path):
    (hsds_dir / "organizations.csv").write_text('id,"name' + "y" * (200 * 1024) + '",description\n')
    with pytest.raises(CommandError, match=r"organizations.csv row 1 cannot be read as CSV"):
        run("directory_import", str(hsds_dir))
    assert not Service.objects.exists()
