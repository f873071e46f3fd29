"""Theme analysis of 10,000 stories: time and peak memory, against reading the same text as the floor.

Budget (issue 5): theme analysis of 10,000 stories under 60 s on this machine, peak memory under 1 GB.

It generates 10,000 stories (seeded) from the demo's sentence pools plus a wider vocabulary of everyday
words, so that the TF-IDF matrix has a realistic number of distinct terms, and runs
``commonweal.stories.themes.themes_find`` (TF-IDF, then NMF into 8 themes) on them in this process,
without a database: the analysis is what is measured. Peak memory is the process's maximum resident
size (``ru_maxrss``) after the run, which includes Python, Django and scikit-learn themselves; the
floor is the same text joined and split into words once.

    python -m bench.bench_themes        (or: BENCH=themes make bench)
"""

from __future__ import annotations

import os
import random
import resource
import time

STORIES = 10_000
BUDGET_S = 60.0
BUDGET_MB = 1024.0
SEED = 7


def _stories() -> list[tuple[int, str]]:
    from commonweal.demo.stories import ACTIVITIES, ENDINGS, LISTENING_ISSUES, MIDDLES, OPENINGS

    rng = random.Random(SEED)
    everyday = [
        f"{a}{b}"
        for a in ("walk", "shop", "cook", "talk", "visit", "clean", "read", "play")
        for b in ("ed", "ing", "s", "er", "ers")
    ]
    # Letters only (the analysis ignores tokens with digits): 6,000 made-up words of three syllables.
    syllables = [c + v for c in "bdfgklmnprstvw" for v in "aeiou"]
    everyday += sorted({"".join(rng.choices(syllables, k=3)) for _ in range(6000)})
    documents = []
    for n in range(STORIES):
        activity, _ = rng.choice(ACTIVITIES)
        parts = [
            rng.choice(OPENINGS),
            rng.choice(MIDDLES).format(activity=activity),
            rng.choice(LISTENING_ISSUES)[0],
            " ".join(rng.choices(everyday, k=rng.randint(40, 160))),
            rng.choice(ENDINGS),
        ]
        documents.append((n, " ".join(parts)))
    return documents


def run() -> list[str]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonweal.settings.test")
    import django

    django.setup()
    from commonweal.stories.themes import themes_find

    documents = _stories()
    started = time.perf_counter()
    words = sum(len(text.split()) for _, text in documents)
    floor = time.perf_counter() - started
    started = time.perf_counter()
    found = themes_find(documents, themes=8)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return [
        f"{STORIES:,} stories, {words:,} words; floor (split every story into words): {floor:.2f} s",
        f"theme analysis (TF-IDF + NMF, 8 themes): {seconds:.1f} s, {len(found)} themes",
        *(
            f"  theme {t.number}: {', '.join(t.top_terms[:6])} ({t.size} stories)"
            for t in found[:8]
        ),
        f"peak memory of the whole process: {peak_mb:.0f} MB",
        f"budget: under {BUDGET_S:.0f} s: {seconds:.1f} s -> {verdict(seconds < BUDGET_S)}; "
        f"under {BUDGET_MB:.0f} MB: {peak_mb:.0f} MB -> {verdict(peak_mb < BUDGET_MB)}",
    ]


def verdict(ok: bool) -> str:
    from bench.support import verdict as support_verdict

    return support_verdict(ok)


if __name__ == "__main__":
    print("\n".join(run()))
