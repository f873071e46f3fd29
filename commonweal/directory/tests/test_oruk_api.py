"""The ORUK 3.0 API: every response validates, parameters narrow with AND, and nothing private leaks."""

from __future__ import annotations

import datetime as dt
import json
import math
import urllib.request
from decimal import Decimal

import pytest
from django.utils import timezone

from commonweal.directory.constants import Publication
from commonweal.directory.models import Language, Phone, ServiceArea
from commonweal.directory.tests.factories import (
    AddressFactory,
    LocationFactory,
    OrganizationFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    TaxonomyTermFactory,
    attribute_add,
    full_service,
)
from commonweal.directory.tests.oruk_schemas import blank_optional_values, oruk_schemas, page_errors
from commonweal.geo.constants import AreaKind
from commonweal.geo.models import Area, Postcode

pytestmark = pytest.mark.django_db

BASE = "/api/oruk"


def _get(client, url, status=200):
    response = client.get(BASE + url)
    assert response.status_code == status, response.content[:500]
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def _valid(shared_dir, path, body):
    schemas = oruk_schemas(shared_dir)
    assert schemas.errors(path, body) == []
    assert blank_optional_values(body) == []


@pytest.fixture
def directory():
    """Three dozen published services (four with every related record), one draft and one withdrawn."""
    services = [full_service() for _ in range(4)]
    organization = OrganizationFactory()
    services += [ServiceFactory(organization=organization) for _ in range(32)]
    ServiceFactory(name="Draft lunch club", publication=Publication.DRAFT)
    ServiceFactory(name="Withdrawn lunch club", publication=Publication.WITHDRAWN)
    return services


def test_api_details(client, shared_dir):
    body = _get(client, "/")
    _valid(shared_dir, "/", body)
    assert body["version"] == "HSDS-UK-3.0"


def test_services_pages_and_every_service_validate(client, shared_dir, directory):
    per_page = 10
    first = _get(client, f"/services?per_page={per_page}")
    assert first["total_items"] == 36
    assert first["total_pages"] == math.ceil(36 / per_page) == 4
    harvested = []
    for number in (1, 2, first["total_pages"]):
        body = _get(client, f"/services?per_page={per_page}&page={number}")
        _valid(shared_dir, "/services", body)
        assert page_errors(body, per_page=per_page) == []
    for number in range(1, first["total_pages"] + 1):
        harvested += [
            item["id"]
            for item in _get(client, f"/services?per_page={per_page}&page={number}")["contents"]
        ]
    assert len(harvested) == len(set(harvested)) == 36
    for service_id in harvested:
        _valid(shared_dir, "/services/{id}", _get(client, f"/services/{service_id}"))


def test_full_service_is_fully_nested(client, shared_dir, directory):
    body = _get(client, f"/services/{directory[0].public_id}")
    for key in (
        "schedules",
        "service_areas",
        "service_at_locations",
        "languages",
        "funding",
        "cost_options",
        "contacts",
        "attributes",
    ):
        assert body[key], key
    assert body["schedules"][0]["byday"] == "2MO"
    assert body["schedules"][0]["opens_at"] == "10:00"
    assert body["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] == "RM17 6SL"
    assert body["attributes"][0]["taxonomy_term"]["parent_id"]
    assert "email" not in body["contacts"][0] and "phones" not in body["contacts"][0]
    full_list = _get(client, "/services?full=true&per_page=50")
    _valid(shared_dir, "/services", full_list)
    assert any("schedules" in item for item in full_list["contents"])


def test_a_phone_lines_language_is_not_listed_as_the_services(client):
    service = full_service()
    phone = Phone.objects.create(service=service, number="01375 123456")
    Language.objects.create(service=service, phone=phone, name="Polish", code="pl")
    own = sorted(service.languages.filter(phone__isnull=True).values_list("name", flat=True))
    assert own and "Polish" not in own
    body = _get(client, f"/services/{service.public_id}")
    assert sorted(item["name"] for item in body["languages"]) == own


def test_optional_endpoints_validate_with_harvested_ids(client, shared_dir, directory):
    for list_path, item_path in [
        ("/taxonomies", "/taxonomies/{id}"),
        ("/taxonomy_terms", "/taxonomy_terms/{id}"),
        ("/organizations", "/organizations/{id}"),
        ("/service_at_locations", "/service_at_locations/{id}"),
    ]:
        body = _get(client, list_path + "?per_page=3")
        assert body["total_items"] > 0, list_path
        pages = body["total_pages"]
        for number in sorted({1, max(1, pages // 2), pages}):
            page = _get(client, f"{list_path}?per_page=3&page={number}")
            _valid(shared_dir, list_path, page)
            assert page_errors(page, per_page=3) == []
            for item in page["contents"]:
                _valid(shared_dir, item_path, _get(client, item_path.replace("{id}", item["id"])))


def test_organization_lists_its_published_services_only(client, shared_dir):
    service = full_service()
    ServiceFactory(
        organization=service.organization, publication=Publication.DRAFT, name="Secret draft"
    )
    body = _get(client, f"/organizations/{service.organization.public_id}")
    assert [item["id"] for item in body["services"]] == [str(service.public_id)]
    assert "schedules" not in body["services"][0]
    full = _get(client, f"/organizations/{service.organization.public_id}?full_service=true")
    assert full["services"][0]["schedules"]
    _valid(shared_dir, "/organizations/{id}", full)


def test_organization_list_with_full_service_nests_each_published_service_in_full(
    client, shared_dir, django_assert_max_num_queries
):
    services = [full_service(), full_service()]
    ServiceFactory(
        organization=services[0].organization, publication=Publication.DRAFT, name="Secret draft"
    )
    second = ServiceFactory(organization=services[0].organization, name="Another club")
    for _ in range(3):
        full_service()  # more organisations, so the page's queries are seen not to grow with them
    schemas = oruk_schemas(shared_dir)
    service_validator = schemas.validator("service.json")

    with django_assert_max_num_queries(40):
        body = _get(client, "/organizations?full_service=true&per_page=50")
    _valid(shared_dir, "/organizations", body)
    by_id = {item["id"]: item for item in body["contents"]}
    first = by_id[str(services[0].organization.public_id)]
    assert [item["id"] for item in first["services"]] == [
        str(second.public_id),
        str(services[0].public_id),
    ]
    assert "Secret draft" not in json.dumps(body)
    assert first["organization_identifiers"]
    for item in body["contents"]:
        for service in item["services"]:
            assert list(service_validator.iter_errors(service)) == []
            assert service["organization_id"] == item["id"]
    assert by_id[str(services[1].organization.public_id)]["services"][0]["schedules"]

    # Without it, the list stays basic; the NDJSON stream carries the same nesting.
    plain = _get(client, "/organizations?per_page=50")
    assert all("services" not in item for item in plain["contents"])
    response = client.get(BASE + "/organizations?full_service=true&format=ndjson")
    lines = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert {line["id"]: len(line["services"]) for line in lines} == {
        key: len(item["services"]) for key, item in by_id.items()
    }


def test_unpublished_services_never_appear(client, directory):
    names = {item["name"] for item in _get(client, "/services?per_page=500")["contents"]}
    assert "Draft lunch club" not in names and "Withdrawn lunch club" not in names
    draft = ServiceFactory(publication=Publication.DRAFT)
    ServiceAtLocationFactory(service=draft)
    error = _get(client, f"/services/{draft.public_id}", status=404)
    assert error["error"]["status"] == 404
    sal_ids = {
        item["service_id"]
        for item in _get(client, "/service_at_locations?per_page=500")["contents"]
    }
    assert str(draft.public_id) not in sal_ids
    org_ids = {item["id"] for item in _get(client, "/organizations?per_page=500")["contents"]}
    assert str(draft.organization.public_id) not in org_ids


def test_masked_locations_show_no_address_or_point(client, shared_dir):
    service = ServiceFactory()
    refuge = LocationFactory(name="Safe house", mask_address=True)
    AddressFactory(location=refuge, address_1="1 Hidden Road")
    sal = ServiceAtLocationFactory(service=service, location=refuge)
    for body in (
        _get(client, f"/services/{service.public_id}"),
        _get(client, f"/service_at_locations/{sal.public_id}"),
    ):
        text = json.dumps(body)
        assert "Hidden Road" not in text and "51.476" not in text and "latitude" not in text
    _valid(
        shared_dir,
        "/service_at_locations/{id}",
        _get(client, f"/service_at_locations/{sal.public_id}"),
    )


def test_filters_combine_with_and(client):
    term = TaxonomyTermFactory()
    other_term = TaxonomyTermFactory(taxonomy=term.taxonomy)
    organization = OrganizationFactory()
    both = ServiceFactory(organization=organization, name="Walking group")
    attribute_add(both, term)
    wrong_org = ServiceFactory(name="Walking club elsewhere")
    attribute_add(wrong_org, term)
    wrong_term = ServiceFactory(organization=organization, name="Walking netball")
    attribute_add(wrong_term, other_term)
    ServiceFactory(organization=organization, name="Knitting circle")

    def ids(query):
        return {item["id"] for item in _get(client, "/services?per_page=500&" + query)["contents"]}

    assert ids(f"taxonomy_term_id={term.public_id}") == {
        str(both.public_id),
        str(wrong_org.public_id),
    }
    assert ids(f"organization_id={organization.public_id}") == {
        str(both.public_id),
        str(wrong_term.public_id),
        str(organization.services.get(name="Knitting circle").public_id),
    }
    assert ids(f"taxonomy_term_id={term.public_id}&organization_id={organization.public_id}") == {
        str(both.public_id)
    }
    assert ids(
        f"taxonomy_id={term.taxonomy.public_id}&search=walking&organization_id={organization.public_id}"
    ) == {str(both.public_id), str(wrong_term.public_id)}
    assert ids(f"search=walking&taxonomy_term_id={other_term.public_id}") == {
        str(wrong_term.public_id)
    }
    assert ids("taxonomy_term_id=00000000-0000-4000-8000-000000000000") == set()


def test_modified_after_and_minimal(client):
    old = ServiceFactory(last_modified=timezone.now() - dt.timedelta(days=30))
    new = ServiceFactory(last_modified=timezone.now())
    since = (timezone.now() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    body = _get(client, f"/services?modified_after={since}")
    assert [item["id"] for item in body["contents"]] == [str(new.public_id)]
    minimal = _get(client, "/services?minimal=true")
    assert {item["id"] for item in minimal} == {str(old.public_id), str(new.public_id)}
    assert all(set(item) == {"id", "modified_date"} for item in minimal)


def test_ndjson_streams_every_service(client, shared_dir, directory):
    response = client.get(BASE + "/services?format=ndjson&per_page=5")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/x-ndjson"
    assert response["Access-Control-Allow-Origin"] == "*"
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 36
    item_validator = oruk_schemas(shared_dir).validator("service.json")
    for line in lines:
        assert list(item_validator.iter_errors(json.loads(line))) == []


@pytest.fixture
def thurrock_points():
    ward = Area.objects.create(kind=AreaKind.WARD, code="E05002229", name="Grays Riverside")
    Postcode.objects.create(
        postcode="RM176SL", latitude=51.4760, longitude=0.3250, ward_code="E05002229"
    )
    Postcode.objects.create(
        postcode="SS178AA", latitude=51.5200, longitude=0.4300, ward_code="E05002230"
    )
    return ward


def _venue(name, lat, lon, **kwargs):
    location = LocationFactory(
        name=name, latitude=Decimal(str(lat)), longitude=Decimal(str(lon)), **kwargs
    )
    return ServiceAtLocationFactory(service=ServiceFactory(name=name), location=location)


def test_proximity_orders_by_distance_and_excludes_far_and_masked(
    client, shared_dir, thurrock_points
):
    near = _venue("Near", 51.4765, 0.3255)
    nearer = _venue("Nearer", 51.4761, 0.3251)
    _venue("Far", 51.60, 0.60)
    _venue("Hidden", 51.4760, 0.3250, mask_address=True)
    body = _get(client, "/service_at_locations?postcode=rm17%206sl&proximity=2000")
    _valid(shared_dir, "/service_at_locations", body)
    assert [item["id"] for item in body["contents"]] == [str(nearer.public_id), str(near.public_id)]
    distances = [item["commonweal_distance_metres"] for item in body["contents"]]
    assert distances == sorted(distances) and distances[1] < 2000


def test_postcode_respects_service_area_coverage(client, thurrock_points):
    inside = _venue("Grays only", 51.4765, 0.3255)
    ServiceArea.objects.create(service=inside.service, name="Grays Riverside", area=thurrock_points)
    anywhere = _venue("Anywhere", 51.5, 0.4)
    ids = {
        item["id"] for item in _get(client, "/service_at_locations?postcode=RM176SL")["contents"]
    }
    assert ids == {str(inside.public_id), str(anywhere.public_id)}
    ids = {
        item["id"] for item in _get(client, "/service_at_locations?postcode=SS178AA")["contents"]
    }
    assert ids == {str(anywhere.public_id)}


@pytest.mark.parametrize(
    "query, word",
    [
        ("/services?per_page=100000", "per_page"),
        ("/services?per_page=0", "per_page"),
        ("/services?page=-1", "page"),
        ("/services?page=abc", "page"),
        ("/services?taxonomy_term_id=not-a-uuid", "taxonomy_term_id"),
        ("/services?organization_id=1%20OR%201=1", "organization_id"),
        ("/services?modified_after=yesterday", "modified_after"),
        ("/services?modified_after=2025-13-45T99:00:00Z", "modified_after"),
        ("/services?search=" + "x" * 5000, "search"),
        ("/services?format=xml", "format"),
        ("/services?full=maybe", "full"),
        ("/service_at_locations?proximity=1000", "postcode"),
        ("/service_at_locations?postcode=RM176SL&proximity=-5", "proximity"),
        ("/service_at_locations?postcode=RM176SL&proximity=nan", "proximity"),
        ("/service_at_locations?postcode=DROP%20TABLE", "postcode"),
        ("/service_at_locations?postcode=ZZ99%209ZZ", "postcode"),
        ("/taxonomy_terms?parent_id=%00", "parent_id"),
    ],
)
def test_hostile_parameters_get_a_clear_400(client, query, word):
    body = _get(client, query, status=400)
    assert word in body["error"]["message"]


def test_unknown_ids_get_404_json(client):
    missing = "00000000-0000-4000-8000-000000000000"
    for path in (
        "services",
        "taxonomies",
        "taxonomy_terms",
        "organizations",
        "service_at_locations",
    ):
        assert _get(client, f"/{path}/{missing}", status=404)["error"]["status"] == 404


def test_serialising_costs_a_fixed_number_of_queries(
    client, directory, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        client.get(BASE + "/services?per_page=50")
    with django_assert_max_num_queries(20):
        client.get(BASE + f"/services/{directory[0].public_id}")
    with django_assert_max_num_queries(20):
        client.get(BASE + "/services?per_page=50&full=true")
    with django_assert_max_num_queries(12):
        client.get(BASE + "/service_at_locations?per_page=50&full=true")


def test_operations_are_in_the_openapi_document(client, shared_dir):
    paths = client.get("/api/openapi.json").json()["paths"]
    schemas = oruk_schemas(shared_dir)
    for path in schemas.openapi["paths"]:
        operation = paths[f"/api/oruk{path}"]["get"]
        required = "optional" if schemas.is_optional(path) else "required"
        assert sorted(operation["tags"]) == sorted(["oruk", required]), path
        ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith("/" + schemas.response_schema(path))
    for path in (
        "/",
        "/services",
        "/services/{id}",
        "/taxonomies",
        "/taxonomy_terms",
        "/organizations",
        "/service_at_locations",
    ):
        assert f"/api/oruk{path}" in paths


@pytest.mark.django_db(transaction=True)
def test_over_real_http(live_server, shared_dir):
    service = full_service()
    with urllib.request.urlopen(f"{live_server.url}{BASE}/services") as response:
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        body = json.loads(response.read())
    _valid(shared_dir, "/services", body)
    assert body["contents"][0]["id"] == str(service.public_id)
    with urllib.request.urlopen(
        f"{live_server.url}{BASE}/services/{service.public_id}"
    ) as response:
        _valid(shared_dir, "/services/{id}", json.loads(response.read()))
