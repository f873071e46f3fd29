"""The demo's moderation queue, built over a handful of listings (and over none)."""

from __future__ import annotations

import pytest

from commonweal.accounts.constants import Role
from commonweal.accounts.tests.factories import OrganisationFactory, UserFactory
from commonweal.demo.borough import DemoResult
from commonweal.demo.directory_moderation import moderation_load
from commonweal.directory.constants import ModerationStatus
from commonweal.directory.models import ListingClaim, Service, ServiceEdit
from commonweal.directory.moderation_selectors import edit_review
from commonweal.directory.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_people():
    hub = OrganisationFactory(slug="demo-grays-riverside-community-hub", name="Riverside Hub")
    cvs = OrganisationFactory(slug="demo-cvs")
    rep = UserFactory(email="grouprep@example.org", roles=[Role.GROUP_REP], roles__organisation=hub)
    UserFactory(email="moderator@example.org", roles=[Role.MODERATOR], roles__organisation=cvs)
    UserFactory(email="resident@example.org")
    UserFactory(email="member@example.org", roles=[Role.MEMBER])
    return hub, rep


def test_the_demo_queue_has_claims_and_changes_with_visible_differences(demo_people):
    hub, rep = demo_people
    for n in range(8):
        ServiceFactory(name=f"Listing {n}")
    result = DemoResult()
    moderation_load(result)

    owned = Service.objects.filter(organization__account_organisation=hub).count()
    assert 1 <= owned <= 3  # a few listings, not the directory
    pending = list(ServiceEdit.objects.filter(status=ModerationStatus.PENDING))
    assert len(pending) == 5
    assert all(edit.proposed_by == rep for edit in pending)
    for edit in pending:
        assert edit_review(edit=edit).rows, f"no visible difference in {edit}"
    rejected = ServiceEdit.objects.get(status=ModerationStatus.REJECTED)
    assert rejected.reason
    claims = ListingClaim.objects.filter(status=ModerationStatus.PENDING)
    assert claims.count() == 2
    assert len({claim.organization_id for claim in claims}) == 2
    assert all(claim.organization.account_organisation != hub for claim in claims)
    assert result.counts["directory changes waiting"] == 5

    moderation_load(DemoResult())  # loading again adds nothing
    assert ServiceEdit.objects.count() == 6 and ListingClaim.objects.count() == 2


def test_the_demo_copes_with_no_listings(demo_people):
    result = DemoResult()
    moderation_load(result)
    assert not ServiceEdit.objects.exists() and not ListingClaim.objects.exists()
    assert result.counts["directory changes waiting"] == 0


def test_the_demo_copes_with_one_listing(demo_people):
    ServiceFactory(name="The only listing")
    moderation_load(DemoResult())
    assert ServiceEdit.objects.filter(status=ModerationStatus.PENDING).count() == 5
    assert ListingClaim.objects.count() == 0  # nobody else's listing to claim
