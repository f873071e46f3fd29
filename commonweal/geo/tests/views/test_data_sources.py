from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_data_page_shows_attributions_and_licences(client):
    response = client.get(reverse("geo:data_sources"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Contains Ordnance Survey data © Crown copyright and database right 2025." in html
    assert "Contains Royal Mail data © Royal Mail copyright and database right 2025." in html
    assert "Contains National Statistics data © Crown copyright and database right 2025." in html
    assert "https://www.ordnancesurvey.co.uk/opendata/licence" in html
    assert "ONS Postcode Directory" in html
    assert "OpenStreetMap contributors" in html
    assert "Not imported on this site" in html


def test_data_page_shows_what_was_last_imported(client, thurrock):
    html = client.get("/data").content.decode()
    assert "Thurrock demonstration geography" in html
    assert "3,275 postcodes" in html
