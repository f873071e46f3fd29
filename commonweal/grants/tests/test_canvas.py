"""The ideas canvas: drafts saved as you go, collaborators, attachments, sending in, and clear refusals."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commonweal.accounts.models import Membership
from commonweal.accounts.tests.factories import OrganisationFactory, UserFactory
from commonweal.core.models import AuditEntry
from commonweal.geo.tests.factories import AreaFactory
from commonweal.grants.constants import ATTACHMENT_MAX_BYTES, CanvasStatus, GrantsAuditKind
from commonweal.grants.exceptions import GrantRefused
from commonweal.grants.models import Attachment, Canvas
from commonweal.grants.services.canvas import (
    attachment_add,
    canvas_save,
    canvas_start,
    canvas_submit,
    collaborator_add,
    collaborator_remove,
)
from commonweal.grants.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_():
    return f.open_round()


@pytest.fixture
def rep():
    user = UserFactory()
    group = OrganisationFactory(name="Tilbury Tenants")
    Membership.objects.create(user=user, organisation=group, role="group_rep")
    return user


def edit_data(round_, **extra):
    data = {
        "title": "Repair café",
        "summary": "Fix things together",
        "amount_requested": "800",
        "ward": "",
    }
    for field in round_.canvas_fields.all():
        data[f"answer_{field.key}"] = f"Our answer to {field.key}"
    data.update(extra)
    return data


def test_a_group_drafts_comes_back_and_sends_its_idea_in_through_the_pages(client, round_, rep):
    client.force_login(rep)
    group = rep.memberships.get().organisation
    response = client.post(
        reverse("grants:canvas_start", args=[round_.public_id]),
        {"title": "Repair café", "organisation": str(group.public_id)},
    )
    canvas = Canvas.objects.get()
    assert canvas.organisation == group and canvas.is_draft
    assert response.url == reverse("grants:canvas_edit", args=[canvas.public_id])
    client.post(
        reverse("grants:canvas_edit", args=[canvas.public_id]),
        edit_data(round_, answer_idea="Half written", action="save"),
    )
    canvas.refresh_from_db()
    assert canvas.answers["idea"] == "Half written" and canvas.is_draft
    page = client.get(reverse("grants:canvas_edit", args=[canvas.public_id])).content.decode()
    assert "Half written" in page
    response = client.post(
        reverse("grants:canvas_edit", args=[canvas.public_id]), edit_data(round_, action="submit")
    )
    canvas.refresh_from_db()
    assert canvas.status == CanvasStatus.SUBMITTED and canvas.submitted_at is not None
    assert response.url == reverse("grants:canvas_detail", args=[canvas.public_id])
    assert mail.outbox[-1].to == [rep.email] and "Repair café" in mail.outbox[-1].subject


def test_the_htmx_autosave_saves_the_draft_and_says_so(client, round_, rep):
    canvas = f.ready_canvas(round_, user=rep, submit=False)
    client.force_login(rep)
    response = client.post(
        reverse("grants:canvas_edit", args=[canvas.public_id]),
        edit_data(round_, answer_who="Older neighbours on the estate"),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Draft saved at" in response.content.decode()
    assert "<html" not in response.content.decode()
    canvas.refresh_from_db()
    assert canvas.answers["who"] == "Older neighbours on the estate"


def test_an_incomplete_idea_is_refused_with_what_is_missing_and_stays_a_draft(client, round_, rep):
    canvas = f.ready_canvas(round_, user=rep, submit=False, text="")
    client.force_login(rep)
    response = client.post(
        reverse("grants:canvas_edit", args=[canvas.public_id]),
        edit_data(round_, answer_idea="", amount_requested="9999", action="submit"),
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert (
        "Answer &#x27;What is your idea?&#x27;" in content
        and "Ask for no more than £2,500.00" in content
    )
    canvas.refresh_from_db()
    assert canvas.is_draft and canvas.submitted_at is None


def test_no_editing_after_submission(round_, rep, client):
    canvas = f.ready_canvas(round_, user=rep)
    with pytest.raises(GrantRefused, match="sent in"):
        canvas_save(
            actor=rep,
            canvas=canvas,
            title="Changed",
            summary="",
            answers={},
            amount_requested=None,
            pledged_hours=Decimal("0"),
            ward=None,
        )
    client.force_login(rep)
    response = client.post(
        reverse("grants:canvas_edit", args=[canvas.public_id]), edit_data(round_, title="Changed")
    )
    assert response.status_code == 302
    canvas.refresh_from_db()
    assert canvas.title == "Repair café"


def test_no_submission_after_the_deadline(round_, rep):
    canvas = f.ready_canvas(round_, user=rep, submit=False)
    with time_machine.travel(round_.closes_at + datetime.timedelta(minutes=1)):
        with pytest.raises(GrantRefused, match="closed"):
            canvas_submit(actor=rep, canvas=canvas)
        with pytest.raises(GrantRefused, match="closed"):
            canvas_start(actor=rep, round_=round_, title="Late idea", group_name="Late group")
    canvas.refresh_from_db()
    assert canvas.is_draft


def test_only_the_group_can_change_its_idea(round_, rep):
    canvas = f.ready_canvas(round_, user=rep, submit=False)
    with pytest.raises(GrantRefused, match="Only the group"):
        canvas_submit(actor=UserFactory(), canvas=canvas)


def test_small_sparks_needs_a_volunteer_hour_pledge_worth_the_money():
    round_ = f.small_sparks_round()
    canvas = f.ready_canvas(round_, amount="250", submit=False, hours="10")
    with pytest.raises(GrantRefused, match="pledge at least 20.0 hours"):
        canvas_submit(actor=canvas.created_by, canvas=canvas)
    canvas = canvas_save(
        actor=canvas.created_by,
        canvas=canvas,
        title=canvas.title,
        summary="",
        answers=canvas.answers,
        amount_requested=Decimal("250"),
        pledged_hours=Decimal("20"),
        ward=None,
    )
    assert canvas_submit(actor=canvas.created_by, canvas=canvas).status == CanvasStatus.SUBMITTED
    assert canvas.pledged_value == Decimal("250.00")


def test_a_round_for_some_wards_refuses_ideas_elsewhere():
    ward = AreaFactory(name="Grays Riverside")
    round_ = f.open_round(wards=[ward])
    canvas = f.ready_canvas(round_, submit=False)
    with pytest.raises(GrantRefused, match="some wards only"):
        canvas_submit(actor=canvas.created_by, canvas=canvas)


def test_collaborators_come_from_other_groups(round_, rep):
    canvas = f.ready_canvas(round_, user=rep, submit=False)
    partner = OrganisationFactory(name="Grays Men's Shed")
    collaborator_add(actor=rep, canvas=canvas, organisation=partner, role="Tools and know-how")
    with pytest.raises(GrantRefused, match="already working"):
        collaborator_add(actor=rep, canvas=canvas, organisation=partner)
    with pytest.raises(GrantRefused, match="the group applying"):
        collaborator_add(actor=rep, canvas=canvas, organisation=canvas.organisation)
    assert [c.organisation for c in canvas.collaborators.all()] == [partner]


def test_attachments_are_checked_for_kind_content_and_size(round_, rep, client):
    canvas = f.ready_canvas(round_, user=rep, submit=False)
    attachment_add(
        actor=rep, canvas=canvas, upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan")
    )
    with pytest.raises(GrantRefused, match="not a kind of file"):
        attachment_add(actor=rep, canvas=canvas, upload=SimpleUploadedFile("run.exe", b"MZ"))
    with pytest.raises(GrantRefused, match="does not look like a PDF"):
        attachment_add(
            actor=rep, canvas=canvas, upload=SimpleUploadedFile("fake.pdf", b"MZ not a pdf")
        )
    too_big = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * ATTACHMENT_MAX_BYTES)
    with pytest.raises(GrantRefused, match="5 MB or smaller"):
        attachment_add(actor=rep, canvas=canvas, upload=too_big)
    assert list(Attachment.objects.values_list("name", flat=True)) == ["plan.pdf"]
    client.force_login(rep)
    response = client.post(
        reverse("grants:canvas_attachment_add", args=[canvas.public_id]),
        {"file": SimpleUploadedFile("run.exe", b"MZ")},
        follow=True,
    )
    assert "not a kind of file we take" in response.content.decode()
    download = client.get(
        reverse("grants:attachment_download", args=[Attachment.objects.get().public_id])
    )
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 plan"
    client.force_login(UserFactory())
    assert (
        client.get(
            reverse("grants:attachment_download", args=[Attachment.objects.get().public_id])
        ).status_code
        == 403
    )


def test_the_group_takes_a_partner_group_or_a_file_off_its_draft_and_only_while_a_draft(
    client, round_, rep, django_capture_on_commit_callbacks
):
    canvas = f.ready_canvas(round_, user=rep, submit=False)
    partner = OrganisationFactory(name="Grays Men's Shed")
    staying = OrganisationFactory(name="Tilbury Library")
    gone = collaborator_add(actor=rep, canvas=canvas, organisation=partner)
    collaborator_add(actor=rep, canvas=canvas, organisation=staying)
    plan = attachment_add(
        actor=rep, canvas=canvas, upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan")
    )
    budget = attachment_add(
        actor=rep, canvas=canvas, upload=SimpleUploadedFile("budget.pdf", b"%PDF-1.4 budget")
    )
    remove_partner = reverse(
        "grants:canvas_collaborator_remove", args=[canvas.public_id, gone.public_id]
    )
    remove_plan = reverse(
        "grants:canvas_attachment_remove", args=[canvas.public_id, plan.public_id]
    )

    client.force_login(UserFactory())
    assert client.post(remove_partner).status_code == 403
    assert client.post(remove_plan).status_code == 403
    assert canvas.collaborators.count() == 2 and canvas.attachments.count() == 2

    client.force_login(rep)
    page = client.get(reverse("grants:canvas_edit", args=[canvas.public_id])).content.decode()
    assert remove_partner in page and remove_plan in page and "csrfmiddlewaretoken" in page
    assert client.get(remove_partner).status_code == 405
    response = client.post(remove_partner, follow=True)
    assert "Grays Men&#x27;s Shed taken off your idea" in response.content.decode()
    assert [c.organisation for c in canvas.collaborators.all()] == [staying]
    stored = plan.file.name
    storage = plan.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remove_plan, follow=True)
    assert "&#x27;plan.pdf&#x27; removed" in response.content.decode()
    assert list(canvas.attachments.values_list("name", flat=True)) == ["budget.pdf"]
    assert not storage.exists(stored)
    assert AuditEntry.objects.filter(kind=GrantsAuditKind.COLLABORATOR_REMOVED).count() == 1
    assert AuditEntry.objects.filter(kind=GrantsAuditKind.ATTACHMENT_REMOVED).count() == 1
    other = f.ready_canvas(round_, submit=False, title="Another idea")
    elsewhere = reverse("grants:canvas_attachment_remove", args=[other.public_id, budget.public_id])
    assert client.post(elsewhere).status_code == 404

    canvas_submit(actor=rep, canvas=canvas)
    remove_budget = reverse(
        "grants:canvas_attachment_remove", args=[canvas.public_id, budget.public_id]
    )
    refused = client.post(remove_budget)
    assert refused.status_code == 403 and "has been sent in" in refused.content.decode()
    last = canvas.collaborators.get()
    with pytest.raises(GrantRefused, match="has been sent in"):
        collaborator_remove(actor=rep, collaborator=last)
    assert canvas.attachments.count() == 1 and canvas.collaborators.count() == 1


def test_the_canvas_form_has_a_label_for_every_field(client, round_, rep):
    canvas = f.ready_canvas(round_, user=rep, submit=False)
    client.force_login(rep)
    page = client.get(reverse("grants:canvas_edit", args=[canvas.public_id])).content.decode()
    for field in round_.canvas_fields.all():
        assert (
            f'<label class="govuk-label" for="id_answer_{field.key}">{field.label}</label>' in page
        )
    assert 'inputmode="decimal"' in page


def test_an_autosave_after_the_idea_was_sent_in_says_why_nothing_was_saved(client, round_, rep):
    canvas = f.ready_canvas(round_, user=rep)
    client.force_login(rep)
    response = client.post(
        reverse("grants:canvas_edit", args=[canvas.public_id]),
        edit_data(round_, title="Changed later"),
        headers={"HX-Request": "true"},
    )
    content = response.content.decode()
    assert "Not saved: This idea has been sent in" in content and "<html" not in content
    canvas.refresh_from_db()
    assert canvas.title == "Repair café"


def save_place(canvas, actor, *, ward=None, postcode=""):
    return canvas_save(
        actor=actor,
        canvas=canvas,
        title=canvas.title,
        summary=canvas.summary,
        answers=canvas.answers,
        amount_requested=canvas.amount_requested,
        pledged_hours=canvas.pledged_hours,
        ward=ward,
        postcode=postcode,
    )


@pytest.fixture
def place():
    """A ward with an LSOA in it (a postcode lies in both), and another ward with its own LSOA."""
    from commonweal.geo.constants import AreaKind
    from commonweal.geo.tests.factories import PostcodeFactory

    riverside = AreaFactory(code="E05002235", name="Grays Riverside")
    riverside_lsoa = AreaFactory(kind=AreaKind.LSOA, code="E01015954", name="Thurrock 012A")
    tilbury = AreaFactory(code="E05002240", name="Tilbury St Chads")
    tilbury_lsoa = AreaFactory(kind=AreaKind.LSOA, code="E01015990", name="Thurrock 020B")
    PostcodeFactory(postcode="RM176SL", ward_code=riverside.code, lsoa_code=riverside_lsoa.code)
    PostcodeFactory(postcode="RM188AA", ward_code=tilbury.code, lsoa_code=tilbury_lsoa.code)
    return {
        "riverside": riverside,
        "riverside_lsoa": riverside_lsoa,
        "tilbury": tilbury,
        "tilbury_lsoa": tilbury_lsoa,
    }


def test_a_group_without_an_organisation_gets_its_ward_and_lsoa_from_a_postcode(
    client, round_, place
):
    user = UserFactory()
    canvas = canvas_start(actor=user, round_=round_, title="Street party", group_name="Neighbours")
    assert canvas.ward is None and canvas.lsoa is None
    client.force_login(user)
    response = client.post(
        reverse("grants:canvas_edit", args=[canvas.public_id]),
        edit_data(round_, title="Street party", postcode="rm17 6sl", action="save"),
    )
    assert response.status_code in (200, 302)
    canvas.refresh_from_db()
    assert canvas.ward == place["riverside"] and canvas.lsoa == place["riverside_lsoa"]
    # The postcode is used to find the areas and kept nowhere, not even in the audit log.
    entry = AuditEntry.objects.filter(kind=GrantsAuditKind.CANVAS_SAVED).latest("id")
    assert entry.after == {"ward": "E05002235", "lsoa": "E01015954"}
    assert "RM17" not in str(entry.before) + str(entry.after) + entry.note
    assert not any("postcode" in field.name for field in Canvas._meta.get_fields())
    page = client.get(reverse("grants:canvas_edit", args=[canvas.public_id])).content.decode()
    assert "Now in Grays Riverside (Thurrock 012A)" in page and "RM17 6SL" not in page


def test_a_new_ward_clears_an_lsoa_that_does_not_lie_in_it(round_, place, rep):
    group = Membership.objects.get(user=rep).organisation
    type(group).objects.filter(pk=group.pk).update(
        ward=place["riverside"], lsoa=place["riverside_lsoa"]
    )
    group.refresh_from_db()
    canvas = canvas_start(actor=rep, round_=round_, title="Seed swap", organisation=group)
    assert canvas.lsoa == place["riverside_lsoa"]
    # Saving with the same ward keeps the LSOA from the group's organisation.
    canvas = save_place(canvas, rep, ward=place["riverside"])
    assert canvas.lsoa == place["riverside_lsoa"]
    canvas = save_place(canvas, rep, ward=place["tilbury"])
    assert canvas.ward == place["tilbury"] and canvas.lsoa is None
    # A postcode puts both back in step.
    canvas = save_place(canvas, rep, ward=place["riverside"], postcode="RM18 8AA")
    assert canvas.ward == place["tilbury"] and canvas.lsoa == place["tilbury_lsoa"]


def test_a_postcode_nobody_knows_or_outside_the_round_is_refused_and_nothing_is_saved(place, rep):
    round_ = f.open_round(wards=[place["riverside"]])
    group = Membership.objects.get(user=rep).organisation
    canvas = canvas_start(actor=rep, round_=round_, title="Seed swap", organisation=group)
    canvas.title = "Changed title"
    with pytest.raises(GrantRefused, match="not a full postcode"):
        save_place(canvas, rep, postcode="RM17")
    with pytest.raises(GrantRefused, match="could not find the postcode"):
        save_place(canvas, rep, postcode="SW1A 1AA")
    with pytest.raises(GrantRefused, match="Tilbury St Chads, which this round does not cover"):
        save_place(canvas, rep, postcode="RM18 8AA")
    canvas.refresh_from_db()
    assert canvas.title == "Seed swap" and canvas.ward is None and canvas.lsoa is None
    canvas = save_place(canvas, rep, postcode="RM17 6SL")
    assert canvas.ward == place["riverside"] and canvas.lsoa == place["riverside_lsoa"]
