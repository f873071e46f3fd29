from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from commonweal.accounts import services
from commonweal.accounts.constants import AccountsAuditKind
from commonweal.core.models import AuditEntry
from commonweal.geo.constants import AreaKind
from commonweal.geo.models import Area, Postcode

pytestmark = pytest.mark.django_db


def test_profile_update_saves_names_and_details_and_audits_field_names_only(user):
    profile = services.profile_update(
        actor=user,
        user=user,
        full_name="Ada King",
        preferred_name="Ada",
        phone="01375 652652",
        languages="English, French",
        access_needs="Large print, please.",
    )
    user.refresh_from_db()
    assert user.full_name == "Ada King"
    assert user.preferred_name == "Ada"
    assert profile.phone == "01375 652652"
    assert profile.languages == "English, French"
    entry = AuditEntry.objects.get(kind=AccountsAuditKind.PROFILE_UPDATED)
    assert sorted(entry.after["changed"]) == ["access_needs", "languages", "phone"]
    assert "01375" not in str(entry.after)


def test_profile_update_keeps_an_unknown_postcode_in_canonical_form_without_a_ward(user):
    profile = services.profile_update(actor=user, user=user, postcode="rm17 6sl")
    profile.refresh_from_db()
    assert profile.postcode == "RM176SL"
    assert profile.ward is None


def test_profile_update_places_a_known_postcode_in_its_ward(user):
    ward = Area.objects.create(kind=AreaKind.WARD, code="E05002229", name="Grays Riverside")
    Postcode.objects.create(
        postcode="RM176SL",
        latitude=51.476,
        longitude=0.323,
        ward_code="E05002229",
        district_code="E06000034",
    )
    profile = services.profile_update(actor=user, user=user, postcode="RM17 6SL")
    profile.refresh_from_db()
    assert profile.postcode == "RM176SL"
    assert profile.ward == ward
    assert profile.latitude is not None


def test_profile_update_places_the_postcode_in_its_ward_through_geo(user):
    ward = Area.objects.create(kind=AreaKind.WARD, code="E05002229", name="Grays Riverside")
    Postcode.objects.create(
        postcode="RM176SL", latitude=51.476, longitude=0.323, ward_code="E05002229"
    )
    profile = services.profile_update(actor=user, user=user, postcode=" rm17  6sl ")
    profile.refresh_from_db()
    assert profile.postcode == "RM176SL"
    assert profile.ward == ward


def test_clearing_the_postcode_clears_the_ward(user):
    ward = Area.objects.create(kind=AreaKind.WARD, code="E05002229", name="Grays Riverside")
    profile = services.profile_update(actor=user, user=user, phone="01375 652652")
    profile.postcode, profile.ward = "RM176SL", ward
    profile.save()
    profile = services.profile_update(actor=user, user=user, postcode="")
    profile.refresh_from_db()
    assert profile.postcode == ""
    assert profile.ward is None


def test_profile_update_refuses_a_too_long_phone_number_and_keeps_the_old_one(user):
    services.profile_update(actor=user, user=user, phone="01375 652652")
    with pytest.raises(ValidationError) as error:
        services.profile_update(actor=user, user=user, phone="0" * 40)
    assert "phone" in error.value.message_dict
    assert user.profile.__class__.objects.get(user=user).phone == "01375 652652"


def test_profile_update_refuses_something_that_is_not_a_postcode(user):
    with pytest.raises(ValidationError) as error:
        services.profile_update(actor=user, user=user, postcode="12345")
    assert "is not a postcode" in error.value.message_dict["postcode"][0]
