"""Recompute the gallery's similar ideas (TF-IDF cosine): ``commonweal grants_compute_similar``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commonweal.grants.services.gallery import similar_ideas_compute


class Command(BaseCommand):
    help = "Compute and store the most similar ideas for every idea in the gallery. Run it nightly."

    def handle(self, *args: Any, **options: Any) -> None:
        stored = similar_ideas_compute()
        self.stdout.write(f"Stored {stored} similar-idea pairs.")
