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


DEMOGRAPHIC_CSV = (
    "ward code,population,age_band:16-24,age_band:65_74,gender:woman,gender:man,households\n"
    "E05002221,1000,100,300,500,500,400\n"
    "E05002229,1000,300,100,520,480,420\n"
)


def test_a_column_naming_an_unknown_demographic_option_imports_nothing(tmp_path: Path, wards):
    path = tmp_path / "wards.csv"
    path.write_text(
        "ward code,population,age_band:unknown,colour:blue,gender:woman\nE05002221,1000,5,6,500\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as error:
        call_command("stories_import_population", str(path))
    message = str(error.value)
    assert "Line 1: the column “age_band:unknown” is not an option of age_band" in message
    assert "“colour:blue” is not a known demographic" in message
    assert not WardPopulation.objects.exists()
    # Known options are kept under their value (a hyphen read as an underscore); others as before.
    population_import(actor=None, text=DEMOGRAPHIC_CSV)
    assert WardPopulation.objects.get(area=wards[0]).groups == {
        "age_band:16_24": 100,
        "age_band:65_74": 300,
        "gender:woman": 500,
        "gender:man": 500,
        "households": 400,
    }


def test_tellers_demographics_are_set_against_residents_with_small_numbers_hidden(wards):
    from commonweal.stories.population import demographics_against_population

    population_import(actor=None, text=DEMOGRAPHIC_CSV)
    aveley, grays, tilbury = wards
    for n in range(8):
        published_story(ward=aveley, title=f"A{n}", age_band="16_24", gender="woman")
    for n in range(2):
        published_story(ward=grays, title=f"G{n}", age_band="65_74", gender="man")
    # Not counted: a teller who would rather not say, one who left it blank, one from a ward
    # without figures.
    published_story(ward=grays, title="N", age_band="not_said", gender="")
    published_story(ward=tilbury, title="T", age_band="65_74", gender="man")
    by_field = {d.field_name: d for d in demographics_against_population(analysed_stories())}
    assert set(by_field) == {"age_band", "gender"}  # no ethnic_group columns
    age = {voice.value: voice for voice in by_field["age_band"].voices}
    assert list(age) == ["16_24", "65_74"]  # only options with a column, in the question's order
    assert by_field["age_band"].answered == 10 and by_field["age_band"].wards == 2
    assert age["16_24"].stories == 8 and age["16_24"].story_share == 80.0
    assert age["16_24"].population == 400 and age["16_24"].population_share == 20.0
    assert not age["16_24"].is_gap and age["16_24"].stories_shown == "8"
    older = age["65_74"]
    assert older.story_share == 20.0 and older.population_share == 20.0 and not older.is_gap
    assert older.stories_shown == "fewer than 5" and older.story_share_shown == "not shown"
    assert older.chart_story_share == 0.0
    gender = {voice.value: voice for voice in by_field["gender"].voices}
    assert gender["man"].population_share == 49.0 and gender["man"].story_share == 20.0
    assert gender["man"].is_gap and not gender["woman"].is_gap


def test_the_page_shows_a_demographic_gap_or_says_how_to_add_columns(client, wards):
    client.force_login(UserFactory(roles=[Role.ANALYST]))
    population_import(actor=None, text=CSV)
    page = client.get(reverse("stories:patterns")).content.decode()
    assert "no figures by age, gender or ethnic group" in page and "age_band:16_24" in page
    population_import(actor=None, text=DEMOGRAPHIC_CSV)
    for n in range(6):
        published_story(ward=wards[0], title=f"A{n}", age_band="16_24", gender="woman")
    page = client.get(reverse("stories:patterns")).content.decode()
    assert "no figures by age, gender or ethnic group" not in page
    assert "Stories and people by age" in page and "Stories and people by gender" in page
    assert "1 group has a gap" in page  # 65 to 74: a fifth of the people, none of the stories
    assert '<th scope="row" class="govuk-table__header">65 to 74</th>' in page
    assert "65 to 74 (gap)" in page
    upload = client.get(reverse("stories:population_upload")).content.decode()
    assert "age_band:16_24" in upload and "16_24, 25_44" in upload
