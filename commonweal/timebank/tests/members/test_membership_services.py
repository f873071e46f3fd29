"""Joining, a broker's decision, proxy members, organisation accounts and vetting records."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from commonweal.accounts.constants import ConsentPurpose, OrganisationKind, Role
from commonweal.accounts.models import ConsentRecord
from commonweal.accounts.tests.factories import OrganisationFactory, UserFactory
from commonweal.core.models import AuditEntry
from commonweal.timebank.constants import AccountKind, MemberStatus, VettingKind
from commonweal.timebank.membership import (
    member_apply,
    member_approve,
    member_decline,
    organisation_account_add,
    proxy_member_create,
    vetting_record_add,
)
from commonweal.timebank.models import Account
from commonweal.timebank.tests.factories import ApplicantFactory, MemberFactory

pytestmark = pytest.mark.django_db


def apply(user, timebank, **changes):
    values = {
        "actor": user,
        "timebank": timebank,
        "display_name": "Sam",
        "locality": timebank.localities.get(name="Grays"),
        "can_offer": "Gardening and a lift to the shops",
        "might_need": "Help with forms",
        "agrees": True,
    }
    values.update(changes)
    return member_apply(**values)


def test_an_application_waits_for_a_broker_records_consent_and_tells_the_brokers(timebank, broker):
    user = UserFactory(email="sam@example.org")
    member = apply(user, timebank)

    assert member.status == MemberStatus.APPLIED
    assert member.terms_agreed_at is not None
    assert not Account.objects.filter(member=member).exists()
    consent = ConsentRecord.objects.get(user=user)
    assert consent.purpose == ConsentPurpose.TIMEBANK
    assert "members' agreement" in consent.wording
    assert [message.to for message in mail.outbox] == [["bea@example.org"]]
    assert "Sam" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"agrees": False}, "agrees"),
        ({"can_offer": "  "}, "can_offer"),
        ({"display_name": ""}, "display_name"),
        ({"locality": None}, "locality"),
    ],
)
def test_an_application_is_refused_with_the_reason_and_nothing_is_kept(timebank, changes, field):
    user = UserFactory()
    with pytest.raises(ValidationError) as refused:
        apply(user, timebank, **changes)
    assert field in refused.value.message_dict
    assert not user.timebank_members.exists()
    assert not ConsentRecord.objects.filter(user=user).exists()


def test_a_locality_of_another_timebank_is_refused(timebank, other_timebank):
    from commonweal.timebank.models import Locality

    elsewhere = Locality.objects.create(timebank=other_timebank, name="Pitsea")
    with pytest.raises(ValidationError) as refused:
        apply(UserFactory(), timebank, locality=elsewhere)
    assert "locality" in refused.value.message_dict


def test_applying_twice_is_refused(timebank):
    user = UserFactory()
    apply(user, timebank)
    with pytest.raises(ValidationError, match="already applied"):
        apply(user, timebank)


def test_approval_opens_the_account_and_emails_the_member(timebank, broker):
    user = UserFactory(email="sam@example.org")
    member = apply(user, timebank)
    mail.outbox.clear()

    member = member_approve(actor=broker, member=member)

    assert member.status == MemberStatus.ACTIVE
    assert member.approved_by == broker
    assert member.joined_on == timezone.localdate()
    account = Account.objects.get(member=member)
    assert account.kind == AccountKind.MEMBER
    assert account.timebank == timebank
    assert [message.to for message in mail.outbox] == [["sam@example.org"]]
    assert "Welcome" in mail.outbox[0].subject
    assert AuditEntry.objects.filter(kind="timebank.member_approved", actor=broker).exists()
    with pytest.raises(ValidationError, match="already been decided"):
        member_approve(actor=broker, member=member)


def test_declining_sends_the_reason_and_the_person_may_apply_again(timebank, broker):
    user = UserFactory(email="sam@example.org")
    member = apply(user, timebank)
    mail.outbox.clear()

    with pytest.raises(ValidationError):
        member_decline(actor=broker, member=member, reason=" ")
    member = member_decline(actor=broker, member=member, reason="We have no broker in Tilbury yet.")

    assert member.status == MemberStatus.DECLINED
    assert not Account.objects.filter(member=member).exists()
    assert mail.outbox[0].to == ["sam@example.org"]
    assert "We have no broker in Tilbury yet." in mail.outbox[0].body
    again = apply(user, timebank)
    assert again.pk == member.pk
    assert again.status == MemberStatus.APPLIED


def test_only_a_broker_of_that_timebank_decides(timebank, broker, other_broker):
    member = ApplicantFactory(timebank=timebank)
    coordinator_elsewhere = UserFactory(roles=[Role.COORDINATOR])
    plain_member = MemberFactory(timebank=timebank).user
    for outsider in (other_broker, coordinator_elsewhere, plain_member):
        with pytest.raises(ValidationError, match="Only the brokers of Thurrock Timebank"):
            member_approve(actor=outsider, member=member)
    member.refresh_from_db()
    assert member.status == MemberStatus.APPLIED
    coordinator = UserFactory(roles=[Role.COORDINATOR], roles__organisation=timebank.organisation)
    assert member_approve(actor=coordinator, member=member).status == MemberStatus.ACTIVE


def test_a_broker_adds_a_proxy_member_and_acts_for_them(timebank, broker):
    member = proxy_member_create(
        actor=broker,
        timebank=timebank,
        display_name="Doris",
        locality=timebank.localities.get(name="Tilbury"),
        contact_notes="Landline, mornings; her neighbour Jean helps.",
        can_offer="Knitting lessons",
        agreed=True,
    )
    assert member.is_proxy
    assert member.user is None
    assert member.proxy_broker == broker
    assert member.status == MemberStatus.ACTIVE
    assert Account.objects.get(member=member).kind == AccountKind.MEMBER
    consent = ConsentRecord.objects.get(person_name="Doris")
    assert consent.given_by_proxy == "Bea Broker"
    assert consent.purpose == ConsentPurpose.TIMEBANK

    with pytest.raises(ValidationError) as refused:
        proxy_member_create(
            actor=broker,
            timebank=timebank,
            display_name="Ed",
            locality=None,
            contact_notes="",
            agreed=False,
        )
    assert {"contact_notes", "agreed"} <= set(refused.value.message_dict)


def test_a_broker_adds_an_organisation_as_an_account_holder_once(timebank, broker):
    school = OrganisationFactory(name="Gateway Academy", kind=OrganisationKind.SCHOOL)
    account = organisation_account_add(actor=broker, timebank=timebank, organisation=school)
    assert account.kind == AccountKind.ORGANISATION
    assert account.organisation == school
    with pytest.raises(ValidationError, match="already has an account"):
        organisation_account_add(actor=broker, timebank=timebank, organisation=school)


def test_every_timebank_has_a_community_pot_and_its_own_issuing_account(timebank):
    kinds = set(Account.objects.filter(timebank=timebank).values_list("kind", flat=True))
    assert {AccountKind.COMMUNITY_POT, AccountKind.ISSUANCE} <= kinds


def test_vetting_records_are_checked_before_they_are_kept(timebank, broker):
    member = MemberFactory(timebank=timebank)
    today = timezone.localdate()
    record = vetting_record_add(
        actor=broker,
        member=member,
        kind=VettingKind.DBS_ENHANCED,
        checked_on=today - datetime.timedelta(days=10),
        expires_on=today + datetime.timedelta(days=1000),
        reference="001122334455",
    )
    assert record.recorded_by == broker
    cases = [
        ({"kind": VettingKind.DBS_BASIC, "reference": ""}, "reference"),
        ({"kind": VettingKind.REFERENCE, "reference": ""}, "reference"),
        ({"checked_on": today + datetime.timedelta(days=1)}, "checked_on"),
        ({"expires_on": today - datetime.timedelta(days=20)}, "expires_on"),
    ]
    for changes, field in cases:
        values = {
            "actor": broker,
            "member": member,
            "kind": VettingKind.INDUCTION,
            "checked_on": today - datetime.timedelta(days=10),
            "reference": "x",
        } | changes
        with pytest.raises(ValidationError) as refused:
            vetting_record_add(**values)
        assert field in refused.value.message_dict, changes
    assert member.vetting.count() == 1
