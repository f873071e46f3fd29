"""Helpers for the import and export tests: run a command and capture what it says."""

from __future__ import annotations

import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Ran:
    out: str
    err: str


def run(*args: str) -> Ran:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return Ran(out.getvalue(), err.getvalue())


def export_json(tmp_path: Path, name: str = "export.json") -> tuple[Path, list[dict]]:
    path = tmp_path / name
    run("directory_export", "--format", "oruk-json", "--output", str(path))
    return path, json.loads(path.read_text())


@pytest.fixture
def hsds_dir(tmp_path: Path) -> Path:
    """A writable copy of the example HSDS package, so a test can spoil one file."""
    target = tmp_path / "package"
    shutil.copytree(FIXTURES / "hsds", target)
    return target
