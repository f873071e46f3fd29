"""commonweal geo_import_onspd PATH [--district CODE ...] [--quiet]"""

from __future__ import annotations

from typing import Any

from commonweal.geo.management.commands._geo_import import GeoImportCommand
from commonweal.geo.models import ImportLog
from commonweal.geo.services import onspd_import


class Command(GeoImportCommand):
    help = (
        "Import the ONS Postcode Directory CSV (ONSPD_*_UK.csv): current postcodes with their points, "
        "districts, wards, LSOAs and MSOAs. Terminated postcodes are skipped."
    )
    path_help = "ONSPD_<MONTH>_<YEAR>_UK.csv (or the zip holding it)."

    def run_import(self, **options: Any) -> ImportLog:
        return onspd_import(**options)
