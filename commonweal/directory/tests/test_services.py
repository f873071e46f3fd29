"""Changes to the directory go through services: validated, audited, and they move last_modified."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from commonweal.core.audit import audit_entries_for
from commonweal.directory import selectors, services
from commonweal.directory.constants import DirectoryAuditKind, Publication, ServiceStatus
from commonweal.directory.models import Service
from commonweal.directory.tests.factories import (
    OrganizationFactory,
    ServiceFactory,
    TaxonomyTermFactory,
)

pytestmark = pytest.mark.django_db


def test_a_new_service_is_a_draft_until_published():
    organization = OrganizationFactory()
    service = services.service_create(
        actor=None, organization=organization, name="Men's shed", description="Tools"
    )
    assert selectors.service_get(public_id=service.public_id) is None
    services.service_publication_set(actor=None, service=service, publication=Publication.PUBLISHED)
    assert selectors.service_get(public_id=service.public_id) == service
    kinds = [entry.kind for entry in audit_entries_for(service)]
    assert (
        DirectoryAuditKind.SERVICE_PUBLICATION_CHANGED in kinds
        and DirectoryAuditKind.SERVICE_SAVED in kinds
    )


def test_update_moves_last_modified_and_records_before_and_after():
    service = ServiceFactory(
        last_modified=timezone.now() - dt.timedelta(days=5), status=ServiceStatus.ACTIVE
    )
    old = service.last_modified
    services.service_update(
        actor=None, service=service, changes={"status": ServiceStatus.TEMPORARILY_CLOSED}
    )
    service.refresh_from_db()
    assert service.last_modified > old
    entry = audit_entries_for(service).first()
    assert entry.before == {"status": "active"} and entry.after == {"status": "temporarily closed"}


def test_an_update_that_changes_nothing_is_not_recorded():
    service = ServiceFactory(last_modified=timezone.now() - dt.timedelta(days=5))
    old = service.last_modified
    services.service_update(actor=None, service=service, changes={"name": service.name})
    service.refresh_from_db()
    assert service.last_modified == old
    assert not audit_entries_for(service).exists()


def test_bad_input_is_refused_with_the_field_named_and_nothing_saved():
    service = ServiceFactory(minimum_age=10, maximum_age=20)
    with pytest.raises(ValidationError) as excinfo:
        services.service_update(actor=None, service=service, changes={"minimum_age": 30})
    assert "maximum_age" in excinfo.value.message_dict
    service.refresh_from_db()
    assert service.minimum_age == 10
    with pytest.raises(ValidationError) as excinfo:
        services.service_update(actor=None, service=service, changes={"ofsted_urn": "not-a-urn"})
    assert "ofsted_urn" in excinfo.value.message_dict
    with pytest.raises(ValueError, match="publication"):
        services.service_update(
            actor=None, service=service, changes={"publication": Publication.PUBLISHED}
        )


def test_setting_terms_tags_the_service_and_is_found_by_term():
    service = ServiceFactory(last_modified=timezone.now() - dt.timedelta(days=5))
    first, second = TaxonomyTermFactory(), TaxonomyTermFactory()
    services.attributes_set(actor=None, record=service, terms=[first, second])
    assert list(selectors.service_list(taxonomy_term_id=first.public_id)) == [service]
    services.attributes_set(actor=None, record=service, terms=[second])
    assert list(selectors.service_list(taxonomy_term_id=first.public_id)) == []
    assert list(selectors.service_list(taxonomy_term_id=second.public_id)) == [service]
    service.refresh_from_db()
    assert service.last_modified > timezone.now() - dt.timedelta(minutes=1)


def test_a_sparse_service_sends_no_empty_optional_fields(client):
    service = ServiceFactory(
        description="",
        url="",
        email="",
        minimum_age=None,
        maximum_age=None,
        assured_date=None,
        assurer_email="",
    )
    body = client.get(f"/api/oruk/services/{service.public_id}").json()
    assert set(body) == {
        "id",
        "organization_id",
        "name",
        "status",
        "last_modified",
        "organization",
        "commonweal_referral_required",
    }


def test_a_listing_nobody_has_checked_within_the_review_period_may_be_out_of_date(settings):
    settings.COMMONWEAL_DIRECTORY_REVIEW_DAYS = 30
    today = timezone.localdate()
    fresh = ServiceFactory(assured_date=today - dt.timedelta(days=29))
    stale = ServiceFactory(assured_date=today - dt.timedelta(days=31))
    never = ServiceFactory(assured_date=None)
    assert not fresh.may_be_out_of_date
    assert stale.may_be_out_of_date and never.may_be_out_of_date
    overdue = set(Service.objects.review_overdue(today))
    assert overdue == {stale, never}
