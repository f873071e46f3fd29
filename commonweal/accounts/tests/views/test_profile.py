from __future__ import annotations

import pytest
from django.urls import reverse

from commonweal.accounts.models import Profile

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")


def _form(**changes):
    data = {
        "full_name": "Ada King",
        "preferred_name": "Ada",
        "phone": "01375 652652",
        "postcode": "rm17 6sl",
        "languages": "English, French",
        "access_needs": "Step-free access",
    }
    data.update(changes)
    return data


def test_the_profile_page_needs_sign_in(client):
    assert client.get(PROFILE).status_code == 302


def test_the_profile_page_shows_labelled_fields(client, user):
    client.force_login(user)
    html = client.get(PROFILE).content.decode()
    for label in (
        "Full name",
        "Preferred name (optional)",
        "Phone number (optional)",
        "Postcode (optional)",
        "Languages you speak (optional)",
        "Access needs (optional)",
    ):
        assert f">{label}</label>" in html
    assert 'value="Ada Lovelace"' in html


def test_saving_the_profile_changes_it(client, user):
    client.force_login(user)
    response = client.post(PROFILE, _form())
    assert response.status_code == 302
    user.refresh_from_db()
    profile = Profile.objects.get(user=user)
    assert user.full_name == "Ada King"
    assert user.preferred_name == "Ada"
    assert profile.phone == "01375 652652"
    assert profile.postcode == "RM176SL"
    assert profile.access_needs == "Step-free access"
    html = client.get(PROFILE).content.decode()
    assert 'value="RM17 6SL"' in html
    assert "Your profile has been saved." in html
    assert "We do not know which ward RM17 6SL is in yet." in html


def test_the_profile_page_names_the_ward_of_a_known_postcode(client, user):
    from commonweal.geo.constants import AreaKind
    from commonweal.geo.models import Area, Postcode

    Area.objects.create(kind=AreaKind.WARD, code="E05002229", name="Grays Riverside")
    Postcode.objects.create(
        postcode="RM176SL", latitude=51.476, longitude=0.323, ward_code="E05002229"
    )
    client.force_login(user)
    client.post(PROFILE, _form())
    html = client.get(PROFILE).content.decode()
    assert "Your postcode is in <strong>Grays Riverside</strong> ward." in html


def test_bad_input_is_explained_next_to_each_field_and_nothing_is_saved(client, user):
    client.force_login(user)
    response = client.post(
        PROFILE, _form(phone="call me", postcode="NOT A POSTCODE", full_name="x" * 200)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        '<a href="#id_phone">Enter a phone number, like 01375 652 652 or 07700 900 982</a>' in html
    )
    assert '<a href="#id_postcode">Enter a full UK postcode, like RM17 6SL</a>' in html
    assert '<a href="#id_full_name">Full name must be 150 characters or fewer</a>' in html
    assert 'id="id_phone-error"' in html
    assert 'aria-describedby="id_phone-hint id_phone-error"' in html
    user.refresh_from_db()
    assert user.full_name == "Ada Lovelace"
    assert not Profile.objects.filter(user=user, phone="call me").exists()
