from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from commonweal.accounts import services
from commonweal.accounts.constants import AccountsAuditKind, OrganisationKind
from commonweal.accounts.models import Organisation
from commonweal.core.models import AuditEntry

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
