"""A listing's intended outcomes: shown on its page in plain words, linking to the outcomes page, and
given to some of the demo borough's listings through the directory's services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commonweal.core.models import AuditEntry
from commonweal.directory.constants import DirectoryAuditKind, Publication
from commonweal.directory.models import Service
from commonweal.directory.services import service_outcomes_set
from commonweal.directory.tests.factories import ServiceFactory
from commonweal.outcomes.selectors import outcome_list
from commonweal.outcomes.services import outcome_framework_ensure_default

pytestmark = pytest.mark.django_db


def test_a_listing_says_what_it_hopes_to_help_with_and_links_to_the_outcomes(client):
    outcome_framework_ensure_default()
    outcomes = {outcome.slug: outcome for outcome in outcome_list()}
    service = ServiceFactory(name="Riverside walk")
    service_outcomes_set(
        actor=None,
        service=service,
        outcomes=[outcomes["being-active"], outcomes["relationships-and-connections"]],
    )
    html = client.get(reverse("directory:service_detail", args=[service.public_id])).content
    page = html.decode()
    assert "What it hopes to help with" in page
    outcomes_url = reverse("outcomes:outcome_list")
    assert f'href="{outcomes_url}#being-active">Being active</a>' in page
    assert "People move more and take part in activities." in page
    assert f'href="{outcomes_url}#relationships-and-connections">' in page
    assert "Purpose" not in page
    # The outcomes page has the anchors the listing links to.
    outcomes_page = client.get(outcomes_url).content.decode()
    assert 'id="being-active"' in outcomes_page

    quiet = ServiceFactory(name="Quiet listing")
    page = client.get(reverse("directory:service_detail", args=[quiet.public_id])).content
    assert b"What it hopes to help with" not in page


def test_setting_outcomes_is_audited_and_marks_the_listing_changed():
    outcome_framework_ensure_default()
    outcome = outcome_list().first()
    service = ServiceFactory()
    before = service.last_modified
    service_outcomes_set(actor=None, service=service, outcomes=[outcome])
    service_outcomes_set(actor=None, service=service, outcomes=[outcome])  # no change
    service.refresh_from_db()
    assert list(service.intended_outcomes.all()) == [outcome]
    assert service.last_modified > before
    assert (
        AuditEntry.objects.filter(
            kind=DirectoryAuditKind.OUTCOMES_SET, target_id=str(service.pk)
        ).count()
        == 1
    )


def test_the_demo_gives_some_listings_intended_outcomes_through_the_services(client):
    from commonweal.demo.borough import DemoResult
    from commonweal.demo.loaders import DEMO_LOADERS

    result = DemoResult()
    for name, load in DEMO_LOADERS:
        load(result)
        if name.startswith("the community directory"):
            break
    with_outcomes = Service.objects.filter(
        publication=Publication.PUBLISHED, intended_outcomes__isnull=False
    ).distinct()
    listings = Service.objects.filter(publication=Publication.PUBLISHED).count()
    assert 0 < with_outcomes.count() < listings
    walk = with_outcomes.filter(intended_outcomes__slug="being-active").first()
    assert walk is not None
    assert AuditEntry.objects.filter(
        kind=DirectoryAuditKind.OUTCOMES_SET, target_id=str(walk.pk)
    ).exists()
    page = client.get(reverse("directory:service_detail", args=[walk.public_id])).content
    assert b"Being active" in page
