"""The directory's admin: initiatives, places with their facilities inline, services with their SEND
Local Offer answers inline, and the duplicate pairs (read-only)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commonweal.accounts.tests.factories import UserFactory
from commonweal.directory.constants import LocalOfferQuestion
from commonweal.directory.duplicates import duplicate_candidates_refresh
from commonweal.directory.models import DuplicateCandidate, LocalOfferAnswer
from commonweal.directory.tests.factories import ServiceAtLocationFactory, ServiceFactory

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
