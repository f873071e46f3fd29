from __future__ import annotations

import pytest
from django.core import mail

from commonweal.core.emails import email_render, email_send


def test_the_subject_comes_from_the_first_line_and_the_body_follows() -> None:
    subject, body = email_render("core/emails/example.txt", {"name": "Asha"})
    assert subject == "Hello from Commonweal"
    assert body.startswith("Hello Asha,")


@pytest.mark.django_db
def test_email_send_delivers_one_message_to_each_address_once() -> None:
    email_send(
        to=["a@example.org", "a@example.org", "", "b@example.org"],
        template="core/emails/example.txt",
        context={"name": "Asha"},
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["a@example.org", "b@example.org"]
    assert "Hello Asha" in mail.outbox[0].body


def test_email_send_with_nobody_to_send_to_sends_nothing() -> None:
    email_send(to=[""], template="core/emails/example.txt", context={"name": "Asha"})
    assert mail.outbox == []
