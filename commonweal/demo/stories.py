"""The demo's stories: two collections over Thurrock's wards and 160 invented stories with the
tellers' own signification, varied consent, some published, some kept internal or declined, and some
still waiting for the demo moderator.

Every teller and story is invented. Everything is deterministic (one seeded ``random.Random``) and
found again by natural keys (collection slugs; stories are made only while the demo collections have
none), so loading again adds nothing. The stories have no client id: one made from public facts (a
fixed namespace and a number) would let anyone who sends the same words ask for a story's private
withdrawal link.
Stories go through ``commonweal.stories.services`` as a teller, a gatherer and a moderator would.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.utils import timezone

from commonweal.accounts.models import User
from commonweal.demo.borough import DEMO_EMAIL_DOMAIN, THURROCK, DemoResult
from commonweal.geo.selectors import ward_list
from commonweal.outcomes.selectors import outcome_list
from commonweal.stories import services
from commonweal.stories.constants import (
    AgeBand,
    CollectionMethod,
    ConsentLevel,
    EthnicGroup,
    Gender,
    SignifierKind,
    StoryState,
)
from commonweal.stories.models import Collection, ListeningRecord, Story
from commonweal.stories.signification import triad_normalise

SEED = 5_2026
STORIES = 160
LISTENING_RECORDS = 40

COLLECTIONS = [
    {
        "slug": "demo-ideas-fair-november",
        "title": "Ideas Fair, November (demo)",
        "question": "Tell us about a time when you felt you really belonged here.",
        "place": "Thameside Theatre, Grays",
        "signifiers": [
            services.SignifierSpec(
                kind=SignifierKind.TRIAD,
                prompt="What made the difference in your story?",
                poles=[
                    "Neighbours and friends",
                    "A group or club",
                    "Council, NHS or other services",
                ],
            ),
            services.SignifierSpec(
                kind=SignifierKind.DYAD,
                prompt="In your story, who was doing things?",
                poles=["I did it myself", "It was done for me"],
            ),
        ],
    },
    {
        "slug": "demo-pop-up-living-rooms",
        "title": "Pop-up living rooms, spring (demo)",
        "question": "What has made a difference to you or your neighbours in the last year?",
        "place": "Pop-up living rooms in Tilbury, Chadwell and South Ockendon",
        "signifiers": [
            services.SignifierSpec(
                kind=SignifierKind.TRIAD,
                prompt="What did it give you most?",
                poles=["Someone to talk to", "Something useful to do", "Help when I needed it"],
            ),
            services.SignifierSpec(
                kind=SignifierKind.DYAD,
                prompt="How did it come about?",
                poles=["It was planned", "It just happened"],
            ),
            services.SignifierSpec(
                kind=SignifierKind.DYAD,
                prompt="How long will it last?",
                poles=["It was a one-off", "It will keep going"],
            ),
        ],
    },
]

ACTIVITIES = [
    ("the lunch club", "Lunch club"),
    ("the knitting circle", "Knitting circle"),
    ("the repair café", "Repair café"),
    ("the walking group", "Walking group"),
    ("the Saturday football for under-12s", "Saturday football"),
    ("the food bank", "Food bank"),
    ("the community allotment", "Allotment"),
    ("the men's shed", "Men's shed"),
    ("the baby and toddler group", "Toddler group"),
    ("the library's homework club", "Homework club"),
    ("the street litter pick", "Litter pick"),
    ("the chair exercise class", "Chair exercise"),
    ("the English conversation café", "Conversation café"),
    ("the timebank", "Timebank"),
]
OPENINGS = [
    "After I lost my job I hardly left the house for months.",
    "When we moved here nobody knew us and the children missed their friends.",
    "My husband died two winters ago and the evenings were very long.",
    "I had just come out of hospital and could not drive.",
    "I was new to the country and my English was not good.",
    "I used to walk past the hall every day without going in.",
    "Money was tight and I was too proud to ask for help.",
    "I care for my mum and I had forgotten what I liked doing.",
]
MIDDLES = [
    "A neighbour knocked on my door and asked if I would like to come to {activity}.",
    "The woman at the GP surgery told me about {activity} and wrote it down for me.",
    "I saw a poster in the chip shop window for {activity} and my daughter made me go.",
    "Someone from the community hub rang and said there was a space at {activity}.",
    "My friend from church took me along to {activity} the first time.",
    "The volunteer at the door of {activity} remembered my name on the second week.",
]
ENDINGS = [
    "Now I help set out the chairs and make the tea, and people ask for me if I am not there.",
    "I have made three friends and we meet on Sundays too.",
    "I feel like I am part of the place now, not just living in it.",
    "My son says I laugh more. I think he is right.",
    "I learned to fix things I would have thrown away, and I teach others now.",
    "It is the first time in years I have felt useful.",
    "We started a WhatsApp group for the street and nobody is on their own at Christmas any more.",
    "I was asked to join the committee. Me, on a committee!",
]
THEMES = [
    "Loneliness",
    "Getting about",
    "Feeling useful",
    "Making friends",
    "Money worries",
    "New to the area",
]
FIRST_NAMES = [
    "Jo",
    "Amira",
    "Dave",
    "Precious",
    "Tomasz",
    "Linda",
    "Kwame",
    "Sue",
    "Harpreet",
    "Ellie",
]


def _people() -> tuple[User | None, User | None]:
    moderator = User.objects.filter(email=f"moderator@{DEMO_EMAIL_DOMAIN}").first()
    gatherer = User.objects.filter(email=f"volunteer@{DEMO_EMAIL_DOMAIN}").first()
    return moderator, gatherer


def _collections() -> list[Collection]:
    found = []
    for spec in COLLECTIONS:
        collection = Collection.objects.filter(slug=spec["slug"]).first()
        if collection is None:
            collection = services.collection_create(
                actor=None,
                slug=str(spec["slug"]),
                title=str(spec["title"]),
                question=str(spec["question"]),
                place=str(spec["place"]),
                signifiers=spec["signifiers"],  # type: ignore[arg-type]
            )
        found.append(collection)
    return found


def _story_text(rng: random.Random) -> tuple[str, str]:
    activity, short = rng.choice(ACTIVITIES)
    text = " ".join(
        [rng.choice(OPENINGS), rng.choice(MIDDLES).format(activity=activity), rng.choice(ENDINGS)]
    )
    title = rng.choice(
        [short, f"{short} saved my winter", f"Finding {activity}", f"Why I go to {activity}"]
    )
    return title[:1].upper() + title[1:], text


def _answers(rng: random.Random, collection: Collection) -> dict[int, tuple[int, ...] | None]:
    answers: dict[int, tuple[int, ...] | None] = {}
    for signifier in collection.signifiers.all():
        if rng.random() < 0.07:
            answers[signifier.pk] = None
        elif signifier.is_triad:
            answers[signifier.pk] = triad_normalise([rng.randint(0, 10) ** 2 + 1 for _ in range(3)])
        else:
            answers[signifier.pk] = (rng.randint(0, 100),)
    return answers


LISTENING_ISSUES = [
    (
        "The buses stop at seven so she cannot get to the evening class.",
        "transport-and-getting-about",
    ),
    (
        "Fly-tipping behind the shops every weekend; nobody comes to clear it.",
        "litter-and-fly-tipping",
    ),
    (
        "Nowhere for the teenagers to go after school, so they hang about the station.",
        "young-people",
    ),
    ("Rent went up again; worried about heating this winter.", "money-jobs-and-the-cost-of-living"),
    ("The park lights are broken and people avoid it after dark.", "crime-and-feeling-safe"),
    ("Since the day centre closed her dad sees nobody all week.", "loneliness-and-isolation"),
    (
        "The church hall would lend its room for a coffee morning if someone ran it.",
        "places-to-meet",
    ),
    ("Damp in the flat and the landlord does not answer.", "housing"),
    ("Waiting weeks for a GP appointment.", "health-and-care"),
    ("Wants a community garden on the empty plot by the flats.", "parks-and-green-spaces"),
]
STREETS = [
    "Orsett Road",
    "Dock Road",
    "Stanford Road",
    "Clarence Road",
    "Hathaway Road",
    "Calcutta Road",
]


def listening_load(result: DemoResult, wards: list[Any]) -> None:
    """Forty conversations of the demo coordinator's team, door to door over the wards."""
    from commonweal.stories import listening

    organiser = User.objects.filter(email=f"coordinator@{DEMO_EMAIL_DOMAIN}").first()
    if organiser is None or not wards:
        return
    team = listening.listening_teams_for(user=organiser).first()
    if team is None or ListeningRecord.objects.filter(team=team).exists():
        return
    categories = {category.slug: category for category in listening.issue_categories_ensure()}
    rng = random.Random(SEED + 1)
    today = timezone.localdate()
    for n in range(LISTENING_RECORDS):
        issue, slug = rng.choice(LISTENING_ISSUES)
        follow_up = rng.random() < 0.4
        listening.listening_record_create(
            actor=organiser,
            draft=listening.ListeningDraft(
                team=team,
                conversation_on=today - datetime.timedelta(days=rng.randint(1, 120)),
                issues=issue,
                energy=rng.choice(["none", "low", "some", "some", "high"]),
                ward=rng.choice(wards),
                street=rng.choice(STREETS) if rng.random() < 0.5 else "",
                categories=[categories[slug]],
                follow_up_consent=follow_up,
                contact_detail=f"0770090{n:04d} (demo)" if follow_up else "",
            ),
        )
    result.counts["listening records"] = ListeningRecord.objects.filter(team=team).count()


MSC_ROUND_TITLE = "Autumn round (demo)"


def msc_load(result: DemoResult, moderator: User | None) -> None:
    """A Most Significant Change round over the demo's stories, chosen and fed back."""
    from commonweal.stories import msc
    from commonweal.stories.models import MscRound

    if MscRound.objects.filter(title=MSC_ROUND_TITLE).exists():
        return
    today = timezone.localdate()
    outcomes = list(outcome_list()[:2])
    msc_round = msc.msc_round_create(
        actor=moderator,
        title=MSC_ROUND_TITLE,
        period_start=today - datetime.timedelta(days=180),
        period_end=today,
        panel="Grays and Tilbury ward panel (demo)",
        outcomes=outcomes,
    )
    reasons = [
        "It shows someone moving from receiving help to giving it, which is what the fund is for.",
        "A small thing (a phone call) changed a whole year for her; we want more of that.",
        "The whole street changed, not one person: neighbours now look out for each other.",
    ]
    for domain, why in zip(msc_round.domains.all(), reasons, strict=False):
        candidate = msc.msc_candidates(domain=domain).filter(state=StoryState.PUBLISHED).first()
        if candidate is not None:
            msc.msc_select(actor=moderator, domain=domain, story=candidate, reasons=why)
    if msc_round.selections.exists():
        msc.msc_feedback_publish(actor=moderator, msc_round=msc_round)
    result.counts["Most Significant Change selections"] = msc_round.selections.count()


def learning_load(result: DemoResult, moderator: User | None, wards: list[Any]) -> None:
    """Two golden nuggets, illustrative ward populations and one action made from listening."""
    from commonweal.stories import listening, nuggets, population
    from commonweal.stories.models import (
        GoldenNugget,
        IssueCategory,
        ListeningAction,
        WardPopulation,
    )

    if not GoldenNugget.objects.exists():
        notes = [
            "A phone call turned into a year of friendship: read this to the funders (demo).",
            "Shows neighbours acting before any service did (demo).",
        ]
        for story, note in zip(Story.objects.published().order_by("id")[:2], notes, strict=False):
            nuggets.nugget_keep(actor=moderator, story=story, note=note)
    if wards and not WardPopulation.objects.exists():
        rng = random.Random(SEED + 2)
        lines = ["ward code,population,Aged 65 or over"]
        for ward in wards:
            people = rng.randint(6_000, 14_000)
            lines.append(f"{ward.code},{people},{people * rng.randint(12, 24) // 100}")
        population.population_import(
            actor=None, text="\n".join(lines), source="Illustrative figures (demo)"
        )
    organiser = User.objects.filter(email=f"coordinator@{DEMO_EMAIL_DOMAIN}").first()
    team = listening.listening_teams_for(user=organiser).first() if organiser else None
    rollup = listening.listening_issue_rollup(user=organiser) if team else []
    if team is not None and rollup and not ListeningAction.objects.filter(team=team).exists():
        top = IssueCategory.objects.get(slug=rollup[0].slug)
        listening.listening_action_create(
            actor=organiser,
            draft=listening.ActionDraft(
                team=team,
                title=f"{top.name}: a residents' meeting (demo)",
                plan="Invite everyone who would help or lead to a meeting at the hub, and agree "
                "one thing to do together in the next month.",
                lead="The Grays residents' group (demo)",
                category=top,
                records=list(
                    listening.listening_record_list(user=organiser).filter(categories=top)
                ),
            ),
        )
    result.counts["golden nuggets"] = GoldenNugget.objects.count()
    result.counts["ward populations"] = WardPopulation.objects.count()


def stories_load(result: DemoResult) -> None:
    rng = random.Random(SEED)
    moderator, gatherer = _people()
    collections = _collections()
    wards = list(ward_list(THURROCK))
    outcomes = list(outcome_list())
    themes = [services.theme_ensure(name=name) for name in THEMES]
    consent_levels = (
        [ConsentLevel.PUBLIC_ANONYMOUS] * 5
        + [ConsentLevel.PUBLIC_NAMED] * 3
        + [ConsentLevel.INTERNAL] * 2
    )
    now = timezone.now()
    already_loaded = Story.objects.filter(collection__in=collections).exists()
    for n in range(0 if already_loaded else STORIES):
        collection = collections[n % 2]
        title, text = _story_text(rng)
        consent = rng.choice(consent_levels)
        under_16 = rng.random() < 0.05
        draft = services.StoryDraft(
            title=title,
            text=text,
            consent_level=consent,
            ward=rng.choice(wards) if wards and rng.random() < 0.93 else None,
            teller_name=rng.choice(FIRST_NAMES) if consent == ConsentLevel.PUBLIC_NAMED else "",
            teller_under_16=under_16,
            guardian_name="A parent (demo)" if under_16 else "",
            age_band=AgeBand.UNDER_16
            if under_16
            else rng.choice([c for c, _ in AgeBand.choices if c != "under_16"]),
            gender=rng.choice(Gender.values),
            ethnic_group=rng.choice(EthnicGroup.values),
            outcomes=rng.sample(outcomes, k=min(len(outcomes), rng.randint(1, 3))),
            answers=_answers(rng, collection),
        )
        gathered = gatherer is not None and rng.random() < 0.4
        submitted = services.story_submit(
            actor=gatherer if gathered else None,
            collection=collection,
            draft=draft,
            method=CollectionMethod.GATHERER if gathered else CollectionMethod.WEB,
        )
        roll = rng.random()
        chosen_themes = rng.sample(themes, k=rng.randint(1, 2))
        story = submitted.story
        if n % 6 == 0:
            continue  # a sixth stay in the moderation queue
        if roll < 0.06:
            services.story_decline(
                actor=moderator,
                story=story,
                reason="It names other people who did not agree (demo).",
            )
        elif story.is_public_consent:
            services.story_publish(actor=moderator, story=story, themes=chosen_themes)
            Story.objects.filter(pk=story.pk).update(
                published_at=now - datetime.timedelta(days=rng.randint(1, 150), minutes=n)
            )
        else:
            services.story_keep_internal(actor=moderator, story=story, themes=chosen_themes)
    first = collections[0]
    if Story.objects.published().exists() and not Story.objects.filter(featured=True).exists():
        for story in Story.objects.published().filter(collection=first).order_by("id")[:3]:
            services.story_feature(actor=moderator, story=story, featured=True)
    listening_load(result, wards)
    msc_load(result, moderator)
    learning_load(result, moderator, wards)
    result.counts["stories"] = Story.objects.count()
    result.counts["stories published"] = Story.objects.published().count()
    result.counts["stories waiting for moderation"] = Story.objects.filter(
        state=StoryState.SUBMITTED
    ).count()
