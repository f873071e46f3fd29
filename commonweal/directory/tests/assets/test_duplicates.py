"""The duplicate detector: blocking, scoring, the command, merging and dismissing, and the page."""

from __future__ import annotations

import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse

from commonweal.core.models import AuditEntry
from commonweal.directory.constants import AssetsAuditKind, DuplicateStatus, Publication
from commonweal.directory.duplicates import (
    DuplicateDecisionError,
    candidate_pairs,
    duplicate_candidates_refresh,
    duplicate_dismiss,
    duplicate_merge,
    duplicates_find,
    name_similarity,
    name_tokens,
    phone_digits,
    service_facts,
    url_key,
)
from commonweal.directory.models import (
    Attribute,
    DuplicateCandidate,
    Location,
    Organization,
    Phone,
    Service,
    ServiceAtLocation,
)
from commonweal.directory.tests.factories import (
    LocationFactory,
    OrganizationFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    TaxonomyTermFactory,
    attribute_add,
)

pytestmark = pytest.mark.django_db

FEED_A = "https://feeds.example.org/cvs/oruk"
FEED_B = "council-family-information.json"


def listing(name, *, source="", source_id="", postcode="", phone="", org=None, **fields):
    service = ServiceFactory(
        name=name,
        source=source,
        source_id=source_id or (f"{name}-id" if source else ""),
        organization=org or OrganizationFactory(name=f"Organisation of {name}"),
        url=fields.pop("url", ""),
        email=fields.pop("email", ""),
        **fields,
    )
    if postcode:
        ServiceAtLocationFactory(
            service=service, location=LocationFactory(name=f"Venue of {name}", postcode=postcode)
        )
    if phone:
        Phone.objects.create(service=service, number=phone)
    return service


@pytest.fixture
def planted(db):
    """Two pairs of duplicates and several look-alikes that are different services."""
    knit_feed = listing("Aveley Knit and Natter", source=FEED_A, postcode="RM154AA")
    knit_typed = listing("Aveley knit & natter group", postcode="RM154AA")
    lunch_a = listing("St Mary's Lunch Club", source=FEED_A, phone="01375 222333")
    lunch_b = listing("St Marys lunch club", source=FEED_B, phone="+44 (0)1375 222333")
    # Different services that share a venue.
    walkers = listing("Belhus Park Walkers", source=FEED_A, postcode="RM156BB")
    shed = listing("Belhus Men's Shed", postcode="RM156BB")
    # Two sessions of one activity: numbers tell them apart.
    play_1 = listing("Stay and play 1", source=FEED_A, postcode="RM176SL")
    play_2 = listing("Stay and play 2", source=FEED_B, postcode="RM176SL")
    # The same source lists them separately, so they are different.
    choir_1 = listing("Grays Community Choir", source=FEED_B, postcode="RM170AA", source_id="c1")
    choir_2 = listing("Grays Community Choir", source=FEED_B, postcode="RM170AA", source_id="c2")
    return {
        "knit": (knit_feed, knit_typed),
        "lunch": (lunch_a, lunch_b),
        "different": [(walkers, shed), (play_1, play_2), (choir_1, choir_2)],
    }


def pair_of(a, b):
    return tuple(sorted((a.pk, b.pk)))


def test_normalising():
    assert name_tokens("St Mary’s Lunch-Club & Café") == ["st", "marys", "lunch", "club", "cafe"]
    assert name_tokens("The Aveley Knit & Natter Group") == ["aveley", "knit", "natter"]
    assert phone_digits("+44 (0)1375 222333") == "01375222333"
    assert phone_digits("01375 222333") == "01375222333"
    assert phone_digits("01375 222333 ext 204") == "01375222333"
    assert phone_digits("999") == ""
    assert url_key("https://www.Example.org/groups/knit/") == "example.org/groups/knit"
    assert url_key("example.org") == "example.org"
    assert url_key("") == ""


def test_name_similarity():
    same = name_similarity(
        name_tokens("Aveley Knit and Natter"), name_tokens("aveley knit & natter group")
    )
    assert same == 1.0
    different = name_similarity(
        name_tokens("Belhus Park Walkers"), name_tokens("Belhus Men's Shed")
    )
    assert different < 0.6
    numbered = name_similarity(name_tokens("Stay and play 1"), name_tokens("Stay and play 2"))
    assert numbered < 0.7


def test_finds_the_planted_duplicates_and_only_them(planted):
    found = {(pair.service_a, pair.service_b): pair for pair in duplicates_find()}
    knit, lunch = pair_of(*planted["knit"]), pair_of(*planted["lunch"])
    assert set(found) == {knit, lunch}
    assert "Same venue postcode: RM15 4AA" in found[knit].reasons
    assert "Same phone number" in found[lunch].reasons
    assert found[knit].reasons[0].startswith("Names 100% alike")


def test_withdrawn_listings_are_not_compared(planted):
    knit_feed, _ = planted["knit"]
    Service.objects.filter(pk=knit_feed.pk).update(publication=Publication.WITHDRAWN)
    pairs = {(p.service_a, p.service_b) for p in duplicates_find()}
    assert pair_of(*planted["knit"]) not in pairs


def test_blocking_keeps_thousands_of_listings_from_being_compared_pairwise(db):
    """3,000 listings with common name words and their own venues: only a handful of pairs are
    compared, and the one planted duplicate (sharing a postcode) is found."""
    firsts = ["Community", "Family", "Youth", "Senior", "Neighbourhood", "Garden", "Craft", "Music"]
    seconds = ["cafe", "club", "circle", "session", "meet-up", "hub", "support", "network"]
    organization = Organization.objects.create(name="National Example Trust", description="x")
    services = Service.objects.bulk_create(
        Service(
            organization=organization,
            name=f"{firsts[n % 8]} {seconds[(n // 8) % 8]} {n}",
            publication=Publication.PUBLISHED,
            source=FEED_A if n % 2 else FEED_B,
            source_id=str(n),
        )
        for n in range(3000)
    )
    locations = Location.objects.bulk_create(
        Location(name=f"Venue {n}", postcode=f"Z{n:04d}AA") for n in range(3000)
    )
    ServiceAtLocation.objects.bulk_create(
        ServiceAtLocation(service=service, location=location)
        for service, location in zip(services, locations, strict=True)
    )
    twin = listing(services[1234].name, postcode=locations[1234].postcode)

    started = time.monotonic()
    facts = service_facts()
    pairs = list(candidate_pairs(facts))
    found = duplicates_find(facts=facts)
    elapsed = time.monotonic() - started

    assert len(facts) == 3001
    assert len(pairs) < 3000  # against 4.5 million pairs without blocking
    assert [(p.service_a, p.service_b) for p in found] == [(services[1234].pk, twin.pk)]
    assert elapsed < 20


def test_the_command_is_idempotent_and_dismissals_stick(planted, capsys):
    call_command("directory_find_duplicates")
    assert DuplicateCandidate.objects.filter(status=DuplicateStatus.OPEN).count() == 2
    call_command("directory_find_duplicates")
    assert DuplicateCandidate.objects.count() == 2
    assert "0 new" in capsys.readouterr().out

    knit = DuplicateCandidate.objects.get(service_a__name="Aveley Knit and Natter")
    duplicate_dismiss(actor=None, candidate=knit)
    call_command("directory_find_duplicates")
    knit.refresh_from_db()
    assert knit.status == DuplicateStatus.DISMISSED
    assert DuplicateCandidate.objects.count() == 2
    assert AuditEntry.objects.filter(kind=AssetsAuditKind.DUPLICATES_DISMISSED).count() == 1


def test_a_lower_threshold_finds_more_and_pairs_that_drift_apart_are_closed(planted):
    assert duplicate_candidates_refresh(threshold=0.4).found > 2
    result = duplicate_candidates_refresh()
    assert result.found == 2
    assert result.closed > 0
    assert DuplicateCandidate.objects.count() == 2


def test_command_rejects_a_nonsense_threshold(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("directory_find_duplicates", "--threshold", "3")


def test_merge_moves_what_the_kept_listing_lacks_and_withdraws_the_other(planted, moderator):
    knit_feed, knit_typed = planted["knit"]
    # The feed's listing has a second venue, a category, a phone number and a description.
    extra_venue = LocationFactory(name="Aveley library", postcode="RM154XX")
    ServiceAtLocationFactory(service=knit_feed, location=extra_venue)
    term = TaxonomyTermFactory(name="Crafts")
    attribute_add(knit_feed, term)
    Phone.objects.create(service=knit_feed, number="01708 555000")
    Service.objects.filter(pk=knit_feed.pk).update(description="Bring your needles.")
    Service.objects.filter(pk=knit_typed.pk).update(description="")
    knit_typed.refresh_from_db()
    knit_feed.refresh_from_db()
    duplicate_candidates_refresh()
    candidate = DuplicateCandidate.objects.get(
        status=DuplicateStatus.OPEN, service_a__in=[knit_feed, knit_typed]
    )

    duplicate_merge(actor=moderator, candidate=candidate, keep=knit_typed)

    knit_typed.refresh_from_db()
    knit_feed.refresh_from_db()
    candidate.refresh_from_db()
    venues = set(knit_typed.service_at_locations.values_list("location__name", flat=True))
    # The feed's own record of the shared hall (same postcode) is not added a second time.
    assert venues == {"Venue of Aveley knit & natter group", "Aveley library"}
    assert Attribute.objects.filter(
        link_content_type=ContentType.objects.get_for_model(Service),
        link_object_id=knit_typed.pk,
        taxonomy_term=term,
    ).exists()
    assert list(knit_typed.phones.values_list("number", flat=True)) == ["01708 555000"]
    assert knit_typed.description == "Bring your needles."
    # The kept listing had no source, so it takes over the feed's: re-importing updates it.
    assert (knit_typed.source, knit_typed.source_id) == (FEED_A, "Aveley Knit and Natter-id")
    assert knit_feed.source_id == ""
    assert knit_feed.publication == Publication.WITHDRAWN
    assert candidate.status == DuplicateStatus.MERGED
    assert candidate.kept == knit_typed and candidate.decided_by == moderator
    entry = AuditEntry.objects.get(kind=AssetsAuditKind.DUPLICATES_MERGED)
    assert entry.actor == moderator
    assert entry.before["withdrawn_provenance"]["source"] == FEED_A

    # Decided once: neither a second merge nor a re-run reopens it.
    with pytest.raises(DuplicateDecisionError):
        duplicate_merge(actor=moderator, candidate=candidate, keep=knit_feed)
    duplicate_candidates_refresh()
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.MERGED
    assert not DuplicateCandidate.objects.filter(
        status=DuplicateStatus.OPEN, service_a=knit_feed
    ).exists()


def test_merge_keeps_the_kept_listings_own_source(planted, moderator):
    lunch_a, lunch_b = planted["lunch"]
    duplicate_candidates_refresh()
    candidate = DuplicateCandidate.objects.get(service_a=min(lunch_a, lunch_b, key=lambda s: s.pk))
    duplicate_merge(actor=moderator, candidate=candidate, keep=lunch_b)
    lunch_a.refresh_from_db()
    lunch_b.refresh_from_db()
    assert lunch_b.source == FEED_B and lunch_a.source == FEED_A
    assert lunch_a.publication == Publication.WITHDRAWN
    # The same number written differently is not added twice.
    assert lunch_b.phones.count() == 1


def test_cannot_keep_a_listing_that_is_not_in_the_pair(planted, moderator):
    duplicate_candidates_refresh()
    candidate = DuplicateCandidate.objects.first()
    stranger = ServiceFactory()
    with pytest.raises(DuplicateDecisionError):
        duplicate_merge(actor=moderator, candidate=candidate, keep=stranger)
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.OPEN


# --- the moderators' page ----------------------------------------------------------------------


def test_duplicates_page_is_for_moderators(client, planted, group_rep):
    url = reverse("directory:duplicates")
    assert client.get(url).status_code == 302
    client.force_login(group_rep)
    assert client.get(url).status_code == 403
    duplicate_candidates_refresh()
    candidate = DuplicateCandidate.objects.first()
    response = client.post(
        reverse("directory:duplicate_decide", args=[candidate.public_id]), {"action": "dismiss"}
    )
    assert response.status_code == 403
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.OPEN


def test_moderator_sees_pairs_side_by_side_and_decides(
    client, planted, moderator, django_assert_max_num_queries
):
    duplicate_candidates_refresh()
    client.force_login(moderator)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("directory:duplicates"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Aveley knit &amp; natter group" in content
    assert FEED_A in content and "Typed into Commonweal" in content
    assert "01375 222333" in content and "+44 (0)1375 222333" in content
    assert content.count("Merge into this one") == 4

    knit_feed, knit_typed = planted["knit"]
    knit = DuplicateCandidate.objects.get(service_a=min(knit_feed, knit_typed, key=lambda s: s.pk))
    response = client.post(
        reverse("directory:duplicate_decide", args=[knit.public_id]),
        {"action": "merge", "keep": str(knit_feed.public_id)},
    )
    assert response.status_code == 302
    knit_typed.refresh_from_db()
    assert knit_typed.publication == Publication.WITHDRAWN

    lunch = DuplicateCandidate.objects.get(status=DuplicateStatus.OPEN)
    client.post(
        reverse("directory:duplicate_decide", args=[lunch.public_id]), {"action": "dismiss"}
    )
    lunch.refresh_from_db()
    assert lunch.status == DuplicateStatus.DISMISSED and lunch.decided_by == moderator

    # Deciding again, or with nonsense, changes nothing and fails gently.
    again = client.post(
        reverse("directory:duplicate_decide", args=[lunch.public_id]),
        {"action": "merge"},
        follow=True,
    )
    assert again.status_code == 200
    assert b"already decided" in again.content
    assert b"no possible duplicates waiting" in again.content
