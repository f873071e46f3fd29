"""Email that Commonweal sends people: rendered from templates, sent in the background.

Every email is a plain-text template (``<name>.txt``) whose first line is ``Subject: ...``; the rest is
the body. Sending goes through a task so a slow mail server never holds up a page; the test and demo
settings run tasks at once.

    email_send(
        to=["rep@example.org"],
        template="directory/emails/edit_approved.txt",
        context={"service": service, "reason": reason},
    )
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django_tasks import task


def email_render(template: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """Render ``template`` to (subject, body). The template's first line must be ``Subject: ...``."""
    text = render_to_string(
        template, {"site_name": settings.COMMONWEAL_SITE_NAME, **context}
    ).lstrip()
    first, _, body = text.partition("\n")
    if not first.startswith("Subject:"):
        raise ValueError(f"{template} must start with a 'Subject:' line")
    return first.removeprefix("Subject:").strip(), body.lstrip("\n")


@task()
def _email_deliver(to: list[str], subject: str, body: str) -> int:
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)


def email_send(*, to: Sequence[str], template: str, context: Mapping[str, Any]) -> None:
    """Render now (so mistakes show where they happen) and send in the background."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    subject, body = email_render(template, context)
    _email_deliver.enqueue(recipients, subject, body)
