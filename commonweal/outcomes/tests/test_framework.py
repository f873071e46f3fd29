from __future__ import annotations

import pytest

from commonweal.outcomes import selectors, services
from commonweal.outcomes.constants import DEFAULT_OUTCOMES

pytestmark = pytest.mark.django_db


def test_the_default_framework_holds_the_seven_outcomes_in_order():
    names = [outcome.name for outcome in selectors.outcome_list()]
    assert names == [name for _, name, _ in DEFAULT_OUTCOMES]
    assert len(names) == 7


def test_ensuring_the_default_twice_keeps_edits_and_adds_no_duplicates():
    outcome = selectors.outcome_list().get(slug="purpose")
    services.outcome_update(
        actor=None, outcome=outcome, name="Purpose and meaning", description="", is_active=True
    )
    services.outcome_framework_ensure_default()
    services.outcome_framework_ensure_default()
    assert selectors.outcome_list().count() == 7
    assert selectors.outcome_list().get(slug="purpose").name == "Purpose and meaning"


def test_a_retired_outcome_is_no_longer_offered_to_other_modules():
    outcome = selectors.outcome_list().get(slug="being-active")
    services.outcome_update(
        actor=None, outcome=outcome, name=outcome.name, description="", is_active=False
    )
    assert "being-active" not in dict(selectors.outcome_choices())


def test_outcomes_api_lists_the_framework(client):
    response = client.get("/api/outcomes/")
    assert response.status_code == 200
    assert [item["slug"] for item in response.json()][:2] == [
        "opportunities-to-learn",
        "autonomy-and-control",
    ]
