"""``directory_review_reminders``: who is asked to check a listing, and never twice in 30 days."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from commonweal.accounts.constants import Role
from commonweal.accounts.tests.factories import UserFactory
from commonweal.directory.constants import Publication
from commonweal.directory.models import ReviewReminder
from commonweal.directory.tests.factories import ServiceFactory
from commonweal.directory.tests.moderation_helpers import group_with_listing

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _run(*args: str, today: dt.date = TODAY) -> str:
    out = io.StringIO()
    call_command("directory_review_reminders", f"--date={today.isoformat()}", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def listings(settings):
    settings.COMMONWEAL_DIRECTORY_REVIEW_DAYS = 365
    overdue = TODAY - dt.timedelta(days=400)
    group = group_with_listing()
    group.service.assured_date = overdue
    group.service.save()
    second_rep = UserFactory(email="second-rep@example.org")
    second_rep.memberships.create(organisation=group.account, role=Role.GROUP_REP)
    return {
        "group": group,
        "second_rep": second_rep,
        "unclaimed": ServiceFactory(
            name="Unclaimed club", email="club@example.org", assured_date=overdue
        ),
        "never_checked": ServiceFactory(
            name="Never checked", email="never@example.org", assured_date=None
        ),
        "fresh": ServiceFactory(name="Fresh", email="fresh@example.org"),
        "draft": ServiceFactory(
            name="Draft",
            email="draft@example.org",
            assured_date=overdue,
            publication=Publication.DRAFT,
        ),
        "nobody": ServiceFactory(
            name="Nobody", email="", organization__email="", assured_date=overdue
        ),
    }


def test_reps_are_emailed_else_the_listing_and_never_twice_in_thirty_days(listings):
    output = _run()
    sent = {tuple(message.to): message for message in mail.outbox}
    group = listings["group"]
    assert set(sent) == {
        tuple(sorted([group.rep.email, "second-rep@example.org"])),
        ("club@example.org",),
        ("never@example.org",),
    }
    reps_email = sent[tuple(sorted([group.rep.email, "second-rep@example.org"]))]
    assert group.service.name in reps_email.subject
    assert "/directory/manage/" in reps_email.body
    assert "Reminded 3 listing(s)" in output
    assert "Nobody to email: Nobody" in output

    mail.outbox.clear()
    output = _run(today=TODAY + dt.timedelta(days=29))
    assert mail.outbox == []
    assert "3 already reminded" in output

    _run(today=TODAY + dt.timedelta(days=30))
    assert len(mail.outbox) == 3
    assert ReviewReminder.objects.filter(service=group.service).count() == 2


def test_a_dry_run_sends_and_records_nothing(listings):
    output = _run("--dry-run")
    assert "Would remind 3 listing(s)" in output
    assert "Would remind: Unclaimed club -> club@example.org" in output
    assert mail.outbox == []
    assert not ReviewReminder.objects.exists()


def test_a_confirmed_listing_is_not_reminded(listings, client):
    group = listings["group"]
    client.force_login(group.rep)
    client.post(f"/directory/manage/services/{group.service.public_id}/confirm/")
    _run()
    assert all(group.rep.email not in message.to for message in mail.outbox)


def test_a_bad_date_is_a_clear_error():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--date must look like"):
        call_command("directory_review_reminders", "--date=yesterday", stdout=io.StringIO())
