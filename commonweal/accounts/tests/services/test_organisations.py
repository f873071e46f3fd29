from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from commonweal.accounts import services
from commonweal.accounts.constants import AccountsAuditKind, OrganisationKind
from commonweal.accounts.models import Organisation
from commonweal.core.models import AuditEntry
from commonweal.geo.constants import AreaKind
from commonweal.geo.models import Area, Postcode

pytestmark = pytest.mark.django_db


def test_organisation_create_makes_a_unique_slug_from_the_name(user):
    first = services.organisation_create(
        actor=user, name="Grays Men's Shed", kind=OrganisationKind.VCS_GROUP
    )
    second = services.organisation_create(
        actor=user, name="Grays Men's Shed", kind=OrganisationKind.CHARITY
    )
    assert first.slug == "grays-mens-shed"
    assert second.slug == "grays-mens-shed-2"
    entries = AuditEntry.objects.filter(kind=AccountsAuditKind.ORGANISATION_SAVED)
    assert entries.count() == 2
    assert entries.filter(target_id=str(first.pk), after__kind="vcs_group").exists()


def test_organisation_create_refuses_a_slug_already_taken(user):
    services.organisation_create(actor=user, name="Tilbury Hub", kind="cvs", slug="tilbury-hub")
    with pytest.raises(ValidationError) as error:
        services.organisation_create(actor=user, name="Another", kind="cvs", slug="tilbury-hub")
    assert "slug" in error.value.message_dict
    assert Organisation.objects.count() == 1


def test_organisation_create_refuses_an_unknown_kind(user):
    with pytest.raises(ValidationError) as error:
        services.organisation_create(actor=user, name="Somewhere", kind="spaceship")
    assert "kind" in error.value.message_dict


def test_organisation_create_refuses_unknown_fields(user):
    with pytest.raises(TypeError, match="colour"):
        services.organisation_create(actor=user, name="Somewhere", kind="cvs", colour="red")


def test_organisation_update_audits_what_changed(user, organisation):
    services.organisation_update(
        actor=user,
        organisation=organisation,
        name="Grays Larder",
        website="https://larder.example.org",
        postcode="rm17 6sl",
    )
    organisation.refresh_from_db()
    assert organisation.name == "Grays Larder"
    assert organisation.postcode == "RM176SL"
    entry = AuditEntry.objects.get(
        kind=AccountsAuditKind.ORGANISATION_SAVED, target_id=str(organisation.pk)
    )
    assert entry.before["name"] == "Grays Community Larder"
    assert entry.after == {
        "name": "Grays Larder",
        "postcode": "RM176SL",
        "website": "https://larder.example.org",
    }


def test_organisation_update_refuses_a_taken_slug_and_keeps_the_old_one(user, organisation):
    services.organisation_create(actor=user, name="Other", kind="cvs", slug="other")
    with pytest.raises(ValidationError):
        services.organisation_update(actor=user, organisation=organisation, slug="other")
    organisation.refresh_from_db()
    assert organisation.slug != "other"


def test_organisation_update_without_changes_writes_nothing(user, organisation):
    services.organisation_update(actor=user, organisation=organisation, name=organisation.name)
    assert not AuditEntry.objects.exists()


def test_an_organisation_is_placed_in_the_ward_of_its_postcode(db):

    ward = Area.objects.create(kind=AreaKind.WARD, code="E05002235", name="Grays Riverside")
    Postcode.objects.create(
        postcode="RM176SL", latitude=51.47555, longitude=0.323813, ward_code="E05002235"
    )
    organisation = services.organisation_create(
        actor=None, name="Grays Beach Litter Pickers", kind="vcs_group", postcode="rm17 6sl"
    )
    organisation.refresh_from_db()
    assert organisation.postcode == "RM176SL"
    assert organisation.ward == ward
    assert organisation.latitude is not None


def test_moving_an_organisation_moves_it_to_the_new_ward_and_audits_it(db):

    first = Area.objects.create(kind=AreaKind.WARD, code="E05002235", name="Grays Riverside")
    second = Area.objects.create(kind=AreaKind.WARD, code="E05002247", name="Tilbury St. Chads")
    Postcode.objects.create(
        postcode="RM176SL", latitude=51.4755, longitude=0.3238, ward_code=first.code
    )
    Postcode.objects.create(
        postcode="RM188AA", latitude=51.4630, longitude=0.3600, ward_code=second.code
    )
    organisation = services.organisation_create(
        actor=None, name="Tilbury Community Kitchen", kind="charity", postcode="RM17 6SL"
    )
    services.organisation_update(actor=None, organisation=organisation, postcode="RM18 8AA")
    organisation.refresh_from_db()
    assert organisation.ward == second
    entry = AuditEntry.objects.filter(target_id=str(organisation.pk)).first()
    assert entry.after["postcode"] == "RM188AA"


def test_an_organisation_postcode_that_is_not_a_postcode_is_refused_by_field(db):

    with pytest.raises(ValidationError) as error:
        services.organisation_create(
            actor=None, name="Nowhere Club", kind="vcs_group", postcode="hello"
        )
    assert "postcode" in error.value.message_dict
