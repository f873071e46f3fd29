"""Theme analysis: distinct subjects come out as distinct themes, with examples; withdrawn stories and
waiting ones are left out; the page is for staff."""

from __future__ import annotations

import random

import pytest
from django.urls import reverse

from commonweal.accounts.constants import Role
from commonweal.accounts.tests.factories import UserFactory
from commonweal.stories import services
from commonweal.stories.tests.factories import StoryFactory, published_story
from commonweal.stories.themes import story_themes_analyse, themes_find

GARDEN = [
    "allotment",
    "seedlings",
    "compost",
    "vegetables",
    "digging",
    "greenhouse",
    "tomatoes",
    "watering",
]
BUSES = ["bus", "timetable", "driver", "route", "fares", "ticket", "stop", "evening"]
COMMON = ["neighbours", "week", "people", "friendly", "help", "together"]


def corpus(n: int = 40) -> list[tuple[int, str]]:
    rng = random.Random(1)
    documents = []
    for i in range(n):
        topic = GARDEN if i % 2 == 0 else BUSES
        words = rng.choices(topic, k=12) + rng.choices(COMMON, k=6)
        documents.append((i, " ".join(words)))
    return documents


def test_two_subjects_become_two_themes_with_their_own_words_and_examples():
    found = themes_find(corpus(), themes=2, top_terms=5, examples=3)
    assert len(found) == 2
    by_subject = {}
    for theme in found:
        in_garden = sum(term in GARDEN for term in theme.top_terms)
        in_buses = sum(term in BUSES for term in theme.top_terms)
        assert max(in_garden, in_buses) >= 4
        by_subject["garden" if in_garden > in_buses else "buses"] = theme
    assert set(by_subject) == {"garden", "buses"}
    assert all(i % 2 == 0 for i in by_subject["garden"].example_ids)
    assert all(i % 2 == 1 for i in by_subject["buses"].example_ids)
    assert sum(theme.size for theme in found) == 40


def test_too_few_or_empty_stories_give_no_themes():
    assert themes_find([(1, "one story only")], themes=3) == []
    assert themes_find([(i, "the and of") for i in range(10)], themes=2) == []


@pytest.mark.django_db
def test_withdrawn_and_waiting_stories_are_left_out():
    for _, text in corpus(20):
        published_story(text=text)
    withdrawn = services.story_withdraw(story=published_story(text=" ".join(GARDEN * 3)))
    waiting = StoryFactory(text=" ".join(BUSES * 3))
    ids = {pk for theme in story_themes_analyse(themes=2) for pk in theme.example_ids}
    assert ids and withdrawn.pk not in ids and waiting.pk not in ids


@pytest.mark.django_db
def test_the_themes_page_is_for_analysts_and_moderators(client):
    for _, text in corpus(20):
        published_story(text=text)
    url = reverse("stories:themes")
    client.force_login(UserFactory(roles=[Role.VOLUNTEER]))
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(roles=[Role.ANALYST]))
    response = client.get(url, {"themes": "2"})
    assert response.status_code == 200 and len(response.context["themes"]) == 2
    assert client.get(url, {"themes": "lots"}).status_code == 200


# --- the optional sentence-embedding backend ----------------------------------------------------


def fake_encoder(texts: list[str]) -> list[list[float]]:
    """Stands in for a sentence model: a story's vector is how many garden and bus words it has."""
    return [
        [
            sum(word in GARDEN for word in text.split()),
            sum(word in BUSES for word in text.split()),
        ]
        for text in texts
    ]


def test_embedded_themes_group_by_meaning_with_top_terms_and_examples():
    from commonweal.stories.themes import themes_find_embedded

    found = themes_find_embedded(corpus(), fake_encoder, themes=2)
    assert sorted(theme.size for theme in found) == [20, 20]
    by_first_example = {theme.example_ids[0] % 2: theme for theme in found}
    garden, buses = by_first_example[0], by_first_example[1]
    assert all(i % 2 == 0 for i in garden.example_ids)
    assert set(garden.top_terms[:3]) <= set(GARDEN) and set(buses.top_terms[:3]) <= set(BUSES)


def test_no_setting_means_tfidf_and_a_missing_folder_or_package_says_what_to_do(
    settings, tmp_path, monkeypatch
):
    import sys

    from commonweal.stories.themes import (
        ThemeBackendError,
        embedding_encoder_load,
        embedding_model_dir,
    )

    settings.COMMONWEAL_STORIES_EMBEDDING_MODEL_DIR = ""
    assert embedding_model_dir() is None
    settings.COMMONWEAL_STORIES_EMBEDDING_MODEL_DIR = str(tmp_path / "no-such-model")
    folder = embedding_model_dir()
    assert folder == tmp_path / "no-such-model"
    with pytest.raises(ThemeBackendError, match="not a folder on this server"):
        embedding_encoder_load(folder)
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # as if not installed
    with pytest.raises(ThemeBackendError, match="sentence-transformers package is not installed"):
        embedding_encoder_load(tmp_path)


@pytest.mark.django_db
def test_the_page_explains_a_broken_backend_and_still_shows_word_themes(client, settings, tmp_path):
    settings.COMMONWEAL_STORIES_EMBEDDING_MODEL_DIR = str(tmp_path / "missing")
    for i, text in corpus(16):
        published_story(title=f"Story {i}", text=text)
    client.force_login(UserFactory(roles=[Role.ANALYST]))
    response = client.get(reverse("stories:themes"), {"themes": "2"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The sentence model could not be used" in page and "not a folder" in page
    assert "TF-IDF and NMF" in page and "2 themes" in page


@pytest.mark.django_db
def test_with_a_model_folder_the_page_uses_the_embeddings(client, settings, tmp_path, monkeypatch):
    from commonweal.stories import themes as theme_analysis

    settings.COMMONWEAL_STORIES_EMBEDDING_MODEL_DIR = str(tmp_path)
    loaded = []
    monkeypatch.setattr(
        theme_analysis,
        "embedding_encoder_load",
        lambda folder: loaded.append(folder) or fake_encoder,
    )
    for i, text in corpus(16):
        published_story(title=f"Story {i}", text=text)
    client.force_login(UserFactory(roles=[Role.ANALYST]))
    page = client.get(reverse("stories:themes"), {"themes": "2"}).content.decode()
    assert loaded == [tmp_path]
    assert "grouped by k-means" in page and "2 themes" in page
    assert "could not be used" not in page
