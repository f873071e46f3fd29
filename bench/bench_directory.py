"""The community directory at national scale, served by gunicorn, on SQLite and on PostgreSQL.

For each database it builds (or reuses) a directory of 300,000 generated services over the whole of
GB's postcodes (OS Code-Point Open from ../shared/data/geo/codepo_gb.zip, then
``commonweal directory_generate --services 300000 --seed 1``), starts gunicorn on a free loopback port
and measures, with concurrent keep-alive HTTP clients in this process, the p50 and p95 latency of:

- ``/healthz``, the floor: the same stack doing almost nothing;
- ``/api/oruk/services?search=<word>``;
- ``/api/oruk/service_at_locations?postcode=<postcode>&proximity=<metres>``;
- the public search page ``/directory/?q=<word>&postcode=<postcode>``;

and the raw database work behind each of the three searches, run in-process through the same
selectors and querysets the views use, to give the overhead of everything between the query and the
response. Then it times an ORUK 3.0 import of 10,000 services (exported from the generated directory
with the existing exporter) into a fresh database (stopped after 5x the budget), streams the
``format=ndjson`` export of every service through gunicorn to nowhere, reading the worker's peak memory
(VmHWM), and streams ``format=ndjson&full=true`` (fully nested records) for a minute to give its rate
and peak memory too (all 300,000 fully nested records take far longer than a benchmark should).

Budgets (issue 3): search API and page p95 within 3x the floor's p95 and under 100 ms; raw query to
response overhead under 2x (p50); import of 10,000 services under 30 s; ndjson export worker peak under
300 MB.

The generated databases are kept for the next run: SQLite under data/bench/, PostgreSQL in the
database ``cw_bench`` (BENCH_POSTGRES_URL overrides the server and name). Settings by environment:
BENCH_DIRECTORY_DATABASES (default "sqlite,postgresql"), BENCH_DIRECTORY_SERVICES (300000),
BENCH_REQUESTS (requests per query, 2000; BENCH_QUERY_SECONDS, 300, stops a slow query sooner),
BENCH_CLIENTS (2), BENCH_WORKERS (2),
BENCH_IMPORT_TIMEOUT (150 s), BENCH_NDJSON_FULL_SECONDS (60).

    python -m bench.bench_directory          # both databases
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "bench"
ZIP_PATH = ROOT.parent / "shared" / "data" / "geo" / "codepo_gb.zip"
SEED = 1
SERVICES = int(os.environ.get("BENCH_DIRECTORY_SERVICES", "300000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "2000"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "2"))
QUERY_SECONDS = float(os.environ.get("BENCH_QUERY_SECONDS", "300"))  # at most, per query
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
RAW_REPEAT = 300
IMPORT_SERVICES = 10_000
POSTGRES_DB = "cw_bench"
MIN_POSTCODES = 1_000_000  # the whole of GB has 1.7 million; fewer means a partial import

FLOOR_RATIO_BUDGET = 3.0
P95_BUDGET_MS = 100.0
OVERHEAD_BUDGET = 2.0
IMPORT_BUDGET_S = 30.0
NDJSON_FULL_SECONDS = float(os.environ.get("BENCH_NDJSON_FULL_SECONDS", "60"))
IMPORT_TIMEOUT_S = float(os.environ.get("BENCH_IMPORT_TIMEOUT", "150"))  # 5x the budget
EXPORT_MEMORY_BUDGET_MB = 300.0

WORDS = ["coffee", "dementia", "food bank", "walking", "autism", "ukulele", "advice", "youth club"]
PROXIMITIES = [1000, 2000, 5000]


def say(text: str) -> None:
    """Progress of the long steps, on standard error (standard output carries the figures)."""
    print(f"   {text}", file=sys.stderr, flush=True)


# --- databases ---------------------------------------------------------------------------------


def _postgres_url(name: str = POSTGRES_DB) -> str:
    url = os.environ.get("BENCH_POSTGRES_URL")
    if not url:
        found = subprocess.run(
            ["bash", str(ROOT / "scripts" / "ensure_postgres.sh")],
            capture_output=True,
            text=True,
            check=False,
        )
        if found.returncode != 0:
            raise RuntimeError(f"no PostgreSQL server: {found.stderr.strip()}")
        url = found.stdout.strip()
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def _postgres_admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(_server_url(url), autocommit=True) as connection:
        connection.execute(statement)


def _postgres_vacuum(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")


def _server_url(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def _postgres_exists(url: str) -> bool:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(_server_url(url), autocommit=True) as connection:
        row = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return row is not None


def _postgres_recreate(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    _postgres_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _postgres_admin(url, f'CREATE DATABASE "{name}"')


def _environment(database_url: str, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "commonweal.settings.test",
            "COMMONWEAL_DATA_DIR": str(data_dir),
            "DATABASE_URL": database_url,
            "COMMONWEAL_API_RATE": "100000000/m",
            "PYTHONPATH": str(ROOT),
        }
    )
    if not database_url:
        env.pop("DATABASE_URL")
    return env


def _command(args: list[str], env: dict[str, str], *, quiet: bool = False) -> float:
    """Run ``commonweal ARGS``; returns seconds. Output goes to the terminal unless ``quiet``."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "commonweal", *args],
        env=env,
        cwd=ROOT,
        check=False,
        capture_output=quiet,
        text=True,
    )
    if result.returncode != 0:
        detail = (result.stderr or "")[-2000:] if quiet else ""
        raise RuntimeError(
            f"commonweal {' '.join(args[:2])} failed (exit {result.returncode}) {detail}"
        )
    return time.perf_counter() - started


def _state(backend: str, database_url: str, data_dir: Path) -> dict[str, Any]:
    """Migrate, then count postcodes and generated services (in a child process)."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.bench_directory",
            "state",
            backend,
            database_url,
            str(data_dir),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"checking the {backend} database failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _state_child(database_url: str, data_dir: str) -> None:
    from bench.support import django_setup

    django_setup(database_url=database_url, data_dir=data_dir, migrate=True)
    from commonweal.directory.generate import generated_source
    from commonweal.directory.models import Service
    from commonweal.geo.models import Postcode

    ours = Service.objects.filter(source=generated_source(SEED)).count()
    others = Service.objects.exclude(source=generated_source(SEED)).count()
    print(json.dumps({"postcodes": Postcode.objects.count(), "generated": ours, "others": others}))


def prepare(backend: str) -> tuple[str, Path]:
    """A database with GB's postcodes and the generated directory; reused when it is already there."""
    if backend == "sqlite":
        database_url = ""
        data_dir = DATA / f"directory-sqlite-s{SEED}-n{SERVICES}"
        data_dir.mkdir(parents=True, exist_ok=True)
    else:
        database_url = _postgres_url()
        data_dir = DATA / "directory-postgresql"
        data_dir.mkdir(parents=True, exist_ok=True)
        if not _postgres_exists(database_url):
            _postgres_recreate(database_url)
    say(f"{backend}: checking the cached database (migrations run first)…")
    state = _state(backend, database_url, data_dir)
    if state["others"] or state["generated"] not in (0, SERVICES):
        say(f"{backend}: the database holds another directory ({state}): starting again")
        if backend == "sqlite":
            shutil.rmtree(data_dir)
            data_dir.mkdir(parents=True)
        else:
            _postgres_recreate(database_url)
        state = _state(backend, database_url, data_dir)
    env = _environment(database_url, data_dir)
    if state["postcodes"] < MIN_POSTCODES:
        if not ZIP_PATH.is_file():
            raise RuntimeError(f"{ZIP_PATH.name} is missing from ../shared/data/geo")
        say(f"{backend}: importing OS Code-Point Open (the whole of GB)…")
        seconds = _command(["geo_import_codepoint", str(ZIP_PATH), "--quiet"], env)
        say(f"{backend}: postcodes imported in {seconds:.0f} s")
    if state["generated"] == 0:
        say(f"{backend}: generating {SERVICES:,} services (seed {SEED}); this takes minutes…")
        seconds = _command(
            ["directory_generate", "--services", str(SERVICES), "--seed", str(SEED)], env
        )
        say(f"{backend}: generated in {seconds:.0f} s")
        (data_dir / "search-index.json").unlink(missing_ok=True)
    else:
        say(f"{backend}: reusing the generated directory ({SERVICES:,} services, seed {SEED})")
    if backend == "postgresql":
        # A live database is vacuumed by autovacuum after a bulk load, which lets PostgreSQL count
        # from indexes alone; a freshly generated one has not been yet.
        say(f"{backend}: VACUUM ANALYZE…")
        _postgres_vacuum(database_url)
    return database_url, data_dir


# --- gunicorn and the load generator -----------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """gunicorn serving Commonweal on a free loopback port."""

    def __init__(self, env: dict[str, str], *, workers: int) -> None:
        self.env = env
        self.workers = workers
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "commonweal.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--timeout",
                "1800",
                "--log-level",
                "warning",
            ],
            env=self.env,
            cwd=ROOT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if get(self.port, "/healthz")[0] == 200 and len(self.worker_pids()) == self.workers:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("gunicorn did not start within a minute")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def _status_value(pid: int, field: str) -> float:
    """A memory figure (MB) from /proc/<pid>/status, such as VmHWM (peak resident memory)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def get(
    port: int, path: str, connection: http.client.HTTPConnection | None = None
) -> tuple[int, int]:
    """GET ``path``; returns (status, bytes). Reuses ``connection`` while the server keeps it open."""
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        if response.will_close:
            connection.close()
        return response.status, len(body)
    except (http.client.HTTPException, OSError):
        connection.close()
        raise
    finally:
        if own:
            connection.close()


def load(
    port: int, paths: list[str], *, requests: int, clients: int, seconds: float | None = None
) -> tuple[list[float], int]:
    """``requests`` GETs over ``paths`` (round robin) from ``clients`` threads, after a warm-up.

    Stops early after ``seconds`` (a slow query would otherwise keep the benchmark for an hour).
    Returns each request's latency in ms and how many answered with something other than 200.
    """
    for path in paths + paths[:20]:
        get(port, path)
    deadline = time.monotonic() + seconds if seconds else float("inf")
    counter = itertools.count()
    lock = threading.Lock()
    samples: list[float] = []
    failures = [0]

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine: list[float] = []
        bad = 0
        while True:
            with lock:
                number = next(counter)
            if number >= requests or time.monotonic() > deadline:
                break
            path = paths[number % len(paths)]
            started = time.perf_counter()
            try:
                status, _ = get(port, path, connection)
            except (http.client.HTTPException, OSError):
                status = 0
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            mine.append((time.perf_counter() - started) * 1000)
            bad += status != 200
        connection.close()
        with lock:
            samples.extend(mine)
            failures[0] += bad

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples, failures[0]


# --- the measurements (in a child process with Django set up on one database) ------------------


def _p(samples: list[float], fraction: float) -> float:
    from bench.support import percentile

    return statistics.median(samples) if fraction == 0.5 else percentile(samples, fraction)


def _line(label: str, samples: list[float], failures: int = 0) -> str:
    bad = f", {failures} not 200" if failures else ""
    return (
        f"  {label:<34} p50 {_p(samples, 0.5):8.2f} ms  p95 {_p(samples, 0.95):8.2f} ms  "
        f"({len(samples)} requests{bad})"
    )


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "OVER BUDGET"


def _ensure_search_index(data_dir: Path) -> bool:
    """Rebuild the search index when migrations changed since it was last built (a new backend);
    True when it was rebuilt."""
    from django.db.migrations.recorder import MigrationRecorder

    from commonweal.directory.search import search_index_rebuild

    applied = sorted(
        f"{app}.{name}"
        for app, name in MigrationRecorder.Migration.objects.values_list("app", "name")
    )
    marker = data_dir / "search-index.json"
    if marker.exists() and json.loads(marker.read_text()) == applied:
        return False
    say("rebuilding the search index (first run, or the code changed)…")
    started = time.perf_counter()
    count = search_index_rebuild()
    say(f"indexed {count:,} services in {time.perf_counter() - started:.0f} s")
    marker.write_text(json.dumps(applied))
    return True


def _sample_queries(rng: random.Random) -> tuple[list[str], list[tuple[str, int]]]:
    """Words and (postcode, metres) pairs: postcodes where the generated directory has places."""
    from commonweal.directory.models import Location
    from commonweal.geo.postcodes import postcode_display

    total = Location.objects.count()
    postcodes = []
    for _ in range(24):
        offset = rng.randrange(total)
        row = Location.objects.order_by("pk").values_list("postcode", flat=True)[offset]
        postcodes.append(postcode_display(row))
    pairs = [
        (postcode, PROXIMITIES[index % len(PROXIMITIES)])
        for index, postcode in enumerate(postcodes)
    ]
    return list(WORDS), pairs


def _raw_timings(actions: list[Callable[[], object]], repeat: int) -> list[float]:
    """``repeat`` runs over ``actions`` in turn (fewer if they take over a third of QUERY_SECONDS)."""
    for action in actions:
        action()
    samples: list[float] = []
    deadline = time.monotonic() + QUERY_SECONDS / 3
    for number in range(repeat):
        if time.monotonic() > deadline and len(samples) >= len(actions):
            break
        action = actions[number % len(actions)]
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _raw_service_search(word: str) -> None:
    """What GET /api/oruk/services?search=word runs: the count and first page's ids, then the page."""
    from commonweal.directory import selectors
    from commonweal.directory.oruk.params import DEFAULT_PER_PAGE

    _, ids = selectors.service_list_window(offset=0, limit=DEFAULT_PER_PAGE, search=word)
    selectors.service_page(ids, full=False)


def _raw_near(postcode: str, metres: int, word: str | None = None) -> None:
    """What GET /api/oruk/service_at_locations?postcode=&proximity= runs (and ``search`` when given)."""
    from commonweal.directory import selectors
    from commonweal.directory.models import ServiceAtLocation
    from commonweal.directory.oruk.params import DEFAULT_PER_PAGE

    point = selectors.postcode_point_and_areas(postcode)
    assert point is not None, postcode
    venues = selectors.service_at_location_list(search=word, covering=point)
    near = selectors.service_at_locations_near(
        venues, latitude=point.latitude, longitude=point.longitude, metres=metres
    )
    page = [pk for pk, _ in near[:DEFAULT_PER_PAGE]]
    selectors.service_at_location_page_queryset(
        ServiceAtLocation.objects.filter(pk__in=page), full=False
    ).in_bulk()


def _raw_page(word: str, postcode: str) -> None:
    """What GET /directory/?q=word&postcode=postcode runs: the search page's selector."""
    from commonweal.directory.public_search import SearchCriteria, service_public_search

    service_public_search(SearchCriteria(text=word, postcode=postcode))


def _import_fresh(backend: str, export_path: Path) -> tuple[float, str]:
    """Import the exported file into a fresh, migrated database; returns (seconds, what it said)."""
    with tempfile.TemporaryDirectory(prefix="commonweal-bench-import-") as temp:
        if backend == "sqlite":
            database_url = ""
        else:
            database_url = _postgres_url(POSTGRES_DB + "_import")
            _postgres_recreate(database_url)
        env = _environment(database_url, Path(temp))
        try:
            _command(["migrate", "--noinput", "-v0"], env, quiet=True)
            started = time.perf_counter()
            try:
                result = subprocess.run(
                    [sys.executable, "-m", "commonweal", "directory_import", str(export_path)],
                    env=env,
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    check=False,
                    timeout=IMPORT_TIMEOUT_S,
                )
            except subprocess.TimeoutExpired:
                return IMPORT_TIMEOUT_S, f"stopped: not finished after {IMPORT_TIMEOUT_S:.0f} s"
            seconds = time.perf_counter() - started
        finally:
            if database_url:
                _postgres_admin(
                    database_url, f'DROP DATABASE IF EXISTS "{POSTGRES_DB}_import" WITH (FORCE)'
                )
        said = (result.stdout.strip().splitlines() or [""])[-1]
        if result.returncode != 0:
            said = f"failed: {result.stderr.strip()[-500:]}"
        return seconds, said


def _stream_ndjson(
    server: Server, path: str, *, seconds: float | None = None
) -> tuple[float, int, int]:
    """Stream ``path`` to nowhere (stopping after ``seconds`` if given); returns (seconds, lines, bytes)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=1800)
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    if response.status != 200:
        raise RuntimeError(f"{path} answered {response.status}")
    lines = size = 0
    while chunk := response.read1(1 << 16):
        lines += chunk.count(b"\n")
        size += len(chunk)
        if seconds is not None and time.perf_counter() - started > seconds:
            break
    connection.close()
    return time.perf_counter() - started, lines, size


def measure(backend: str, database_url: str, data_dir: Path) -> list[str]:
    from bench.support import django_setup

    django_setup(database_url=database_url, data_dir=str(data_dir), migrate=False)
    from django.db import connection

    from commonweal.directory.exports import export_oruk_json
    from commonweal.directory.models import Service

    if _ensure_search_index(data_dir) and database_url:
        # A rebuilt index is a table of dead and new rows until autovacuum visits it, as it would
        # soon on a live server: vacuum it now so the figures are of the index as it settles.
        say(f"{backend}: VACUUM ANALYZE after the rebuild…")
        _postgres_vacuum(database_url)
    env = _environment(database_url, data_dir)
    rng = random.Random(SEED)
    words, places = _sample_queries(rng)
    published = Service.objects.published().count()
    lines = [
        f"bench_directory on {connection.vendor}: {Service.objects.count():,} services "
        f"({published:,} published), {WORKERS} gunicorn sync workers, {CLIENTS} clients, "
        f"{REQUESTS} requests per query"
    ]
    searches = [f"/api/oruk/services?search={quote(word)}" for word in words]
    nearby = [
        f"/api/oruk/service_at_locations?postcode={quote(pc)}&proximity={metres}"
        for pc, metres in places
    ]
    pages = [
        f"/directory/?q={quote(word)}&postcode={quote(pc)}"
        for word, (pc, _) in zip(itertools.cycle(words), places, strict=False)
    ]
    results: dict[str, tuple[list[float], int]] = {}
    with Server(env, workers=WORKERS) as server:
        for label, paths in (
            ("floor /healthz", ["/healthz"]),
            ("API services?search=", searches),
            ("API service_at_locations near", nearby),
            ("page /directory/?q=&postcode=", pages),
        ):
            say(f"{backend}: {label}: {REQUESTS} requests…")
            results[label] = load(
                server.port, paths, requests=REQUESTS, clients=CLIENTS, seconds=QUERY_SECONDS
            )
    say(f"{backend}: raw queries in-process…")
    raw = {
        "API services?search=": _raw_timings(
            [lambda word=word: _raw_service_search(word) for word in words], RAW_REPEAT
        ),
        "API service_at_locations near": _raw_timings(
            [lambda pc=pc, metres=metres: _raw_near(pc, metres) for pc, metres in places],
            RAW_REPEAT,
        ),
        "page /directory/?q=&postcode=": _raw_timings(
            [
                lambda word=word, pc=pc: _raw_page(word, pc)
                for word, (pc, _) in zip(itertools.cycle(words), places, strict=False)
            ],
            RAW_REPEAT,
        ),
    }
    floor_samples, _ = results["floor /healthz"]
    floor95 = _p(floor_samples, 0.95)
    for label, (samples, failures) in results.items():
        lines.append(_line(label, samples, failures))
        if label in raw:
            lines.append(_line(f"  raw query ({label.split()[0]})", raw[label]))
    lines.append("  verdicts:")
    for label in raw:
        samples, failures = results[label]
        p95 = _p(samples, 0.95)
        ratio = p95 / floor95
        overhead = _p(samples, 0.5) / _p(raw[label], 0.5)
        ok = ratio <= FLOOR_RATIO_BUDGET and p95 < P95_BUDGET_MS and not failures
        lines.append(
            f"    {label:<32} p95 {p95:7.1f} ms = {ratio:5.1f}x floor "
            f"(budget {FLOOR_RATIO_BUDGET:.0f}x and {P95_BUDGET_MS:.0f} ms) {_verdict(ok)}; "
            f"overhead over raw query {overhead:4.2f}x (p50, budget {OVERHEAD_BUDGET:.0f}x) "
            f"{_verdict(overhead <= OVERHEAD_BUDGET)}"
        )

    say(f"{backend}: exporting {IMPORT_SERVICES:,} services as ORUK 3.0 JSON…")
    export_path = data_dir / f"oruk-export-{IMPORT_SERVICES}.json"
    with export_path.open("w", encoding="utf-8") as output:
        exported = export_oruk_json(output, limit=IMPORT_SERVICES)
    say(f"{backend}: importing them into a fresh database…")
    seconds, said = _import_fresh(backend, export_path)
    lines.append(
        f"  ORUK 3.0 import of {exported:,} services into a fresh database: {seconds:.1f} s "
        f"({said}) budget {IMPORT_BUDGET_S:.0f} s {_verdict(seconds < IMPORT_BUDGET_S and 'rejected: 0' in said)}"
    )

    say(f"{backend}: streaming the ndjson export of all {published:,} services…")
    with Server(env, workers=1) as server:
        (worker,) = server.worker_pids()
        get(server.port, "/api/oruk/services?per_page=1")
        before = _status_value(worker, "VmHWM")
        seconds, count, size = _stream_ndjson(server, "/api/oruk/services?format=ndjson")
        peak = _status_value(worker, "VmHWM")
    ok = peak < EXPORT_MEMORY_BUDGET_MB and count == published
    lines.append(
        f"  ndjson export of every service: {count:,} services, {size / 1e6:,.0f} MB in {seconds:.0f} s "
        f"({count / seconds:,.0f}/s); worker peak {peak:.0f} MB (after warm-up {before:.0f} MB), "
        f"budget {EXPORT_MEMORY_BUDGET_MB:.0f} MB {_verdict(ok)}"
    )
    say(f"{backend}: streaming the ndjson export with full=true for {NDJSON_FULL_SECONDS:.0f} s…")
    with Server(env, workers=1) as server:
        (worker,) = server.worker_pids()
        get(server.port, "/api/oruk/services?per_page=1")
        seconds, count, size = _stream_ndjson(
            server, "/api/oruk/services?format=ndjson&full=true", seconds=NDJSON_FULL_SECONDS
        )
        peak = _status_value(worker, "VmHWM")
    lines.append(
        f"  ndjson export with full=true: {count:,} fully nested services in {seconds:.0f} s "
        f"({count / seconds:,.0f}/s, so about {published / max(count / seconds, 1) / 60:,.0f} min for "
        f"all); worker peak {peak:.0f} MB {_verdict(peak < EXPORT_MEMORY_BUDGET_MB)}"
    )
    return lines


# --- entry points ------------------------------------------------------------------------------


def run() -> list[str]:
    backends = [
        name.strip()
        for name in os.environ.get("BENCH_DIRECTORY_DATABASES", "sqlite,postgresql").split(",")
        if name.strip()
    ]
    lines: list[str] = []
    for backend in backends:
        try:
            database_url, data_dir = prepare(backend)
        except Exception as error:  # noqa: BLE001 - no server, no file: say so and go on
            lines.append(f"bench_directory on {backend}: not measured: {error} (OVER BUDGET)")
            continue
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.bench_directory",
                "measure",
                backend,
                database_url,
                str(data_dir),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            lines.append(
                f"bench_directory on {backend}: the measurement failed (exit {result.returncode})"
            )
        lines.extend(result.stdout.rstrip("\n").splitlines())
    return lines


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "state":
        _state_child(sys.argv[3], sys.argv[4])
    elif len(sys.argv) > 1 and sys.argv[1] == "measure":
        print("\n".join(measure(sys.argv[2], sys.argv[3], Path(sys.argv[4]))), flush=True)
    else:
        print("\n".join(run()), flush=True)
