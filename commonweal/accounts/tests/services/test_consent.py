from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from commonweal.accounts import selectors, services
from commonweal.accounts.constants import AccountsAuditKind, ConsentPurpose, LawfulBasis
from commonweal.accounts.models import ConsentRecord
from commonweal.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_consent_give_records_the_words_and_who_recorded_them(user, coordinator):
    consent = services.consent_give(
        actor=coordinator,
        user=user,
        purpose=ConsentPurpose.REFERRAL,
        wording="You may share my details with the hub.",
    )
    assert consent.is_current
    assert consent.recorded_by == coordinator
    assert consent.lawful_basis == LawfulBasis.CONSENT
    entry = AuditEntry.objects.get(kind=AccountsAuditKind.CONSENT_GIVEN)
    assert entry.after["purpose"] == "referral"
    assert selectors.consent_current_get(user=user, purpose=ConsentPurpose.REFERRAL) == consent


def test_consent_can_be_recorded_for_a_person_without_an_account(coordinator):
    consent = services.consent_give(
        actor=coordinator,
        person_name="Mo Farah",
        purpose=ConsentPurpose.STORY_PUBLICATION,
        wording="You may publish my story.",
        given_by_proxy="Mo's carer",
    )
    assert consent.user is None
    assert (
        selectors.consent_current_get(
            person_name="Mo Farah", purpose=ConsentPurpose.STORY_PUBLICATION
        )
        == consent
    )


def test_consent_needs_a_person(coordinator):
    with pytest.raises(ValidationError) as error:
        services.consent_give(actor=coordinator, purpose=ConsentPurpose.CONTACT, wording="Yes")
    assert "person_name" in error.value.message_dict
    assert not ConsentRecord.objects.exists()


def test_special_category_consent_needs_an_article_9_condition(user):
    with pytest.raises(ValidationError) as error:
        services.consent_give(
            actor=user, user=user, purpose=ConsentPurpose.SPECIAL_CATEGORY, wording="Yes"
        )
    assert "special_category_condition" in error.value.message_dict


def test_consent_needs_the_wording(user):
    with pytest.raises(ValidationError) as error:
        services.consent_give(actor=user, user=user, purpose=ConsentPurpose.CONTACT, wording="")
    assert "wording" in error.value.message_dict


def test_withdrawing_consent_keeps_the_record_with_the_time(user):
    consent = services.consent_give(
        actor=user, user=user, purpose=ConsentPurpose.NEWSLETTER, wording="Send me news."
    )
    services.consent_withdraw(actor=user, consent=consent)
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert not consent.is_current
    assert ConsentRecord.objects.filter(pk=consent.pk).exists()
    assert selectors.consent_current_get(user=user, purpose=ConsentPurpose.NEWSLETTER) is None
    assert (
        AuditEntry.objects.filter(
            kind=AccountsAuditKind.CONSENT_WITHDRAWN, target_id=str(consent.pk)
        ).count()
        == 1
    )
    withdrawn_at = consent.withdrawn_at
    services.consent_withdraw(actor=user, consent=consent)
    consent.refresh_from_db()
    assert consent.withdrawn_at == withdrawn_at
    assert AuditEntry.objects.filter(kind=AccountsAuditKind.CONSENT_WITHDRAWN).count() == 1


def test_the_current_consent_is_the_latest_one_not_withdrawn(user):
    older = services.consent_give(
        actor=user, user=user, purpose=ConsentPurpose.CONTACT, wording="v1", wording_version="1"
    )
    newer = services.consent_give(
        actor=user, user=user, purpose=ConsentPurpose.CONTACT, wording="v2", wording_version="2"
    )
    assert selectors.consent_current_get(user=user, purpose=ConsentPurpose.CONTACT) == newer
    services.consent_withdraw(actor=user, consent=newer)
    assert selectors.consent_current_get(user=user, purpose=ConsentPurpose.CONTACT) == older
