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


@pytest.fixture(autouse=True)
def _no_kept_sentence_model():
    from commonweal.stories.themes import embedding_encoder_forget

    embedding_encoder_forget()
    yield
    embedding_encoder_forget()


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


# --- listening records: only the viewer's team, only the issues raised ----------------------------


def listening_record(team, issues: str, **fields):
    from commonweal.geo.tests.factories import AreaFactory
    from commonweal.stories.models import ListeningRecord

    return ListeningRecord.objects.create(
        team=team,
        conversation_on="2026-03-14",
        ward=fields.pop("ward", None) or AreaFactory(),
        issues=issues,
        energy="some",
        **fields,
    )


@pytest.fixture
def listening_teams():
    from commonweal.accounts.tests.factories import OrganisationFactory

    ours = OrganisationFactory(name="Grays organisers")
    theirs = OrganisationFactory(name="Tilbury organisers")
    for _, text in corpus(16):
        # Religious beliefs kept with consent: their words must never reach the themes.
        listening_record(
            ours,
            text,
            special_category_consent=True,
            religious_beliefs="zoroastrian zoroastrian pilgrimage",
        )
        listening_record(theirs, " ".join(["potholes", "resurfacing", "tarmac"] * 4))
    return ours, theirs


@pytest.mark.django_db
def test_listening_themes_read_only_the_viewers_team_and_only_the_issues(listening_teams):
    from commonweal.stories.themes import themes_analyse

    ours, theirs = listening_teams
    viewer = UserFactory(roles=[Role.ANALYST, Role.COORDINATOR], roles__organisation=ours)
    found = themes_analyse(user=viewer, source="listening", themes=2)
    assert len(found) == 2 and sum(theme.size for theme in found) == 16
    terms = {term for theme in found for term in theme.top_terms}
    assert terms & set(GARDEN) and terms & set(BUSES)
    assert not terms & {"potholes", "resurfacing", "tarmac", "zoroastrian", "pilgrimage"}
    examples = [example for theme in found for example in theme.examples]
    assert examples and all(
        example.story is None and example.record.team == ours for example in examples
    )
    # Someone outside every listening team reads no records at all.
    outsider = UserFactory(roles=[Role.ANALYST])
    assert themes_analyse(user=outsider, source="listening", themes=2) == []


@pytest.mark.django_db
def test_both_sources_together_give_stories_and_conversations_as_examples(listening_teams):
    from commonweal.stories.themes import themes_analyse

    ours, _ = listening_teams
    for _, text in corpus(16):
        published_story(text=text)
    viewer = UserFactory(roles=[Role.ANALYST, Role.COORDINATOR], roles__organisation=ours)
    found = themes_analyse(user=viewer, source="both", themes=2)
    assert sum(theme.size for theme in found) == 32
    kinds = {key[0] for theme in found for key in theme.example_ids}
    assert kinds <= {"story", "listening"}
    for theme in found:
        for example in theme.examples:
            assert (example.story is None) != (example.record is None)
            if example.record is not None:
                assert example.record.team == ours


@pytest.mark.django_db
def test_the_page_offers_listening_only_to_a_team_and_logs_the_conversations_shown(
    client, listening_teams
):
    from commonweal.core.models import AccessLogEntry

    ours, theirs = listening_teams
    url = reverse("stories:themes")
    client.force_login(UserFactory(roles=[Role.ANALYST]))
    response = client.get(url, {"themes": "2", "source": "listening"})
    page = response.content.decode()
    assert response.status_code == 200 and response.context["source"] == "stories"
    assert 'name="source"' not in page and "Listening:" not in page

    client.force_login(
        UserFactory(roles=[Role.ANALYST, Role.COORDINATOR], roles__organisation=ours)
    )
    response = client.get(url, {"themes": "2", "source": "listening"})
    page = response.content.decode()
    assert response.status_code == 200 and 'name="source"' in page
    assert "Themes in the listening records" in page and "2 themes" in page
    shown = [e.record for theme in response.context["themes"] for e in theme.examples]
    assert shown and all(record.team == ours for record in shown)
    for record in shown:
        assert reverse("stories:listening_record", args=[record.public_id]) in page
    assert "zoroastrian" not in page and "Tilbury" not in page
    assert AccessLogEntry.objects.filter(purpose="themes").count() == len(shown)


@pytest.mark.django_db
def test_the_sentence_model_is_loaded_once_and_kept_between_requests(
    client, settings, tmp_path, monkeypatch
):
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
    for _ in range(3):
        page = client.get(reverse("stories:themes"), {"themes": "2"}).content.decode()
        assert "grouped by k-means" in page
    assert loaded == [tmp_path]
