"""The duplicate detector: listings that look like the same service, usually from different sources.

Comparing every pair of services would take hours at national scale, so candidates are first put into
cheap *blocks*: services that share a venue postcode, a phone number, an email address, a web address,
or a rare word of their name. Only services in the same block are compared, and blocks larger than
``MAX_BLOCK`` (a council switchboard shared by hundreds of listings, say) are skipped: such a shared
detail says nothing about whether two listings are the same. Two records from the same import source
are never compared: the source itself holds them as different services.

Each pair is scored from the likeness of the names (difflib and a token-set ratio) plus what else the
two share; pairs scoring at least the threshold are kept, with the reasons, as ``DuplicateCandidate``
rows for a moderator to merge (keep one) or dismiss (not duplicates). Decisions are never reopened.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import combinations
from typing import Any
from urllib.parse import urlsplit

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from commonweal.core.audit import audit_record
from commonweal.directory import services as directory_services
from commonweal.directory.constants import AssetsAuditKind, DuplicateStatus, Publication
from commonweal.directory.models import (
    Attribute,
    Contact,
    DuplicateCandidate,
    Phone,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from commonweal.geo.postcodes import postcode_display

DEFAULT_THRESHOLD = 0.65
NAME_FLOOR = 0.5  # below this, names are too different for anything else to matter
MAX_BLOCK = 30  # a detail shared by more services than this is not evidence of a duplicate
RARE_TOKEN_MAX = 8  # a name word is "rare" when at most this many services use it
NAME_WEIGHT = 0.6
EVIDENCE_WEIGHTS = {
    "organisation": 0.15,
    "postcode": 0.15,
    "phone": 0.15,
    "email": 0.15,
    "url": 0.1,
}
STOP_WORDS = frozenset(
    {"the", "and", "of", "a", "an", "at", "in", "for", "on", "to", "ltd", "limited", "cic", "group"}
)


class DuplicateDecisionError(Exception):
    """The pair cannot be decided as asked (already decided, or the kept listing is not one of it)."""


# --- normalising -------------------------------------------------------------------------------


def name_tokens(name: str) -> list[str]:
    """Lower-case words without accents, punctuation or filler ("the", "and"...); "&" reads "and"."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    text = text.replace("&", " and ").replace("'", "").replace("\u2019", "")
    return [word for word in re.split(r"[^a-z0-9]+", text) if word and word not in STOP_WORDS]


def phone_digits(number: str) -> str:
    """The national digits of a UK number ("+44 (0)1375 123456" -> "01375123456"), without any
    extension ("01375 123456 ext 204" is the same line); "" if too short."""
    digits = re.sub(r"\D", "", re.split(r"(?i)\s*(?:ext|x|#)", number, maxsplit=1)[0])
    if digits.startswith("44"):
        digits = "0" + digits[2:].removeprefix("0")
    return digits if len(digits) >= 9 else ""


def url_key(url: str) -> str:
    """Host (without www.) and path, lower case, without scheme, query or trailing slash."""
    if not url:
        return ""
    parts = urlsplit(url.strip().lower() if "//" in url else "//" + url.strip().lower())
    host = (parts.hostname or "").removeprefix("www.")
    if not host:
        return ""
    return host + parts.path.rstrip("/")


def postcode_key(postcode: str) -> str:
    return re.sub(r"\s", "", postcode).upper()


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def token_set_ratio(a: list[str], b: list[str]) -> float:
    """Likeness of two word lists ignoring order and repeats: the common words compared with each
    side's whole, so "knit and natter" matches "Aveley knit and natter" closely."""
    set_a, set_b = set(a), set(b)
    common = " ".join(sorted(set_a & set_b))
    whole_a = " ".join(filter(None, [common, " ".join(sorted(set_a - set_b))]))
    whole_b = " ".join(filter(None, [common, " ".join(sorted(set_b - set_a))]))
    if not common:
        return _ratio(whole_a, whole_b)
    return max(_ratio(common, whole_a), _ratio(common, whole_b), _ratio(whole_a, whole_b))


def name_similarity(a: list[str], b: list[str]) -> float:
    """From 0 to 1: the mean of the plain and the token-set likeness. Different numbers in the names
    ("Stay and play 1" and "Stay and play 2") cut it, as they usually name different sessions."""
    if not a or not b:
        return 0.0
    similarity = (_ratio(" ".join(a), " ".join(b)) + token_set_ratio(a, b)) / 2
    numbers_a = {word for word in a if word.isdigit()}
    numbers_b = {word for word in b if word.isdigit()}
    if numbers_a != numbers_b:
        similarity *= 0.7
    return similarity


# --- what we know of each service --------------------------------------------------------------


@dataclass
class ServiceFacts:
    pk: int
    name: str
    tokens: list[str]
    organisation: str
    source: str
    postcodes: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    urls: set[str] = field(default_factory=set)


def _candidates_queryset() -> QuerySet[Service]:
    """Listings that can still be duplicates: drafts and published ones, not withdrawn ones."""
    return Service.objects.exclude(publication=Publication.WITHDRAWN)


def service_facts(services: QuerySet[Service] | None = None) -> dict[int, ServiceFacts]:
    """Names, organisations, sources, venue postcodes, phones, emails and web addresses, in six queries."""
    services = _candidates_queryset() if services is None else services
    facts: dict[int, ServiceFacts] = {}
    rows = services.values_list("pk", "name", "organization__name", "source", "email", "url")
    for pk, name, organisation, source, email, url in rows:
        item = ServiceFacts(
            pk=pk,
            name=name,
            tokens=name_tokens(name),
            organisation=" ".join(name_tokens(organisation or "")),
            source=source,
        )
        item.emails |= {email.strip().lower()} - {""}
        item.urls |= {url_key(url)} - {""}
        facts[pk] = item
    ids = services.values("pk")
    for service_id, postcode in ServiceAtLocation.objects.filter(service_id__in=ids).values_list(
        "service_id", "location__postcode"
    ):
        if postcode and service_id in facts:
            facts[service_id].postcodes.add(postcode_key(postcode))
    for service_id, postcode in ServiceAtLocation.objects.filter(
        service_id__in=ids, location__addresses__postal_code__gt=""
    ).values_list("service_id", "location__addresses__postal_code"):
        if postcode and service_id in facts:
            facts[service_id].postcodes.add(postcode_key(postcode))
    for service_id, contact_service_id, number in Phone.objects.filter(
        Q(service_id__in=ids) | Q(contact__service_id__in=ids)
    ).values_list("service_id", "contact__service_id", "number"):
        owner = service_id or contact_service_id
        digits = phone_digits(number)
        if digits and owner in facts:
            facts[owner].phones.add(digits)
    for service_id, email in Contact.objects.filter(service_id__in=ids).values_list(
        "service_id", "email"
    ):
        if email and service_id in facts:
            facts[service_id].emails.add(email.strip().lower())
    return facts


# --- blocking and scoring ----------------------------------------------------------------------


def candidate_pairs(facts: dict[int, ServiceFacts]) -> Iterator[tuple[int, int]]:
    """Each pair of services sharing at least one blocking key, once, smaller key first."""
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    token_counts: dict[str, int] = defaultdict(int)
    for item in facts.values():
        for token in set(item.tokens):
            token_counts[token] += 1
    for item in facts.values():
        keys = {("postcode", value) for value in item.postcodes}
        keys |= {("phone", value) for value in item.phones}
        keys |= {("email", value) for value in item.emails}
        keys |= {("url", value) for value in item.urls}
        keys |= {
            ("word", token)
            for token in item.tokens
            if len(token) >= 3 and not token.isdigit() and token_counts[token] <= RARE_TOKEN_MAX
        }
        for key in keys:
            blocks[key].append(item.pk)
    seen: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) < 2 or len(members) > MAX_BLOCK:
            continue
        for a, b in combinations(sorted(members), 2):
            if (a, b) not in seen:
                seen.add((a, b))
                yield a, b


def pair_score(a: ServiceFacts, b: ServiceFacts) -> tuple[float, list[str]] | None:
    """The pair's score (0 to 1) and the reasons, or None when they cannot be duplicates."""
    if a.source and a.source == b.source:
        return None
    similarity = name_similarity(a.tokens, b.tokens)
    if similarity < NAME_FLOOR:
        return None
    score = NAME_WEIGHT * similarity
    reasons = [f"Names {round(similarity * 100)}% alike"]
    if a.organisation and a.organisation == b.organisation:
        score += EVIDENCE_WEIGHTS["organisation"]
        reasons.append("Same organisation name")
    shared_postcodes = sorted(a.postcodes & b.postcodes)
    if shared_postcodes:
        score += EVIDENCE_WEIGHTS["postcode"]
        reasons.append(
            "Same venue postcode: " + ", ".join(postcode_display(p) for p in shared_postcodes)
        )
    if a.phones & b.phones:
        score += EVIDENCE_WEIGHTS["phone"]
        reasons.append("Same phone number")
    if a.emails & b.emails:
        score += EVIDENCE_WEIGHTS["email"]
        reasons.append("Same email address")
    if a.urls & b.urls:
        score += EVIDENCE_WEIGHTS["url"]
        reasons.append("Same web address")
    return min(1.0, round(score, 3)), reasons


@dataclass(frozen=True)
class FoundPair:
    service_a: int
    service_b: int
    score: float
    reasons: list[str]


def duplicates_find(
    *, threshold: float = DEFAULT_THRESHOLD, facts: dict[int, ServiceFacts] | None = None
) -> list[FoundPair]:
    """Pairs of listings scoring at least ``threshold``, best first."""
    facts = service_facts() if facts is None else facts
    found = []
    for a, b in candidate_pairs(facts):
        scored = pair_score(facts[a], facts[b])
        if scored is not None and scored[0] >= threshold:
            found.append(FoundPair(a, b, *scored))
    found.sort(key=lambda pair: (-pair.score, pair.service_a, pair.service_b))
    return found


@dataclass(frozen=True)
class RefreshResult:
    found: int
    created: int
    updated: int
    closed: int  # open pairs that no longer look alike (or one of them was withdrawn)
    already_decided: int


@transaction.atomic
def duplicate_candidates_refresh(*, threshold: float = DEFAULT_THRESHOLD) -> RefreshResult:
    """Record the pairs found now. Open pairs are updated or, if no longer found, removed; merged and
    dismissed pairs are left exactly as the moderator decided."""
    found = duplicates_find(threshold=threshold)
    existing = {
        (candidate.service_a_id, candidate.service_b_id): candidate
        for candidate in DuplicateCandidate.objects.all()
    }
    created: list[DuplicateCandidate] = []
    updated = decided = 0
    for pair in found:
        candidate = existing.get((pair.service_a, pair.service_b))
        if candidate is None:
            created.append(
                DuplicateCandidate(
                    service_a_id=pair.service_a,
                    service_b_id=pair.service_b,
                    score=pair.score,
                    reasons=pair.reasons,
                )
            )
        elif candidate.status != DuplicateStatus.OPEN:
            decided += 1
        elif candidate.score != pair.score or candidate.reasons != pair.reasons:
            candidate.score, candidate.reasons = pair.score, pair.reasons
            candidate.save(update_fields=["score", "reasons", "updated_at"])
            updated += 1
    DuplicateCandidate.objects.bulk_create(created)
    found_keys = {(pair.service_a, pair.service_b) for pair in found}
    stale = [
        candidate.pk
        for key, candidate in existing.items()
        if candidate.status == DuplicateStatus.OPEN and key not in found_keys
    ]
    DuplicateCandidate.objects.filter(pk__in=stale).delete()
    return RefreshResult(
        found=len(found),
        created=len(created),
        updated=updated,
        closed=len(stale),
        already_decided=decided,
    )


# --- the moderator's decisions -----------------------------------------------------------------

# Fields the kept listing takes from the other one when it has none of its own.
MERGE_FILL_FIELDS = (
    "description",
    "url",
    "email",
    "fees",
    "accreditations",
    "eligibility_description",
    "minimum_age",
    "maximum_age",
    "referral_description",
    "ofsted_urn",
)


def _open_candidate(candidate: DuplicateCandidate) -> DuplicateCandidate:
    locked = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if locked.status != DuplicateStatus.OPEN:
        raise DuplicateDecisionError("Someone has already decided about these two listings.")
    return locked


def _service_terms(service: Service) -> set[int]:
    return set(
        Attribute.objects.filter(
            link_content_type=ContentType.objects.get_for_model(Service),
            link_object_id=service.pk,
        ).values_list("taxonomy_term_id", flat=True)
    )


@transaction.atomic
def duplicate_merge(*, actor: Any, candidate: DuplicateCandidate, keep: Service) -> Service:
    """Keep ``keep``, give it what only the other listing had, and withdraw the other.

    The kept listing gains the other's venues (except those at a postcode it already has a venue
    at), taxonomy terms, phone numbers and any details it left
    blank. When the kept listing has no source of its own it takes over the other's provenance, so
    that importing that source again updates the kept listing instead of bringing the other back.
    """
    candidate = _open_candidate(candidate)
    if keep.pk not in (candidate.service_a_id, candidate.service_b_id):
        raise DuplicateDecisionError("The listing to keep must be one of the two.")
    keep = Service.objects.select_for_update().get(pk=keep.pk)
    other_pk = (
        candidate.service_b_id if keep.pk == candidate.service_a_id else candidate.service_a_id
    )
    other = Service.objects.select_for_update().get(pk=other_pk)

    # A venue at a postcode the kept listing already has is taken to be the same place, recorded
    # twice by two sources: it is not added again.
    kept_venues = keep.service_at_locations.values_list("location_id", "location__postcode")
    kept_locations = {location_id for location_id, _ in kept_venues}
    kept_postcodes = {postcode_key(postcode) for _, postcode in kept_venues if postcode}
    venues_added = []
    for venue in other.service_at_locations.select_related("location").order_by("id"):
        postcode = postcode_key(venue.location.postcode)
        if venue.location_id not in kept_locations and postcode not in kept_postcodes:
            directory_services.service_at_location_create(
                actor=actor, service=keep, location=venue.location
            )
            kept_locations.add(venue.location_id)
            if postcode:
                kept_postcodes.add(postcode)
            venues_added.append(str(venue.location.public_id))

    keep_terms, other_terms = _service_terms(keep), _service_terms(other)
    if other_terms - keep_terms:
        directory_services.attributes_set(
            actor=actor,
            record=keep,
            terms=TaxonomyTerm.objects.filter(pk__in=keep_terms | other_terms),
        )

    changes = {
        name: getattr(other, name)
        for name in MERGE_FILL_FIELDS
        if getattr(keep, name) in ("", None) and getattr(other, name) not in ("", None)
    }
    if changes:
        directory_services.service_update(actor=actor, service=keep, changes=changes)

    kept_phones = {phone_digits(number) for number in keep.phones.values_list("number", flat=True)}
    phones_added = []
    for phone in other.phones.order_by("id"):
        digits = phone_digits(phone.number)
        if digits and digits not in kept_phones:
            Phone.objects.create(service=keep, number=phone.number, description=phone.description)
            kept_phones.add(digits)
            phones_added.append(phone.number)
    if phones_added:
        directory_services.service_touch(service=keep)

    provenance = {"source": other.source, "source_id": other.source_id}
    provenance_moved = bool(other.source and other.source_id and not keep.source)
    if provenance_moved:
        directory_services.provenance_set(
            actor=actor, record=other, source=other.source, source_id="", digest=""
        )
        directory_services.provenance_set(
            actor=actor,
            record=keep,
            source=provenance["source"],
            source_id=provenance["source_id"],
            digest="",
        )

    directory_services.service_publication_set(
        actor=actor, service=other, publication=Publication.WITHDRAWN
    )
    candidate.status = DuplicateStatus.MERGED
    candidate.kept = keep
    candidate.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    candidate.decided_at = timezone.now()
    candidate.save()
    # Other open pairs with the withdrawn listing are moot now.
    DuplicateCandidate.objects.filter(status=DuplicateStatus.OPEN).filter(
        Q(service_a=other) | Q(service_b=other)
    ).delete()
    audit_record(
        kind=AssetsAuditKind.DUPLICATES_MERGED,
        actor=actor,
        target=keep,
        before={"withdrawn": str(other.public_id), "withdrawn_provenance": provenance},
        after={
            "kept": str(keep.public_id),
            "venues_added": venues_added,
            "terms_added": len(other_terms - keep_terms),
            "fields_filled": sorted(changes),
            "phones_added": phones_added,
            "provenance_moved": provenance_moved,
        },
    )
    return keep


@transaction.atomic
def duplicate_dismiss(*, actor: Any, candidate: DuplicateCandidate) -> DuplicateCandidate:
    """The two listings are different services: the detector will not raise them again."""
    candidate = _open_candidate(candidate)
    candidate.status = DuplicateStatus.DISMISSED
    candidate.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    candidate.decided_at = timezone.now()
    candidate.save()
    audit_record(
        kind=AssetsAuditKind.DUPLICATES_DISMISSED,
        actor=actor,
        target=candidate,
        after={
            "services": [str(candidate.service_a.public_id), str(candidate.service_b.public_id)]
        },
    )
    return candidate


# --- reads for the moderator's page ------------------------------------------------------------


def duplicate_open_list() -> QuerySet[DuplicateCandidate]:
    """Open pairs, most alike first, with both listings, their organisations, venues and phones."""
    venues = "service_at_locations__location"
    return (
        DuplicateCandidate.objects.filter(status=DuplicateStatus.OPEN)
        .select_related("service_a__organization", "service_b__organization")
        .prefetch_related(
            f"service_a__{venues}",
            f"service_b__{venues}",
            "service_a__phones",
            "service_b__phones",
            "service_a__contacts__phones",
            "service_b__contacts__phones",
        )
        .order_by("-score", "id")
    )


def duplicate_open_get(public_id: Any) -> DuplicateCandidate | None:
    return duplicate_open_list().filter(public_id=public_id).first()


def service_phone_numbers(service: Service) -> list[str]:
    """Phone numbers of a service and of its contacts (from prefetched rows)."""
    numbers: Iterable[str] = [phone.number for phone in service.phones.all()]
    numbers = [*numbers]
    for contact in service.contacts.all():
        numbers += [phone.number for phone in contact.phones.all()]
    return list(dict.fromkeys(numbers))
