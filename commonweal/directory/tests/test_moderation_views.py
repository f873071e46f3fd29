"""The claim, edit, history and moderation pages: who gets in, what they see, what a POST does."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse

from commonweal.accounts.constants import Role
from commonweal.accounts.tests.factories import OrganisationFactory, UserFactory
from commonweal.directory.constants import ModerationStatus
from commonweal.directory.models import DirectoryPatch, ListingClaim, Service, ServiceEdit
from commonweal.directory.moderation_services import edit_propose
from commonweal.directory.tests.factories import (
    LocationFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
)
from commonweal.directory.tests.moderation_helpers import edited, group_with_listing, moderator
from commonweal.geo.constants import AreaKind
from commonweal.geo.models import Area

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    """Two-factor sign-in for moderators is tested in accounts (and in the browser test here)."""
    settings.COMMONWEAL_REQUIRE_STAFF_2FA = False


def _edit_form(service, **changes):
    """The edit form as the page fills it, with ``changes`` typed in."""
    data = {
        "name": service.name,
        "description": service.description,
        "url": service.url,
        "email": service.email,
        "status": service.status,
        "alert": service.alert,
        "fees": service.fees,
        "minimum_age": service.minimum_age if service.minimum_age is not None else "",
        "maximum_age": service.maximum_age if service.maximum_age is not None else "",
        "eligibility_description": service.eligibility_description,
        "referral_description": service.referral_description,
        "languages": ", ".join(service.languages.values_list("name", flat=True)),
        "local_offer_how_to_start": "Just come.",
        "schedules-TOTAL_FORMS": "3",
        "schedules-INITIAL_FORMS": "1",
        "schedules-MIN_NUM_FORMS": "0",
        "schedules-MAX_NUM_FORMS": "30",
        "schedules-0-id": str(service.schedules.get().public_id),
        "schedules-0-freq": "WEEKLY",
        "schedules-0-days": ["TU"],
        "schedules-0-week": "",
        "schedules-0-opens_at": "10:00",
        "schedules-0-closes_at": "12:00",
        "schedules-0-description": "",
        "schedules-1-freq": "WEEKLY",
        "schedules-2-freq": "WEEKLY",
        "place-0-facilities": ["kitchen"],
    }
    data.update(changes)
    return data


def test_every_listing_page_offers_to_claim_it_or_suggest_a_change():
    service = ServiceFactory()
    html = render_to_string("directory/includes/_claim_link.html", {"service": service})
    assert "Is this your group? Claim this listing" in html
    assert reverse("directory:service_claim", args=[service.public_id]) in html
    assert "Suggest a change" in html
    assert reverse("directory:service_edit", args=[service.public_id]) in html


def test_claiming_sends_an_anonymous_visitor_to_sign_in_and_back(client):
    service = ServiceFactory()
    url = reverse("directory:service_claim", args=[service.public_id])
    response = client.get(url)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("accounts:login")
    assert url in location.query


def test_a_signed_in_person_claims_a_listing(client):
    service = ServiceFactory()
    person = UserFactory()
    client.force_login(person)
    url = reverse("directory:service_claim", args=[service.public_id])
    response = client.post(url, {"role_in_group": "Secretary", "evidence": ""})
    assert response.status_code == 200
    assert "Say how a moderator can check" in response.content.decode()
    assert 'value="Secretary"' in response.content.decode()  # what they typed is kept
    assert not ListingClaim.objects.exists()

    response = client.post(
        url,
        {"role_in_group": "Secretary", "evidence": "Email the group", "consent_to_contact": "on"},
    )
    assert response.status_code == 302
    claim = ListingClaim.objects.get()
    assert (claim.user, claim.organization, claim.status) == (
        person,
        service.organization,
        ModerationStatus.PENDING,
    )
    again = client.get(url)
    assert "A moderator will check your claim" in again.content.decode()


def test_editing_sends_an_anonymous_visitor_to_sign_in(client):
    group = group_with_listing()
    response = client.get(reverse("directory:service_edit", args=[group.service.public_id]))
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("accounts:login")


def test_a_member_without_the_rep_role_gets_403_and_a_rep_of_another_group_too(client):
    group = group_with_listing()
    url = reverse("directory:service_edit", args=[group.service.public_id])
    member = UserFactory(roles=[Role.MEMBER], roles__organisation=group.account)
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 403
    assert "claim the listing first" in response.content.decode()

    other = group_with_listing("Chadwell Walkers")
    client.force_login(other.rep)
    assert client.get(url).status_code == 403
    assert client.post(url, _edit_form(group.service, name="Hijacked")).status_code == 403
    assert not ServiceEdit.objects.exists()


def test_a_rep_sees_their_listings_and_proposes_a_change(client):
    group = group_with_listing()
    other = group_with_listing("Chadwell Walkers")
    client.force_login(group.rep)
    page = client.get(reverse("directory:manage")).content.decode()
    assert "Grays Knit and Natter" in page
    assert "Chadwell Walkers" not in page

    url = reverse("directory:service_edit", args=[group.service.public_id])
    form_page = client.get(url).content.decode()
    assert "Every Tuesday, 10am to 12 noon" in form_page
    assert "Grays Knit and Natter hall" in form_page

    response = client.post(
        url,
        _edit_form(
            group.service,
            fees="Free, donations welcome",
            **{
                "schedules-1-freq": "MONTHLY",
                "schedules-1-days": ["SA"],
                "schedules-1-week": "-1",
                "schedules-1-opens_at": "14:00",
                "schedules-1-closes_at": "16:00",
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()
    edit = ServiceEdit.objects.get()
    assert edit.proposed["fees"] == "Free, donations welcome"
    assert edit.proposed["schedules"][1]["byday"] == "-1SA"
    group.service.refresh_from_db()
    assert group.service.fees == ""  # the live listing waits for a moderator
    assert other.service.edits.count() == 0


def test_the_moderators_hear_which_parts_of_the_listing_a_proposed_change_touches(client):
    moderator(email="champion@example.org")
    group = group_with_listing()
    client.force_login(group.rep)
    url = reverse("directory:service_edit", args=[group.service.public_id])
    response = client.post(
        url,
        _edit_form(
            group.service,
            alert="Closed on 1 May",
            **{"place-0-facilities": ["kitchen", "hearing_loop"]},
        ),
    )
    assert response.status_code == 302, response.content.decode()
    (message,) = mail.outbox
    assert "It changes:\n- Alert\n- Venue: Grays Knit and Natter hall\n" in message.body
    assert "Closed on 1 May" not in message.body


def test_bad_input_in_the_edit_form_is_explained_and_kept(client):
    group = group_with_listing()
    client.force_login(group.rep)
    url = reverse("directory:service_edit", args=[group.service.public_id])
    response = client.post(
        url,
        _edit_form(
            group.service,
            minimum_age="40",
            maximum_age="12",
            **{
                "schedules-1-freq": "MONTHLY",
                "schedules-1-days": ["MO"],
                "schedules-1-opens_at": "late",
            },
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The oldest age must not be below the youngest age." in html
    assert "Choose which week of the month." in html
    assert "Enter the opening time like 10:00" in html
    assert 'value="late"' in html
    assert not ServiceEdit.objects.exists()


def test_nothing_has_changed_confirms_the_listing(client):
    group = group_with_listing()
    client.force_login(group.rep)
    url = reverse("directory:service_confirm", args=[group.service.public_id])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    group.service.refresh_from_db()
    from django.utils import timezone

    assert group.service.assured_date == timezone.localdate()


def test_the_queue_is_for_moderators_only(client):
    url = reverse("directory:moderation_queue")
    assert client.get(url).status_code == 302
    client.force_login(UserFactory(roles=[Role.GROUP_REP]))
    assert client.get(url).status_code == 403


def test_a_moderator_reviews_an_edit_with_a_diff_and_approves_it(
    client, django_assert_max_num_queries
):
    group = group_with_listing()
    for index in range(3):
        other = group_with_listing(f"Group {index}")
        edit_propose(
            actor=other.rep, service=other.service, proposed=edited(other.service, fees="£3")
        )
    edit = edit_propose(
        actor=group.rep,
        service=group.service,
        proposed=edited(group.service, name="Grays Knitters", alert="Closed on 1 May"),
    )
    client.force_login(moderator())
    with django_assert_max_num_queries(15):
        queue = client.get(reverse("directory:moderation_queue"))
    assert queue.content.decode().count("Grays Knit and Natter") == 1

    url = reverse("directory:edit_review", args=[edit.public_id])
    page = client.get(url).content.decode()
    assert "Grays Knitters" in page and "Grays Knit and Natter" in page
    assert "Changed" in page and "Added" in page
    assert "has changed since" not in page

    response = client.post(url, {"decision": "reject", "reason": ""})
    assert "Say why you are rejecting it" in response.content.decode()

    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 302
    assert Service.objects.get(pk=group.service.pk).name == "Grays Knitters"
    assert mail.outbox[-1].to == [group.rep.email]
    # the same form sent again is harmless
    response = client.post(url, {"decision": "reject", "reason": "Too late"})
    assert response.status_code == 200
    edit.refresh_from_db()
    assert edit.status == ModerationStatus.APPROVED

    history = client.get(reverse("directory:service_history", args=[group.service.public_id]))
    assert "Version 2" in history.content.decode() and "Grays Knitters" in history.content.decode()


def test_the_history_is_for_the_listings_reps_and_moderators(client):
    group = group_with_listing()
    url = reverse("directory:service_history", args=[group.service.public_id])
    client.force_login(group.rep)
    assert client.get(url).status_code == 200
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403


def test_a_moderator_approves_a_claim_from_the_queue(client):
    service = ServiceFactory()
    claimant = UserFactory()
    claim = ListingClaim.objects.create(
        organization=service.organization,
        service=service,
        user=claimant,
        role_in_group="Chair",
        evidence="Phone the secretary",
        consent_to_contact=True,
    )
    client.force_login(moderator())
    url = reverse("directory:claim_review", args=[claim.public_id])
    assert "Phone the secretary" in client.get(url).content.decode()
    assert client.post(url, {"decision": "approve"}).status_code == 302
    service.organization.refresh_from_db()
    assert claimant.memberships.filter(
        role=Role.GROUP_REP, organisation=service.organization.account_organisation
    ).exists()


# --- Information champions' patches ------------------------------------------------------------------


def _ward(code: str, name: str) -> Area:
    return Area.objects.create(kind=AreaKind.WARD, code=code, name=name)


def _listing_in(ward: Area, name: str) -> Service:
    service = ServiceFactory(name=name)
    ServiceAtLocationFactory(service=service, location=LocationFactory(ward=ward))
    return service


def test_a_champion_sees_their_patch_by_default_and_an_admin_may_see_all(client):
    tilbury, grays = _ward("E05002246", "Tilbury St Chads"), _ward("E05002237", "Grays Riverside")
    in_patch, elsewhere = (
        _listing_in(tilbury, "Tilbury Lunch Club"),
        _listing_in(grays, "Grays Yoga"),
    )
    for service in (in_patch, elsewhere):
        ListingClaim.objects.create(
            organization=service.organization,
            service=service,
            user=UserFactory(),
            role_in_group="Chair",
            evidence="Ask us",
            consent_to_contact=True,
        )
    cvs = OrganisationFactory(name="Thurrock CVS")
    champion = UserFactory(roles=[Role.MODERATOR], roles__organisation=cvs)
    patch = DirectoryPatch.objects.create(name="Tilbury", organisation=cvs)
    patch.wards.add(tilbury)

    client.force_login(champion)
    page = client.get(reverse("directory:moderation_queue")).content.decode()
    assert "my patch" in page
    assert in_patch.organization.name in page and elsewhere.organization.name not in page
    # "All" is for administrators: a champion asking for it still sees their patch
    page = client.get(reverse("directory:moderation_queue") + "?show=all").content.decode()
    assert elsewhere.organization.name not in page

    admin = UserFactory(roles=[Role.ADMIN], roles__organisation=cvs)
    client.force_login(admin)
    page = client.get(reverse("directory:moderation_queue")).content.decode()
    assert elsewhere.organization.name not in page and "Show all" in page
    page = client.get(reverse("directory:moderation_queue") + "?show=all").content.decode()
    assert in_patch.organization.name in page and elsewhere.organization.name in page

    no_patch = moderator()
    client.force_login(no_patch)
    page = client.get(reverse("directory:moderation_queue")).content.decode()
    assert in_patch.organization.name in page and elsewhere.organization.name in page


def test_a_personal_patch_limits_the_edits_shown():
    from commonweal.directory.moderation_selectors import moderation_queue

    tilbury, grays = _ward("E05002246", "Tilbury St Chads"), _ward("E05002237", "Grays Riverside")
    group = group_with_listing()
    group.venue.ward = grays
    group.venue.save()
    edit_propose(actor=group.rep, service=group.service, proposed=edited(group.service, fees="£1"))
    champion = moderator()
    patch = DirectoryPatch.objects.create(name="Mine", user=champion)
    patch.wards.add(tilbury)
    assert moderation_queue(user=champion).edits == []
    patch.wards.add(grays)
    assert len(moderation_queue(user=champion).edits) == 1


def _claim_for(service: Service) -> ListingClaim:
    return ListingClaim.objects.create(
        organization=service.organization,
        service=service,
        user=UserFactory(),
        role_in_group="Chair",
        evidence="Ask us",
        consent_to_contact=True,
    )


def test_a_champion_reviews_only_claims_and_changes_in_their_patch(client):
    tilbury, grays = _ward("E05002246", "Tilbury St Chads"), _ward("E05002237", "Grays Riverside")
    in_patch = _listing_in(tilbury, "Tilbury Lunch Club")
    group = group_with_listing()
    group.venue.ward = grays
    group.venue.save()
    elsewhere_claim = _claim_for(_listing_in(grays, "Grays Yoga"))
    in_patch_claim = _claim_for(in_patch)
    elsewhere_edit = edit_propose(
        actor=group.rep, service=group.service, proposed=edited(group.service, fees="£1")
    )
    cvs = OrganisationFactory(name="Thurrock CVS")
    champion = UserFactory(roles=[Role.MODERATOR], roles__organisation=cvs)
    DirectoryPatch.objects.create(name="Tilbury", organisation=cvs).wards.add(tilbury)
    client.force_login(champion)

    claim_url = reverse("directory:claim_review", args=[elsewhere_claim.public_id])
    edit_url = reverse("directory:edit_review", args=[elsewhere_edit.public_id])
    for url in (claim_url, edit_url):
        page = client.get(url)
        assert page.status_code == 403
        assert "This listing is outside your patch (Tilbury St Chads)" in page.content.decode()
        refused = client.post(url, {"decision": "reject", "reason": "Not ours"})
        assert refused.status_code == 403
    elsewhere_claim.refresh_from_db()
    elsewhere_edit.refresh_from_db()
    assert elsewhere_claim.status == elsewhere_edit.status == ModerationStatus.PENDING

    # In the patch, the champion decides as any moderator does.
    in_url = reverse("directory:claim_review", args=[in_patch_claim.public_id])
    assert client.get(in_url).status_code == 200
    assert client.post(in_url, {"decision": "approve"}).status_code == 302
    in_patch_claim.refresh_from_db()
    assert in_patch_claim.status == ModerationStatus.APPROVED

    # A moderator without a patch, and an administrator with one, review the whole borough.
    admin = UserFactory(roles=[Role.ADMIN], roles__organisation=cvs)
    for reviewer in (moderator(), admin):
        client.force_login(reviewer)
        assert client.get(claim_url).status_code == 200
        assert client.get(edit_url).status_code == 200


def test_the_moderation_services_refuse_a_champion_outside_their_patch():
    from django.core.exceptions import PermissionDenied

    from commonweal.directory.moderation_services import claim_approve, edit_reject

    tilbury, grays = _ward("E05002246", "Tilbury St Chads"), _ward("E05002237", "Grays Riverside")
    claim = _claim_for(_listing_in(grays, "Grays Yoga"))
    group = group_with_listing()
    edit = edit_propose(
        actor=group.rep, service=group.service, proposed=edited(group.service, fees="£1")
    )
    champion = moderator()
    DirectoryPatch.objects.create(name="Mine", user=champion).wards.add(tilbury)
    with pytest.raises(PermissionDenied, match="outside your patch"):
        claim_approve(actor=champion, claim=claim)
    with pytest.raises(PermissionDenied, match="outside your patch"):
        edit_reject(actor=champion, edit=edit, reason="Not ours")
    claim.refresh_from_db()
    assert claim.status == ModerationStatus.PENDING


def test_moderators_find_their_directory_tools_on_the_listings_page_and_reps_do_not(client):
    client.force_login(moderator())
    page = client.get(reverse("directory:manage")).content.decode()
    for name in ("moderation_queue", "problem_reports", "duplicates"):
        assert reverse(f"directory:{name}") in page
    assert reverse("directory:initiative_list") not in page

    client.force_login(UserFactory(roles=[Role.COORDINATOR]))
    page = client.get(reverse("directory:manage")).content.decode()
    assert reverse("directory:initiative_list") in page
    assert reverse("directory:moderation_queue") not in page

    client.force_login(group_with_listing().rep)
    page = client.get(reverse("directory:manage")).content.decode()
    assert "Directory tools" not in page
