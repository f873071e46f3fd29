"""Read an HSDS 1.1 / ORUK v1 tabular data package (a folder or zip with datapackage.json and CSVs).

Rows are gathered into ORUK 3.0 service records; each nested object remembers its file and row, so
problems are reported against the CSV row they come from. Files the package does not have are empty.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from commonweal.directory.importers.records import Rejection, ServiceRecord, SourceError, Where

Row = dict[str, Any]

# Resource name -> (default file, the columns it must have).
RESOURCES: dict[str, tuple[str, tuple[str, ...]]] = {
    "organization": ("organizations.csv", ("id", "name", "description")),
    "service": ("services.csv", ("id", "organization_id", "name", "status")),
    "location": ("locations.csv", ("id",)),
    "service_at_location": ("services_at_location.csv", ("id", "service_id", "location_id")),
    "phone": ("phones.csv", ("id", "number")),
    "contact": ("contacts.csv", ("id",)),
    "physical_address": (
        "physical_addresses.csv",
        ("id", "location_id", "address_1", "city", "state_province", "postal_code", "country"),
    ),
    "regular_schedule": ("regular_schedules.csv", ("id", "weekday")),
    "taxonomy": ("taxonomy.csv", ("id", "name")),
    "service_taxonomy": ("services_taxonomy.csv", ("id", "service_id", "taxonomy_id")),
    "language": ("languages.csv", ("id", "language")),
    "funding": ("funding.csv", ("id", "source")),
    "service_area": ("service_areas.csv", ("id", "service_id")),
    "accessibility_for_disabilities": ("accessibility_for_disabilities.csv", ("id", "location_id")),
}
REQUIRED_RESOURCES = ("organization", "service")
ALTERNATIVE_FILES = {"service_taxonomy": ("service_taxonomy.csv",)}
WEEKDAYS = {
    "monday": "MO",
    "tuesday": "TU",
    "wednesday": "WE",
    "thursday": "TH",
    "friday": "FR",
    "saturday": "SA",
    "sunday": "SU",
}


class _Package:
    """A folder or a zip file, read by relative path."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        self.prefix = ""
        if path.is_dir():
            return
        if not zipfile.is_zipfile(path):
            raise SourceError(f"{path.name} is not a zip file, a folder or an ORUK JSON file.")
        self.zip = zipfile.ZipFile(path)
        names = self.zip.namelist()
        descriptors = sorted(
            (n for n in names if n.rsplit("/", 1)[-1] == "datapackage.json"), key=len
        )
        if descriptors:
            self.prefix = descriptors[0][: -len("datapackage.json")]

    def read(self, name: str) -> bytes | None:
        if self.zip is not None:
            try:
                return self.zip.read(self.prefix + name)
            except KeyError:
                return None
        file = self.path / name
        return file.read_bytes() if file.is_file() else None


def _rows(package: _Package, file: str, required: tuple[str, ...]) -> list[tuple[Row, Where]]:
    raw = package.read(file)
    if raw is None:
        return []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SourceError(f"{file} is not UTF-8 text.") from error
    reader = csv.DictReader(io.StringIO(text))
    # Row 1 is the header, so the first record is row 2, as a spreadsheet shows it.
    number, header_read = 1, False
    try:
        header = [name.strip() for name in reader.fieldnames or []]
        header_read = True
        missing = [name for name in required if name not in header]
        if missing:
            raise SourceError(
                f"{file} lacks the columns {', '.join(missing)} "
                f"(it has: {', '.join(header) or 'none'})."
            )
        reader.fieldnames = header
        rows: list[tuple[Row, Where]] = []
        for number, row in enumerate(reader, start=2):
            rows.append(
                (
                    {key: (value or "").strip() for key, value in row.items() if key},
                    Where(file, f"row {number}"),
                )
            )
    except csv.Error as error:
        # A malformed line (a field over the size limit, a stray NUL...) stops the whole file: the
        # row is the one after the last that was read.
        failing = number + 1 if header_read else 1
        raise SourceError(
            f"{file} row {failing} cannot be read as CSV ({_csv_problem(error)}). "
            "Nothing was imported; correct the file and import it again."
        ) from error
    return rows


def _csv_problem(error: csv.Error) -> str:
    text = str(error)
    if "field larger than field limit" in text:
        return f"a field is longer than {csv.field_size_limit() // 1024} KB"
    return text


def _descriptor_paths(package: _Package) -> dict[str, str]:
    raw = package.read("datapackage.json")
    if raw is None:
        raise SourceError(
            f"{package.path.name} has no datapackage.json, so it is not an HSDS data package."
        )
    try:
        descriptor = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise SourceError("datapackage.json is not valid JSON.") from error
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list):
        raise SourceError("datapackage.json has no 'resources' list.")
    return {
        str(item.get("name")): str(item.get("path"))
        for item in resources
        if isinstance(item, dict) and item.get("name") and item.get("path")
    }


def hsds_records(path: Path) -> tuple[Iterator[ServiceRecord], int]:
    """Gather the package's rows into one ORUK-shaped record per service."""
    package = _Package(path)
    paths = _descriptor_paths(package)
    tables: dict[str, list[tuple[Row, Where]]] = {}
    for name, (default, required) in RESOURCES.items():
        candidates = [paths.get(name, default), default, *ALTERNATIVE_FILES.get(name, ())]
        rows: list[tuple[Row, Where]] = []
        for file in dict.fromkeys(candidates):
            rows = _rows(package, file, required)
            if rows:
                break
        tables[name] = rows
    for name in REQUIRED_RESOURCES:
        if not tables[name]:
            raise SourceError(f"The data package has no rows in {RESOURCES[name][0]}.")
    return iter(_assemble(tables)), len(tables["service"])


def _by(rows: list[tuple[Row, Where]], key: str) -> dict[str, list[tuple[Row, Where]]]:
    grouped: dict[str, list[tuple[Row, Where]]] = defaultdict(list)
    for row, where in rows:
        if row.get(key):
            grouped[row[key]].append((row, where))
    return grouped


def _with_where(row: Row, where: Where, **extra: Any) -> Row:
    return {**row, **extra, "_where": where}


def _assemble(tables: dict[str, list[tuple[Row, Where]]]) -> Iterator[ServiceRecord]:
    organizations = {
        row["id"]: (row, where) for row, where in tables["organization"] if row.get("id")
    }
    locations = {row["id"]: (row, where) for row, where in tables["location"] if row.get("id")}
    terms = {row["id"]: (row, where) for row, where in tables["taxonomy"] if row.get("id")}
    addresses = _by(tables["physical_address"], "location_id")
    accessibility = _by(tables["accessibility_for_disabilities"], "location_id")
    sals = _by(tables["service_at_location"], "service_id")
    sal_service = {row["id"]: row.get("service_id", "") for row, _ in tables["service_at_location"]}
    contacts = _by(tables["contact"], "service_id")
    phones_by_service = _by(tables["phone"], "service_id")
    phones_by_contact = _by(tables["phone"], "contact_id")
    schedules = _by(tables["regular_schedule"], "service_id")
    for row, where in tables["regular_schedule"]:
        if not row.get("service_id") and row.get("service_at_location_id"):
            service_id = sal_service.get(row["service_at_location_id"], "")
            schedules[service_id].append((row, where))
    service_terms = _by(tables["service_taxonomy"], "service_id")
    languages = _by(tables["language"], "service_id")
    funding = _by(tables["funding"], "service_id")
    areas = _by(tables["service_area"], "service_id")

    def term_dict(term_id: str) -> Row | None:
        if term_id not in terms:
            return None
        row, where = terms[term_id]
        return {
            "id": term_id,
            "name": row.get("name", ""),
            "description": row.get("name", ""),
            "parent_id": row.get("parent_id", ""),
            "taxonomy": row.get("vocabulary", ""),
            "_where": where,
        }

    for row, where in tables["service"]:
        problems: list[Rejection] = []
        data: Row = _with_where(row, where)
        organization = organizations.get(row.get("organization_id", ""))
        if organization is None:
            problems.append(
                Rejection(
                    where.file,
                    where.at,
                    "organization_id",
                    f"unknown organization {row.get('organization_id')!r}",
                )
            )
        else:
            org_row, org_where = organization
            data["organization"] = _with_where(org_row, org_where, website=org_row.get("url", ""))
        venues = []
        for sal_row, sal_where in sals.get(row.get("id", ""), []):
            location = locations.get(sal_row.get("location_id", ""))
            if location is None:
                problems.append(
                    Rejection(
                        sal_where.file,
                        sal_where.at,
                        "location_id",
                        f"unknown location {sal_row.get('location_id')!r}",
                    )
                )
                continue
            location_row, location_where = location
            venues.append(
                _with_where(
                    sal_row,
                    sal_where,
                    location=_with_where(
                        location_row,
                        location_where,
                        addresses=[
                            _with_where(address, address_where, address_type="physical")
                            for address, address_where in addresses.get(location_row["id"], [])
                        ],
                        accessibility=[
                            _with_where(item, item_where, description=item.get("accessibility", ""))
                            for item, item_where in accessibility.get(location_row["id"], [])
                        ],
                    ),
                )
            )
        data["service_at_locations"] = venues
        data["schedules"] = []
        for schedule_row, schedule_where in schedules.get(row.get("id", ""), []):
            weekday = schedule_row.get("weekday", "")
            byday = WEEKDAYS.get(weekday.lower()) or (
                weekday.upper() if weekday.upper() in WEEKDAYS.values() else ""
            )
            if not byday and weekday.isdigit() and 1 <= int(weekday) <= 7:
                byday = list(WEEKDAYS.values())[int(weekday) - 1]
            if not byday:
                problems.append(
                    Rejection(
                        schedule_where.file,
                        schedule_where.at,
                        "weekday",
                        f"{weekday!r} is not a day of the week",
                    )
                )
                continue
            data["schedules"].append(
                _with_where(
                    {
                        key: schedule_row.get(key, "")
                        for key in ("opens_at", "closes_at", "service_at_location_id")
                    },
                    schedule_where,
                    freq="WEEKLY",
                    byday=byday,
                )
            )
        data["contacts"] = [
            _with_where(
                contact,
                contact_where,
                phones=[
                    _with_where(phone, phone_where)
                    for phone, phone_where in phones_by_contact.get(contact["id"], [])
                ],
            )
            for contact, contact_where in contacts.get(row.get("id", ""), [])
        ]
        data["phones"] = [
            _with_where(phone, phone_where)
            for phone, phone_where in phones_by_service.get(row.get("id", ""), [])
            if not phone.get("contact_id")
        ]
        data["languages"] = [
            _with_where(item, item_where, name=item.get("language", ""))
            for item, item_where in languages.get(row.get("id", ""), [])
        ]
        data["funding"] = [
            _with_where(item, item_where) for item, item_where in funding.get(row.get("id", ""), [])
        ]
        data["service_areas"] = [
            _with_where(
                item,
                item_where,
                name=item.get("service_area", ""),
                service_area=item.get("description", ""),
            )
            for item, item_where in areas.get(row.get("id", ""), [])
        ]
        attributes = []
        for link, link_where in service_terms.get(row.get("id", ""), []):
            term = term_dict(link["taxonomy_id"])
            attribute: Row = {"taxonomy_term_id": link["taxonomy_id"], "_where": link_where}
            if term is not None:
                attribute["taxonomy_term"] = term
            attributes.append(attribute)
        data["attributes"] = attributes
        yield ServiceRecord(data=data, where=where, problems=problems, ids_are_uuids=False)
