from __future__ import annotations

import pytest
from django.urls import reverse

from commonweal.accounts import services
from commonweal.accounts.constants import ConsentPurpose
from commonweal.accounts.tests.factories import ConsentRecordFactory, UserFactory
from commonweal.core.models import AccessLogEntry

pytestmark = pytest.mark.django_db

CONSENTS = reverse("accounts:consents")


def test_the_consents_page_is_sensitive_and_needs_sign_in(client):
    from django.urls import resolve

    assert getattr(resolve(CONSENTS).func, "sensitive", False) is True
    assert client.get(CONSENTS).status_code == 302


def test_the_consents_page_lists_your_records_and_logs_the_read(client, user):
    current = ConsentRecordFactory(
        user=user, purpose=ConsentPurpose.NEWSLETTER, wording="Send me news and events."
    )
    withdrawn = ConsentRecordFactory(
        user=user, purpose=ConsentPurpose.RESEARCH, wording="Use my answers."
    )
    services.consent_withdraw(actor=user, consent=withdrawn)
    ConsentRecordFactory(user=UserFactory(), wording="Someone else's words")
    client.force_login(user)
    response = client.get(CONSENTS)
    html = response.content.decode()
    assert "Send me news and events." in html
    assert "Withdrawn" in html
    assert "Someone else&#x27;s words" not in html and "Someone else's words" not in html
    assert reverse("accounts:consent_withdraw", args=[current.public_id]) in html
    assert reverse("accounts:consent_withdraw", args=[withdrawn.public_id]) not in html
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert AccessLogEntry.objects.filter(actor=user, target_id=str(current.pk)).exists()


def test_withdrawing_consent_from_the_page(client, user):
    consent = ConsentRecordFactory(user=user, purpose=ConsentPurpose.CONTACT)
    client.force_login(user)
    response = client.post(reverse("accounts:consent_withdraw", args=[consent.public_id]))
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert "You have withdrawn your consent" in client.get(CONSENTS).content.decode()


def test_you_cannot_withdraw_someone_elses_consent(client, user):
    other = ConsentRecordFactory(user=UserFactory())
    client.force_login(user)
    response = client.post(reverse("accounts:consent_withdraw", args=[other.public_id]))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.withdrawn_at is None


def test_withdrawing_needs_a_post(client, user):
    consent = ConsentRecordFactory(user=user)
    client.force_login(user)
    assert (
        client.get(reverse("accounts:consent_withdraw", args=[consent.public_id])).status_code
        == 405
    )
