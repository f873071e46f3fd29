"""Full-text search of services on the database in use (SQLite FTS5 or PostgreSQL): ranking, stemming,
prefixes, hostile text, and an index that follows every change made through the directory's services."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from commonweal.directory import search, services
from commonweal.directory.constants import Publication
from commonweal.directory.models import Service, ServiceSearchEntry
from commonweal.directory.search import (
    published_match_window,
    search_index_rebuild,
    search_index_update,
    search_ranks,
    search_words,
    service_search,
    service_search_filter,
)
from commonweal.directory.tests.factories import (
    OrganizationFactory,
    ServiceFactory,
    TaxonomyTermFactory,
)

pytestmark = pytest.mark.django_db


def _names(text, queryset=None):
    found = service_search(queryset or Service.objects.all(), text)
    return [service.name for service in found.order_by("-search_rank", "name")]


def test_a_name_match_ranks_above_a_description_match():
    ServiceFactory(name="Board games afternoon", description="Come along, we also go swimming.")
    ServiceFactory(name="Swimming for beginners", description="Lessons at the leisure centre.")
    ServiceFactory(name="Knitting circle", description="Bring your own wool.")
    assert _names("swimming") == ["Swimming for beginners", "Board games afternoon"]


def test_every_word_must_match():
    ServiceFactory(name="Youth football", description="Saturday mornings.")
    ServiceFactory(name="Walking football", description="For over fifties.")
    ServiceFactory(name="Youth choir", description="Singing together.")
    assert _names("youth football") == ["Youth football"]


def test_stemming_and_prefix_of_the_last_word():
    ServiceFactory(name="Walking group", description="Gentle walks around the park.")
    ServiceFactory(name="Gardening club", description="Allotments and seeds.")
    assert _names("walks") == ["Walking group"]
    assert _names("garde") == ["Gardening club"]
    assert _names("allot") == ["Gardening club"]


def test_organisation_and_taxonomy_term_names_are_searchable():
    organization = OrganizationFactory(name="Riverside Carers Trust")
    by_org = ServiceFactory(name="Tuesday drop-in", description="Tea.", organization=organization)
    tagged = ServiceFactory(name="Sunday gathering", description="Tea and cake.")
    term = TaxonomyTermFactory(name="Bereavement support")
    services.attributes_set(actor=None, record=tagged, terms=[term])
    assert _names("riverside carers") == [by_org.name]
    assert _names("bereavement") == [tagged.name]


def test_search_keeps_the_queryset_filters():
    ServiceFactory(name="Lunch club", publication=Publication.DRAFT)
    published = ServiceFactory(name="Lunch club at the hall")
    assert _names("lunch", Service.objects.published()) == [published.name]


HOSTILE = [
    '"',
    "'",
    '"unterminated',
    "lunch AND OR NOT NEAR",
    "NEAR(lunch club, 2)",
    "lunch*",
    "*",
    "^lunch",
    "name:lunch",
    "-lunch",
    "lunch & | ! <-> club",
    "(((",
    "'); DROP TABLE directory_service; --",
    "café ☕ 日本語 ünïcödé",
    "\x00lunch",
    "lunch " * 2000,
    "x" * 10_000,
    "_ _ __",
    "",
    "   ",
    "the of and",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_never_breaks_the_query(text):
    ServiceFactory(name="Lunch club", description="Hot meals.")
    found = service_search(Service.objects.all(), text)
    assert isinstance(list(found), list)
    assert found.count() >= 0


def test_operators_are_words_not_syntax():
    ServiceFactory(name="Lunch club", description="Hot meals.")
    assert _names('lunch "club') == ["Lunch club"]
    assert _names("lunch OR quilting") == []
    assert _names("NEAR(lunch)") == ["Lunch club"]


def test_search_words_are_clean_and_bounded():
    assert search_words('Lunch "CLUB" AND-or *NEAR* swim*') == ["lunch", "club", "swim"]
    assert len(search_words("word " * 100)) == 1
    assert len(search_words(" ".join(f"w{n}" for n in range(100)))) <= 8
    assert search_words("") == []
    assert search_words("the") == ["the"]


def test_the_index_follows_service_and_organisation_changes():
    organization = services.organization_create(
        actor=None, name="Grays Helpers", description="Volunteers."
    )
    service = services.service_create(
        actor=None,
        organization=organization,
        name="Knitting circle",
        description="Wool and chat.",
        publication=Publication.PUBLISHED,
    )
    assert _names("knitting") == ["Knitting circle"]
    services.service_update(actor=None, service=service, changes={"name": "Crochet circle"})
    assert _names("knitting") == []
    assert _names("crochet") == ["Crochet circle"]
    services.organization_update(
        actor=None, organization=organization, changes={"name": "Tilbury Makers"}
    )
    assert _names("tilbury") == ["Crochet circle"]
    assert _names("grays helpers") == []
    term = TaxonomyTermFactory(name="Crafts")
    services.attributes_set(actor=None, record=service, terms=[term])
    assert _names("crafts") == ["Crochet circle"]
    services.attributes_set(actor=None, record=service, terms=[])
    assert _names("crafts") == []


def test_deleting_a_service_removes_its_index_row():
    service = ServiceFactory(name="Soon gone")
    assert ServiceSearchEntry.objects.filter(service_id=service.pk).exists()
    service.delete()
    assert not ServiceSearchEntry.objects.filter(service_id=service.pk).exists()
    assert _names("soon gone") == []


def test_rebuild_indexes_services_loaded_in_bulk():
    organization = OrganizationFactory()
    Service.objects.bulk_create(
        [
            Service(organization=organization, name=f"Chess club {n}", publication="published")
            for n in range(5)
        ]
    )
    assert _names("chess") == []
    assert search_index_rebuild() == Service.objects.count()
    assert len(_names("chess")) == 5
    Service.objects.filter(name="Chess club 0").update(name="Draughts club")
    search_index_update(Service.objects.filter(name="Draughts club").values_list("pk", flat=True))
    assert len(_names("chess")) == 4


def test_rebuild_command(capsys):
    ServiceFactory(name="Book club")
    call_command("directory_search_rebuild")
    assert "Indexed 1 services" in capsys.readouterr().out
    assert _names("book") == ["Book club"]


def test_the_backend_matches_the_database():
    ServiceFactory(name="Bingo night")
    sql = str(service_search(Service.objects.all(), "bingo").query)
    if connection.vendor == "sqlite":
        assert "MATCH" in sql and "bm25" in sql
    else:
        assert "@@" in sql and "ts_rank" in sql


@pytest.mark.parametrize(
    "text", ["swim", "swimming", "youth football", "grays", "bingo", "", "!!", "swimming OR bingo"]
)
def test_the_unranked_filter_finds_exactly_what_the_ranked_search_finds(text):
    organisation = OrganizationFactory(name="Grays community trust")
    ServiceFactory(name="Swimming for beginners", organization=organisation)
    ServiceFactory(name="Youth football", description="Swim afterwards")
    ServiceFactory(name="Bingo night", description="Every Friday.")
    hidden = ServiceFactory(name="Swimming club", publication=Publication.DRAFT)

    published = Service.objects.published()
    ranked = set(service_search(published, text).values_list("pk", flat=True))
    unranked = set(service_search_filter(published, text).values_list("pk", flat=True))

    assert unranked == ranked
    assert hidden.pk not in unranked


def test_ranking_a_short_list_keeps_its_matches_in_the_same_order_as_a_full_search():
    swim_name = ServiceFactory(name="Swimming for beginners")
    swim_text = ServiceFactory(name="Youth club", description="We go swimming on Fridays")
    swim_far = ServiceFactory(name="Swimming club far away")
    bingo = ServiceFactory(name="Bingo night")

    ranks = search_ranks("swimming", [swim_name.pk, swim_text.pk, bingo.pk])

    assert set(ranks) == {swim_name.pk, swim_text.pk}  # not the far one, not bingo
    assert ranks[swim_name.pk] > ranks[swim_text.pk]  # a name match counts most
    assert swim_far.pk not in ranks
    assert search_ranks("", [bingo.pk]) == {bingo.pk: 0.0}
    assert search_ranks("ukulele", [swim_name.pk]) == {}


@pytest.mark.parametrize("ratio", [1e9, 0.0], ids=["walking-the-name-index", "sorting-the-matches"])
def test_a_keyword_window_counts_and_pages_published_matches_by_name(monkeypatch, ratio):
    monkeypatch.setitem(search.WALK_RATIO, connection.vendor, ratio)
    for name in ["Lunch club (Orsett)", "Lunch club (Aveley)", "Cafe lunch", "Lunch club (Aveley)"]:
        ServiceFactory(name=name, description="Hot food.")
    ServiceFactory(name="Lunch club (Draft)", publication=Publication.DRAFT)
    ServiceFactory(name="Lunch club (Old)", publication=Publication.WITHDRAWN)
    ServiceFactory(name="Knitting circle", description="Bring your own wool.")
    expected = list(
        Service.objects.published()
        .filter(name__icontains="lunch")
        .order_by("name", "id")
        .values_list("pk", flat=True)
    )
    assert len(expected) == 4

    assert published_match_window("lunch", offset=0, limit=10) == (4, expected)
    assert published_match_window("lunch", offset=1, limit=2) == (4, expected[1:3])
    assert published_match_window("lunch", offset=4, limit=2) == (4, [])
    assert published_match_window("knitting wool", offset=0, limit=5)[0] == 1
    assert published_match_window("nothing matches this", offset=0, limit=5) == (0, [])
    assert published_match_window(" ?! ", offset=0, limit=5) is None


def test_a_keyword_window_forgets_a_deleted_service():
    kept = ServiceFactory(name="Lunch club")
    ServiceFactory(name="Lunch club too").delete()
    assert published_match_window("lunch", offset=0, limit=5) == (1, [kept.pk])


def test_the_walks_planner_settings_do_not_outlast_it(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("planner settings are PostgreSQL's; SQLite's walk names its index instead")
    monkeypatch.setitem(search.WALK_RATIO, connection.vendor, 1e9)
    ServiceFactory(name="Lunch club")

    def settings():
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('enable_sort'), current_setting('jit')")
            return cursor.fetchone()

    before = settings()
    # The test runs inside a transaction, as a caller's longer transaction would.
    assert published_match_window("lunch", offset=0, limit=5)[0] == 1
    assert settings() == before
