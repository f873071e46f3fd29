"""commonweal geo_import_codepoint PATH [--district CODE ...] [--quiet]"""

from __future__ import annotations

from typing import Any

from commonweal.geo.management.commands._geo_import import GeoImportCommand
from commonweal.geo.models import ImportLog
from commonweal.geo.services import codepoint_import


class Command(GeoImportCommand):
    help = (
        "Import OS Code-Point Open (the zip as downloaded, or its unzipped folder): postcodes with their "
        "points, districts and wards, and the names of those areas."
    )
    path_help = "codepo_gb.zip or the folder it unzips to."

    def run_import(self, **options: Any) -> ImportLog:
        return codepoint_import(**options)
