"""The offline checker agrees with the official validator on its own pass and fail fixtures."""

from __future__ import annotations

import json

import pytest

from commonweal.directory.tests.oruk_schemas import oruk_schemas, page_errors

FILE_TO_PATH = {
    "api_details.json": "/",
    "service_list.json": "/services",
    "service_full.json": "/services/{id}",
    "organization_list.json": "/organizations",
    "organization_full.json": "/organizations/{id}",
    "organization.json": "/organizations/{id}",
    "service_at_location_list.json": "/service_at_locations",
    "service_at_location_full.json": "/service_at_locations/{id}",
    "taxonomy_list.json": "/taxonomies",
    "taxonomy.json": "/taxonomies/{id}",
    "taxonomy_term_list.json": "/taxonomy_terms",
    "taxonomy_term.json": "/taxonomy_terms/{id}",
}
REQUIRED = {"/", "/services", "/services/{id}"}


def _verdict(shared_dir, folder: str) -> tuple[str, dict[str, list[str]]]:
    schemas = oruk_schemas(shared_dir)
    failures: dict[str, list[str]] = {}
    for path in sorted(
        (shared_dir / "standards" / "oruk-validator-fixtures" / folder).glob("*.json")
    ):
        if path.name not in FILE_TO_PATH:
            continue
        errors = schemas.errors(FILE_TO_PATH[path.name], json.loads(path.read_text()))
        if errors:
            failures[path.name] = errors
    if any(FILE_TO_PATH[name] in REQUIRED for name in failures):
        return "FAIL", failures
    return ("WARN" if failures else "PASS"), failures


def test_default_fixtures_pass(shared_dir):
    verdict, failures = _verdict(shared_dir, "V3.0-UK-Default")
    assert verdict == "PASS", failures


def test_fail_fixtures_fail_on_the_required_endpoints(shared_dir):
    verdict, failures = _verdict(shared_dir, "V3.0-UK-Fail")
    assert verdict == "FAIL"
    assert {
        "api_details.json",
        "service_full.json",
        "service_list.json",
        "taxonomy_term.json",
    } <= set(failures)


def test_fail_service_record_is_rejected_only_because_formats_are_checked(shared_dir):
    """Its only defects are a bad email and url: a checker without format checking would pass it."""
    _, failures = _verdict(shared_dir, "V3.0-UK-Fail")
    assert any("email" in error for error in failures["service_full.json"])
    assert any("url" in error for error in failures["service_full.json"])


def test_warn_fixtures_warn(shared_dir):
    verdict, failures = _verdict(shared_dir, "V3.0-UK-Warn")
    assert verdict == "WARN"
    assert "taxonomy_term.json" in failures


def test_inconsistent_envelope_is_caught(shared_dir):
    body = json.loads(
        (
            shared_dir / "standards/oruk-validator-fixtures/V3.0-UK-Test/service_list.json"
        ).read_text()
    )
    assert oruk_schemas(shared_dir).errors("/services", body) == []
    assert page_errors(body, per_page=body["size"] or 1)


@pytest.mark.parametrize(
    "name", ["service_full.json", "service_list.json", "organization_full.json", "taxonomy.json"]
)
def test_published_examples_validate(shared_dir, name):
    path = FILE_TO_PATH[name]
    body = json.loads((shared_dir / "standards/oruk-3.0/examples" / name).read_text())
    assert oruk_schemas(shared_dir).errors(path, body) == []
