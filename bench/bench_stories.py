"""Public story search page server time with 10,000 published stories, on SQLite and PostgreSQL.

Budget (issue 5): the public story search page's server time under 100 ms with 10,000 published
stories. Server time is measured in-process through Django's test client (the whole middleware stack,
the filter choices, the search, the count, paging and template rendering; no network), with /healthz
as the floor of the same stack doing almost nothing, in the same run.

For each database a fresh one is made and migrated, Thurrock's wards and the outcome framework are
loaded, and 10,000 published stories are generated (seeded) over two collections, the wards, the
outcomes and six themes, written in bulk with the same searchable text the publish service makes.
Then, 300 times each after a warm-up: the first page, a one-word search, a two-word search with
outcome and ward filters, a search matching nothing, and page 200.

Settings by environment: BENCH_STORIES_DATABASES (default "sqlite,postgresql"),
BENCH_STORIES_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/cw_stories_bench; the
database is dropped and made again).

    python -m bench.bench_stories        (or: BENCH=stories make bench)
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.support import django_setup, percentile, summary, timings_ms, verdict

ROOT = Path(__file__).resolve().parent.parent
STORIES = 10_000
REPEAT = 300
BUDGET_MS = 100.0
SEED = 5
POSTGRES_URL = os.environ.get(
    "BENCH_STORIES_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/cw_stories_bench"
)

WORDS = [
    "lunch",
    "club",
    "knitting",
    "circle",
    "repair",
    "cafe",
    "walking",
    "group",
    "football",
    "food",
    "bank",
    "allotment",
    "shed",
    "toddler",
    "homework",
    "litter",
    "chair",
    "exercise",
    "conversation",
    "timebank",
    "neighbour",
    "library",
    "surgery",
    "church",
    "hall",
    "friends",
    "committee",
    "winter",
    "christmas",
    "garden",
    "bus",
    "lonely",
    "useful",
    "laugh",
    "tea",
    "chairs",
    "volunteer",
]


def _postgres_fresh(url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _generate() -> dict[str, str]:
    """10,000 published stories; returns a ward code and an outcome slug that have stories."""
    from django.db import connection
    from django.utils import timezone

    from commonweal.geo.models import Area
    from commonweal.geo.services import demo_geography_load
    from commonweal.outcomes.models import Outcome
    from commonweal.outcomes.services import outcome_framework_ensure_default
    from commonweal.stories import services
    from commonweal.stories.constants import (
        CONSENT_VERSION,
        CONSENT_WORDING,
        ConsentLevel,
        StoryState,
    )
    from commonweal.stories.models import Story

    demo_geography_load()
    outcome_framework_ensure_default()
    rng = random.Random(SEED)
    wards = list(Area.objects.wards())
    outcomes = list(Outcome.objects.all())
    themes = [services.theme_ensure(name=f"Theme {n}") for n in range(6)]
    collections = [
        services.collection_create(
            actor=None, title=f"Bench collection {n}", question="What made a difference?"
        )
        for n in range(2)
    ]
    now = timezone.now()
    stories = []
    for n in range(STORIES):
        title = " ".join(rng.choices(WORDS, k=4)).capitalize()
        text = " ".join(rng.choices(WORDS, k=rng.randint(60, 160))).capitalize() + "."
        consent = rng.choice([ConsentLevel.PUBLIC_ANONYMOUS, ConsentLevel.PUBLIC_NAMED])
        story = Story(
            collection=collections[n % 2],
            eliciting_question="What made a difference?",
            title=title,
            text=text,
            ward=rng.choice(wards),
            consent_level=consent,
            consent_wording=CONSENT_WORDING[consent],
            consent_version=CONSENT_VERSION,
            consent_given_at=now,
            teller_name="Jo" if consent == ConsentLevel.PUBLIC_NAMED else "",
            state=StoryState.PUBLISHED,
            published_at=now - timezone.timedelta(minutes=n),
        )
        story.search_text = services.search_text_for(story)
        stories.append(story)
    Story.objects.bulk_create(stories, batch_size=1000)
    through_outcomes = Story.outcomes.through
    through_themes = Story.themes.through
    ids = list(Story.objects.values_list("pk", flat=True))
    through_outcomes.objects.bulk_create(
        [
            through_outcomes(story_id=pk, outcome_id=outcome.pk)
            for pk in ids
            for outcome in rng.sample(outcomes, k=rng.randint(1, 3))
        ],
        batch_size=2000,
    )
    through_themes.objects.bulk_create(
        [through_themes(story_id=pk, theme_id=rng.choice(themes).pk) for pk in ids], batch_size=2000
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    busiest = Story.objects.values_list("ward__code", flat=True).first()
    return {"ward": str(busiest), "outcome": outcomes[0].slug}


def _child(database_url: str) -> None:
    django_setup(database_url=database_url)
    from django.db import connection
    from django.test import Client

    picked = _generate()
    client = Client()
    queries = {
        "first page   /stories/": "/stories/",
        "one word     ?q=allotment": "/stories/?q=allotment",
        "two words + outcome + ward": f"/stories/?q=lunch+club&outcome={picked['outcome']}&ward={picked['ward']}",
        "no match     ?q=zebra": "/stories/?q=zebra",
        "page 200": "/stories/?page=200",
    }
    for url in queries.values():
        assert client.get(url).status_code == 200, url
    floor = timings_ms(lambda: client.get("/healthz"), repeat=REPEAT)
    lines = [
        f"{connection.vendor}: {STORIES:,} published stories",
        summary("  floor /healthz", floor),
    ]
    worst = 0.0
    for label, url in queries.items():
        samples = timings_ms(lambda url=url: client.get(url), repeat=REPEAT)
        worst = max(worst, percentile(samples, 0.95))
        lines.append(
            summary(f"  {label}", samples)
            + f" ({statistics.median(samples) / statistics.median(floor):.1f}x floor p50)"
        )
    lines.append(
        f"  budget: search page p95 under {BUDGET_MS:.0f} ms: worst {worst:.2f} ms -> "
        f"{verdict(worst < BUDGET_MS)}"
    )
    print("\n".join(lines))


def run() -> list[str]:
    wanted = os.environ.get("BENCH_STORIES_DATABASES", "sqlite,postgresql").split(",")
    lines = []
    for backend in (name.strip() for name in wanted if name.strip()):
        url = ""
        if backend == "postgresql":
            try:
                _postgres_fresh(POSTGRES_URL)
            except Exception as exc:  # no server: say so rather than fail the other database
                lines.append(f"postgresql: skipped, no server ({exc.__class__.__name__}: {exc})")
                continue
            url = POSTGRES_URL
        completed = subprocess.run(
            [sys.executable, "-m", "bench.bench_stories", "child", url],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            lines.append(f"{backend}: failed\n{completed.stderr[-3000:]}")
        else:
            lines.append(completed.stdout.strip())
    return lines


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "child":
        _child(sys.argv[2] if len(sys.argv) > 2 else "")
    else:
        print("\n".join(run()))
