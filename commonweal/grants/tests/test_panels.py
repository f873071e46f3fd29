"""Panels: declarations before access, conflicts enforced on every path, fair results, decisions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commonweal.accounts.constants import Role
from commonweal.accounts.models import Membership
from commonweal.accounts.tests.factories import OrganisationFactory, UserFactory
from commonweal.grants.constants import CanvasStatus, DecisionOutcome
from commonweal.grants.exceptions import GrantRefused
from commonweal.grants.models import Attachment, Canvas, Conflict, Criterion, Score
from commonweal.grants.permissions import can_decide_canvas, can_view_canvas
from commonweal.grants.selectors import panel_results
from commonweal.grants.services.canvas import attachment_add, canvas_submit, collaborator_add
from commonweal.grants.services.panels import (
    decision_change,
    decision_make,
    declaration_make,
    panel_member_add,
    panel_member_remove,
    score_record,
)
from commonweal.grants.services.sponsors import sponsor_confirm
from commonweal.grants.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_():
    return f.open_round()


def all_scores(round_, value):
    return {c.pk: (min(value, c.scale_max), "") for c in Criterion.objects.filter(round=round_)}


def test_a_panellist_sees_no_idea_before_declaring_and_never_a_conflicted_one(client, round_):
    mine = f.ready_canvas(round_, title="Our own club")
    other = f.ready_canvas(round_, title="Street party")
    panel, [member] = f.panel_with(round_, 1, declare=False)
    client.force_login(member.user)
    page = client.get(reverse("grants:panel_home", args=[panel.public_id])).content.decode()
    assert "Declare your interests" in page
    blocked = client.get(reverse("grants:panel_score", args=[panel.public_id, other.public_id]))
    assert blocked.status_code == 403 and "Declare your interests first" in blocked.content.decode()
    with pytest.raises(GrantRefused, match="Declare your interests first"):
        score_record(actor=member.user, member=member, canvas=other, scores=all_scores(round_, 2))

    client.post(
        reverse("grants:panel_declare", args=[panel.public_id]),
        {
            "conflict": [str(mine.public_id)],
            f"nature-{mine.public_id}": "My sister runs it",
            "confirm": "yes",
        },
    )
    member.refresh_from_db()
    assert member.declared_at is not None
    assert Conflict.objects.get(member=member).canvas == mine
    home = client.get(reverse("grants:panel_home", args=[panel.public_id])).content.decode()
    assert "Conflict: not for you" in home
    conflicted = client.get(reverse("grants:panel_score", args=[panel.public_id, mine.public_id]))
    assert conflicted.status_code == 403 and "conflict of interest" in conflicted.content.decode()
    assert (
        "My sister" not in conflicted.content.decode()
        and "A friendly answer" not in conflicted.content.decode()
    )
    posted = client.post(
        reverse("grants:panel_score", args=[panel.public_id, mine.public_id]),
        {f"score-{c.pk}": "3" for c in Criterion.objects.filter(round=round_)},
    )
    assert posted.status_code == 403
    with pytest.raises(GrantRefused, match="conflict of interest"):
        score_record(actor=member.user, member=member, canvas=mine, scores=all_scores(round_, 3))
    assert not Score.objects.filter(canvas=mine).exists()
    allowed = client.get(reverse("grants:panel_score", args=[panel.public_id, other.public_id]))
    assert allowed.status_code == 200 and "A friendly answer" in allowed.content.decode()


def test_panellists_see_the_partner_groups_and_download_the_files_of_ideas_open_to_them(
    client, round_
):
    canvas = f.ready_canvas(round_, title="Repair café", submit=False)
    partner = OrganisationFactory(name="Grays Men's Shed")
    collaborator_add(actor=canvas.created_by, canvas=canvas, organisation=partner, role="Tools")
    attachment_add(
        actor=canvas.created_by,
        canvas=canvas,
        upload=SimpleUploadedFile("budget.pdf", b"%PDF-1.4 budget"),
    )
    canvas_submit(actor=canvas.created_by, canvas=canvas)
    attachment = Attachment.objects.get()
    download = reverse("grants:attachment_download", args=[attachment.public_id])
    panel, [reader, conflicted, undeclared] = f.panel_with(round_, 3, declare=False)
    declaration_make(actor=reader.user, member=reader, conflicts={}, confirmed=True)
    declaration_make(
        actor=conflicted.user, member=conflicted, conflicts={canvas: "I chair it"}, confirmed=True
    )

    client.force_login(reader.user)
    page = client.get(reverse("grants:panel_score", args=[panel.public_id, canvas.public_id]))
    content = page.content.decode()
    assert "Grays Men&#x27;s Shed (Tools)" in content and "budget.pdf" in content
    assert download in content
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 budget"
    draft = f.ready_canvas(round_, title="Still a draft", submit=False)
    refused = client.get(reverse("grants:panel_score", args=[panel.public_id, draft.public_id]))
    assert refused.status_code == 403 and "not been sent to the panel" in refused.content.decode()

    client.force_login(conflicted.user)
    refused = client.get(download)
    assert refused.status_code == 403 and "conflict of interest" in refused.content.decode()
    client.force_login(undeclared.user)
    refused = client.get(download)
    assert refused.status_code == 403 and "Declare your interests first" in refused.content.decode()
    panel_member_remove(actor=None, member=reader, reason="Moved away")
    client.force_login(reader.user)
    assert client.get(download).status_code == 403


def test_a_declaration_must_be_confirmed():
    round_ = f.open_round()
    _panel, [member] = f.panel_with(round_, 1, declare=False)
    with pytest.raises(GrantRefused, match="Confirm"):
        declaration_make(actor=member.user, member=member, conflicts={}, confirmed=False)
    member.refresh_from_db()
    assert member.declared_at is None


def test_membership_of_the_applying_group_and_sponsorship_are_conflicts_without_declaring(round_):
    canvas = f.ready_canvas(round_)
    sponsored = f.ready_canvas(round_, title="Sponsored idea")
    panel, [member] = f.panel_with(round_, 1, declare=False)
    Membership.objects.create(user=member.user, organisation=canvas.organisation, role="member")
    Canvas.objects.filter(pk=sponsored.pk).update(sponsor=member.user)
    declaration_make(actor=member.user, member=member, conflicts={}, confirmed=True)
    for blocked in (canvas, sponsored):
        with pytest.raises(GrantRefused, match="conflict of interest"):
            score_record(
                actor=member.user, member=member, canvas=blocked, scores=all_scores(round_, 1)
            )


def test_ideas_sent_in_after_the_declaration_by_a_panellists_groups_or_them_are_closed(
    client, round_
):
    panel, [member] = f.panel_with(round_, 1)
    own_group, partner_group = OrganisationFactory(), OrganisationFactory()
    for organisation in (own_group, partner_group):
        Membership.objects.create(user=member.user, organisation=organisation, role="member")
    by_their_group = f.ready_canvas(round_, title="Their group's idea", organisation=own_group)
    with_partner = f.ready_canvas(round_, title="Partner idea", submit=False)
    collaborator_add(actor=with_partner.created_by, canvas=with_partner, organisation=partner_group)
    with_partner = canvas_submit(actor=with_partner.created_by, canvas=with_partner)
    their_own = f.ready_canvas(round_, title="Their own idea", user=member.user)
    open_to_them = f.ready_canvas(round_, title="Someone else's idea")

    client.force_login(member.user)
    for blocked in (by_their_group, with_partner, their_own):
        with pytest.raises(GrantRefused, match="conflict of interest"):
            score_record(
                actor=member.user, member=member, canvas=blocked, scores=all_scores(round_, 1)
            )
        page = client.get(reverse("grants:panel_score", args=[panel.public_id, blocked.public_id]))
        assert page.status_code == 403
    home = client.get(reverse("grants:panel_home", args=[panel.public_id])).content.decode()
    assert home.count("Conflict: not for you") == 3
    assert (
        client.get(
            reverse("grants:panel_score", args=[panel.public_id, open_to_them.public_id])
        ).status_code
        == 200
    )
    [result] = [r for r in panel_results(panel=panel) if r.canvas == their_own]
    assert result.conflicted_members == [member]


def test_a_removed_panellist_can_no_longer_score_and_their_scores_stop_counting(round_):
    canvas = f.ready_canvas(round_)
    panel, [stays, leaves] = f.panel_with(round_, 2)
    score_record(actor=stays.user, member=stays, canvas=canvas, scores=all_scores(round_, 1))
    score_record(actor=leaves.user, member=leaves, canvas=canvas, scores=all_scores(round_, 5))
    panel_member_remove(actor=None, member=leaves, reason="Moved away")
    with pytest.raises(GrantRefused, match="no longer on this panel"):
        score_record(actor=leaves.user, member=leaves, canvas=canvas, scores=all_scores(round_, 5))
    with pytest.raises(GrantRefused, match="cannot come back"):
        panel_member_add(actor=None, panel=panel, user=leaves.user, kind="resident")
    [result] = panel_results(panel=panel)
    assert result.scorers == 1
    # Every line scored 1: outcomes 1/3, criteria 1/5, weights 1 and 2.
    outcomes = Criterion.objects.filter(round=round_, kind="outcome").count()
    expected = 100 * (outcomes * (1 / 3) + 3 * 2 * (1 / 5)) / (outcomes + 6)
    assert result.weighted == round(expected, 1)


def test_scores_given_before_a_conflict_came_to_light_stop_counting(round_):
    first = f.ready_canvas(round_, title="First")
    second = f.ready_canvas(round_, title="Second")
    panel, [fair, late, sponsor] = f.panel_with(round_, 3)
    Membership.objects.create(
        user=sponsor.user, organisation=OrganisationFactory(), role=Role.SPONSOR
    )
    criteria = list(Criterion.objects.filter(round=round_))
    top = {c.pk: (c.scale_max, "") for c in criteria}
    score_record(actor=fair.user, member=fair, canvas=first, scores=all_scores(round_, 1))
    score_record(actor=fair.user, member=fair, canvas=second, scores=all_scores(round_, 2))
    score_record(actor=late.user, member=late, canvas=first, scores=top)
    score_record(actor=late.user, member=late, canvas=second, scores=top)
    score_record(actor=sponsor.user, member=sponsor, canvas=first, scores=top)
    before = {r.canvas.title: r for r in panel_results(panel=panel)}
    assert before["First"].scorers == 3 and "Innovation" in before["First"].flags

    # One panellist declares an interest after scoring; another becomes the idea's sponsor.
    declaration_make(
        actor=late.user, member=late, conflicts={first: "My cousin joined"}, confirmed=True
    )
    sponsor_confirm(actor=f.officer(), canvas=first, sponsor=sponsor.user)

    results = {r.canvas.title: r for r in panel_results(panel=panel)}
    assert results["First"].scorers == 1
    outcomes = Criterion.objects.filter(round=round_, kind="outcome").count()
    only_fair = 100 * (outcomes * (1 / 3) + 3 * 2 * (1 / 5)) / (outcomes + 6)
    assert results["First"].weighted == round(only_fair, 1)
    assert results["First"].flags == []
    assert {m.pk for m in results["First"].conflicted_members} == {late.pk, sponsor.pk}
    # Only the fair panellist scored both ideas the others may see, so only they give z-scores.
    assert results["First"].zscore == -1.0 and results["Second"].zscore == 1.0
    assert results["Second"].scorers == 2
    panel.calibration_canvases.set([first])
    from commonweal.grants.selectors import panel_calibration

    row = panel_calibration(panel=panel)["rows"][0]
    assert row.scores == [1, None, None]


def test_scores_are_all_or_nothing_and_within_the_scale(round_):
    canvas = f.ready_canvas(round_)
    _panel, [member] = f.panel_with(round_, 1)
    scores = all_scores(round_, 1)
    innovation = Criterion.objects.get(round=round_, name="Innovation")
    scores[innovation.pk] = (9, "")
    with pytest.raises(GrantRefused, match="scored from 0 to 5"):
        score_record(actor=member.user, member=member, canvas=canvas, scores=scores)
    assert not Score.objects.exists()
    with pytest.raises(GrantRefused, match="only for themselves"):
        score_record(
            actor=UserFactory(), member=member, canvas=canvas, scores=all_scores(round_, 1)
        )


def test_results_are_weighted_and_normalised_ignore_na_and_flag_strong_disagreement(round_):
    first = f.ready_canvas(round_, title="First")
    second = f.ready_canvas(round_, title="Second")
    panel, [harsh, generous] = f.panel_with(round_, 2)
    criteria = list(Criterion.objects.filter(round=round_))
    innovation = next(c for c in criteria if c.name == "Innovation")
    # harsh: first gets 1s, second 2s; generous: first 5s (3 on outcomes), second N/A on innovation, else top.
    score_record(
        actor=harsh.user, member=harsh, canvas=first, scores={c.pk: (1, "") for c in criteria}
    )
    score_record(
        actor=harsh.user, member=harsh, canvas=second, scores={c.pk: (2, "") for c in criteria}
    )
    score_record(
        actor=generous.user,
        member=generous,
        canvas=first,
        scores={c.pk: (c.scale_max, "") for c in criteria},
    )
    generous_second = {c.pk: (c.scale_max, "") for c in criteria}
    generous_second[innovation.pk] = (None, "Not for me to say")
    score_record(actor=generous.user, member=generous, canvas=second, scores=generous_second)

    results = {r.canvas.title: r for r in panel_results(panel=panel)}
    assert "Innovation" in results["First"].flags  # 1 against 5: spread 4
    second_innovation = next(
        item for item in results["Second"].criteria if item.criterion == innovation
    )
    assert second_innovation.mean == 2.0 and not second_innovation.flagged  # the N/A is left out
    # Both scorers rank Second above First, so the z-scores agree even though their scales differ.
    assert results["Second"].zscore > 0 > results["First"].zscore
    assert results["Second"].rank == 1


def test_the_meeting_view_ranks_ideas_lists_who_leaves_the_room_and_offers_z_scores(client, round_):
    canvas = f.ready_canvas(round_, title="Allotment")
    panel, [member, other] = f.panel_with(round_, 2)
    declaration_make(
        actor=member.user, member=member, conflicts={canvas: "I rent a plot"}, confirmed=True
    )
    score_record(actor=other.user, member=other, canvas=canvas, scores=all_scores(round_, 2))
    client.force_login(f.officer())
    page = client.get(reverse("grants:panel_meeting", args=[panel.public_id])).content.decode()
    assert "Allotment" in page and member.user.full_name in page
    assert "Mean z" not in page
    assert (
        "Mean z"
        in client.get(
            reverse("grants:panel_meeting", args=[panel.public_id]), {"view": "z"}
        ).content.decode()
    )
    client.force_login(member.user)
    assert client.get(reverse("grants:panel_meeting", args=[panel.public_id])).status_code == 403


def test_a_programme_manager_with_an_interest_cannot_see_score_or_decide_the_idea(client, round_):
    allotment = f.ready_canvas(round_, title="Allotment", amount="1200")
    other = f.ready_canvas(round_, title="Bus trip", amount="800")
    officer = f.officer()
    panel = f.panel_with(round_, 1)[0]
    fair = panel.members.get()
    seat = panel_member_add(actor=None, panel=panel, user=officer, kind="officer")
    declaration_make(
        actor=officer, member=seat, conflicts={allotment: "I rent a plot"}, confirmed=True
    )
    score_record(actor=fair.user, member=fair, canvas=allotment, scores=all_scores(round_, 5))
    score_record(actor=fair.user, member=fair, canvas=other, scores=all_scores(round_, 1))

    verdict = can_view_canvas(officer, allotment)
    assert (
        not verdict
        and "conflict of interest" in verdict.reason
        and "I rent a plot" in verdict.reason
    )
    assert can_view_canvas(officer, other)
    assert not can_decide_canvas(officer, allotment) and can_decide_canvas(officer, other)
    client.force_login(officer)
    detail = client.get(reverse("grants:canvas_detail", args=[allotment.public_id]))
    assert detail.status_code == 403 and "A friendly answer" not in detail.content.decode()

    page = client.get(reverse("grants:panel_meeting", args=[panel.public_id])).content.decode()
    row = next(line for line in page.splitlines() if "Allotment" in line)
    assert "You have declared an interest; leave the room" in row
    assert "100.0" not in row
    assert reverse("grants:canvas_decide", args=[allotment.public_id]) not in page
    assert reverse("grants:canvas_decide", args=[other.public_id]) in page

    form = {"outcome": "funded", "amount": "1200", "reasons": "Strong", "feedback": "Well done"}
    decide = reverse("grants:canvas_decide", args=[allotment.public_id])
    assert client.get(decide).status_code == 403
    posted = client.post(decide, form)
    assert posted.status_code == 403 and "conflict of interest" in posted.content.decode()
    with pytest.raises(GrantRefused, match="conflict of interest"):
        decision_make(
            actor=officer,
            canvas=allotment,
            outcome="funded",
            amount=Decimal("1200"),
            reasons="Strong",
            feedback="Well done",
        )
    allotment.refresh_from_db()
    assert allotment.status == CanvasStatus.SUBMITTED and not hasattr(allotment, "decision")

    # Another manager decides; the conflicted one cannot change it either.
    colleague = UserFactory(roles=[Role.ANALYST])
    decision = decision_make(
        actor=colleague,
        canvas=allotment,
        outcome="not_funded",
        amount=Decimal("0"),
        reasons="Weak",
        feedback="Try again",
    )
    with pytest.raises(GrantRefused, match="conflict of interest"):
        decision_change(
            actor=officer,
            decision=decision,
            outcome="funded",
            amount=Decimal("1200"),
            reasons="Strong",
            feedback="Well done",
            change_reason="Second look",
        )
    assert client.post(decide, {**form, "change_reason": "Second look"}).status_code == 403
    decision.refresh_from_db()
    assert decision.outcome == DecisionOutcome.NOT_FUNDED and not decision.changes.exists()


def test_a_programme_manager_who_sponsors_or_wrote_an_idea_does_not_decide_it(round_):
    officer = UserFactory(roles=[Role.ANALYST, Role.SPONSOR])
    sponsored = f.ready_canvas(round_, title="Sponsored")
    their_own = f.ready_canvas(round_, title="Their own", user=officer)
    sponsor_confirm(actor=UserFactory(roles=[Role.ANALYST]), canvas=sponsored, sponsor=officer)
    sponsored.refresh_from_db()
    for canvas in (sponsored, their_own):
        # They still see the idea as its sponsor or author, but never decide it.
        assert can_view_canvas(officer, canvas)
        with pytest.raises(GrantRefused, match="conflict of interest"):
            decision_make(
                actor=officer,
                canvas=canvas,
                outcome="not_funded",
                amount=Decimal("0"),
                reasons="r",
                feedback="f",
            )


def test_decisions_go_out_with_feedback_and_change_only_with_a_recorded_reason(client, round_):
    funded = f.ready_canvas(round_, amount="2000")
    refused = f.ready_canvas(round_, amount="500", title="Bus trip")
    officer = f.officer()
    mail.outbox.clear()
    decision_make(
        actor=officer,
        canvas=funded,
        outcome="funded",
        amount=Decimal("2000"),
        reasons="Strong",
        feedback="Well done",
    )
    decision_make(
        actor=officer,
        canvas=refused,
        outcome="not_funded",
        amount=Decimal("0"),
        reasons="Weak",
        feedback="Talk to your sponsor",
    )
    assert len(mail.outbox) == 2
    assert (
        "Talk to your sponsor" in mail.outbox[1].body
        and refused.created_by.email in mail.outbox[1].to
    )
    refused.refresh_from_db()
    assert refused.status == CanvasStatus.NOT_FUNDED
    with pytest.raises(GrantRefused, match="already has a decision"):
        decision_make(
            actor=officer,
            canvas=refused,
            outcome="funded",
            amount=Decimal("100"),
            reasons="x",
            feedback="y",
        )
    decision = refused.decision
    with pytest.raises(GrantRefused, match="recorded reason"):
        decision_change(
            actor=officer,
            decision=decision,
            outcome="funded",
            amount=Decimal("500"),
            reasons="x",
            feedback="y",
            change_reason=" ",
        )
    decision.refresh_from_db()
    assert decision.outcome == DecisionOutcome.NOT_FUNDED
    client.force_login(officer)
    response = client.post(
        reverse("grants:canvas_decide", args=[refused.public_id]),
        {
            "outcome": "funded",
            "amount": "500",
            "reasons": "Appeal upheld",
            "feedback": "Good news",
            "change_reason": "",
        },
    )
    assert response.status_code == 400 and "recorded reason" in response.content.decode()
    client.post(
        reverse("grants:canvas_decide", args=[refused.public_id]),
        {
            "outcome": "funded",
            "amount": "500",
            "reasons": "Appeal upheld",
            "feedback": "Good news",
            "change_reason": "Missing page found",
        },
    )
    decision.refresh_from_db()
    change = decision.changes.get()
    assert decision.outcome == "funded" and change.reason == "Missing page found"
    assert change.before["outcome"] == "not_funded" and change.after["amount"] == "500.00"


def test_decisions_beyond_the_budget_or_the_largest_award_are_refused():
    round_ = f.open_round(budget="3000", max_award="2500")
    first = f.ready_canvas(round_, amount="2500")
    second = f.ready_canvas(round_, amount="1000")
    officer = f.officer()
    with pytest.raises(GrantRefused, match="largest award"):
        decision_make(
            actor=officer,
            canvas=first,
            outcome="funded",
            amount=Decimal("2600"),
            reasons="r",
            feedback="f",
        )
    decision_make(
        actor=officer,
        canvas=first,
        outcome="funded",
        amount=Decimal("2500"),
        reasons="r",
        feedback="f",
    )
    with pytest.raises(GrantRefused, match="Over budget: £500.00"):
        decision_make(
            actor=officer,
            canvas=second,
            outcome="funded",
            amount=Decimal("1000"),
            reasons="r",
            feedback="f",
        )
    second.refresh_from_db()
    assert second.status == CanvasStatus.SUBMITTED and not hasattr(second, "decision")


def test_the_panel_page_for_many_ideas_uses_a_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    round_ = f.open_round(budget="100000")
    canvases = [f.ready_canvas(round_, title=f"Idea {n}") for n in range(6)]
    panel, members = f.panel_with(round_, 3)
    for member in members:
        for canvas in canvases:
            score_record(
                actor=member.user, member=member, canvas=canvas, scores=all_scores(round_, 2)
            )
    client.force_login(f.officer())
    with django_assert_max_num_queries(16):
        response = client.get(reverse("grants:panel_meeting", args=[panel.public_id]))
    assert response.content.decode().count("Idea ") >= 6


def test_a_calibration_round_shows_each_members_scores_side_by_side_and_who_is_generous(
    client, round_
):
    sample = f.ready_canvas(round_, title="Sample idea")
    other = f.ready_canvas(round_, title="Other idea")
    panel, [strict, generous] = f.panel_with(round_, 2)
    client.force_login(f.officer())
    client.post(
        reverse("grants:panel_calibration", args=[panel.public_id]),
        {"canvas": [str(sample.public_id)]},
    )
    assert list(panel.calibration_canvases.all()) == [sample]
    score_record(actor=strict.user, member=strict, canvas=sample, scores=all_scores(round_, 1))
    score_record(actor=generous.user, member=generous, canvas=sample, scores=all_scores(round_, 3))
    from commonweal.grants.selectors import panel_calibration

    leniency = dict(panel_calibration(panel=panel)["leniency"])
    assert leniency[generous] > 0 > leniency[strict]
    page = client.get(reverse("grants:panel_calibration", args=[panel.public_id])).content.decode()
    assert "Sample idea: Innovation" in page
    client.force_login(strict.user)
    home = client.get(reverse("grants:panel_home", args=[panel.public_id])).content.decode()
    assert (
        home.index("Sample idea") < home.index("Other idea") and "Calibration: score first" in home
    )
    assert other


def test_calibration_takes_at_most_three_ideas_waiting_for_the_panel(round_):
    from commonweal.grants.services.panels import panel_calibration_set

    canvases = [f.ready_canvas(round_, title=f"Idea {n}") for n in range(4)]
    panel, _ = f.panel_with(round_, 1)
    with pytest.raises(GrantRefused, match="at most 3"):
        panel_calibration_set(actor=None, panel=panel, canvases=canvases)
    draft = f.ready_canvas(round_, submit=False)
    with pytest.raises(GrantRefused, match="not an idea waiting"):
        panel_calibration_set(actor=None, panel=panel, canvases=[draft])


def test_a_panellist_declares_another_interest_later_and_the_idea_closes_at_once(client, round_):
    canvas = f.ready_canvas(round_, title="Late discovery")
    panel, [member] = f.panel_with(round_, 1)
    client.force_login(member.user)
    assert (
        client.get(
            reverse("grants:panel_score", args=[panel.public_id, canvas.public_id])
        ).status_code
        == 200
    )
    form = client.get(
        reverse("grants:panel_home", args=[panel.public_id]), {"declare": "again"}
    ).content.decode()
    assert "Declare your interests" in form
    client.post(
        reverse("grants:panel_declare", args=[panel.public_id]),
        {
            "conflict": [str(canvas.public_id)],
            f"nature-{canvas.public_id}": "My neighbour runs it",
            "confirm": "yes",
        },
    )
    assert (
        client.get(
            reverse("grants:panel_score", args=[panel.public_id, canvas.public_id])
        ).status_code
        == 403
    )


def test_the_calibration_page_hides_the_scores_of_an_idea_the_manager_has_an_interest_in(
    client, round_
):
    sample = f.ready_canvas(round_, title="Sample idea")
    fair_one = f.ready_canvas(round_, title="Fair idea")
    panel, [strict, generous] = f.panel_with(round_, 2)
    officer = f.officer()
    seat = panel_member_add(actor=None, panel=panel, user=officer, kind="officer")
    declaration_make(
        actor=officer, member=seat, conflicts={sample: "My sister runs it"}, confirmed=True
    )
    panel.calibration_canvases.set([sample, fair_one])
    for canvas in (sample, fair_one):
        score_record(actor=strict.user, member=strict, canvas=canvas, scores=all_scores(round_, 1))
        score_record(
            actor=generous.user, member=generous, canvas=canvas, scores=all_scores(round_, 4)
        )
    from commonweal.grants.selectors import panel_calibration

    calibration = panel_calibration(panel=panel, reader=officer)
    hidden = [row for row in calibration["rows"] if row.canvas == sample]
    assert len(hidden) == 1 and hidden[0].reader_conflict == "My sister runs it"
    assert all(value is None for value in hidden[0].scores) and hidden[0].spread is None

    client.force_login(officer)
    page = client.get(reverse("grants:panel_calibration", args=[panel.public_id])).content.decode()
    row = next(
        line for line in page.splitlines() if "Sample idea" in line and "govuk-table__row" in line
    )
    assert "You have an interest in this idea (My sister runs it)" in row
    assert "Sample idea: Innovation" not in page and "Fair idea: Innovation" in page

    # A colleague with no interest still sees every score.
    client.force_login(f.officer())
    page = client.get(reverse("grants:panel_calibration", args=[panel.public_id])).content.decode()
    assert "Sample idea: Innovation" in page and "You have an interest" not in page
