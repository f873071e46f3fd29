"""Importers of postcode and area data: Code-Point Open, ONSPD and the Thurrock demo extract."""

from __future__ import annotations

from commonweal.geo.importers.base import PostcodeImporter, check_header
from commonweal.geo.importers.codepoint import CodePointImporter
from commonweal.geo.importers.onspd import OnspdImporter
from commonweal.geo.importers.thurrock import THURROCK_DIR, ThurrockDemoImporter

__all__ = [
    "THURROCK_DIR",
    "CodePointImporter",
    "OnspdImporter",
    "PostcodeImporter",
    "ThurrockDemoImporter",
    "check_header",
]
