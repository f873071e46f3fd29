"""The panel meeting page with 200 ideas and 9 panellists, and one idea's gallery page among 5,000
ideas with its similar ideas, each against /healthz in the same run.

Budget (issue 6): a panel page with 200 applications and 9 panellists renders in under 150 ms server
time. The round has the default rubric (the seven outcomes, 0-3, and three criteria, 1-5): every
panellist scores every idea on every line (200 x 9 x 10 = 18,000 scores), one in twenty lines N/A, and
a few conflicts are declared. Server time is measured in-process through Django's test client (the
whole middleware stack, the results arithmetic, template rendering and queries; no network), on SQLite
in a temporary folder.

Budget (issue 6): similar ideas for one canvas among 5,000 under 100 ms. 5,000 gallery ideas are
written from a seeded mix of themes, ``similar_ideas_compute`` (the nightly command's work: TF-IDF and
cosine in chunks) is timed once, and then the gallery page of one idea (its stored similar ideas and who
is working nearby) is timed for 60 different ideas.

    BENCH=grants make bench
"""

from __future__ import annotations

import datetime
import random
import statistics
from decimal import Decimal

from bench.support import django_setup, percentile, summary, timings_ms, verdict

BUDGET_MS = 150.0
SIMILAR_BUDGET_MS = 100.0
GALLERY_IDEAS = 5_000
WORDS = {
    "food": "food pantry fridge meals cooking kitchen lunch breakfast",
    "garden": "garden allotment seeds vegetables planting bulbs trees park",
    "young": "young people teenagers youth club skate football homework",
    "older": "older people lonely tea dance lunch club memory cafe",
    "arts": "art mural choir singing music theatre craft sewing",
    "active": "walking cycling exercise fitness running swimming dance",
    "digital": "digital phones internet computers online forms help",
    "repair": "repair cafe mend tools bikes fix sharing library",
}
IDEAS = 200
PANELLISTS = 9
SEED = 6


def _populate() -> tuple[object, object]:
    from django.utils import timezone

    from commonweal.accounts.constants import OrganisationKind, Role
    from commonweal.accounts.models import Membership, Organisation, User
    from commonweal.grants.constants import CanvasStatus, PanelMemberKind
    from commonweal.grants.models import Canvas, Conflict, Criterion, PanelMember, Score
    from commonweal.grants.services.funds import fund_create, round_create
    from commonweal.grants.services.panels import panel_create
    from commonweal.outcomes.services import outcome_framework_ensure_default

    rng = random.Random(SEED)
    council = Organisation.objects.create(
        name="Bench Council", slug="bench-council", kind=OrganisationKind.COUNCIL
    )
    officer = User.objects.create(email="officer@example.org", full_name="Officer")
    Membership.objects.create(user=officer, organisation=council, role=Role.ANALYST)
    framework = outcome_framework_ensure_default()
    fund = fund_create(
        actor=None,
        name="Innovation",
        slug="innovation",
        kind="innovation",
        funder=council,
        publisher_prefix="360G-bench",
    )
    now = timezone.now()
    round_ = round_create(
        actor=None,
        fund=fund,
        name="Round 1",
        slug="r1",
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now - datetime.timedelta(days=1),
        budget=Decimal("300000"),
        max_award=Decimal("5000"),
        outcomes=list(framework.outcomes.all()),
    )
    groups = Organisation.objects.bulk_create(
        [
            Organisation(name=f"Group {n}", slug=f"group-{n}", kind=OrganisationKind.VCS_GROUP)
            for n in range(IDEAS)
        ]
    )
    author = User.objects.create(email="author@example.org")
    canvases = Canvas.objects.bulk_create(
        [
            Canvas(
                round=round_,
                organisation=group,
                created_by=author,
                title=f"Idea {n}",
                answers={"idea": "A community idea"},
                amount_requested=Decimal(rng.randrange(500, 5000)),
                status=CanvasStatus.SUBMITTED,
                submitted_at=now,
            )
            for n, group in enumerate(groups)
        ]
    )
    panel = panel_create(actor=None, round_=round_, name="Bench panel")
    kinds = list(PanelMemberKind)
    members = []
    for n in range(PANELLISTS):
        user = User.objects.create(email=f"panel{n}@example.org", full_name=f"Panellist {n}")
        members.append(
            PanelMember.objects.create(panel=panel, user=user, kind=kinds[n % 4], declared_at=now)
        )
    criteria = list(Criterion.objects.filter(round=round_))
    conflicts = {(members[n % PANELLISTS].pk, canvases[n * 17].pk) for n in range(10)}
    Conflict.objects.bulk_create(
        [Conflict(member_id=m, canvas_id=c, nature="Bench") for m, c in conflicts]
    )
    scores = []
    for member in members:
        leniency = rng.choice([-1, 0, 0, 1])
        for canvas in canvases:
            if (member.pk, canvas.pk) in conflicts:
                continue
            for criterion in criteria:
                value = (
                    None
                    if rng.random() < 0.05
                    else max(
                        0, min(criterion.scale_max, rng.randint(0, criterion.scale_max) + leniency)
                    )
                )
                scores.append(Score(member=member, canvas=canvas, criterion=criterion, value=value))
    Score.objects.bulk_create(scores, batch_size=2000)
    return officer, panel


def _gallery(officer: object) -> tuple[list[object], float]:
    """5,000 gallery ideas in one open round; returns some ideas and how long computing took (ms)."""
    import time

    from django.utils import timezone

    from commonweal.accounts.models import Organisation, User
    from commonweal.grants.constants import CanvasStatus
    from commonweal.grants.models import Canvas, Fund
    from commonweal.grants.services.funds import round_create
    from commonweal.grants.services.gallery import similar_ideas_compute

    rng = random.Random(SEED + 1)
    now = timezone.now()
    round_ = round_create(
        actor=None,
        fund=Fund.objects.get(),
        name="Open round",
        slug="open",
        opens_at=now - datetime.timedelta(days=5),
        closes_at=now + datetime.timedelta(days=30),
        budget=Decimal("1000000"),
        max_award=Decimal("5000"),
    )
    from commonweal.geo.models import Area

    wards = [
        Area.objects.create(kind="ward", code=f"E05{n:06d}", name=f"Ward {n}") for n in range(20)
    ]
    groups = list(Organisation.objects.filter(slug__startswith="group-"))
    for group in groups:  # groups spread over a borough-sized box, so "nearby" has work to do
        group.latitude = Decimal(f"{51.45 + rng.random() * 0.12:.6f}")
        group.longitude = Decimal(f"{0.25 + rng.random() * 0.25:.6f}")
    Organisation.objects.bulk_update(groups, ["latitude", "longitude"])
    author = User.objects.get(email="author@example.org")
    themes = list(WORDS.values())
    canvases = []
    for n in range(GALLERY_IDEAS):
        words = rng.choice(themes).split() + rng.choice(themes).split()
        text = " ".join(rng.sample(words, 8))
        canvases.append(
            Canvas(
                round=round_,
                organisation=groups[n % len(groups)],
                created_by=author,
                title=f"Gallery idea {n}",
                summary=text,
                answers={"idea": " ".join(rng.sample(words, 10))},
                status=CanvasStatus.DRAFT,
                in_gallery=True,
                ward=wards[n % len(wards)],
            )
        )
    canvases = Canvas.objects.bulk_create(canvases, batch_size=1000)
    started = time.perf_counter()
    similar_ideas_compute()
    return rng.sample(canvases, 60), (time.perf_counter() - started) * 1000


def run() -> list[str]:
    django_setup()
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    with override_settings(COMMONWEAL_REQUIRE_STAFF_2FA=False):
        officer, panel = _populate()
        client = Client()
        client.force_login(officer)  # type: ignore[arg-type]
        url = reverse("grants:panel_meeting", args=[panel.public_id])  # type: ignore[attr-defined]
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        assert response.content.decode().count("Idea ") >= 200
        floor = timings_ms(lambda: client.get("/healthz"), repeat=100)
        page = timings_ms(lambda: client.get(url), repeat=40)
        z_page = timings_ms(lambda: client.get(url + "?view=z"), repeat=20)
        ideas, compute_ms = _gallery(officer)
        pages = [reverse("grants:gallery_idea", args=[idea.public_id]) for idea in ideas]  # type: ignore[attr-defined]
        first = client.get(pages[0])
        assert (
            first.status_code == 200
            and "Gallery idea" in first.content.decode().split("Similar ideas")[1]
        )
        cursor = iter(pages * 2)
        gallery = timings_ms(lambda: client.get(next(cursor)), repeat=60, warmup=5)
    p95 = percentile(page, 0.95)
    gallery_p95 = percentile(gallery, 0.95)
    return [
        f"{IDEAS} ideas, {PANELLISTS} panellists, 10 rubric lines each (SQLite)",
        summary("floor  /healthz", floor),
        summary("panel meeting page", page),
        summary("panel meeting page, z-score view", z_page),
        f"ratio page/floor (p50): {statistics.median(page) / statistics.median(floor):.1f}x",
        f"budget: panel page p95 under {BUDGET_MS:.0f} ms: {p95:.2f} ms -> {verdict(p95 < BUDGET_MS)}",
        f"similar ideas computed for {GALLERY_IDEAS:,} gallery ideas (offline command): {compute_ms:.0f} ms",
        summary("one idea's gallery page (similar ideas and nearby)", gallery),
        f"budget: similar ideas for one canvas among {GALLERY_IDEAS:,} p95 under {SIMILAR_BUDGET_MS:.0f} ms: "
        f"{gallery_p95:.2f} ms -> {verdict(gallery_p95 < SIMILAR_BUDGET_MS)}",
    ]


if __name__ == "__main__":
    print("\n".join(run()))
