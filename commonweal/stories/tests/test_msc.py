"""Most Significant Change: a round over a period, a story per domain with the panel's reasons, and
feedback on the chosen stories' pages."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.constants import Role
from commonweal.accounts.tests.factories import UserFactory
from commonweal.outcomes.selectors import outcome_list
from commonweal.stories import msc, services
from commonweal.stories.models import MscSelection, Story
from commonweal.stories.tests.factories import published_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def msc_round():
    today = timezone.localdate()
    belonging = outcome_list().first()
    return msc.msc_round_create(
        actor=None,
        title="Autumn round",
        period_start=today - datetime.timedelta(days=30),
        period_end=today,
        panel="The Tilbury ward panel",
        outcomes=[belonging],
    )


def test_a_round_has_the_chosen_domains_and_any_other_change(msc_round):
    names = [domain.name for domain in msc_round.domains.all()]
    assert names == [outcome_list().first().name, msc.OTHER_CHANGE]


def test_candidates_are_the_periods_stories_in_the_domain(msc_round):
    belonging, other = msc_round.domains.all()
    inside = published_story(title="In the domain")
    inside.outcomes.add(belonging.outcome)
    elsewhere = published_story(title="Another outcome")
    old = published_story(title="Too old")
    old.outcomes.add(belonging.outcome)
    Story.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=90))
    gone = services.story_withdraw(story=published_story(title="Withdrawn"))
    gone.outcomes.add(belonging.outcome)
    assert list(msc.msc_candidates(domain=belonging)) == [inside]
    assert set(msc.msc_candidates(domain=other)) == {inside, elsewhere}


def test_a_panel_chooses_with_reasons_and_the_feedback_reaches_the_story_page(client, msc_round):
    _, other = msc_round.domains.all()
    story = published_story(title="The repair café")
    panel_member = UserFactory(roles=[Role.PANEL_MEMBER])
    client.force_login(panel_member)
    url = reverse("stories:msc_round", args=[msc_round.public_id])
    assert story.title in client.get(url).content.decode()
    no_reason = client.post(url, {"domain": other.pk, "story": str(story.public_id), "reasons": ""})
    assert no_reason.status_code == 400 and "Say why" in no_reason.content.decode()
    client.post(
        url,
        {
            "domain": other.pk,
            "story": str(story.public_id),
            "reasons": "He went from alone to teaching others",
        },
    )
    selection = MscSelection.objects.get()
    assert selection.story == story and selection.selected_by == panel_member
    story_page = reverse("stories:story", args=[story.public_id])
    assert "He went from alone" not in client.get(story_page).content.decode()
    # Only moderators publish the feedback.
    assert client.post(url, {"action": "feedback"}).status_code == 404
    client.force_login(UserFactory(roles=[Role.MODERATOR]))
    client.post(url, {"action": "feedback"})
    page = client.get(story_page).content.decode()
    assert "He went from alone to teaching others" in page and "The Tilbury ward panel" in page


def test_a_story_outside_the_domain_cannot_be_chosen(msc_round):
    belonging, _ = msc_round.domains.all()
    with pytest.raises(msc.MscError):
        msc.msc_select(actor=None, domain=belonging, story=published_story(), reasons="Because")


def test_moderators_start_rounds_and_volunteers_cannot_see_them(client):
    client.force_login(UserFactory(roles=[Role.VOLUNTEER]))
    assert client.get(reverse("stories:msc_rounds")).status_code == 403
    client.force_login(UserFactory(roles=[Role.MODERATOR]))
    response = client.post(
        reverse("stories:msc_rounds"),
        {
            "title": "Spring",
            "period_start": "01/03/2026",
            "period_end": "31/05/2026",
            "panel": "Programme board",
            "outcomes": [outcome_list().first().slug],
        },
    )
    assert response.status_code == 302
    bad = client.post(
        reverse("stories:msc_rounds"),
        {
            "title": "Back to front",
            "period_start": "01/06/2026",
            "period_end": "01/03/2026",
            "panel": "Board",
        },
    )
    assert bad.status_code == 400 and "must end on or after its start" in bad.content.decode()


def test_panels_page_through_every_candidate_and_can_read_each_story_whole(client, msc_round):
    from commonweal.stories.constants import StoryState
    from commonweal.stories.tests.factories import StoryFactory
    from commonweal.stories.views.msc import CANDIDATES_PER_PAGE

    _, other = msc_round.domains.all()
    long_text = " ".join(f"word{n}" for n in range(60)) + " and the very end of it."
    stories = [
        StoryFactory(title=f"Candidate {n:02d}", state=StoryState.INTERNAL)
        for n in range(CANDIDATES_PER_PAGE + 5)
    ]
    newest = stories[-1]
    Story.objects.filter(pk=newest.pk).update(text=long_text)
    client.force_login(UserFactory(roles=[Role.PANEL_MEMBER]))
    url = reverse("stories:msc_round", args=[msc_round.public_id])
    first = client.get(url)
    item = next(d for d in first.context["domains"] if d["domain"] == other)
    assert len(item["candidates"]) == CANDIDATES_PER_PAGE
    assert item["page"].paginator.count == len(stories)
    page = first.content.decode()
    assert f"{len(stories)} stories" in page and "Candidate 00" in page
    assert "Candidate 54" not in page and f"domain-{other.pk}-page=2" in page

    second = client.get(url, {f"domain-{other.pk}-page": "2"})
    item = next(d for d in second.context["domains"] if d["domain"] == other)
    assert [story.title for story in item["candidates"]] == [
        f"Candidate {n:02d}" for n in range(CANDIDATES_PER_PAGE, len(stories))
    ]
    page = second.content.decode()
    # Past the first 30 words, the whole story is one click away.
    assert "Read the whole story" in page and "the very end of it." in page
    chosen = client.post(
        f"{url}?domain-{other.pk}-page=2",
        {"domain": other.pk, "story": str(newest.public_id), "reasons": "The clearest change"},
    )
    assert chosen.status_code == 302
    assert MscSelection.objects.get(domain=other).story == newest


def test_a_teller_whose_story_is_kept_internal_hears_back_through_the_private_link(
    client, msc_round
):
    from commonweal.stories.constants import StoryState
    from commonweal.stories.tests.factories import StoryFactory

    _, other = msc_round.domains.all()
    story = StoryFactory(title="The tenants' meeting", state=StoryState.INTERNAL)
    panel_member = UserFactory(roles=[Role.PANEL_MEMBER])
    msc.msc_select(
        actor=panel_member, domain=other, story=story, reasons="People found their voice"
    )
    link = reverse("stories:withdraw", args=[services.story_withdraw_token(story)])
    page = client.get(link).content.decode()
    assert "People found their voice" not in page  # not until the feedback is published
    msc.msc_feedback_publish(actor=None, msc_round=msc_round)
    page = client.get(link).content.decode()
    assert "People found their voice" in page and "The Tilbury ward panel" in page
    assert "Take my story down" in page
    services.story_withdraw(story=story)
    assert "People found their voice" not in client.get(link).content.decode()
