from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_empty_form(client):
    response = client.get(reverse("geo:postcode_check"))
    assert response.status_code == 200
    assert 'label class="govuk-label" for="postcode"' in response.content.decode()


def test_found_postcode_names_the_ward(client, thurrock):
    html = client.get("/postcode", {"postcode": "rm17 6sl"}).content.decode()
    assert "RM17 6SL" in html and "Grays Riverside" in html and "There is a problem" not in html


def test_not_a_postcode(client):
    response = client.get("/postcode", {"postcode": "hello"})
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        "There is a problem" in html and "is not a postcode" in html and 'href="#postcode"' in html
    )


def test_unknown_postcode(client, thurrock):
    response = client.get("/postcode", {"postcode": "RM17 6ZZ"})
    assert response.status_code == 200
    assert "we do not know where it is" in response.content.decode()
