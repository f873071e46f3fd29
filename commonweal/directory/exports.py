"""Export the published directory: ORUK 3.0 JSON (the API's full records) or one CSV row per service.

Both stream: services are read in chunks and written as they come, so memory stays flat however
large the directory is.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any, Protocol

from commonweal.core.spreadsheets import csv_safe
from commonweal.directory import selectors
from commonweal.directory.models import Service
from commonweal.directory.oruk import serializers as oruk

CHUNK = 200


class Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


CSV_COLUMNS = (
    "id",
    "name",
    "organization_id",
    "organization",
    "status",
    "description",
    "url",
    "email",
    "minimum_age",
    "maximum_age",
    "postcode",
    "ward_code",
    "ward",
    "taxonomy_terms",
    "last_modified",
)


def _services(limit: int | None = None) -> Iterator[Service]:
    services = selectors.services_for_export()
    if limit is not None:
        services = services[:limit]
    return services.iterator(chunk_size=CHUNK)


def export_oruk_json(output: Writable, *, limit: int | None = None) -> int:
    """Write a JSON array of full ORUK service records (the first ``limit`` by name); returns how many."""
    count = 0
    output.write("[")
    for service in _services(limit):
        output.write(",\n" if count else "\n")
        json.dump(oruk.service_dict(service, full=True), output, ensure_ascii=False)
        count += 1
    output.write("\n]\n" if count else "]\n")
    return count


def _csv_row(service: Service) -> dict[str, Any]:
    location = next(
        (
            sal.location
            for sal in service.service_at_locations.all()
            if not sal.location.mask_address
        ),
        None,
    )
    ward = location.ward if location is not None else None
    return {
        "id": service.public_id,
        "name": service.name,
        "organization_id": service.organization.public_id,
        "organization": service.organization.name,
        "status": service.status,
        "description": service.description,
        "url": service.url,
        "email": service.email,
        "minimum_age": "" if service.minimum_age is None else service.minimum_age,
        "maximum_age": "" if service.maximum_age is None else service.maximum_age,
        "postcode": location.postcode if location is not None else "",
        "ward_code": ward.code if ward is not None else "",
        "ward": ward.name if ward is not None else "",
        "taxonomy_terms": "; ".join(
            attribute.taxonomy_term.name for attribute in service.attributes.all()
        ),
        "last_modified": oruk.service_minimal_dict(service.public_id, service.last_modified)[
            "modified_date"
        ],
    }


def export_csv(output: Writable) -> int:
    """Write one CSV row per published service (the postcode and ward of its first venue); text a
    spreadsheet would run as a formula is written so that it is not."""
    writer = csv.DictWriter(output, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    count = 0
    for service in _services():
        writer.writerow({key: csv_safe(value) for key, value in _csv_row(service).items()})
        count += 1
    return count
