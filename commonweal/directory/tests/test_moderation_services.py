"""Claims, proposed edits, approvals, rejections, versions and stale edits, through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from commonweal.accounts.constants import Role
from commonweal.accounts.selectors import user_has_role
from commonweal.accounts.tests.factories import OrganisationFactory, UserFactory
from commonweal.core.audit import audit_entries_for
from commonweal.directory.constants import (
    Facility,
    ModerationAuditKind,
    ModerationStatus,
    ServiceStatus,
)
from commonweal.directory.models import (
    Contact,
    Language,
    ListingClaim,
    Phone,
    Schedule,
    Service,
    ServiceVersion,
)
from commonweal.directory.moderation import (
    ADDED,
    CHANGED,
    REMOVED,
    document_diff,
    listing_document,
    schedule_words,
)
from commonweal.directory.moderation_selectors import edit_review, version_history
from commonweal.directory.moderation_services import (
    claim_approve,
    claim_create,
    claim_reject,
    edit_approve,
    edit_propose,
    edit_reject,
    listing_confirm,
)
from commonweal.directory.services import attributes_set
from commonweal.directory.tests.factories import ServiceFactory, TaxonomyTermFactory
from commonweal.directory.tests.moderation_helpers import edited, group_with_listing, moderator

pytestmark = pytest.mark.django_db


# --- Claims ------------------------------------------------------------------------------------------


def _claim(user, service):
    """A claim, with the moderators' "new claim" email already read."""
    claim = claim_create(
        actor=user,
        service=service,
        role_in_group="Treasurer",
        evidence="Ring our chair on 01375 000000",
        consent_to_contact=True,
    )
    mail.outbox.clear()
    return claim


def test_a_new_claim_is_emailed_to_the_moderators_with_a_link_to_review_it():
    champion = moderator(email="champion@example.org")
    service = ServiceFactory(organization__name="Grays Walking Group")
    claim = claim_create(
        actor=UserFactory(full_name="Sam Walker"),
        service=service,
        role_in_group="Chair",
        evidence="Ask at the Thursday walk",
        consent_to_contact=True,
    )
    assert [message.to for message in mail.outbox] == [[champion.email]]
    assert "Grays Walking Group" in mail.outbox[0].subject
    assert f"/directory/moderation/claims/{claim.public_id}/" in mail.outbox[0].body


def test_an_approved_claim_makes_the_claimant_a_group_rep_of_a_new_linked_organisation():
    service = ServiceFactory(name="Tilbury Men's Shed", organization__name="Tilbury Men's Shed")
    assert service.organization.account_organisation is None
    claimant = UserFactory(email="sam@example.org", full_name="Sam Shed")
    claim = _claim(claimant, service)

    decided = claim_approve(actor=moderator(), claim=claim)

    service.organization.refresh_from_db()
    account = service.organization.account_organisation
    assert decided.status == ModerationStatus.APPROVED
    assert account is not None and account.name == "Tilbury Men's Shed"
    assert user_has_role(user=claimant, roles=[Role.GROUP_REP], organisation=account)
    assert [message.to for message in mail.outbox] == [["sam@example.org"]]
    assert "Tilbury Men's Shed" in mail.outbox[0].subject
    assert "&#x27;" not in mail.outbox[0].subject + mail.outbox[0].body


def test_approving_a_claim_uses_the_organisation_already_linked_and_twice_is_harmless():
    group = group_with_listing()
    claimant = UserFactory()
    claim = _claim(claimant, group.service)
    champion = moderator()
    claim_approve(actor=champion, claim=claim)
    claim_approve(actor=champion, claim=claim)  # a double-submitted form
    assert user_has_role(user=claimant, roles=[Role.GROUP_REP], organisation=group.account)
    assert len(mail.outbox) == 1
    kinds = [entry.kind for entry in audit_entries_for(claim)]
    assert kinds.count(ModerationAuditKind.CLAIM_APPROVED) == 1


def test_a_rejected_claim_needs_a_reason_and_emails_it():
    service = ServiceFactory()
    claimant = UserFactory(email="kim@example.org")
    claim = _claim(claimant, service)
    with pytest.raises(ValidationError):
        claim_reject(actor=moderator(), claim=claim, reason="  ")
    claim_reject(actor=moderator(), claim=claim, reason="We could not reach the chair.")
    claim.refresh_from_db()
    assert claim.status == ModerationStatus.REJECTED
    assert "We could not reach the chair." in mail.outbox[0].body
    service.organization.refresh_from_db()
    assert service.organization.account_organisation is None


def test_one_open_claim_per_person_and_organisation():
    service = ServiceFactory()
    other_listing = ServiceFactory(organization=service.organization)
    claimant = UserFactory()
    _claim(claimant, service)
    with pytest.raises(ValidationError, match="already claimed"):
        _claim(claimant, other_listing)
    _claim(UserFactory(), service)  # someone else may claim it too
    assert ListingClaim.objects.filter(status=ModerationStatus.PENDING).count() == 2


def test_a_claim_needs_a_role_a_way_to_check_and_consent():
    with pytest.raises(ValidationError) as excinfo:
        claim_create(
            actor=UserFactory(),
            service=ServiceFactory(),
            role_in_group="",
            evidence="",
            consent_to_contact=False,
        )
    assert set(excinfo.value.message_dict) == {"role_in_group", "evidence", "consent_to_contact"}


def test_only_moderators_decide_claims():
    claim = _claim(UserFactory(), ServiceFactory())
    with pytest.raises(PermissionDenied):
        claim_approve(actor=UserFactory(roles=[Role.GROUP_REP]), claim=claim)
    claim.refresh_from_db()
    assert claim.is_pending


# --- Edits and versions ------------------------------------------------------------------------------


def test_an_edit_does_not_change_the_live_listing_until_approved_and_then_versions_it():
    group = group_with_listing()
    service = group.service
    old_assured = service.assured_date
    proposed = edited(
        service,
        name="Grays Knit, Natter and Crochet",
        status=ServiceStatus.TEMPORARILY_CLOSED,
        fees="Free",
        languages=["English", "Polish"],
        local_offer={"how_to_start": "Just come.", "outcomes": "Confidence and friendship."},
    )
    proposed["schedules"] = [
        {**proposed["schedules"][0], "opens_at": "13:00", "closes_at": "15:00"},
        {
            "id": None,
            "freq": "MONTHLY",
            "interval": 1,
            "byday": "2SA",
            "opens_at": "10:00",
            "closes_at": "12:00",
            "description": "",
        },
    ]
    place = proposed["places"][str(group.venue.public_id)]
    proposed["places"] = {
        str(group.venue.public_id): {
            **place,
            "is_meeting_place": True,
            "capacity": 40,
            "facilities": [Facility.HEARING_LOOP, Facility.KITCHEN],
        }
    }

    edit = edit_propose(actor=group.rep, service=service, proposed=proposed)

    service.refresh_from_db()
    assert service.name == "Grays Knit and Natter"
    assert edit.base_version.number == 1
    assert ServiceVersion.objects.filter(service=service).count() == 1

    review = edit_review(edit=edit)
    assert not review.stale
    rows = {(row.label, row.change): row for row in review.rows}
    assert rows[("Name", CHANGED)].old == "Grays Knit and Natter"
    assert rows[("Name", CHANGED)].new == "Grays Knit, Natter and Crochet"
    assert rows[("Running now?", CHANGED)].new == "Temporarily closed"
    assert rows[("Fees and costs", ADDED)].new == "Free"
    assert rows[("Language", ADDED)].new == "Polish"
    assert rows[("Opening times", CHANGED)].old == "Every Tuesday, 10am to 12 noon"
    assert rows[("Opening times", CHANGED)].new == "Every Tuesday, 1pm to 3pm"
    assert rows[("Opening times", ADDED)].new == "2nd Saturday of the month, 10am to 12 noon"
    assert rows[("Grays Knit and Natter hall: facilities", ADDED)].new == "Hearing loop"

    champion = moderator(email="morgan@example.org")
    edit_approve(actor=champion, edit=edit)

    service = Service.objects.get(pk=service.pk)
    assert service.name == "Grays Knit, Natter and Crochet"
    assert service.status == ServiceStatus.TEMPORARILY_CLOSED
    assert service.assured_date == timezone.localdate() != old_assured
    assert service.assurer_email == "morgan@example.org"
    assert sorted(service.languages.values_list("name", "code")) == [
        ("English", "en"),
        ("Polish", "pl"),
    ]
    assert dict(service.local_offer_answers.values_list("question", "answer")) == {
        "how_to_start": "Just come.",
        "outcomes": "Confidence and friendship.",
    }
    kept = Schedule.objects.get(public_id=proposed["schedules"][0]["id"])
    assert (kept.opens_at, kept.closes_at) == (dt.time(13), dt.time(15))
    assert kept.notes == "Imported note that the form does not show"  # what the form leaves alone
    assert kept.service_at_location is not None
    assert service.schedules.filter(byday="2SA", freq="MONTHLY").exists()
    group.venue.refresh_from_db()
    assert group.venue.is_meeting_place and group.venue.capacity == 40
    assert sorted(group.venue.facilities.values_list("facility", flat=True)) == [
        "hearing_loop",
        "kitchen",
    ]

    versions = version_history(service=service)
    assert [entry.version.number for entry in versions] == [2, 1]
    assert versions[0].version.proposed_by == group.rep
    assert versions[0].version.created_by == champion
    assert versions[0].version.data == listing_document(service)
    assert any(row.label == "Name" for row in versions[0].rows)
    assert mail.outbox[-1].to == [group.rep.email]
    assert "live" in mail.outbox[-1].subject
    edit.refresh_from_db()
    assert edit.status == ModerationStatus.APPROVED and edit.result_version == versions[0].version


def test_a_proposed_edit_is_emailed_to_the_moderators_with_a_link_to_the_diff():
    champion = moderator(email="champion@example.org")
    group = group_with_listing()
    edit = edit_propose(
        actor=group.rep, service=group.service, proposed=edited(group.service, fees="£3")
    )
    assert [message.to for message in mail.outbox] == [[champion.email]]
    assert group.service.name in mail.outbox[0].subject
    assert f"/directory/moderation/edits/{edit.public_id}/" in mail.outbox[0].body


def test_the_edit_email_lists_the_parts_of_the_listing_the_edit_changes():
    moderator(email="champion@example.org")
    group = group_with_listing()
    edit_propose(
        actor=group.rep,
        service=group.service,
        proposed=edited(
            group.service,
            description="Knitting, crochet and tea.",
            fees="£3",
            languages=["English", "Polish"],
            local_offer={"how_to_start": "Ring first."},
        ),
    )
    body = mail.outbox[0].body
    assert "It changes:\n- Description\n- Fees and costs\n- Languages\n- SEND Local Offer\n" in body
    assert "Ring first." not in body and "£3" not in body  # the parts, not what they now say


def test_approving_twice_applies_once():
    group = group_with_listing()
    edit = edit_propose(
        actor=group.rep, service=group.service, proposed=edited(group.service, fees="£2")
    )
    mail.outbox.clear()
    champion = moderator()
    edit_approve(actor=champion, edit=edit)
    edit_approve(actor=champion, edit=edit)
    assert group.service.versions.count() == 2
    assert len(mail.outbox) == 1


def test_a_rejected_edit_changes_nothing_and_emails_the_reason():
    group = group_with_listing()
    edit = edit_propose(
        actor=group.rep, service=group.service, proposed=edited(group.service, name="Spam")
    )
    with pytest.raises(ValidationError):
        edit_reject(actor=moderator(), edit=edit, reason="")
    edit_reject(actor=moderator(), edit=edit, reason="The name must be the group's real name.")
    group.service.refresh_from_db()
    assert group.service.name == "Grays Knit and Natter"
    assert group.service.versions.count() == 1
    assert mail.outbox[-1].to == [group.rep.email]
    assert "The name must be the group's real name." in mail.outbox[-1].body
    # once rejected, approving does nothing
    edit_approve(actor=moderator(), edit=edit)
    group.service.refresh_from_db()
    assert group.service.name == "Grays Knit and Natter"


def test_a_stale_edit_is_flagged_and_approving_it_keeps_the_change_approved_since():
    group = group_with_listing()
    service = group.service
    first = edit_propose(actor=group.rep, service=service, proposed=edited(service, fees="£1"))
    second = edit_propose(
        actor=group.rep, service=service, proposed=edited(service, description="New words")
    )
    assert second.base_version == first.base_version
    edit_approve(actor=moderator(), edit=first)

    review = edit_review(edit=second)
    assert review.stale
    assert review.latest_version.number == 2
    # The second edit did not touch the fees: approving it must not put the old fees back.
    assert [row.label for row in review.rows] == ["Description"]

    edit_approve(actor=moderator(), edit=second)
    service.refresh_from_db()
    assert (service.fees, service.description) == ("£1", "New words")
    assert service.versions.count() == 3


def test_an_edit_that_changes_nothing_is_refused():
    group = group_with_listing()
    with pytest.raises(ValidationError, match="not changed anything"):
        edit_propose(actor=group.rep, service=group.service, proposed=edited(group.service))


def test_a_rep_of_another_organisation_cannot_propose_edits():
    group = group_with_listing()
    other = group_with_listing("Chadwell Walkers")
    with pytest.raises(PermissionDenied):
        edit_propose(actor=other.rep, service=group.service, proposed=edited(group.service))
    member = UserFactory(roles=[Role.MEMBER], roles__organisation=group.account)
    with pytest.raises(PermissionDenied):
        edit_propose(actor=member, service=group.service, proposed=edited(group.service))
    elsewhere_rep = UserFactory(roles=[Role.GROUP_REP], roles__organisation=OrganisationFactory())
    with pytest.raises(PermissionDenied):
        edit_propose(actor=elsewhere_rep, service=group.service, proposed=edited(group.service))


def test_confirming_a_listing_sets_the_assured_date_and_is_audited():
    group = group_with_listing()
    service = group.service
    service.assured_date = timezone.localdate() - dt.timedelta(days=800)
    service.save()
    assert service.may_be_out_of_date
    listing_confirm(actor=group.rep, service=service)
    service.refresh_from_db()
    assert service.assured_date == timezone.localdate()
    assert not service.may_be_out_of_date
    assert ModerationAuditKind.LISTING_CONFIRMED in [e.kind for e in audit_entries_for(service)]


# --- Words and differences ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        (
            {"freq": "WEEKLY", "byday": "MO,WE", "opens_at": "09:30", "closes_at": "11:00"},
            "Every Monday and Wednesday, 9:30am to 11am",
        ),
        (
            {"freq": "MONTHLY", "byday": "2MO", "opens_at": "10:00", "closes_at": "12:00"},
            "2nd Monday of the month, 10am to 12 noon",
        ),
        (
            {"freq": "MONTHLY", "byday": "-1FR", "opens_at": "19:00"},
            "last Friday of the month, from 7pm",
        ),
        (
            {"freq": "WEEKLY", "interval": 2, "byday": "SA", "description": "term time only"},
            "Every other Saturday (term time only)",
        ),
    ],
)
def test_opening_times_in_plain_words(rule, words):
    assert schedule_words(rule) == words


def test_a_removed_value_is_marked_removed():
    rows = document_diff({"alert": "Closed in August", "languages": ["Urdu"]}, {"alert": ""})
    assert [(row.label, row.change) for row in rows] == [
        ("Alert", REMOVED),
        ("Language", REMOVED),
    ]


def test_approving_a_changed_phone_keeps_its_languages_and_the_contacts_terms():
    group = group_with_listing()
    service = group.service
    phone = Phone.objects.create(service=service, number="01375 123456")
    Language.objects.create(phone=phone, name="Polish", code="pl")
    contact = Contact.objects.create(service=service, name="Pat Organiser", email="pat@example.org")
    contacts_phone = Phone.objects.create(contact=contact, number="07700 900111")
    Language.objects.create(phone=contacts_phone, service=service, name="Urdu", code="ur")
    term = TaxonomyTermFactory()
    attributes_set(actor=None, record=contact, terms=[term])
    proposed = edited(service)
    proposed["phones"][0]["description"] = "Bookings"
    proposed["contacts"][0]["title"] = "Chair"

    edit_approve(
        actor=moderator(),
        edit=edit_propose(actor=group.rep, service=service, proposed=proposed),
    )

    phone = Phone.objects.get(public_id=phone.public_id)
    assert phone.description == "Bookings"
    assert list(phone.languages.values_list("name", "code")) == [("Polish", "pl")]
    contact = Contact.objects.get(public_id=contact.public_id)
    assert contact.title == "Chair"
    assert [attribute.taxonomy_term for attribute in contact.attributes.all()] == [term]
    assert list(
        Phone.objects.get(public_id=contacts_phone.public_id).languages.values_list(
            "name", "service"
        )
    ) == [("Urdu", service.pk)]
    assert listing_document(Service.objects.get(pk=service.pk))["languages"] == ["English"]
