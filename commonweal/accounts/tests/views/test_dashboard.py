from __future__ import annotations

import pytest
from django.urls import reverse

from commonweal.accounts.constants import Role
from commonweal.accounts.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_asked_to_sign_in(client):
    response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_your_account_shows_your_name_organisations_roles_and_links(client, user):
    MembershipFactory(
        user=user, organisation=OrganisationFactory(name="Chadwell Youth Club"), role=Role.GROUP_REP
    )
    client.force_login(user)
    response = client.get(reverse("accounts:dashboard"))
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Your account</h1>' in html
    assert "Ada Lovelace" in html
    assert "ada@example.org" in html
    assert "Chadwell Youth Club" in html
    assert "Group representative" in html
    for name in (
        "accounts:profile",
        "accounts:two_factor_setup",
        "accounts:tokens",
        "accounts:consents",
    ):
        assert f'href="{reverse(name)}"' in html


def test_ended_roles_are_not_shown(client, user):
    from commonweal.accounts import services

    membership = MembershipFactory(
        user=user, organisation=OrganisationFactory(name="Old Group"), role=Role.VOLUNTEER
    )
    services.membership_end(actor=None, membership=membership)
    client.force_login(user)
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Old Group" not in html
    assert "You do not act for any organisation" in html
