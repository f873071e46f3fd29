"""The directory's own taxonomies: the two-level "Categories" tree and the SEND needs list.

Both are made through the directory's services the first time they are needed (by the demo borough or
by ``directory_generate``) and found again by their URI afterwards, so making them twice changes nothing.
A council that brings its own taxonomy (for example LGA or OpenActive terms) imports it instead.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from commonweal.directory import services
from commonweal.directory.constants import SEND_NEEDS_TAXONOMY_URI
from commonweal.directory.models import Taxonomy, TaxonomyTerm

CATEGORIES_TAXONOMY_URI = "https://commonweal.example/taxonomies/categories"

# (code, name, description, children as (code, name, description))
CATEGORY_TREE: list[tuple[str, str, str, list[tuple[str, str, str]]]] = [
    (
        "health",
        "Health and wellbeing",
        "Looking after body and mind.",
        [
            (
                "mental-health",
                "Mental health",
                "Support for emotional wellbeing and mental health.",
            ),
            (
                "physical-activity",
                "Physical activity",
                "Walking, sport, dance and gentle exercise.",
            ),
            ("dementia", "Dementia support", "Cafes, groups and help for people with dementia."),
            ("health-services", "Health services", "Clinics, checks and NHS services."),
        ],
    ),
    (
        "money-work",
        "Money, food and work",
        "Getting by, getting advice and getting into work.",
        [
            ("advice", "Advice", "Benefits, debt, housing and legal advice."),
            ("food", "Food support", "Food banks, community larders and lunch clubs."),
            ("employment", "Employment support", "Help with jobs, CVs and training."),
        ],
    ),
    (
        "families",
        "Children, young people and families",
        "Activities and support for families.",
        [
            ("early-years", "Early years", "Parent and toddler groups, stay and play."),
            ("childcare", "Childcare", "Childminders, nurseries and holiday clubs."),
            ("youth", "Youth activities", "Youth clubs and activities for young people."),
            ("send", "SEND support", "Support for children with special educational needs."),
        ],
    ),
    (
        "learning",
        "Learning and skills",
        "Learning something new at any age.",
        [
            ("digital", "Digital skills", "Help with phones, tablets, computers and the internet."),
            ("english", "English language", "English conversation classes and ESOL."),
        ],
    ),
    (
        "community",
        "Community and social",
        "Meeting people and getting involved.",
        [
            ("social", "Social groups", "Coffee mornings, lunch clubs and friendship groups."),
            ("befriending", "Befriending", "Regular company for people who are lonely."),
            ("carers", "Carers' support", "Support and breaks for unpaid carers."),
            ("warm-spaces", "Warm spaces", "Warm, welcoming places to spend time in winter."),
            ("volunteering", "Volunteering", "Ways to give time and help others."),
            (
                "faith",
                "Faith groups",
                "Activities run by churches, mosques, gurdwaras and temples.",
            ),
        ],
    ),
    (
        "outdoors",
        "Outdoors and creativity",
        "Gardening, nature, arts and crafts.",
        [
            ("gardening", "Gardening and allotments", "Community gardens and allotments."),
            ("arts", "Arts and crafts", "Art, crafts, music and making things."),
        ],
    ),
]

# (code, name, description)
SEND_NEEDS: list[tuple[str, str, str]] = [
    ("autism", "Autism", "Autistic children and young people."),
    ("hearing", "Hearing impairment", "Deaf children and those with hearing loss."),
    ("visual", "Visual impairment", "Blind and partially sighted children."),
    ("mobility", "Physical disability and mobility", "Wheelchair users and limited mobility."),
    ("learning", "Learning disability", "Moderate, severe and profound learning disabilities."),
    ("communication", "Speech, language and communication", "Speech and language needs."),
    ("semh", "Social, emotional and mental health", "Social, emotional and mental health needs."),
    ("adhd", "ADHD", "Attention deficit hyperactivity disorder."),
]


def _taxonomy(*, actor: Any, uri: str, name: str, description: str) -> Taxonomy:
    taxonomy = Taxonomy.objects.filter(uri=uri).first()
    if taxonomy is None:
        taxonomy = services.taxonomy_create(
            actor=actor, name=name, description=description, uri=uri, version="1"
        )
    return taxonomy


def _term(
    *,
    actor: Any,
    taxonomy: Taxonomy,
    code: str,
    name: str,
    description: str,
    parent: TaxonomyTerm | None = None,
) -> TaxonomyTerm:
    term = TaxonomyTerm.objects.filter(taxonomy=taxonomy, code=code).first()
    if term is None:
        term = services.taxonomy_term_create(
            actor=actor,
            taxonomy=taxonomy,
            name=name,
            description=description,
            parent=parent,
            code=code,
            term_uri=f"{taxonomy.uri}/{code}",
        )
    return term


@transaction.atomic
def categories_ensure(*, actor: Any = None) -> dict[str, TaxonomyTerm]:
    """The "Categories" taxonomy's terms by code (top-level and second-level), made if missing."""
    taxonomy = _taxonomy(
        actor=actor,
        uri=CATEGORIES_TAXONOMY_URI,
        name="Categories",
        description="What a group, activity or service is about.",
    )
    terms: dict[str, TaxonomyTerm] = {}
    for code, name, description, children in CATEGORY_TREE:
        parent = _term(
            actor=actor, taxonomy=taxonomy, code=code, name=name, description=description
        )
        terms[code] = parent
        for child_code, child_name, child_description in children:
            terms[child_code] = _term(
                actor=actor,
                taxonomy=taxonomy,
                code=child_code,
                name=child_name,
                description=child_description,
                parent=parent,
            )
    return terms


@transaction.atomic
def send_needs_ensure(*, actor: Any = None) -> dict[str, TaxonomyTerm]:
    """The SEND needs taxonomy's terms by code, made if missing."""
    taxonomy = _taxonomy(
        actor=actor,
        uri=SEND_NEEDS_TAXONOMY_URI,
        name="SEND needs",
        description="Special educational needs and disabilities a service is suitable for.",
    )
    return {
        code: _term(actor=actor, taxonomy=taxonomy, code=code, name=name, description=description)
        for code, name, description in SEND_NEEDS
    }
