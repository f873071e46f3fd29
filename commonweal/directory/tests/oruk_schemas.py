"""Offline checker for ORUK 3.0 responses, repeating what the official validator checks.

The schemas in ../shared/standards/oruk-3.0/schema carry no ``$schema`` and no ``$id`` and refer to
each other by absolute URL, so each file is registered under its published URL with the 2020-12
dialect named explicitly. Nothing is fetched from the network. Format checking is on, and the module
refuses to load if a format checker is missing (jsonschema skips unknown formats silently).
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

BASE = "https://openreferraluk.org/specifications/3.0/schema/"
NEEDED_FORMATS = {"date-time", "uri", "uuid", "email"}

FORMATS = FormatChecker()
_missing = NEEDED_FORMATS - set(FORMATS.checkers)
if _missing:
    raise RuntimeError(
        f"No format checker for {sorted(_missing)}: install rfc3339-validator and rfc3986-validator"
    )


class OrukSchemas:
    def __init__(self, oruk_dir: Path) -> None:
        self.openapi = json.loads((oruk_dir / "openapi.json").read_text())
        self.registry = Registry().with_resources(
            (BASE + path.name, Resource(json.loads(path.read_text()), specification=DRAFT202012))
            for path in sorted((oruk_dir / "schema").glob("*.json"))
        )

    def validator(self, schema_file: str) -> Draft202012Validator:
        return Draft202012Validator(
            {"$ref": BASE + schema_file}, registry=self.registry, format_checker=FORMATS
        )

    def response_schema(self, path: str) -> str:
        """The schema file the OpenAPI declares for a 200 from ``path`` ("/services/{id}" -> "service.json")."""
        operation = self.openapi["paths"][path]["get"]
        ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        return ref.rsplit("/", 1)[1]

    def is_optional(self, path: str) -> bool:
        return any(
            tag.lower() == "optional" for tag in self.openapi["paths"][path]["get"].get("tags", [])
        )

    def errors(self, path: str, body: Any) -> list[str]:
        """Schema errors of a response body, de-duplicated per JSON path as the validator does."""
        found: dict[str, str] = {}
        for error in self.validator(self.response_schema(path)).iter_errors(body):
            found.setdefault(error.json_path, f"{error.json_path}: {error.message}")
        return sorted(found.values())


@cache
def oruk_schemas(shared_dir: Path) -> OrukSchemas:
    return OrukSchemas(shared_dir / "standards" / "oruk-3.0")


def page_errors(body: dict[str, Any], *, per_page: int) -> list[str]:
    """Envelope consistency the schema cannot express."""
    contents = body.get("contents", [])
    problems = []
    if body.get("size") != len(contents):
        problems.append(f"size {body.get('size')} but {len(contents)} items")
    if body.get("empty") != (not contents):
        problems.append("empty does not match contents")
    if body.get("first_page") != (body.get("page_number") == 1):
        problems.append("first_page does not match page_number")
    if body.get("total_pages") != math.ceil(body.get("total_items", 0) / per_page):
        problems.append("total_pages is not ceil(total_items / per_page)")
    if body.get("last_page") != (body.get("page_number", 0) >= body.get("total_pages", 0)):
        problems.append("last_page does not match page_number")
    ids = [item.get("id") for item in contents]
    if len(ids) != len(set(ids)):
        problems.append("ids repeat within the page")
    return problems


def blank_optional_values(value: Any, where: str = "$") -> list[str]:
    """Paths holding null or "" (ORUK asks for optional fields to be left out instead)."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if item is None or item == "":
                found.append(f"{where}.{key}")
            else:
                found.extend(blank_optional_values(item, f"{where}.{key}"))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(blank_optional_values(item, f"{where}[{index}]"))
    return found
