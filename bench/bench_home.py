"""Home page server time on the demo borough, against a trivial endpoint measured in the same run.

Budget (issue: foundation): home page server time under 50 ms on the demo data.
Server time is measured in-process through Django's test client (the whole middleware stack, template
rendering and queries; no network), with /healthz as the floor of the same stack doing almost nothing.
"""

from __future__ import annotations

import io
import statistics

from bench.support import django_setup, percentile, summary, timings_ms, verdict

BUDGET_MS = 50.0


def run() -> list[str]:
    django_setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("demo_load", stdout=io.StringIO(), stderr=io.StringIO())
    client = Client()
    assert client.get("/").status_code == 200

    floor = timings_ms(lambda: client.get("/healthz"), repeat=300)
    home = timings_ms(lambda: client.get("/"), repeat=300)
    p50, p95 = statistics.median(home), percentile(home, 0.95)
    return [
        summary("floor  /healthz", floor),
        summary("home   /", home),
        f"ratio home/floor (p50): {p50 / statistics.median(floor):.1f}x",
        f"budget: home page p95 under {BUDGET_MS:.0f} ms: {p95:.2f} ms -> {verdict(p95 < BUDGET_MS)}",
    ]


if __name__ == "__main__":
    print("\n".join(run()))
