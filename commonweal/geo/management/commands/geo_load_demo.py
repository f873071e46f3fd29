"""commonweal geo_load_demo: the real geography of Thurrock, shipped with Commonweal."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from commonweal.geo.exceptions import ImportFileError
from commonweal.geo.services import demo_geography_load


class Command(BaseCommand):
    help = "Load Thurrock's district, wards, MSOAs, LSOAs and postcodes for the demonstration site."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            log = demo_geography_load()
        except ImportFileError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        if options.get("verbosity", 1) > 0:
            self.stdout.write(self.style.SUCCESS("Loaded the Thurrock demonstration geography."))
            self.stdout.write(log.message)
