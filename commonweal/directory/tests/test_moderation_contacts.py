"""A group fixes its phone numbers, contacts and prices: the form, the checks, the diff a moderator
reads, what approving does to the live listing and the ORUK feed, and edits stored before these lists."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from commonweal.core.models import AuditEntry
from commonweal.directory.constants import DirectoryAuditKind, ModerationStatus
from commonweal.directory.models import (
    Attribute,
    Contact,
    CostOption,
    Language,
    Phone,
    Service,
    ServiceEdit,
    ServiceVersion,
)
from commonweal.directory.moderation import (
    ADDED,
    CHANGED,
    LIST_KEYS,
    PHONE_HINT,
    REMOVED,
    document_diff,
    listing_document,
    uk_phone,
)
from commonweal.directory.moderation_selectors import edit_review
from commonweal.directory.moderation_services import edit_approve, edit_propose, version_ensure
from commonweal.directory.services import attributes_set
from commonweal.directory.tests.factories import TaxonomyTermFactory
from commonweal.directory.tests.moderation_helpers import edited, group_with_listing, moderator

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.COMMONWEAL_REQUIRE_STAFF_2FA = False


def _group_with_contacts():
    group = group_with_listing()
    service = group.service
    phone = Phone.objects.create(service=service, number="01375 123456")
    pat = Contact.objects.create(
        service=service, name="Pat Organiser", title="Chair", email="pat@example.org"
    )
    pats_phone = Phone.objects.create(contact=pat, number="07700 900111")
    sam = Contact.objects.create(service=service, name="Sam Old", title="Treasurer")
    cost = CostOption.objects.create(service=service, option="Adults", amount=Decimal("3.00"))
    return group, phone, pat, pats_phone, sam, cost


def _form(service, phone, pat, sam, cost, **changes):
    """The edit form as the page fills it for this listing, with ``changes`` typed in."""
    data = {
        "name": service.name,
        "description": service.description,
        "url": service.url,
        "email": service.email,
        "status": service.status,
        "alert": service.alert,
        "fees": service.fees,
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "eligibility_description": service.eligibility_description,
        "referral_description": service.referral_description,
        "languages": "English",
        "local_offer_how_to_start": "Just come.",
        "schedules-TOTAL_FORMS": "1",
        "schedules-INITIAL_FORMS": "1",
        "schedules-0-id": str(service.schedules.get().public_id),
        "schedules-0-freq": "WEEKLY",
        "schedules-0-days": ["TU"],
        "schedules-0-opens_at": "10:00",
        "schedules-0-closes_at": "12:00",
        "place-0-facilities": ["kitchen"],
        "phones-TOTAL_FORMS": "2",
        "phones-INITIAL_FORMS": "1",
        "phones-0-id": str(phone.public_id),
        "phones-0-number": "01375 123456",
        "contacts-TOTAL_FORMS": "3",
        "contacts-INITIAL_FORMS": "2",
        "contacts-0-id": str(pat.public_id),
        "contacts-0-name": "Pat Organiser",
        "contacts-0-title": "Chair",
        "contacts-0-email": "pat@example.org",
        "contacts-0-phones": "07700 900111",
        "contacts-1-id": str(sam.public_id),
        "contacts-1-name": "Sam Old",
        "contacts-1-title": "Treasurer",
        "costs-TOTAL_FORMS": "2",
        "costs-INITIAL_FORMS": "1",
        "costs-0-id": str(cost.public_id),
        "costs-0-option": "Adults",
        "costs-0-amount": "3.00",
    }
    data.update(changes)
    return data


def test_a_rep_fixes_a_phone_removes_a_contact_and_a_moderator_approves_it(client):
    group, phone, pat, pats_phone, sam, cost = _group_with_contacts()
    service = group.service
    edit_url = reverse("directory:service_edit", args=[service.public_id])
    client.force_login(group.rep)
    page = client.get(edit_url).content.decode()
    assert 'value="01375 123456"' in page and 'value="Sam Old"' in page

    response = client.post(
        edit_url,
        _form(
            service,
            phone,
            pat,
            sam,
            cost,
            **{
                "phones-0-number": "(01375) 654-321",
                "phones-1-number": "+44 (0)1375 222 333",
                "phones-1-description": "Text only",
                "contacts-1-remove": "on",
                "costs-1-option": "Under 5s",
                "costs-1-free": "on",
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()
    edit = ServiceEdit.objects.get()
    assert [item["number"] for item in edit.proposed["phones"]] == ["01375 654321", "01375 222333"]
    assert Phone.objects.get(pk=phone.pk).number == "01375 123456"  # live listing waits

    rows = {(row.label, row.change): row for row in edit_review(edit=edit).rows}
    assert rows[("Phone", CHANGED)].sentence == "Phone 01375 123456 → 01375 654321"
    assert rows[("Phone", ADDED)].sentence == "Phone added: 01375 222333 (Text only)"
    assert rows[("Contact", REMOVED)].sentence == "Contact removed: Sam Old, Treasurer"
    assert rows[("Cost", ADDED)].new == "Under 5s: Free"
    assert not any(row.label.startswith("Contact Pat") for row in rows.values())

    client.force_login(moderator())
    review_url = reverse("directory:edit_review", args=[edit.public_id])
    review = client.get(review_url).content.decode()
    assert "01375 123456" in review and "01375 654321" in review
    assert "Sam Old, Treasurer" in review and "Under 5s: Free" in review
    assert client.post(review_url, {"decision": "approve"}).status_code == 302

    feed = client.get(f"/api/oruk/services/{service.public_id}").json()
    assert [contact["name"] for contact in feed["contacts"]] == ["Pat Organiser"]
    assert sorted(
        (item.get("option"), Decimal(str(item["amount"]))) for item in feed["cost_options"]
    ) == [("Adults", Decimal("3")), ("Under 5s", Decimal("0"))]
    listing = client.get(reverse("directory:service_detail", args=[service.public_id]))
    assert "01375 654321" in listing.content.decode()
    assert "01375 222333" in listing.content.decode()
    assert "01375 123456" not in listing.content.decode()

    # the records the group did not touch keep their ids; the changed phone keeps its own
    assert Phone.objects.get(public_id=phone.public_id).number == "01375 654321"
    assert Contact.objects.get(public_id=pat.public_id).email == "pat@example.org"
    assert Phone.objects.get(public_id=pats_phone.public_id).number == "07700 900111"
    assert not Contact.objects.filter(public_id=sam.public_id).exists()
    latest = ServiceVersion.objects.filter(service=service).latest("number")
    assert latest.number == 2
    assert latest.data == listing_document(Service.objects.get(pk=service.pk))
    assert [item["number"] for item in latest.data["phones"]] == ["01375 654321", "01375 222333"]
    history = client.get(reverse("directory:service_history", args=[service.public_id]))
    assert "01375 654321" in history.content.decode()


def test_a_contact_changed_in_place_is_shown_field_by_field():
    group, phone, pat, pats_phone, sam, cost = _group_with_contacts()
    document = edited(group.service)
    document["contacts"][0] = {
        **document["contacts"][0],
        "email": "chair@example.org",
        "phones": [{"id": None, "number": "07700 900222", "description": ""}],
    }
    document["contacts"].append(
        {"id": None, "name": "Jo New", "title": "", "email": "", "phones": []}
    )
    sentences = {row.sentence for row in document_diff(edited(group.service), document)}
    assert sentences == {
        "Contact Pat Organiser: email address pat@example.org → chair@example.org",
        "Contact Pat Organiser: phone added: 07700 900222",
        "Contact Pat Organiser: phone removed: 07700 900111",
        "Contact added: Jo New",
    }


def test_bad_phone_numbers_and_emails_are_field_errors_and_nothing_is_proposed(client):
    group, phone, pat, pats_phone, sam, cost = _group_with_contacts()
    client.force_login(group.rep)
    url = reverse("directory:service_edit", args=[group.service.public_id])
    response = client.post(
        url,
        _form(
            group.service,
            phone,
            pat,
            sam,
            cost,
            **{
                "phones-1-number": "01375 12",
                "contacts-2-name": "Jo New",
                "contacts-2-email": "jo at example",
                "contacts-2-phones": "07700 900333, call me",
                "costs-1-amount": "three pounds",
            },
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert PHONE_HINT in html
    assert 'href="#id_phones-1-number"' in html  # the error summary links to the box
    assert "Enter an email address, like name@example.org" in html
    assert "call me: " + PHONE_HINT in html
    assert "Enter the amount in pounds, like 3.50" in html
    assert 'value="01375 12"' in html
    assert not ServiceEdit.objects.exists()


def test_the_service_checks_numbers_and_emails_too_and_leaves_imported_ones_alone():
    group, phone, pat, pats_phone, sam, cost = _group_with_contacts()
    Phone.objects.filter(pk=phone.pk).update(number="Freephone 0800 BADGERS")
    document = edited(group.service)
    document["phones"].append({"id": None, "number": "12345", "description": ""})
    document["contacts"][0]["email"] = "not an email"
    with pytest.raises(ValidationError) as error:
        edit_propose(actor=group.rep, service=group.service, proposed=document)
    assert set(error.value.message_dict) == {"phones", "contacts"}
    assert not ServiceEdit.objects.exists()

    # a number the listing already has passes as it is; a new one is written the usual way
    document = edited(group.service)
    document["phones"].append({"id": None, "number": "01375-777888", "description": ""})
    edit = edit_propose(actor=group.rep, service=group.service, proposed=document)
    assert [item["number"] for item in edit.proposed["phones"]] == [
        "Freephone 0800 BADGERS",
        "01375 777888",
    ]


def test_a_change_that_fails_when_approved_changes_nothing():
    group, phone, pat, pats_phone, sam, cost = _group_with_contacts()
    edit = edit_propose(
        actor=group.rep,
        service=group.service,
        proposed=edited(group.service, name="Grays Knitters"),
    )
    broken = dict(edit.proposed)  # as a damaged stored document would be
    broken["contacts"] = [{**broken["contacts"][0], "email": "not an email"}]
    ServiceEdit.objects.filter(pk=edit.pk).update(proposed=broken)
    edit.refresh_from_db()
    with pytest.raises(ValidationError):
        edit_approve(actor=moderator(), edit=edit)
    service = Service.objects.get(pk=group.service.pk)
    assert service.name == "Grays Knit and Natter"
    assert sorted(service.contacts.values_list("name", flat=True)) == ["Pat Organiser", "Sam Old"]
    edit.refresh_from_db()
    assert edit.is_pending


def test_an_edit_and_version_stored_before_these_lists_still_apply():
    group, phone, pat, pats_phone, sam, cost = _group_with_contacts()
    service = group.service
    base = version_ensure(service=service)
    old = {key: value for key, value in base.data.items() if key not in LIST_KEYS}
    ServiceVersion.objects.filter(pk=base.pk).update(data=old)
    proposed = {
        key: value
        for key, value in edited(service, name="Grays Knitters").items()
        if key not in LIST_KEYS
    }
    edit = ServiceEdit.objects.create(
        service=service, base_version=base, proposed=proposed, proposed_by=group.rep
    )
    labels = [row.label for row in edit_review(edit=edit).rows]
    assert labels == ["Name"]

    edit_approve(actor=moderator(), edit=edit)

    service = Service.objects.get(pk=service.pk)
    assert service.name == "Grays Knitters"
    assert list(service.phones.values_list("number", flat=True)) == ["01375 123456"]
    assert sorted(service.contacts.values_list("name", flat=True)) == ["Pat Organiser", "Sam Old"]
    assert list(service.cost_options.values_list("amount", flat=True)) == [Decimal("3.00")]
    edit.refresh_from_db()
    assert [row.label for row in edit_review(edit=edit).rows] == ["Name"]
    # an edit made on top of an old version gets a base that holds the lists, from the live listing
    latest = ServiceVersion.objects.filter(service=service).latest("number")
    ServiceVersion.objects.filter(pk=latest.pk).update(
        data={key: value for key, value in latest.data.items() if key not in LIST_KEYS}
    )
    newer = edit_propose(
        actor=group.rep, service=service, proposed=edited(service, fees="Free for carers")
    )
    assert all(key in newer.base_version.data for key in LIST_KEYS)
    assert newer.base_version.number == 3


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("01375123456", "01375 123456"),
        ("(01375) 123-456", "01375 123456"),
        ("+44 (0)1375 123456", "01375 123456"),
        ("0044 20 7946 0000", "020 7946 0000"),
        ("0121 496 0000", "0121 496 0000"),
        ("+447700900123", "07700 900123"),
        ("0800 123 456", "0800 123 456"),
        ("0300 123 4567", "0300 123 4567"),
        ("116 123", "116 123"),
        ("01375 123456 ext 204", "01375 123456 ext 204"),
        ("01375123456 Ext. 7", "01375 123456 ext 7"),
        ("+44 1375 123456 extension 31", "01375 123456 ext 31"),
        ("01375 123456 x204", "01375 123456 ext 204"),
        ("020 7946 0000 #12", "020 7946 0000 ext 12"),
    ],
)
def test_uk_phone_numbers_are_taken_as_people_type_them(typed, written):
    assert uk_phone(typed) == written


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "12345",
        "01375 12",
        "+33 1 23 45 67 89",
        "0600 123 4567",
        "ring Pat",
        "ext 204",
        "01375 12 ext 204",
        "01375 123456 ext 1234567",
        "01375 123456 ext",
    ],
)
def test_what_is_not_a_uk_phone_number_is_refused(typed):
    with pytest.raises(ValueError, match="Enter a UK phone number"):
        uk_phone(typed)


# --- What the form does not show: phone languages and contacts' taxonomy terms ---------------------


def _group_with_phone_languages_and_contact_terms():
    """The listing of ``_group_with_contacts``, whose phones are answered in some languages (one of
    them recorded against the service too, as some imports do) and whose contacts carry terms."""
    group, phone, pat, pats_phone, sam, cost = _group_with_contacts()
    polish = Language.objects.create(phone=phone, name="Polish", code="pl")
    urdu = Language.objects.create(phone=phone, service=group.service, name="Urdu", code="ur")
    somali = Language.objects.create(phone=pats_phone, name="Somali", code="so")
    (chair_term,) = attributes_set(actor=None, record=pat, terms=[TaxonomyTermFactory()])
    (sam_term,) = attributes_set(actor=None, record=sam, terms=[TaxonomyTermFactory()])
    chair_term.value = "Safeguarding lead"
    chair_term.save()
    kept = {"languages": [polish, urdu, somali], "attribute": chair_term, "sams": sam_term}
    return group, phone, pat, pats_phone, sam, cost, kept


def _propose_and_approve(client, group, data):
    client.force_login(group.rep)
    url = reverse("directory:service_edit", args=[group.service.public_id])
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    edit = ServiceEdit.objects.get()
    client.force_login(moderator())
    review_url = reverse("directory:edit_review", args=[edit.public_id])
    assert client.post(review_url, {"decision": "approve"}).status_code == 302
    edit.refresh_from_db()
    assert edit.status == ModerationStatus.APPROVED
    return edit


def _phone_languages(phone_public_id):
    return sorted(
        (language.name, language.code, language.service_id is not None)
        for language in Language.objects.filter(phone__public_id=phone_public_id)
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"description": "We knit, we natter, we drink tea."},
        {"phones-0-description": "Bookings, weekday mornings"},
    ],
    ids=["description only", "phone description"],
)
def test_approving_an_edit_keeps_phone_languages_and_contact_terms_the_form_does_not_show(
    client, changes
):
    group, phone, pat, pats_phone, sam, cost, kept = _group_with_phone_languages_and_contact_terms()
    service = group.service

    _propose_and_approve(client, group, _form(service, phone, pat, sam, cost, **changes))

    service = Service.objects.get(pk=service.pk)
    if "description" in changes:
        assert service.description == changes["description"]
    else:
        assert Phone.objects.get(public_id=phone.public_id).description == (
            "Bookings, weekday mornings"
        )
    assert _phone_languages(phone.public_id) == [("Polish", "pl", False), ("Urdu", "ur", True)]
    assert _phone_languages(pats_phone.public_id) == [("Somali", "so", False)]
    # the same records, not look-alikes: anything that refers to them by id still finds them
    for language in kept["languages"]:
        assert Language.objects.filter(public_id=language.public_id).exists()
    attribute = Attribute.objects.get(public_id=kept["attribute"].public_id)
    assert attribute.link == Contact.objects.get(public_id=pat.public_id)
    assert attribute.value == "Safeguarding lead"
    assert Contact.objects.get(public_id=sam.public_id).attributes.count() == 1
    # the phone's languages are not the service's own, and the service's own are as they were
    assert listing_document(service)["languages"] == ["English"]
    assert sorted(service.languages.filter(phone__isnull=True).values_list("name", flat=True)) == [
        "English"
    ]


def test_a_removed_phone_or_contact_takes_its_languages_and_terms_with_it(client):
    group, phone, pat, pats_phone, sam, cost, kept = _group_with_phone_languages_and_contact_terms()
    service = group.service

    _propose_and_approve(
        client,
        group,
        _form(
            service, phone, pat, sam, cost, **{"phones-0-remove": "on", "contacts-1-remove": "on"}
        ),
    )

    assert not Phone.objects.filter(public_id=phone.public_id).exists()
    assert not Language.objects.filter(name__in=["Polish", "Urdu"]).exists()
    assert not Attribute.objects.filter(public_id=kept["sams"].public_id).exists()
    assert _phone_languages(pats_phone.public_id) == [("Somali", "so", False)]
    assert Attribute.objects.filter(public_id=kept["attribute"].public_id).exists()
    entry = AuditEntry.objects.filter(kind=DirectoryAuditKind.SERVICE_DETAILS_REPLACED).latest(
        "created_at"
    )
    assert entry.before["phone_languages"] == 3 and entry.after["phone_languages"] == 1
    assert entry.before["contact_attributes"] == 2 and entry.after["contact_attributes"] == 1
    assert entry.before["languages"] == entry.after["languages"] == 1


def test_the_moderators_email_says_which_parts_change_without_contact_details(client):
    moderator(email="champion@example.org")
    group, phone, pat, pats_phone, sam, cost = _group_with_contacts()
    client.force_login(group.rep)
    url = reverse("directory:service_edit", args=[group.service.public_id])
    response = client.post(
        url,
        _form(
            group.service,
            phone,
            pat,
            sam,
            cost,
            **{
                "description": "We knit, we natter, we drink tea.",
                "contacts-0-email": "chair@example.org",
                "contacts-0-phones": "07700 900222",
                "schedules-0-opens_at": "13:00",
                "schedules-0-closes_at": "15:00",
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()

    (message,) = mail.outbox
    assert message.to == ["champion@example.org"]
    changed = re.findall(r"^- (.+)$", message.body, flags=re.MULTILINE)
    assert changed == ["Description", "Opening times", "Contacts"]
    for private in ("pat@example.org", "chair@example.org", "07700", "01375", "Pat Organiser"):
        assert private not in message.body
    assert not re.search(r"[\w.+-]+@[\w-]+\.\w", message.body)
