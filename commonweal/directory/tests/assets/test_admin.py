"""The directory's admin: initiatives, places with their facilities inline, services with their SEND
Local Offer answers inline, and the duplicate pairs (read-only)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.tests.factories import UserFactory
from commonweal.core.models import AuditEntry
from commonweal.directory.constants import (
    DirectoryAuditKind,
    LocalOfferQuestion,
    Publication,
    ServiceStatus,
)
from commonweal.directory.duplicates import duplicate_candidates_refresh
from commonweal.directory.models import DuplicateCandidate, LocalOfferAnswer, Service
from commonweal.directory.tests.factories import (
    OrganizationFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
)
from commonweal.outcomes.models import Outcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, settings):
    settings.COMMONWEAL_REQUIRE_STAFF_2FA = False
    client.force_login(UserFactory(email="root@example.org", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", ["initiative", "location", "service", "duplicatecandidate"])
def test_lists_open_and_search(admin_client, borough, model):
    url = reverse(f"admin:directory_{model}_changelist")
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "Grays"}).status_code == 200


def test_a_place_shows_its_facilities_and_a_service_its_local_offer(admin_client, borough):
    hall = borough.places["hall"]
    page = admin_client.get(reverse("admin:directory_location_change", args=[hall.pk]))
    assert page.status_code == 200
    assert b"facilities-TOTAL_FORMS" in page.content
    assert b'value="kitchen" selected' in page.content

    service = borough.services["walk"]
    LocalOfferAnswer.objects.create(
        service=service, question=LocalOfferQuestion.STAFF_TRAINING, answer="All walk leaders."
    )
    page = admin_client.get(reverse("admin:directory_service_change", args=[service.pk]))
    assert page.status_code == 200
    assert b"All walk leaders." in page.content

    page = admin_client.get(
        reverse("admin:directory_initiative_change", args=[borough.initiatives["hub_a"].pk])
    )
    assert page.status_code == 200


def test_duplicate_pairs_cannot_be_changed_in_the_admin(admin_client, db):
    a = ServiceFactory(name="Orsett Riding Club", source="feed-a", source_id="1")
    b = ServiceFactory(name="Orsett riding club", source="feed-b", source_id="2")
    venue = ServiceAtLocationFactory(service=a).location
    ServiceAtLocationFactory(service=b, location=venue)
    duplicate_candidates_refresh()
    candidate = DuplicateCandidate.objects.get()
    page = admin_client.get(
        reverse("admin:directory_duplicatecandidate_change", args=[candidate.pk])
    )
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert admin_client.get(reverse("admin:directory_duplicatecandidate_add")).status_code == 403


def _form_data(page, **changes):
    """The admin page's form as the browser would send it, with ``changes``."""
    data = {}
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += formset.forms
        forms.append(formset.management_form)
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                data[field.html_name] = [str(item) for item in value]
            elif value is True:
                data[field.html_name] = "on"
            else:
                data[field.html_name] = str(value)
    data.update(changes)
    return data


def _oruk(client, query):
    response = client.get("/api/oruk/services", query)
    assert response.status_code == 200
    return {item["name"] for item in response.json()["contents"]}


def _since():
    return (timezone.now() - dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_service_added_in_the_admin_is_searchable_and_harvested(admin_client):
    organization = OrganizationFactory()
    outcome = Outcome.objects.order_by("id").first()
    add_url = reverse("admin:directory_service_add")
    data = _form_data(
        admin_client.get(add_url),
        organization=str(organization.pk),
        name="Tai chi in Tilbury",
        description="Gentle exercise for every age.",
        publication=Publication.PUBLISHED,
        status=ServiceStatus.ACTIVE,
        intended_outcomes=[str(outcome.pk)] if outcome else [],
        **{
            "local_offer_answers-0-question": LocalOfferQuestion.STAFF_TRAINING,
            "local_offer_answers-0-answer": "Instructors are trained in SEND.",
            "local_offer_answers-TOTAL_FORMS": "1",
        },
    )
    response = admin_client.post(add_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    service = Service.objects.get(name="Tai chi in Tilbury")
    assert "Tai chi in Tilbury" in _oruk(admin_client, {"search": "tai chi"})
    assert "Tai chi in Tilbury" in _oruk(admin_client, {"modified_after": _since()})
    assert service.local_offer_answers.get().answer == "Instructors are trained in SEND."
    if outcome:
        assert list(service.intended_outcomes.all()) == [outcome]
    assert AuditEntry.objects.filter(
        kind=DirectoryAuditKind.SERVICE_SAVED, target_id=str(service.pk)
    ).exists()
    assert service.versions.count() == 1


def test_a_service_changed_in_the_admin_is_searchable_harvested_audited_and_versioned(
    admin_client,
):
    service = ServiceFactory(
        name="Knit and natter", last_modified=timezone.now() - dt.timedelta(days=30)
    )
    assert "Knit and natter" not in _oruk(admin_client, {"modified_after": _since()})
    change_url = reverse("admin:directory_service_change", args=[service.pk])
    data = _form_data(admin_client.get(change_url), name="Knit, natter and crochet")
    response = admin_client.post(change_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    assert _oruk(admin_client, {"search": "crochet"}) == {"Knit, natter and crochet"}
    assert "Knit, natter and crochet" in _oruk(admin_client, {"modified_after": _since()})
    entry = AuditEntry.objects.filter(
        kind=DirectoryAuditKind.SERVICE_SAVED, target_id=str(service.pk)
    ).get()
    assert entry.before == {"name": "Knit and natter"}
    assert entry.after == {"name": "Knit, natter and crochet"}
    # The listing as it was, then as the admin left it.
    assert [v.data["name"] for v in service.versions.order_by("number")] == [
        "Knit and natter",
        "Knit, natter and crochet",
    ]

    # Saving again without a change moves nothing and records nothing.
    modified = Service.objects.get(pk=service.pk).last_modified
    admin_client.post(change_url, _form_data(admin_client.get(change_url)))
    assert Service.objects.get(pk=service.pk).last_modified == modified
    assert service.versions.count() == 2


def test_a_place_changed_in_the_admin_marks_its_services_as_changed(admin_client):
    long_ago = timezone.now() - dt.timedelta(days=30)
    sal = ServiceAtLocationFactory(service__last_modified=long_ago)
    Service.objects.filter(pk=sal.service.pk).update(last_modified=long_ago)
    change_url = reverse("admin:directory_location_change", args=[sal.location.pk])
    data = _form_data(
        admin_client.get(change_url),
        name="Tilbury Hub",
        **{
            "facilities-0-facility": "kitchen",
            "facilities-0-note": "Hot water only",
            "facilities-TOTAL_FORMS": "1",
        },
    )
    response = admin_client.post(change_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert sal.service.name in _oruk(admin_client, {"modified_after": _since()})
    assert sal.location.facilities.get().note == "Hot water only"
    assert AuditEntry.objects.filter(
        kind=DirectoryAuditKind.LOCATION_UPDATED, target_id=str(sal.location.pk)
    ).exists()
