"""Shared helpers for benchmarks: a throwaway Django database and simple statistics."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SHARED_DIR = Path(__file__).resolve().parent.parent.parent / "shared"


def django_setup(
    *, database_url: str = "", data_dir: str | None = None, migrate: bool = True
) -> Path:
    """Point Django at a fresh database (SQLite in a temp folder unless database_url is given) and migrate."""
    folder = Path(data_dir or tempfile.mkdtemp(prefix="commonweal-bench-"))
    os.environ["COMMONWEAL_DATA_DIR"] = str(folder)
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "commonweal.settings.test"
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    return folder


def timings_ms(action: Callable[[], object], *, repeat: int, warmup: int = 5) -> list[float]:
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summary(label: str, samples: list[float]) -> str:
    return (
        f"{label}: p50 {statistics.median(samples):.2f} ms, p95 {percentile(samples, 0.95):.2f} ms "
        f"over {len(samples)} requests"
    )


def verdict(ok: bool) -> str:
    return "PASS" if ok else "OVER BUDGET"
