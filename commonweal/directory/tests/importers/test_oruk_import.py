"""Importing ORUK 3.0 JSON files: round trip, re-import, atomicity, reports, --partial, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from commonweal.directory.constants import Publication
from commonweal.directory.models import Location, Organization, Schedule, Service
from commonweal.directory.tests.factories import full_service
from commonweal.directory.tests.importers.conftest import export_json, run

pytestmark = pytest.mark.django_db


def _comparable(value):
    """Drop what an import does not carry over: modification times, attribute link ids, outcomes."""
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    if isinstance(value, dict):
        dropped = {"last_modified", "commonweal_intended_outcomes"}
        if "link_type" in value:
            dropped.add("id")
        return {key: _comparable(item) for key, item in value.items() if key not in dropped}
    return value


def _wipe() -> None:
    Service.objects.all().delete()
    Location.objects.all().delete()
    Organization.objects.all().delete()


def test_our_own_json_export_imports_back_as_the_same_services(tmp_path: Path):
    full_service(name="Grays larder")
    full_service(name="Tilbury walk")
    path, before = export_json(tmp_path)
    assert len(before) == 2
    _wipe()

    result = run("directory_import", str(path))

    assert "created: 2" in result.out
    _, after = export_json(tmp_path, "again.json")
    assert _comparable(after) == _comparable(before)


def test_importing_the_same_file_again_updates_instead_of_duplicating(tmp_path: Path):
    full_service(name="Grays larder")
    path, records = export_json(tmp_path)
    _wipe()
    run("directory_import", str(path))

    again = run("directory_import", str(path))
    assert "unchanged: 1" in again.out

    records[0]["name"] = "Grays community larder"
    path.write_text(json.dumps(records))
    changed = run("directory_import", str(path))

    assert "updated: 1" in changed.out
    assert list(Service.objects.values_list("name", flat=True)) == ["Grays community larder"]
    assert Organization.objects.count() == 1


def test_a_listing_withdrawn_here_stays_withdrawn_when_its_source_is_imported_again(
    tmp_path: Path,
):
    full_service(name="Grays larder")
    path, records = export_json(tmp_path)
    _wipe()
    run("directory_import", str(path))
    Service.objects.update(publication=Publication.WITHDRAWN)  # merged into another listing

    records[0]["description"] = "Now open on Saturdays too."
    path.write_text(json.dumps(records))
    run("directory_import", str(path))

    service = Service.objects.get()
    assert service.description == "Now open on Saturdays too."
    assert service.publication == Publication.WITHDRAWN


def test_a_bad_record_in_the_middle_leaves_the_database_unchanged(tmp_path: Path):
    for name in ("Alpha", "Bravo", "Charlie"):
        full_service(name=name)
    path, records = export_json(tmp_path)
    _wipe()
    records[1]["schedules"][0]["opens_at"] = "25:99"
    del records[1]["name"]
    path.write_text(json.dumps({"contents": records}))

    with pytest.raises(CommandError, match="nothing was written"):
        run("directory_import", str(path))

    assert Service.objects.count() == 0 and Schedule.objects.count() == 0


def test_the_report_names_file_pointer_and_field(tmp_path: Path, capsys):
    full_service(name="Alpha")
    path, records = export_json(tmp_path)
    _wipe()
    records[0]["id"] = "not-a-uuid"
    records[0]["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] = "XX 99"
    path.write_text(json.dumps({"contents": records}))

    from io import StringIO

    from django.core.management import call_command

    err = StringIO()
    with pytest.raises(CommandError):
        call_command("directory_import", str(path), stdout=StringIO(), stderr=err)

    report = err.getvalue()
    assert "export.json /contents/0, field 'id': bad UUID 'not-a-uuid'" in report
    assert (
        "export.json /contents/0/service_at_locations/0/location/addresses/0, "
        "field 'postal_code': bad postcode 'XX 99'" in report
    )


def test_partial_writes_the_good_records_and_reports_the_rest(tmp_path: Path):
    for name in ("Alpha", "Bravo"):
        full_service(name=name)
    path, records = export_json(tmp_path)
    _wipe()
    records[0]["assured_date"] = "31/02/2024"
    path.write_text(json.dumps(records))

    from io import StringIO

    from django.core.management import call_command

    out, err = StringIO(), StringIO()
    call_command("directory_import", str(path), "--partial", stdout=out, stderr=err)

    assert "created: 1" in out.getvalue() and "rejected: 1" in out.getvalue()
    assert "export.json /0, field 'assured_date': bad date '31/02/2024'" in err.getvalue()
    assert list(Service.objects.values_list("name", flat=True)) == ["Bravo"]


def test_dry_run_writes_nothing(tmp_path: Path):
    full_service(name="Alpha")
    path, _ = export_json(tmp_path)
    _wipe()
    result = run("directory_import", str(path), "--dry-run")
    assert "would be created: 1" in result.out
    assert Service.objects.count() == 0


def test_imported_services_are_published_unless_the_source_says_otherwise(tmp_path: Path):
    full_service(name="Alpha")
    full_service(name="Bravo")
    path, records = export_json(tmp_path)
    _wipe()
    records[1]["commonweal_publication"] = "draft"
    path.write_text(json.dumps(records))
    run("directory_import", str(path))
    assert dict(Service.objects.values_list("name", "publication")) == {
        "Alpha": Publication.PUBLISHED,
        "Bravo": Publication.DRAFT,
    }


def test_an_unknown_taxonomy_term_is_rejected(tmp_path: Path):
    full_service(name="Alpha")
    path, records = export_json(tmp_path)
    _wipe()
    records[0]["attributes"] = [{"taxonomy_term_id": "0b7a3c1e-8a4c-4a77-9a55-0d2f4f1b2c3d"}]
    path.write_text(json.dumps(records))
    from io import StringIO

    from django.core.management import call_command

    err = StringIO()
    with pytest.raises(CommandError):
        call_command("directory_import", str(path), stdout=StringIO(), stderr=err)
    assert "unknown taxonomy term '0b7a3c1e-8a4c-4a77-9a55-0d2f4f1b2c3d'" in err.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "is not valid JSON"),
        (b"\x00\x01\x02 plain bytes", "neither JSON nor a zip file"),
        (b'{"hello": "world"}', "expected an ORUK service"),
    ],
)
def test_unreadable_files_give_a_readable_error(tmp_path: Path, content: bytes, message: str):
    path = tmp_path / "feed.dat"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run("directory_import", str(path))


def test_a_missing_file_gives_a_readable_error(tmp_path: Path):
    with pytest.raises(CommandError, match="does not exist"):
        run("directory_import", str(tmp_path / "nowhere.json"))


def test_a_batch_of_new_services_leaves_one_audit_entry_naming_each_service(tmp_path: Path):
    from commonweal.core.models import AuditEntry
    from commonweal.directory.constants import DirectoryAuditKind

    for name in ("Alpha", "Bravo", "Charlie"):
        full_service(name=name)
    path, _ = export_json(tmp_path)
    _wipe()
    AuditEntry.objects.all().delete()

    run("directory_import", str(path))

    (entry,) = AuditEntry.objects.filter(kind=DirectoryAuditKind.IMPORT_BATCH_CREATED)
    assert sorted(entry.after["services"]) == sorted(
        str(pk) for pk in Service.objects.values_list("public_id", flat=True)
    )
    assert entry.after["source"] == path.name


def test_a_batch_with_a_record_the_database_refuses_is_written_one_by_one_alike(tmp_path: Path):
    """A name too long for the table passes the file's checks but not the model's: the batch is
    written record by record instead, and what it stores is what the batch would have stored."""
    for name in ("Alpha", "Bravo", "Charlie"):
        full_service(name=name)
    path, records = export_json(tmp_path)
    _wipe()
    run("directory_import", str(path))
    _, batched = export_json(tmp_path, "batched.json")
    _wipe()

    spoiled = json.loads(json.dumps(records[1]))
    spoiled["id"] = "6f1c1b6e-8b51-4b6e-9a1e-2d7c3f0a9b10"
    spoiled["name"] = "x" * 300
    path.write_text(json.dumps([*records, spoiled]))
    result = run("directory_import", str(path), "--partial")

    assert "created: 3" in result.out and "rejected: 1" in result.out
    assert "field 'name'" in result.err
    _, careful = export_json(tmp_path, "careful.json")
    assert _comparable(careful) == _comparable(batched)
