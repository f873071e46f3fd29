"""Benchmark: import the whole of OS Code-Point Open into a fresh SQLite database.

Runs ``commonweal geo_import_codepoint`` on ../shared/data/geo/codepo_gb.zip in a subprocess (so its peak
memory can be measured) against a migrated SQLite database in a temporary folder, then measures the floor:
a raw ``sqlite3`` ``executemany`` of the same rows (already parsed) into an equivalent table in a fresh
file. Budget: the import within 3x the floor and under 1 GB at its peak.

    python -m bench.bench_codepoint
"""

from __future__ import annotations

import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ZIP_PATH = ROOT.parent / "shared" / "data" / "geo" / "codepo_gb.zip"
RATIO_BUDGET = 3.0
MEMORY_BUDGET_MB = 1024


def _environment(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "commonweal.settings.test",
            "COMMONWEAL_DATA_DIR": str(data_dir),
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def _run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args[1:3])} failed:\n{result.stderr[-2000:]}")


def _floor(database: Path, rows: list[tuple[object, ...]], schema: list[str]) -> float:
    connection = sqlite3.connect(database, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        for statement in schema:
            connection.execute(statement)
        marks = ", ".join("?" * len(rows[0]))
        started = time.perf_counter()
        connection.execute("BEGIN")
        connection.executemany(f"INSERT INTO geo_postcode VALUES ({marks})", rows)
        connection.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        connection.close()


def run() -> list[str]:
    """Run the benchmark and return the lines to print."""
    if not ZIP_PATH.is_file():
        return [
            f"bench_codepoint: {ZIP_PATH.name} is missing from ../shared/data/geo: nothing measured (OVER)"
        ]
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="commonweal-bench-") as temp:
        data_dir = Path(temp)
        env = _environment(data_dir)
        _run([python, "-m", "commonweal", "migrate", "--noinput", "-v0"], env)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        _run(
            [python, "-m", "commonweal", "geo_import_codepoint", str(ZIP_PATH), "--quiet", "-v0"],
            env,
        )
        import_seconds = time.perf_counter() - started
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        peak_mb = peak_kb / 1024
        memory_note = "" if peak_kb > before else " (no higher than the migrate step)"

        database = data_dir / "commonweal.sqlite3"
        with sqlite3.connect(database) as source:
            rows = source.execute("SELECT * FROM geo_postcode").fetchall()
            schema = [
                sql
                for (sql,) in source.execute(
                    "SELECT sql FROM sqlite_master WHERE tbl_name = 'geo_postcode' AND sql IS NOT NULL "
                    "ORDER BY type DESC"
                )
            ]
        floor_seconds = _floor(data_dir / "floor.sqlite3", rows, schema)

    count = len(rows)
    ratio = import_seconds / floor_seconds if floor_seconds else float("inf")
    verdict = "PASS" if ratio <= RATIO_BUDGET and peak_mb < MEMORY_BUDGET_MB else "OVER"
    return [
        "bench_codepoint: OS Code-Point Open, whole of GB, into a fresh SQLite database",
        f"  import: {import_seconds:6.1f} s  {count / import_seconds:10,.0f} rows/s  {count:,} postcodes "
        "(includes starting the command)",
        f"  floor:  {floor_seconds:6.1f} s  {count / floor_seconds:10,.0f} rows/s  raw sqlite3 executemany",
        f"  ratio:  {ratio:.2f}x (budget {RATIO_BUDGET:.0f}x)  peak memory {peak_mb:,.0f} MB{memory_note} "
        f"(budget {MEMORY_BUDGET_MB:,} MB)  {verdict}",
    ]


if __name__ == "__main__":
    print("\n".join(run()))
