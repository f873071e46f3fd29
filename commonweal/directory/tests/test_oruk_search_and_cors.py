"""The ORUK API's full-text ``search``, CORS on every response under /api/oruk/, and path ids that
are not UUIDs (a 404 in the error envelope, as for any id no public record has)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from commonweal.directory import search
from commonweal.directory.constants import Publication
from commonweal.directory.middleware import OrukCorsMiddleware
from commonweal.directory.tests.factories import (
    LocationFactory,
    OrganizationFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    TaxonomyTermFactory,
    attribute_add,
)
from commonweal.directory.tests.oruk_schemas import oruk_schemas
from commonweal.geo.models import Postcode

pytestmark = pytest.mark.django_db

BASE = "/api/oruk"


def _get(client, url, status=200):
    response = client.get(BASE + url)
    assert response.status_code == status, response.content[:300]
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def _ids(body):
    return [item["id"] for item in body["contents"]]


def test_services_search_uses_full_text_search(client, shared_dir):
    walking = ServiceFactory(name="Walking group", description="Gentle walks by the river.")
    tagged = ServiceFactory(name="Tuesday club", description="Tea and chat.")
    attribute_add(tagged, TaxonomyTermFactory(name="Bereavement support"))
    by_org = ServiceFactory(
        name="Drop-in",
        description="Advice.",
        organization=OrganizationFactory(name="Thameside Carers"),
    )
    ServiceFactory(name="Knitting circle", description="Wool.")
    body = _get(client, "/services?search=walks")
    assert oruk_schemas(shared_dir).errors("/services", body) == []
    assert _ids(body) == [str(walking.public_id)]
    assert _ids(_get(client, "/services?search=bereavement")) == [str(tagged.public_id)]
    assert _ids(_get(client, "/services?search=thameside%20carers")) == [str(by_org.public_id)]
    assert _ids(_get(client, "/services?search=walk%20knitting")) == []


@pytest.mark.parametrize(
    "search", ["%22", "walking%20AND%20OR", "NEAR(walking)", "*", "%E2%98%95", "'%3B--", "(((", "-"]
)
def test_hostile_search_text_is_read_as_words(client, search):
    ServiceFactory(name="Walking group")
    body = _get(client, f"/services?search={search}")
    assert body["total_items"] in (0, 1)
    _get(client, f"/service_at_locations?search={search}")


def test_service_at_locations_search_with_postcode_and_proximity(client):
    Postcode.objects.create(postcode="RM176SL", latitude=51.4760, longitude=0.3250)

    def venue(name, lat, lon):
        location = LocationFactory(latitude=Decimal(str(lat)), longitude=Decimal(str(lon)))
        return ServiceAtLocationFactory(service=ServiceFactory(name=name), location=location)

    near_swim = venue("Swimming lessons", 51.4765, 0.3255)
    venue("Swimming far away", 51.60, 0.60)
    venue("Bingo nearby", 51.4765, 0.3255)
    body = _get(client, "/service_at_locations?search=swim&postcode=RM176SL&proximity=2000")
    assert _ids(body) == [str(near_swim.public_id)]
    assert len(_ids(_get(client, "/service_at_locations?search=swim"))) == 2


def test_path_ids_that_are_not_uuids_are_not_found(client):
    for path in (
        "services",
        "taxonomies",
        "taxonomy_terms",
        "organizations",
        "service_at_locations",
    ):
        for bad in ("not-a-uuid", "1", "x" * 300, "%27%20OR%201%3D1"):
            body = _get(client, f"/{path}/{bad}", status=404)
            assert body["error"]["status"] == 404
            assert "id" in body["error"]["message"]


def test_cors_on_errors_and_unknown_paths(client):
    _get(client, "/services?per_page=0", status=400)
    _get(client, "/services/00000000-0000-4000-8000-000000000000", status=404)
    response = client.get(BASE + "/no-such-endpoint")
    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == "*"
    # Other parts of the site are not opened to other origins.
    assert "Access-Control-Allow-Origin" not in client.get("/directory/")


def test_cors_on_responses_made_before_the_view_such_as_throttling():
    def throttled(request):
        return HttpResponse(status=429)

    middleware = OrukCorsMiddleware(throttled)
    response = middleware(RequestFactory().get(BASE + "/services"))
    assert response.status_code == 429
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in middleware(RequestFactory().get("/api/geo/x"))


def test_cors_preflight(client):
    response = client.options(
        BASE + "/services",
        HTTP_ORIGIN="https://validator.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]


@pytest.mark.parametrize("ratio", [1e9, 0.0], ids=["walking-the-name-index", "sorting-the-matches"])
def test_services_search_pages_published_matches_by_name(client, shared_dir, monkeypatch, ratio):
    monkeypatch.setitem(search.WALK_RATIO, connection.vendor, ratio)
    names = [
        "Lunch club (Stifford)",
        "Cafe lunch",
        "Lunch club (Aveley)",
        "Lunch and learn",
        "Lunch",
    ]
    made = {name: ServiceFactory(name=name, description="Hot food.") for name in names}
    ServiceFactory(name="Lunch club (draft)", publication=Publication.DRAFT)
    ServiceFactory(name="Lunch club (closed)", publication=Publication.WITHDRAWN)
    ServiceFactory(name="Knitting circle", description="Wool.")
    in_order = [str(made[name].public_id) for name in sorted(names)]

    pages = [_get(client, f"/services?search=lunch&per_page=2&page={page}") for page in (1, 2, 3)]
    for body in pages:
        assert oruk_schemas(shared_dir).errors("/services", body) == []
        assert (body["total_items"], body["total_pages"]) == (5, 3)
    assert [item for body in pages for item in _ids(body)] == in_order
    assert (pages[0]["first_page"], pages[2]["last_page"]) == (True, True)
    beyond = _get(client, "/services?search=lunch&per_page=2&page=4")
    assert (beyond["total_items"], beyond["contents"]) == (5, [])
    full = _get(client, "/services?search=lunch&per_page=2&full=true")
    assert _ids(full) == in_order[:2]
