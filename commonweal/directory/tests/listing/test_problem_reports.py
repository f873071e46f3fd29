"""Report a problem with a listing: saved, audited, emailed to moderators, dealt with by them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.constants import Role
from commonweal.accounts.tests.factories import UserFactory
from commonweal.core.audit import audit_entries_for
from commonweal.directory.constants import ListingAuditKind, ProblemKind, ProblemReportStatus
from commonweal.directory.listing import PROBLEM_REPORT_LIMIT, PROBLEM_REPORT_LISTING_LIMIT
from commonweal.directory.models import ProblemReport
from commonweal.directory.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_two_factor_prompt(settings):
    # Moderators are staff and would be asked for a second factor first; that has its own tests.
    settings.COMMONWEAL_REQUIRE_STAFF_2FA = False


@pytest.fixture
def service():
    return ServiceFactory(name="Knit and natter")


def report_url(service) -> str:
    return reverse("directory:report_problem", args=[service.public_id])


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    """Post a report as the test's visitor. The email goes once the report is saved (on commit)."""

    def post(service, **data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(report_url(service), {"kind": ProblemKind.WRONG_TIMES, **data})

    return post


def test_a_report_is_saved_audited_and_emailed_to_every_moderator(client, service, send):
    moderators = [
        UserFactory(email="mod1@example.org", roles=[Role.MODERATOR]),
        UserFactory(email="mod2@example.org", roles=[Role.MODERATOR]),
    ]
    UserFactory(email="member@example.org", roles=[Role.MEMBER])
    response = send(service, details="It is Thursdays now.", reply_email="resident@example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "directory:report_problem_sent", args=[service.public_id]
    )
    report = ProblemReport.objects.get()
    assert (report.service, report.kind, report.details, report.reply_email) == (
        service,
        ProblemKind.WRONG_TIMES,
        "It is Thursdays now.",
        "resident@example.org",
    )
    assert report.status == ProblemReportStatus.OPEN
    assert [entry.kind for entry in audit_entries_for(report)] == [
        ListingAuditKind.PROBLEM_REPORTED
    ]

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted(moderator.email for moderator in moderators)
    assert "Knit and natter" in message.subject
    assert "The days or times are wrong" in message.body
    assert "It is Thursdays now." in message.body
    assert "resident@example.org" in message.body
    assert "http://testserver/directory/problem-reports/" in message.body

    confirmation = client.get(response["Location"])
    assert "Report sent" in confirmation.content.decode()


def test_without_moderators_reports_go_to_the_site_contact_address(client, service, settings, send):
    settings.COMMONWEAL_CONTACT_EMAIL = "directory@council.example"
    send(service)
    assert mail.outbox[0].to == ["directory@council.example"]


def test_a_moderator_whose_membership_has_ended_is_not_emailed(client, service, settings, send):
    moderator = UserFactory(email="gone@example.org", roles=[Role.MODERATOR])
    moderator.memberships.update(ends_on=timezone.localdate() - dt.timedelta(days=1))
    settings.COMMONWEAL_CONTACT_EMAIL = "directory@council.example"
    send(service)
    assert mail.outbox[0].to == ["directory@council.example"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": ""}, "Choose what is wrong with the listing"),
        ({"kind": "nonsense"}, "Select a valid choice"),
        ({"kind": ProblemKind.OTHER, "details": "   "}, "Tell us what is wrong"),
        ({"kind": ProblemKind.CLOSED, "reply_email": "not an email"}, "Enter an email address"),
        ({"kind": ProblemKind.CLOSED, "details": "x" * 2001}, "2,000 characters or fewer"),
    ],
)
def test_bad_input_is_explained_and_kept(client, service, data, message):
    response = client.post(report_url(service), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "There is a problem" in html
    assert ProblemReport.objects.count() == 0
    assert mail.outbox == []
    if data.get("reply_email"):
        assert 'value="not an email"' in html


def test_reports_from_one_browser_are_limited(client, service, send):
    for _ in range(PROBLEM_REPORT_LIMIT):
        assert send(service).status_code == 302
    response = send(service)
    assert response.status_code == 429
    assert "several reports in the last hour" in response.content.decode()
    assert ProblemReport.objects.count() == PROBLEM_REPORT_LIMIT


def test_reports_about_one_listing_are_capped_even_from_browsers_that_drop_their_cookie(
    client, service, send
):
    other = ServiceFactory(name="Grays larder")
    for _ in range(PROBLEM_REPORT_LISTING_LIMIT):
        client.cookies.clear()
        assert send(service).status_code == 302
    client.cookies.clear()
    response = send(service)

    assert response.status_code == 429
    assert "Many people have reported this listing" in response.content.decode()
    assert ProblemReport.objects.filter(service=service).count() == PROBLEM_REPORT_LISTING_LIMIT
    # Other listings can still be reported, and an hour later this one can again.
    assert send(other).status_code == 302
    ProblemReport.objects.filter(service=service).update(
        created_at=timezone.now() - dt.timedelta(hours=2)
    )
    client.cookies.clear()
    assert send(service).status_code == 302


def test_the_report_page_has_a_form_and_every_listing_links_to_it(client, service):
    response = client.get(report_url(service))
    html = response.content.decode()
    assert "What is wrong?" in html
    for kind in ProblemKind:
        assert kind.label in html
    listing = client.get(reverse("directory:service_detail", args=[service.public_id]))
    assert report_url(service) in listing.content.decode()


def test_only_moderators_and_administrators_see_the_reports(client, service, send):
    send(service, details="Closed since May")
    listing = reverse("directory:problem_reports")
    anonymous = client.get(listing)
    assert anonymous.status_code == 302 and "/accounts/sign-in/" in anonymous["Location"]

    client.force_login(UserFactory(roles=[Role.GROUP_REP]))
    assert client.get(listing).status_code == 403

    for role in (Role.MODERATOR, Role.ADMIN):
        client.force_login(UserFactory(roles=[role]))
        response = client.get(listing)
        assert response.status_code == 200
        assert "Closed since May" in response.content.decode()
        assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_open_reports_are_newest_first_and_dealt_with_ones_leave_the_list(client, service, send):
    older = ServiceFactory(name="Older listing")
    send(older)
    send(service)
    moderator = UserFactory(roles=[Role.MODERATOR])
    client.force_login(moderator)
    reports = client.get(reverse("directory:problem_reports")).context["reports"]
    assert [report.service.name for report in reports] == ["Knit and natter", "Older listing"]

    target = reports[1]
    response = client.post(
        reverse("directory:problem_report_dealt_with", args=[target.public_id]),
        {"note": "Rang them: new times added."},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.status == ProblemReportStatus.DEALT_WITH
    assert target.dealt_with_by == moderator and target.note == "Rang them: new times added."
    assert ListingAuditKind.PROBLEM_DEALT_WITH in [e.kind for e in audit_entries_for(target)]
    reports = client.get(reverse("directory:problem_reports")).context["reports"]
    assert [report.service.name for report in reports] == ["Knit and natter"]

    # Twice is harmless.
    again = client.post(reverse("directory:problem_report_dealt_with", args=[target.public_id]))
    assert again.status_code == 302


def test_dealing_with_a_report_needs_a_moderator_and_a_post(client, service, send):
    send(service)
    report = ProblemReport.objects.get()
    url = reverse("directory:problem_report_dealt_with", args=[report.public_id])
    client.force_login(UserFactory(roles=[Role.GROUP_REP]))
    assert client.post(url).status_code == 403
    client.force_login(UserFactory(roles=[Role.MODERATOR]))
    assert client.get(url).status_code == 405
    response = client.post(url, {"note": "x" * 1001})
    assert response.status_code == 400
    assert "1,000 characters or fewer" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ProblemReportStatus.OPEN
