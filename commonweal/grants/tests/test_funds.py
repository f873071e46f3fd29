"""Funds and rounds: programme managers set them up; bad set-ups are refused with a reason."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.tests.factories import UserFactory
from commonweal.geo.tests.factories import AreaFactory
from commonweal.grants.constants import CriterionKind, MatchRule
from commonweal.grants.exceptions import GrantRefused
from commonweal.grants.models import Fund, Round
from commonweal.grants.services.funds import criterion_save, round_create
from commonweal.grants.services.panels import score_record
from commonweal.grants.tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_round_gets_the_outcomes_and_three_criteria_as_its_rubric_and_the_default_questions():
    round_ = f.open_round()
    criteria = list(round_.criteria.all())
    outcome_lines = [c for c in criteria if c.kind == CriterionKind.OUTCOME]
    other = [c.name for c in criteria if c.kind == CriterionKind.CRITERION]
    assert [c.outcome for c in outcome_lines] == list(round_.outcomes.all())
    assert all(c.scale_max == 3 and c.descriptor_for(3) for c in outcome_lines)
    assert other == ["Innovation", "Community involvement", "Sustainability"]
    assert round_.canvas_fields.filter(required=True).count() == 4


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"closes_in": -20}, "close after it opens"),
        ({"max_award": "20000"}, "largest award"),
        ({"match_rule": MatchRule.VOLUNTEER_HOURS}, "hourly rate"),
    ],
)
def test_bad_round_set_ups_are_refused_and_nothing_is_saved(change, reason):
    fund = f.fund()
    now = timezone.now()
    with pytest.raises(GrantRefused, match=reason):
        round_create(
            actor=None,
            fund=fund,
            name="R",
            slug="r",
            opens_at=now,
            closes_at=now + datetime.timedelta(days=change.get("closes_in", 10)),
            budget=Decimal("10000"),
            max_award=Decimal(change.get("max_award", "500")),
            match_rule=change.get("match_rule", MatchRule.NONE),
        )
    assert not Round.objects.exists()


def test_the_rubric_is_fixed_once_scoring_has_started():
    round_ = f.open_round()
    canvas = f.ready_canvas(round_)
    _panel, [member] = f.panel_with(round_, 1)
    criterion = round_.criteria.first()
    score_record(actor=member.user, member=member, canvas=canvas, scores={criterion.pk: (2, "")})
    with pytest.raises(GrantRefused, match="rubric is fixed"):
        criterion_save(
            actor=None,
            round_=round_,
            name="New",
            kind="criterion",
            weight=Decimal("1"),
            scale_max=5,
            descriptors={},
        )


def test_an_officer_sets_up_a_fund_a_round_criteria_questions_and_a_panel_through_the_pages(client):
    officer = f.officer()
    ward = AreaFactory(name="Tilbury Riverside")
    client.force_login(officer)
    response = client.post(
        reverse("grants:fund_new"),
        {
            "name": "Small Sparks",
            "slug": "small-sparks",
            "kind": "small_sparks",
            "publisher_prefix": "360G-demo",
        },
    )
    fund = Fund.objects.get(slug="small-sparks")
    assert response.url == reverse("grants:round_new", args=[fund.public_id])
    response = client.post(
        reverse("grants:round_new", args=[fund.public_id]),
        {
            "name": "Spring",
            "slug": "spring",
            "opens_at": "2026-03-01T09:00",
            "closes_at": "2026-04-01T17:00",
            "budget": "5000",
            "max_award": "250",
            "match_rule": "volunteer_hours",
            "hourly_rate": "12.60",
            "disagreement_threshold": "2",
            "wards": [str(ward.pk)],
        },
    )
    round_ = fund.rounds.get()
    assert response.url == reverse("grants:round_setup", args=[round_.public_id])
    assert round_.hourly_rate == Decimal("12.60") and list(round_.wards.all()) == [ward]
    client.post(
        reverse("grants:criterion_add", args=[round_.public_id]),
        {
            "name": "Reach",
            "kind": "criterion",
            "weight": "1.5",
            "scale_max": "4",
            "descriptors": "0 = none\n4 = the whole estate",
        },
    )
    assert round_.criteria.get(name="Reach").descriptors == {"0": "none", "4": "the whole estate"}
    client.post(
        reverse("grants:field_add", args=[round_.public_id]),
        {
            "key": "photos",
            "label": "Anything to show us?",
            "kind": "short_text",
            "max_length": "200",
        },
    )
    assert round_.canvas_fields.filter(key="photos", required=False).exists()
    response = client.post(
        reverse("grants:panel_add", args=[round_.public_id]), {"name": "Sparks panel"}
    )
    assert round_.panels.get().name == "Sparks panel"
    page = client.get(reverse("grants:round_setup", args=[round_.public_id])).content.decode()
    assert "Reach" in page and "Anything to show us?" in page and "Sparks panel" in page


def test_an_officer_page_explains_a_refusal_and_keeps_the_round_unchanged(client):
    round_ = f.open_round()
    client.force_login(f.officer())
    response = client.post(
        reverse("grants:round_edit", args=[round_.public_id]),
        {
            "name": "Changed",
            "slug": round_.slug,
            "opens_at": "2026-03-01T09:00",
            "closes_at": "2026-04-01T17:00",
            "budget": "100",
            "max_award": "250",
            "match_rule": "none",
            "disagreement_threshold": "2",
        },
    )
    assert response.status_code == 400
    assert "largest award cannot be more" in response.content.decode()
    round_.refresh_from_db()
    assert round_.name != "Changed"


def test_people_who_do_not_run_funds_cannot_reach_the_officer_pages(client):
    client.force_login(UserFactory())
    response = client.get(reverse("grants:officer_home"))
    assert response.status_code == 403
    assert (
        "programme manager" in response.content.decode().lower()
        or "role" in response.content.decode()
    )
