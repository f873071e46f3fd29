"""A deployer sets up a timebank, its locality groups and the categories of help in the admin."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from commonweal.accounts.tests.factories import OrganisationFactory, UserFactory
from commonweal.core.models import AuditEntry
from commonweal.timebank.constants import AccountKind, TimebankAuditKind
from commonweal.timebank.models import Account, Category, Locality, Timebank
from commonweal.timebank.tests.factories import CategoryFactory, TimebankFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_no_two_factor")]


@pytest.fixture
def _no_two_factor():
    with override_settings(COMMONWEAL_REQUIRE_STAFF_2FA=False):
        yield


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(email="root@example.org", is_staff=True, is_superuser=True))
    return client


def timebank_form(organisation, **extra):
    return {
        "name": "Thurrock Timebank",
        "slug": "thurrock",
        "description": "",
        "organisation": str(organisation.pk),
        "rounding_minutes": "15",
        "confirmation_policy": "payer",
        "auto_confirm_after_days": "",
        "max_backdate_days": "90",
        "group_activities_first": "2",
        "default_min_balance": "-600",
        "default_max_balance": "",
        "limit_policy": "approval",
        "localities-TOTAL_FORMS": "2",
        "localities-INITIAL_FORMS": "0",
        "localities-MIN_NUM_FORMS": "0",
        "localities-MAX_NUM_FORMS": "1000",
        "localities-0-name": "Grays",
        "localities-1-name": "Tilbury",
        **extra,
    }


def test_a_deployer_creates_a_timebank_with_its_localities_and_its_own_accounts(admin_client):
    organisation = OrganisationFactory(name="Thurrock CVS")
    response = admin_client.post(
        reverse("admin:timebank_timebank_add"), timebank_form(organisation)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    timebank = Timebank.objects.get(slug="thurrock")
    assert timebank.organisation == organisation
    assert sorted(Locality.objects.filter(timebank=timebank).values_list("name", flat=True)) == [
        "Grays",
        "Tilbury",
    ]
    kinds = set(Account.objects.filter(timebank=timebank).values_list("kind", flat=True))
    assert kinds == {AccountKind.COMMUNITY_POT, AccountKind.ISSUANCE}
    assert AuditEntry.objects.filter(
        kind=TimebankAuditKind.TIMEBANK_SAVED, target_id=str(timebank.pk)
    ).exists()


def test_changing_a_timebank_is_audited_with_what_changed(admin_client):
    timebank = TimebankFactory(name="Thurrock Timebank", slug="thurrock")
    url = reverse("admin:timebank_timebank_change", args=[timebank.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        timebank_form(
            timebank.organisation, limit_policy="block", **{"localities-TOTAL_FORMS": "0"}
        ),
    )
    assert response.status_code == 302
    timebank.refresh_from_db()
    assert timebank.limit_policy == "block"
    entry = AuditEntry.objects.filter(kind=TimebankAuditKind.TIMEBANK_SAVED).latest("id")
    assert entry.before["limit_policy"] == "approval" and entry.after["limit_policy"] == "block"


def test_categories_and_localities_are_listed_and_categories_can_be_added(admin_client):
    CategoryFactory(name="Gardening")
    TimebankFactory(localities=["Grays"])
    for name in ("category", "locality", "timebank"):
        response = admin_client.get(reverse(f"admin:timebank_{name}_changelist") + "?q=a")
        assert response.status_code == 200
    response = admin_client.post(
        reverse("admin:timebank_category_add"),
        {"name": "Furniture", "slug": "furniture", "description": "", "is_goods": "on"},
    )
    assert response.status_code == 302
    assert Category.objects.get(slug="furniture").is_goods
