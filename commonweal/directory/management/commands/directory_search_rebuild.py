"""``commonweal directory_search_rebuild``: index every service for full-text search afresh.

Run it after loading services in bulk without the directory's services (a generator, a restore from a
dump): those loads do not keep the index current as they go.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from commonweal.directory.search import search_index_rebuild


class Command(BaseCommand):
    help = "Rebuild the directory's full-text search index from every service."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        count = search_index_rebuild()
        self.stdout.write(
            f"Indexed {count} services for search in {time.monotonic() - started:.1f} s."
        )
