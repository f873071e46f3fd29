"""Patterns for staff: outcome counts, triad zones and dyad bands, whose voices with small numbers hidden."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commonweal.accounts.constants import Role
from commonweal.accounts.tests.factories import UserFactory
from commonweal.geo.tests.factories import AreaFactory
from commonweal.outcomes.selectors import outcome_list
from commonweal.stories import services
from commonweal.stories.constants import ConsentLevel
from commonweal.stories.models import SignifierAnswer
from commonweal.stories.patterns import (
    analysed_stories,
    outcome_tables,
    signifier_patterns,
    whose_voices,
)
from commonweal.stories.tests.factories import (
    StoryFactory,
    collection_with_signifiers,
    published_story,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def collection():
    collection = collection_with_signifiers()
    triad, dyad = collection.signifiers.all()
    ward = AreaFactory(name="Tilbury St Chads")
    belonging = outcome_list().first()
    for n, shares in enumerate(
        [(80, 10, 10), (70, 20, 10), (10, 10, 80), (34, 33, 33), (45, 45, 10), (60, 20, 20)]
    ):
        story = published_story(collection=collection, ward=ward, age_band="65_74", title=f"S{n}")
        story.outcomes.add(belonging)
        SignifierAnswer.objects.create(
            story=story, signifier=triad, value_a=shares[0], value_b=shares[1], value_c=shares[2]
        )
        SignifierAnswer.objects.create(
            story=story, signifier=dyad, value_a=n * 20, value_b=100 - n * 20
        )
    internal = services.story_keep_internal(
        actor=None,
        story=StoryFactory(
            collection=collection, consent_level=ConsentLevel.INTERNAL, age_band="16_24"
        ),
    )
    internal.outcomes.add(belonging)
    services.story_withdraw(story=published_story(collection=collection, ward=ward))
    StoryFactory(collection=collection)  # still waiting: not counted
    return collection


def test_outcomes_are_counted_by_collection_and_ward(collection):
    by_collection, by_ward = outcome_tables(analysed_stories())
    assert by_collection.rows[0][0] == collection.title and by_collection.rows[0][1][0] == 7
    assert ("Tilbury St Chads", [6, 0, 0, 0, 0, 0, 0]) in by_ward.rows


def test_triads_count_by_zone_and_dyads_by_band(collection):
    triad, dyad = signifier_patterns(analysed_stories(), collection)
    zones = dict(triad.zones)
    assert zones["Neighbours"] == 3
    assert zones["Council or NHS services"] == 1
    assert zones["Centre (all three)"] == 1
    assert zones["Neighbours and A group or club"] == 1
    assert len(triad.points) == 6
    assert [count for _, count in dyad.zones] == [1, 1, 1, 1, 2]


def test_whose_voices_hides_small_numbers(collection):
    wards, ages, *_ = whose_voices(analysed_stories())
    assert ("Tilbury St Chads", "6") in wards["rows"]
    assert ("65 to 74", "6") in ages["rows"] and ("16 to 24", "fewer than 5") in ages["rows"]


def test_the_patterns_page_is_for_staff(client, collection):
    url = reverse("stories:patterns")
    client.force_login(UserFactory(roles=[Role.MEMBER]))
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(roles=[Role.ANALYST]))
    html = client.get(url).content.decode()
    assert "What made the difference?" in html and "Whose voices" in html
    assert html.count('class="cw-triad-plot__dot cw-triad-plot__dot--many"') == 6


def test_each_dyad_has_a_strip_plot_with_its_table_kept_for_screen_readers(client, collection):
    from commonweal.stories.patterns import dyad_strip_points

    _, dyad = signifier_patterns(analysed_stories(), collection)
    assert [x for x, _ in dyad.points] == [0, 20, 40, 60, 80, 100]
    assert all(4 <= y <= 20 for _, y in dyad.points)
    assert dyad_strip_points([50, 50, 50]) == dyad_strip_points([50, 50, 50])  # the same picture
    assert len({y for _, y in dyad_strip_points([50, 50, 50])}) == 3  # a pile shows as a pile
    client.force_login(UserFactory(roles=[Role.ANALYST]))
    html = client.get(reverse("stories:patterns")).content.decode()
    assert html.count('class="cw-triad-plot__dot cw-triad-plot__dot--many cw-dyad-plot__dot"') == 6
    assert 'role="img" aria-label="Where tellers placed their stories on the slider from' in html
    assert "I did it myself (0) to It was done for me (100)" in html
    assert "Stories along the slider, from I did it myself (0)" in html  # the table stays
