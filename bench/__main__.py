"""`make bench`: run every bench/bench_*.py module in its own process and print what each reports.

Each module has ``run() -> list[str]`` and runs as ``python -m bench.<module>``. A separate process per
module keeps settings apart and makes peak memory measurable. BENCH=name1,name2 picks some.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path


def main() -> int:
    here = Path(__file__).resolve().parent
    wanted = {name.strip() for name in os.environ.get("BENCH", "").split(",") if name.strip()}
    modules = sorted(path.stem for path in here.glob("bench_*.py"))
    if wanted:
        modules = [
            name for name in modules if name in wanted or name.removeprefix("bench_") in wanted
        ]
    failures = 0
    for name in modules:
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        completed = subprocess.run(
            [sys.executable, "-m", f"bench.{name}"], cwd=here.parent, check=False
        )
        print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)
        if completed.returncode != 0:
            failures += 1
            print(f"   {name} failed with exit code {completed.returncode}", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
