from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_postcode_with_areas(client, thurrock):
    response = client.get("/api/geo/postcodes/rm176sl")
    assert response.status_code == 200
    body = response.json()
    assert body["postcode"] == "RM176SL" and body["display"] == "RM17 6SL"
    assert body["latitude"] == pytest.approx(51.47555) and body["longitude"] == pytest.approx(
        0.323813
    )
    assert body["ward"] == {"code": "E05002235", "name": "Grays Riverside"}
    assert body["district"]["code"] == "E06000034"
    assert body["lsoa"]["code"] == body["lsoa_code"] == "E01015954"
    assert body["msoa"]["code"] == "E02003312"


def test_spaces_in_the_path(client, thurrock):
    assert client.get("/api/geo/postcodes/RM17%206SL").json()["postcode"] == "RM176SL"


def test_not_a_postcode_is_400(client):
    response = client.get("/api/geo/postcodes/hello")
    assert response.status_code == 400
    assert "is not a postcode" in response.json()["error"]["message"]


def test_unknown_postcode_is_404(client, thurrock):
    response = client.get("/api/geo/postcodes/RM176ZZ")
    assert response.status_code == 404
    assert "we do not know where it is" in response.json()["error"]["message"]


def test_described_in_openapi(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/geo/postcodes/{postcode}" in schema["paths"]
