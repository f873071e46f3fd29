"""Ward populations: imported from a CSV (all or nothing), and whose voices set against them, with
gaps marked in words and small numbers hidden."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from commonweal.accounts.constants import Role
from commonweal.accounts.tests.factories import UserFactory
from commonweal.geo.tests.factories import AreaFactory
from commonweal.stories.models import WardPopulation
from commonweal.stories.patterns import analysed_stories
from commonweal.stories.population import (
    PopulationImportError,
    population_import,
    voices_against_population,
)
from commonweal.stories.tests.factories import published_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def wards():
    return (
        AreaFactory(code="E05002221", name="Aveley and Uplands"),
        AreaFactory(code="E05002229", name="Grays Riverside"),
        AreaFactory(code="E05002240", name="Tilbury Riverside"),
    )


CSV = (
    "Ward code,Population,Aged 65 or over\n"
    "E05002221,10000,2100\n"
    "e05002229, 10000 ,\n"
    "E05002240,20000,3000\n"
)


def test_the_command_imports_populations_and_extra_columns(tmp_path: Path, wards, capsys):
    path = tmp_path / "wards.csv"
    path.write_text(CSV, encoding="utf-8")
    call_command("stories_import_population", str(path))
    assert "Imported the population of 3 wards" in capsys.readouterr().out
    aveley = WardPopulation.objects.get(area=wards[0])
    assert aveley.population == 10000 and aveley.groups == {"Aged 65 or over": 2100}
    assert WardPopulation.objects.get(area=wards[1]).groups == {}
    # Importing again replaces the figures rather than adding rows.
    path.write_text("ward code,population\nE05002221,12000\n", encoding="utf-8")
    call_command("stories_import_population", str(path))
    assert WardPopulation.objects.count() == 3
    assert WardPopulation.objects.get(area=wards[0]).population == 12000


def test_a_file_with_a_bad_line_imports_nothing_and_names_the_lines(tmp_path: Path, wards):
    path = tmp_path / "wards.csv"
    path.write_text(
        "ward code,population\nE05002221,10000\nE05009999,500\nE05002229,lots\n", encoding="utf-8"
    )
    with pytest.raises(CommandError) as error:
        call_command("stories_import_population", str(path))
    message = str(error.value)
    assert "Line 4" in message and "not a whole number" in message
    assert not WardPopulation.objects.exists()
    with pytest.raises(PopulationImportError) as unknown:
        population_import(actor=None, text="ward code,population\nE05009999,500\n")
    assert "Line 2: E05009999 is not a ward" in str(unknown.value)
    with pytest.raises(PopulationImportError, match="ward code"):
        population_import(actor=None, text="name,people\nAveley,3\n")
    with pytest.raises(CommandError, match="There is no file"):
        call_command("stories_import_population", str(tmp_path / "missing.csv"))


def test_shares_are_compared_and_a_ward_under_half_its_share_is_a_gap(wards):
    population_import(actor=None, text=CSV)
    aveley, grays, tilbury = wards
    for n in range(10):
        published_story(ward=aveley, title=f"A{n}")
    for n in range(8):
        published_story(ward=grays, title=f"G{n}")
    for n in range(2):
        published_story(ward=tilbury, title=f"T{n}")
    voices = {voice.ward: voice for voice in voices_against_population(analysed_stories())}
    tilbury_voice = voices["Tilbury Riverside"]
    assert tilbury_voice.population_share == 50.0 and tilbury_voice.story_share == 10.0
    assert tilbury_voice.is_gap
    assert tilbury_voice.stories_shown == "fewer than 5"
    assert tilbury_voice.story_share_shown == "not shown"
    assert voices["Aveley and Uplands"].story_share == 50.0
    assert not voices["Aveley and Uplands"].is_gap and not voices["Grays Riverside"].is_gap
    assert voices["Grays Riverside"].stories_shown == "8"


def test_the_page_shows_the_comparison_or_says_how_to_add_populations(client, wards):
    client.force_login(UserFactory(roles=[Role.ANALYST]))
    page = client.get(reverse("stories:patterns")).content.decode()
    assert "No ward populations have been imported" in page
    assert "stories_import_population" in page
    population_import(actor=None, text=CSV)
    for n in range(6):
        published_story(ward=wards[0], title=f"A{n}")
    page = client.get(reverse("stories:patterns")).content.decode()
    assert "No ward populations have been imported" not in page
    assert "Stories and people by ward" in page
    assert "Tilbury Riverside" in page and "fewer than half the stories" in page
    assert "<svg" in page and "50.0%" in page


def test_staff_upload_a_file_and_a_bad_one_names_its_lines(client, wards):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(UserFactory(roles=[Role.ANALYST]))
    url = reverse("stories:population_upload")
    assert client.get(url).status_code == 200
    bad = SimpleUploadedFile("wards.csv", b"ward code,population\nE05002221,many\n", "text/csv")
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported" in page and "Line 2" in page
    assert not WardPopulation.objects.exists()
    good = SimpleUploadedFile("wards.csv", CSV.encode(), "text/csv")
    response = client.post(url, {"file": good})
    assert response.status_code == 302
    assert WardPopulation.objects.count() == 3
    client.force_login(UserFactory(roles=[Role.MEMBER]))
    assert client.post(url, {"file": good}).status_code == 403
