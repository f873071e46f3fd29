from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from commonweal.accounts import services
from commonweal.accounts.constants import Role
from commonweal.accounts.decorators import role_required, sensitive_view
from commonweal.accounts.permissions import (
    can_act_in_role,
    can_create_api_token,
    can_manage_memberships,
    can_manage_organisation,
    can_revoke_api_token,
    can_view_consents,
    can_withdraw_consent,
)
from commonweal.accounts.tests.factories import (
    ConsentRecordFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_only_administrators_of_an_organisation_may_manage_it(organisation):
    admin = UserFactory(roles=[Role.ADMIN], roles__organisation=organisation)
    admin_elsewhere = UserFactory(roles=[Role.ADMIN])
    member = UserFactory(roles=[Role.MEMBER], roles__organisation=organisation)
    assert can_manage_organisation(admin, organisation)
    assert can_manage_memberships(admin, organisation)
    assert can_manage_organisation(UserFactory(is_superuser=True), organisation)
    decision = can_manage_organisation(member, organisation)
    assert not decision
    assert (
        decision.reason == "Only an administrator of Grays Community Larder can change its details."
    )
    assert not can_manage_organisation(admin_elsewhere, organisation)
    assert not can_manage_memberships(member, organisation)
    assert (
        can_manage_organisation(AnonymousUser(), organisation).reason
        == "You need to sign in first."
    )


def test_an_ended_role_gives_no_permission(organisation):
    admin = UserFactory(roles=[Role.ADMIN], roles__organisation=organisation)
    services.membership_end(actor=None, membership=admin.memberships.get())
    admin = type(admin).objects.get(pk=admin.pk)
    assert not can_manage_organisation(admin, organisation)


def test_role_checks_name_the_roles_needed():
    decision = can_act_in_role(UserFactory(), [Role.COORDINATOR, Role.BROKER])
    assert not decision
    assert (
        decision.reason
        == "This is only for people with the role Coordinator or Broker or timebank coordinator."
    )
    org = OrganisationFactory(name="Thurrock CVS")
    assert "at Thurrock CVS" in can_act_in_role(UserFactory(), [Role.ADMIN], org).reason
    assert can_act_in_role(UserFactory(roles=[Role.BROKER]), [Role.COORDINATOR, Role.BROKER])


def test_consent_records_are_for_the_person_and_consent_staff(user, coordinator):
    consent = ConsentRecordFactory(user=user)
    stranger = UserFactory()
    assert can_view_consents(user, user)
    assert can_view_consents(coordinator, user)
    assert not can_view_consents(stranger, user)
    assert can_withdraw_consent(user, consent)
    assert can_withdraw_consent(coordinator, consent)
    assert not can_withdraw_consent(stranger, consent)
    services.consent_withdraw(actor=user, consent=consent)
    assert can_withdraw_consent(user, consent).reason == "This consent has already been withdrawn."


def test_tokens_are_made_and_revoked_by_their_owner(user):
    stranger = UserFactory()
    issued = services.api_token_create(actor=user, user=user)
    assert can_create_api_token(user, user)
    assert not can_create_api_token(stranger, user)
    assert can_revoke_api_token(user, issued.api_token)
    assert not can_revoke_api_token(stranger, issued.api_token)
    assert can_revoke_api_token(UserFactory(is_superuser=True), issued.api_token)


def _view(request, *args, **kwargs):
    return HttpResponse("secret things")


def test_role_required_sends_anonymous_people_to_sign_in():
    view = role_required(Role.COORDINATOR)(_view)
    request = RequestFactory().get("/cases/")
    request.user = AnonymousUser()
    response = view(request)
    assert response.status_code == 302
    assert "/accounts/sign-in/?next=/cases/" in response["Location"]
    assert view.required_roles == ("coordinator",)


def test_role_required_explains_a_refusal_with_a_friendly_403():
    view = role_required(Role.COORDINATOR, Role.BROKER)(_view)
    request = RequestFactory().get("/cases/")
    request.user = UserFactory(roles=[Role.MEMBER])
    response = view(request)
    assert response.status_code == 403
    html = response.content.decode()
    assert "You cannot see this page" in html
    assert (
        "This is only for people with the role Coordinator or Broker or timebank coordinator."
        in html
    )
    assert "secret things" not in html


def test_role_required_lets_role_holders_in():
    view = role_required(Role.COORDINATOR)(_view)
    request = RequestFactory().get("/cases/")
    request.user = UserFactory(roles=[Role.COORDINATOR])
    assert view(request).content == b"secret things"


def test_sensitive_view_needs_sign_in_is_never_cached_and_is_marked():
    view = sensitive_view(_view)
    assert view.sensitive is True
    request = RequestFactory().get("/notes/")
    request.user = AnonymousUser()
    assert view(request).status_code == 302
    request.user = UserFactory()
    response = view(request)
    assert response.content == b"secret things"
    assert "no-store" in response["Cache-Control"]


def test_sensitive_and_role_required_combine_either_way():
    inner = sensitive_view(role_required(Role.BROKER)(_view))
    outer = role_required(Role.BROKER)(sensitive_view(_view))
    for view in (inner, outer):
        assert view.sensitive is True
        assert view.required_roles == ("broker",)
