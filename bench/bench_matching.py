"""Gift board match suggestions for one need among 20,000 open offers, on SQLite and on PostgreSQL.

Budget (issue 4): suggestions for one need under 100 ms. Each database gets Thurrock's real postcodes
(``geo_load_demo``), 20,000 open offers spread over them by a few thousand members in 40 categories
of 8 families, and 300 needs. Then ``match_suggestions`` is timed for each of the needs in turn (p50
and p95), against a floor measured in the same run: the bare SQL query that fetches the first
candidate rows (same category, the first bounding box) for the same needs.

SQLite runs in a temporary folder; PostgreSQL in the database ``cw_giftboard_bench`` (dropped and made
again), at ``BENCH_POSTGRES_URL`` or ``postgres://postgres@127.0.0.1:5432``. Each database is measured
in its own process, because Django is set up once per process.

    BENCH=matching make bench
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.support import django_setup, percentile, summary, verdict

BUDGET_MS = 100.0
OFFERS = 20_000
NEEDS = 300
MEMBERS = 2_000
FAMILIES = 8
CHILDREN = 5
SEED = 4
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
POSTGRES_DATABASE = "cw_giftboard_bench"
ROOT = Path(__file__).resolve().parent.parent


def _postgres_fresh() -> str:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {POSTGRES_DATABASE}")
    return f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}"


def _populate(rng: random.Random) -> list[Any]:
    """Geography, categories, members, offers and needs; returns the needs."""
    from django.contrib.auth.hashers import make_password

    from commonweal.accounts.models import User
    from commonweal.geo.models import Area, Postcode
    from commonweal.geo.services import demo_geography_load
    from commonweal.timebank.constants import GiftType, MemberStatus, PostKind
    from commonweal.timebank.models import Category, GiftPost, Member, Timebank

    demo_geography_load()
    wards = {area.code: area for area in Area.objects.filter(kind="ward")}
    points = list(Postcode.objects.values_list("postcode", "latitude", "longitude", "ward_code"))
    bank = Timebank.objects.create(name="Thurrock Timebank", slug="thurrock")

    families, children = [], []
    for f in range(FAMILIES):
        family = Category.objects.create(name=f"Family {f}", slug=f"family-{f}")
        families.append(family)
        for c in range(CHILDREN):
            children.append(
                Category.objects.create(name=f"Kind {f}.{c}", slug=f"kind-{f}-{c}", parent=family)
            )

    password = make_password(None)
    users = User.objects.bulk_create(
        [User(email=f"bench{n}@example.org", password=password) for n in range(MEMBERS)]
    )
    members = []
    for user in users:
        postcode, lat, lon, ward_code = rng.choice(points)
        members.append(
            Member(
                timebank=bank,
                user=user,
                display_name=user.email,
                status=MemberStatus.ACTIVE,
                postcode=postcode,
                latitude=round(lat, 6),
                longitude=round(lon, 6),
                ward=wards.get(ward_code),
            )
        )
    members = Member.objects.bulk_create(members)

    def post(kind: str) -> GiftPost:
        member = rng.choice(members)
        category = rng.choice(children)
        # Posts are placed at a postcode of their own half the time, else at the member's.
        if rng.random() < 0.5:
            postcode, lat, lon, ward_code = rng.choice(points)
            place = {
                "postcode": postcode,
                "latitude": round(lat, 6),
                "longitude": round(lon, 6),
                "ward": wards.get(ward_code),
            }
        else:
            place = {
                "postcode": member.postcode,
                "latitude": member.latitude,
                "longitude": member.longitude,
                "ward": member.ward,
            }
        return GiftPost(
            timebank=bank,
            kind=kind,
            title=f"{kind} {category.name}",
            category=category,
            category_family_id=category.parent_id,
            gift_type=rng.choice(GiftType.values),
            member=member,
            posted_by_id=member.user_id,
            **place,
        )

    GiftPost.objects.bulk_create([post(PostKind.OFFER) for _ in range(OFFERS)], batch_size=2000)
    needs = GiftPost.objects.bulk_create(
        [post(PostKind.NEED) for _ in range(NEEDS)], batch_size=2000
    )
    return list(GiftPost.objects.filter(pk__in=[need.pk for need in needs]).order_by("pk"))


def _floor_query(need: Any) -> list[Any]:
    """The bare SQL a suggestion cannot do without: same-category candidates in the first box."""
    from commonweal.geo.distance import bbox_around
    from commonweal.timebank.matching import SEARCH_RADII_KM, candidate_queryset

    radius = SEARCH_RADII_KM[0] or 2
    min_lat, max_lat, min_lon, max_lon = bbox_around(
        float(need.latitude), float(need.longitude), radius * 1000
    )
    return list(
        candidate_queryset(need)
        .filter(
            category_id=need.category_id,
            latitude__gte=min_lat,
            latitude__lte=max_lat,
            longitude__gte=min_lon,
            longitude__lte=max_lon,
        )
        .values_list("id", "latitude", "longitude", "created_at")
    )


def _timed(action: Any, needs: list[Any]) -> list[float]:
    import time

    for need in needs[:10]:
        action(need)
    samples = []
    for need in needs:
        started = time.perf_counter()
        action(need)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def measure(database: str) -> list[str]:
    url = _postgres_fresh() if database == "postgresql" else ""
    django_setup(database_url=url)
    from django.db import connection

    from commonweal.timebank.matching import match_suggestions

    rng = random.Random(SEED)
    needs = _populate(rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    found = [len(match_suggestions(need)) for need in needs[:20]]
    floor = _timed(_floor_query, needs)
    matching = _timed(match_suggestions, needs)
    p50, p95 = statistics.median(matching), percentile(matching, 0.95)
    label = f"[{connection.vendor}]"
    return [
        f"{label} {OFFERS} open offers, {len(needs)} needs; suggestions per need (first 20): "
        f"min {min(found)}, max {max(found)}",
        f"{label} " + summary("floor    first-box SQL", floor),
        f"{label} " + summary("matching suggestions  ", matching),
        f"{label} ratio matching/floor (p50): {p50 / statistics.median(floor):.1f}x",
        f"{label} budget: suggestions p95 under {BUDGET_MS:.0f} ms: {p95:.2f} ms -> "
        f"{verdict(p95 < BUDGET_MS)}",
    ]


def run() -> list[str]:
    lines = []
    for database in ("sqlite", "postgresql"):
        completed = subprocess.run(
            [sys.executable, "-m", "bench.bench_matching", database],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            lines.append(
                f"[{database}] failed (OVER BUDGET: nothing measured):\n{completed.stderr[-1500:]}"
            )
        else:
            lines.extend(completed.stdout.strip().splitlines())
    return lines


if __name__ == "__main__":
    if len(sys.argv) > 1:
        print("\n".join(measure(sys.argv[1])))
    else:
        print("\n".join(run()))
