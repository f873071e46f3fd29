"""The demo funds: an innovation fund round scored by a mixed panel, and a Small Sparks round.

Thurrock's demo council runs "Stronger Together Innovation Fund (demo)": 44 ideas canvases from the
borough's invented groups in every state (drafts, sent in, funded, not funded), a panel of a councillor,
residents, a young person and an officer with their declarations (one conflict), scores and decisions
with feedback, and a sponsor for every idea sent in. "Small Sparks (demo)" gives up to 250 pounds matched
by volunteer hours: awards, payments and monitoring reports, one of them late, and a gallery of ideas
shared while the round is open, with similar ideas and one introduction between two groups, and
drop-in sessions. The innovation fund's community of practice has its projects, sponsors, an event and a
note; its panel has two calibration ideas.

Every name is invented. Everything goes through the grants services, is seeded, and is found again by
the funds' slugs, so loading again adds nothing.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from commonweal.accounts.constants import OrganisationKind, Role
from commonweal.accounts.models import Organisation, User
from commonweal.accounts.services import membership_grant, user_create
from commonweal.demo.borough import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, DemoResult
from commonweal.grants.constants import CanvasStatus, FundKind, MatchRule, PanelMemberKind
from commonweal.grants.models import Canvas, Criterion, Fund
from commonweal.grants.services.awards import (
    award_make,
    monitoring_report_submit,
    payment_mark_paid,
    report_story_link,
)
from commonweal.grants.services.canvas import (
    canvas_save,
    canvas_start,
    canvas_submit,
    collaborator_add,
)
from commonweal.grants.services.dropins import dropin_book, dropin_session_add
from commonweal.grants.services.funds import fund_create, round_create, round_update
from commonweal.grants.services.gallery import (
    canvas_gallery_set,
    connection_make,
    similar_ideas_compute,
)
from commonweal.grants.services.panels import (
    decision_make,
    declaration_make,
    panel_calibration_set,
    panel_create,
    panel_member_add,
    score_record,
)
from commonweal.grants.services.practice import practice_event_save, practice_note_post
from commonweal.grants.services.sponsors import (
    sponsor_confirm,
    sponsor_contact_log,
    sponsor_profile_save,
    sponsor_suggestions,
)
from commonweal.outcomes.models import Outcome
from commonweal.stories.selectors import StoryFilters, story_public_list

INNOVATION_SLUG = "demo-innovation-fund"
SPARKS_SLUG = "demo-small-sparks"
COUNCIL = "demo-borough-council"
SEED = 6_2026

# (title, the idea, who it helps)
IDEAS: list[tuple[str, str, str]] = [
    (
        "Saturday repair café",
        "Neighbours mend toasters, bikes and clothes together over tea.",
        "Anyone with something broken, and people who like fixing.",
    ),
    (
        "Walk and talk buddies",
        "Pairs of neighbours walk twice a week and chat.",
        "Older people living alone.",
    ),
    (
        "Estate bulb planting",
        "Plant spring bulbs on the grass verges with the children.",
        "Families on the estate.",
    ),
    (
        "Men's shed tool library",
        "Lend tools from the shed with a volunteer to show how.",
        "Men who feel cut off, and anyone needing a tool.",
    ),
    (
        "Pop-up youth kitchen",
        "Young people cook and share a meal each Friday.",
        "Teenagers with nowhere to go on Friday nights.",
    ),
    (
        "Riverside litter heroes",
        "Monthly litter picks with grabbers, bags and a picnic.",
        "Everyone who uses the riverside.",
    ),
    (
        "Knit for the hospice",
        "Knitting blankets and hats for the hospice and the baby unit.",
        "Knitters, patients and new parents.",
    ),
    (
        "Dads and kids football",
        "Friendly Sunday football for dads and their children.",
        "Dads who want time with their children.",
    ),
    (
        "Community fridge",
        "A shared fridge at the hall so good food is not wasted.",
        "Families short of money at the end of the month.",
    ),
    (
        "Language café",
        "Practise English over coffee with local volunteers.",
        "People new to the country.",
    ),
    (
        "Street party starter kit",
        "Lend tables, bunting and a road-closure guide to any street.",
        "Streets that want to meet their neighbours.",
    ),
    (
        "Bus buddies",
        "Volunteers help people learn to use the bus again.",
        "People who lost confidence after illness.",
    ),
    (
        "Grow your own allotment plots",
        "Raised beds at the school for families without gardens.",
        "Families in flats.",
    ),
    (
        "Memory café",
        "A monthly café for people with dementia and their carers.",
        "People living with dementia and carers.",
    ),
    (
        "Bike maintenance for teens",
        "Teenagers learn to fix bikes and keep one they rebuild.",
        "Young people who want a bike.",
    ),
    (
        "Chair-based exercise",
        "Gentle exercise to music at the sheltered housing lounge.",
        "Older residents who find walking hard.",
    ),
    (
        "Homework club",
        "Quiet space, snacks and volunteer helpers after school.",
        "Children without a quiet place at home.",
    ),
    (
        "Community radio hour",
        "An hour a week of local news and music made by residents.",
        "People who like to hear local voices.",
    ),
    (
        "Pocket park clean-up",
        "Turn the corner plot into a small park with benches.",
        "People on the surrounding streets.",
    ),
    (
        "Sewing circle",
        "Learn to sew, alter clothes and make curtains.",
        "People who want a skill and company.",
    ),
    (
        "Wellbeing walks for new mums",
        "Buggy walks with a cuppa at the end.",
        "New mums feeling alone.",
    ),
    (
        "Free cinema night",
        "A film and popcorn at the hall once a month.",
        "Families and older people.",
    ),
    (
        "Warm welcome space",
        "Open the hall on winter mornings with hot drinks and games.",
        "Anyone cold or lonely in winter.",
    ),
    (
        "Fishing for wellbeing",
        "Teach fishing at the lakes as a calm way to talk.",
        "Men under strain and young people.",
    ),
    (
        "Intergenerational tea dance",
        "Pupils and older residents dance and have tea.",
        "Older residents and pupils.",
    ),
    (
        "Food growing on balconies",
        "Pots, seeds and tips for growing food on balconies.",
        "People in flats.",
    ),
    (
        "Parents' coffee morning",
        "A friendly place for parents after the school run.",
        "Parents new to the area.",
    ),
    (
        "Digital help desk",
        "Volunteers help people with phones, forms and video calls.",
        "People who find the internet hard.",
    ),
    (
        "Nature trail signs",
        "Children design signs for a nature trail in the park.",
        "Families using the park.",
    ),
    (
        "Recycled art club",
        "Make art from what would be thrown away.",
        "Children and adults who like making.",
    ),
    (
        "Choir for everyone",
        "A choir where nobody needs to read music.",
        "Anyone who likes to sing.",
    ),
    (
        "Carers' pamper afternoon",
        "A break with massage, nails and lunch for unpaid carers.",
        "Unpaid carers.",
    ),
    (
        "Cycle to the coast",
        "Group rides with borrowed bikes for beginners.",
        "People who want to get fit together.",
    ),
    (
        "Heritage photo walk",
        "Collect old photos and walk where they were taken.",
        "Residents who love local history.",
    ),
    ("Board game night", "Board games and snacks at the library.", "Young adults and families."),
    ("Seed swap", "A seed and plant swap each spring and autumn.", "Gardeners and beginners."),
    (
        "Welcome packs for newcomers",
        "Packs of local tips and a visit from a neighbour.",
        "New residents.",
    ),
    (
        "Youth mural project",
        "Young people design and paint a mural under the bridge.",
        "Young people and passers-by.",
    ),
    ("Community pantry", "A low-cost pantry run by members.", "Families short of money."),
    (
        "Singing for better breathing",
        "Singing to help people with lung conditions.",
        "People with breathing problems.",
    ),
    (
        "Bird boxes for every street",
        "Build and hang bird boxes with neighbours.",
        "Nature lovers of all ages.",
    ),
    (
        "Pensioners' lunch club",
        "A hot lunch and company every Wednesday.",
        "Older people living alone.",
    ),
    ("Skate park jam", "A skate day with lessons and music.", "Young skaters."),
    ("Library of things", "Borrow a drill, a tent or a gazebo instead of buying.", "Everyone."),
]

PANEL: list[tuple[str, str, str]] = [
    ("panel", "Pat Panel", PanelMemberKind.RESIDENT),
    ("cllr-okafor", "Councillor Grace Okafor (example)", PanelMemberKind.COUNCILLOR),
    ("resident-hughes", "Dan Hughes (example)", PanelMemberKind.RESIDENT),
    ("young-person-ali", "Aisha Ali (example)", PanelMemberKind.YOUNG_PERSON),
    ("officer-brennan", "Liam Brennan (example)", PanelMemberKind.OFFICER),
]

SPONSORS: list[tuple[str, str, str]] = [
    ("sponsor", "Sam Sponsor", "food, older, lonely"),
    ("sponsor-patel", "Nisha Patel (example)", "young, school, children, teen"),
    ("sponsor-clarke", "Tom Clarke (example)", "garden, grow, park, nature, litter"),
]


def _person(local: str, full_name: str) -> User:
    email = f"{local}@{DEMO_EMAIL_DOMAIN}"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(
            actor=None,
            email=email,
            password=DEMO_PASSWORD,
            full_name=full_name,
            is_example=True,
        )
    return user


def _answers(round_fields: list[str], idea: str, who: str, rng: random.Random) -> dict[str, str]:
    texts = {
        "idea": idea,
        "who": who,
        "difference": rng.choice(
            [
                "People will know their neighbours and feel less alone.",
                "More people will get out, get active and feel part of things.",
                "Young people will learn skills and have somewhere to belong.",
                "Neighbours will give time and help each other.",
            ]
        ),
        "together": rng.choice(
            [
                "The school and the church hall.",
                "Two other groups nearby.",
                "The housing officer and the library.",
                "",
            ]
        ),
        "money": rng.choice(
            [
                "Equipment, room hire and refreshments.",
                "Materials, insurance and a small training budget.",
                "Tools, seeds and a shed.",
            ]
        ),
    }
    return {key: texts.get(key, "Yes") for key in round_fields}


@transaction.atomic
def grants_load(result: DemoResult) -> None:
    if Fund.objects.filter(slug=INNOVATION_SLUG).exists():
        result.counts["grant ideas"] = Canvas.objects.filter(
            round__fund__slug__in=[INNOVATION_SLUG, SPARKS_SLUG]
        ).count()
        return
    rng = random.Random(SEED)
    council = Organisation.objects.get(slug=COUNCIL)
    analyst = User.objects.get(email=f"analyst@{DEMO_EMAIL_DOMAIN}")
    groups = list(
        Organisation.objects.filter(
            is_example=True,
            kind__in=[
                OrganisationKind.VCS_GROUP,
                OrganisationKind.CHARITY,
                OrganisationKind.FAITH_GROUP,
            ],
        ).order_by("name")
    )
    outcomes = list(Outcome.objects.active().in_default_framework())
    now = timezone.now()
    today = timezone.localdate()

    # Group representatives: one invented person for each group, acting for it.
    reps = {}
    for index, group in enumerate(groups):
        rep = _person(f"grants-rep-{index + 1}", f"Rep of {group.name}")
        membership_grant(actor=None, user=rep, organisation=group, role=Role.GROUP_REP)
        reps[group.pk] = rep
        if index == 0:
            result.logins.append(
                (rep.email, "Applicant for a grant (one of each group's reps)", group.name)
            )

    # Sponsors: council officers with the wards and themes they know.
    sponsors = []
    wards = sorted({group.ward for group in groups if group.ward}, key=lambda ward: ward.code)
    for index, (local, name, themes) in enumerate(SPONSORS):
        officer = _person(local, name)
        membership_grant(actor=None, user=officer, organisation=council, role=Role.SPONSOR)
        sponsor_profile_save(
            actor=None, user=officer, wards=wards[index::3], themes=themes, capacity=25
        )
        sponsors.append(officer)
        result.logins.append((officer.email, "Grants sponsor", council.name))

    # The innovation fund: one round, open while the ideas come in, then closed for the panel.
    innovation = fund_create(
        actor=analyst,
        name="Stronger Together Innovation Fund (demo)",
        slug=INNOVATION_SLUG,
        kind=FundKind.INNOVATION,
        funder=council,
        publisher_prefix="360G-demothurrock",
        description="Ideas from groups and residents that build belonging, connections and contribution. Example data.",
    )
    round_ = round_create(
        actor=analyst,
        fund=innovation,
        name="Round 1: 2026",
        slug="2026-round-1",
        description="Share your idea on a short canvas. Talk to other groups with similar ideas: joint ideas are welcome.",
        opens_at=now - datetime.timedelta(days=70),
        closes_at=now + datetime.timedelta(days=1),
        budget=Decimal("60000"),
        max_award=Decimal("5000"),
        outcomes=outcomes,
    )
    fields = list(round_.canvas_fields.values_list("key", flat=True))
    canvases: list[Canvas] = []
    for index, (title, idea, who) in enumerate(IDEAS):
        group = groups[index % len(groups)]
        rep = reps[group.pk]
        canvas = canvas_start(actor=rep, round_=round_, title=title, organisation=group)
        canvas = canvas_save(
            actor=rep,
            canvas=canvas,
            title=title,
            summary=idea,
            answers=_answers(fields, idea, who, rng),
            amount_requested=Decimal(rng.randrange(15, 50) * 100),
            pledged_hours=Decimal("0"),
            ward=None,
        )
        if index % 9 == 4:
            collaborator_add(
                actor=rep,
                canvas=canvas,
                organisation=groups[(index + 7) % len(groups)],
                role="Volunteers and a venue",
            )
        if index % 11 != 10 and index < 40:
            canvas = canvas_submit(actor=rep, canvas=canvas)
        canvases.append(canvas)
    round_update(
        actor=analyst,
        round_=round_,
        name=round_.name,
        description=round_.description,
        opens_at=round_.opens_at,
        closes_at=now - datetime.timedelta(days=2),
        budget=round_.budget,
        max_award=round_.max_award,
        wards=[],
        outcomes=outcomes,
        match_rule=MatchRule.NONE,
        hourly_rate=Decimal("0"),
        disagreement_threshold=2,
    )
    sent_in = [canvas for canvas in canvases if canvas.status == CanvasStatus.SUBMITTED]

    # A sponsor for every idea sent in, the best suggestion confirmed by the programme manager.
    for canvas in sent_in:
        suggestion = sponsor_suggestions(canvas=canvas, limit=1)
        sponsor_confirm(
            actor=analyst,
            canvas=canvas,
            sponsor=suggestion[0].profile.user if suggestion else sponsors[0],
        )

    # The panel: declarations (Pat Panel has an interest in one idea), then independent scores.
    panel = panel_create(
        actor=analyst, round_=round_, name="Innovation fund panel (demo)", meets_on=today
    )
    members = []
    for local, name, kind in PANEL:
        person = _person(local, name)
        membership_grant(actor=None, user=person, organisation=council, role=Role.PANEL_MEMBER)
        if all(email != person.email for email, _, _ in result.logins):
            label = PanelMemberKind(kind).label
            result.logins.append((person.email, f"Grants panel member ({label})", council.name))
        members.append(panel_member_add(actor=analyst, panel=panel, user=person, kind=kind))
    conflicted = sent_in[3]
    panel_calibration_set(actor=analyst, panel=panel, canvases=[sent_in[0], sent_in[1]])
    for member in members:
        interests = (
            {conflicted: "I volunteer with this group"}
            if member.user.email.startswith("panel@")
            else {}
        )
        declaration_make(actor=member.user, member=member, conflicts=interests, confirmed=True)
    criteria = list(Criterion.objects.filter(round=round_))
    quality = {canvas.pk: rng.random() for canvas in sent_in}
    for member in members:
        leniency = rng.choice([-1, 0, 0, 1])
        for canvas in sent_in[:34]:
            if member.user_id == canvas.sponsor_id or (
                canvas == conflicted and member.user.email.startswith("panel@")
            ):
                continue
            scores: dict[int, tuple[int | None, str]] = {}
            for criterion in criteria:
                base = round(
                    quality[canvas.pk] * criterion.scale_max + rng.choice([-1, 0, 0, 1]) + leniency
                )
                scores[criterion.pk] = (max(0, min(criterion.scale_max, base)), "")
            if canvas.pk % 7 == 0:
                scores[criteria[0].pk] = (None, "Not sure this applies")
            score_record(actor=member.user, member=member, canvas=canvas, scores=scores)

    # Decisions with reasons and feedback for the top and the bottom of the ranking; the middle waits.
    from commonweal.grants.selectors import panel_results

    ranked = [r.canvas for r in panel_results(panel=panel) if r.weighted is not None]
    for canvas in ranked[:9]:
        decision_make(
            actor=analyst,
            canvas=canvas,
            outcome="funded",
            amount=canvas.amount_requested or Decimal("1000"),
            reasons="Scored highly on belonging and community involvement.",
            feedback="The panel loved how residents lead this idea. Your sponsor will be in touch about the award.",
        )
    for canvas in ranked[-8:]:
        decision_make(
            actor=analyst,
            canvas=canvas,
            outcome="not_funded",
            amount=Decimal("0"),
            reasons="Lower scores on sustainability and community involvement.",
            feedback="The panel liked the idea but wanted to see more residents involved and a plan to keep it going. Your sponsor can help you try again or find another fund.",
        )
    for canvas in ranked[:4]:
        canvas.refresh_from_db()
        award_make(
            actor=analyst,
            canvas=canvas,
            starts_on=today,
            ends_on=today + datetime.timedelta(days=300),
            conditions="Tell us about any change of plan. Credit the fund on posters and leaflets.",
        )

    # Small Sparks: up to 250 pounds, matched by volunteer hours at the Real Living Wage.
    sparks = fund_create(
        actor=analyst,
        name="Small Sparks (demo)",
        slug=SPARKS_SLUG,
        kind=FundKind.SMALL_SPARKS,
        funder=council,
        publisher_prefix="360G-demothurrock",
        description="Up to 250 pounds for a small idea, matched by your group's volunteer time. Example data.",
    )
    sparks_round = round_create(
        actor=analyst,
        fund=sparks,
        name="2026",
        slug="2026",
        description="Rolling: send in your idea at any time this year.",
        opens_at=now - datetime.timedelta(days=200),
        closes_at=now + datetime.timedelta(days=160),
        budget=Decimal("5000"),
        max_award=Decimal("250"),
        outcomes=outcomes[:4],
        match_rule=MatchRule.VOLUNTEER_HOURS,
        hourly_rate=Decimal("12.60"),
    )
    spark_fields = list(sparks_round.canvas_fields.values_list("key", flat=True))
    for index, (title, idea, who) in enumerate(IDEAS[::5][:8]):
        group = groups[(index * 3 + 1) % len(groups)]
        rep = reps[group.pk]
        canvas = canvas_start(actor=rep, round_=sparks_round, title=title, organisation=group)
        amount = Decimal(rng.choice([150, 200, 250]))
        hours = (amount / sparks_round.hourly_rate).quantize(Decimal("1")) + rng.randrange(2, 20)
        canvas = canvas_save(
            actor=rep,
            canvas=canvas,
            title=title,
            summary=idea,
            answers=_answers(spark_fields, idea, who, rng),
            amount_requested=amount,
            pledged_hours=hours,
            ward=None,
        )
        canvas = canvas_submit(actor=rep, canvas=canvas)
        sponsor_confirm(actor=analyst, canvas=canvas, sponsor=sponsors[index % len(sponsors)])
        if index >= 6:
            continue
        decision_make(
            actor=analyst,
            canvas=canvas,
            outcome="funded",
            amount=amount,
            reasons="Meets the Small Sparks rules.",
            feedback="A lovely idea: enjoy it and tell us how it goes.",
        )
        canvas.refresh_from_db()
        started = today - datetime.timedelta(days=150 - index * 20)
        award = award_make(
            actor=analyst,
            canvas=canvas,
            starts_on=started,
            ends_on=started + datetime.timedelta(days=120),
        )
        payment_mark_paid(actor=analyst, payment=award.payments.get(), paid_on=started)
        for report in award.reports.all():
            if report.due_on < today and index != 1:
                monitoring_report_submit(
                    actor=rep,
                    report=report,
                    what_happened=f"{title}: it went well, and more neighbours came than we hoped.",
                    outcomes=outcomes[index % 3 : index % 3 + 2],
                    volunteer_hours=(hours * Decimal(rng.choice(["0.5", "0.8", "1.1"]))).quantize(
                        Decimal("1")
                    ),
                )
                # The first group links two published stories to its last report (if the stories
                # demo is loaded).
                last = award.reports.last()
                if index == 0 and last is not None and report.pk == last.pk:
                    for story in story_public_list(filters=StoryFilters())[:2]:
                        report_story_link(actor=rep, report=report, story=story)
    # The Small Sparks gallery: drafts shared while the round is open, similar ideas, one introduction.
    shared = []
    for index, (title, idea, who) in enumerate(IDEAS[1::4][:10]):
        group = groups[(index * 5 + 2) % len(groups)]
        rep = reps[group.pk]
        canvas = canvas_start(actor=rep, round_=sparks_round, title=title, organisation=group)
        canvas = canvas_save(
            actor=rep,
            canvas=canvas,
            title=title,
            summary=idea,
            answers=_answers(spark_fields, idea, who, rng),
            amount_requested=Decimal("200"),
            pledged_hours=Decimal("10"),
            ward=None,
        )
        shared.append(canvas_gallery_set(actor=rep, canvas=canvas, show=True))
    similar_ideas_compute(round_id=sparks_round.pk)
    for days, place in [
        (6, "Grays Riverside Community Hub"),
        (13, "Tilbury Library"),
        (20, "Stanford-le-Hope Hall"),
    ]:
        session = dropin_session_add(
            actor=analyst,
            round_=sparks_round,
            starts_at=(now + datetime.timedelta(days=days)).replace(
                hour=10, minute=0, second=0, microsecond=0
            ),
            place=place,
            capacity=8,
        )
        if days == 6:
            dropin_book(
                actor=shared[2].created_by, session=session, needs="An interpreter (Polish)"
            )
    practice_event_save(
        actor=analyst,
        fund=innovation,
        title="Learning lunch: what is working",
        starts_at=(now + datetime.timedelta(days=21)).replace(
            hour=12, minute=30, second=0, microsecond=0
        ),
        place="Thameside Complex, Grays",
        description="Projects and sponsors share what is working and what is not. Lunch provided.",
    )
    first_award = (
        Canvas.objects.filter(round=round_, award__isnull=False)
        .select_related("created_by")
        .first()
    )
    if first_award is not None:
        practice_note_post(
            actor=first_award.created_by,
            fund=innovation,
            title="Posters in the chip shop work",
            body="We got more people from posters in the chip shop and the GP surgery than from social media.",
        )
    connection_make(
        actor=shared[0].created_by,
        from_canvas=shared[0],
        to_canvas=shared[1],
        message="We are close by: shall we meet at the hall and see if we can do this together?",
    )
    for canvas in Canvas.objects.filter(pk__in=[c.pk for c in sent_in[:12]]).select_related(
        "sponsor"
    ):
        sponsor_contact_log(
            actor=canvas.sponsor,  # type: ignore[arg-type]
            canvas=canvas,
            happened_on=today - datetime.timedelta(days=rng.randrange(1, 20)),
            note=rng.choice(
                [
                    "Phoned to talk the idea through; they will send photos of the space.",
                    "Met at the community hall; introduced them to the CVS volunteer team.",
                    "Emailed details of two other funds they could try.",
                ]
            ),
        )
    result.counts["grant ideas"] = Canvas.objects.filter(
        round__fund__in=[innovation, sparks]
    ).count()
