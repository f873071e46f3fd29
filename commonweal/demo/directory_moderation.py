"""The demo's self-service and moderation: the demo group representative's group keeps a few listings,
and the moderation queue has claims and changes waiting, so the moderator login has work to show.

Runs after the directory's own demo listings. With few listings it does what it can; with none it does
nothing. Loading again adds nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from commonweal.accounts.models import Organisation, User
from commonweal.demo.borough import DEMO_EMAIL_DOMAIN, DemoResult
from commonweal.directory.constants import ModerationStatus, ServiceStatus
from commonweal.directory.models import ListingClaim, Organization, Service, ServiceEdit
from commonweal.directory.moderation import listing_document
from commonweal.directory.moderation_services import (
    claim_create,
    edit_propose,
    edit_reject,
    organization_account_link,
)

REP_EMAIL = f"grouprep@{DEMO_EMAIL_DOMAIN}"
MODERATOR_EMAIL = f"moderator@{DEMO_EMAIL_DOMAIN}"
REP_ORGANISATION = "demo-grays-riverside-community-hub"
CLAIMANTS = [
    (
        f"resident@{DEMO_EMAIL_DOMAIN}",
        "Volunteer organiser",
        "Ring the group's chair, Jo, on the number in the listing.",
    ),
    (f"member@{DEMO_EMAIL_DOMAIN}", "Secretary", "Email the group's address: I answer it."),
]
OWNED_LISTINGS = 5


def _changes(index: int, document: dict[str, Any]) -> dict[str, Any]:
    """The ``index``-th kind of change a group makes to its listing (five kinds, then round again)."""
    kind = index % 5
    if kind == 0:
        return {
            "description": (
                document["description"] + " New members are always welcome: just turn up."
            ).strip(),
            "fees": "Free. Donations welcome.",
        }
    if kind == 1:
        schedule = {
            "id": None,
            "freq": "MONTHLY",
            "interval": 1,
            "byday": "1SA",
            "opens_at": "10:00",
            "closes_at": "12:00",
            "description": "Family session",
        }
        return {"schedules": [*document["schedules"], schedule]}
    if kind == 2:
        return {"languages": sorted({*document["languages"], "Polish", "Urdu"}, key=str.casefold)}
    if kind == 3:
        return {
            "status": ServiceStatus.TEMPORARILY_CLOSED,
            "alert": "Closed while the hall is repaired. We hope to reopen next month.",
        }
    return {
        "send_local_offer": True,
        "minimum_age": 5,
        "maximum_age": 18,
        "local_offer": {
            **document["local_offer"],
            "how_to_start": "Ring or email us and we will arrange a visit before the first session.",
            "staff_training": "Our leaders have autism awareness and Makaton training.",
        },
    }


def _owned_listings(rep_organisation: Organisation) -> list[Service]:
    """The group's listings; when it has too few, it takes on some listed organisations' listings."""
    owned = list(
        Service.objects.published()
        .filter(organization__account_organisation=rep_organisation)
        .order_by("name", "id")
    )
    if len(owned) >= OWNED_LISTINGS:
        return owned
    unowned = (
        Organization.objects.filter(account_organisation__isnull=True)
        .with_published_services()
        .order_by("name", "id")
    )
    for organization in unowned[:3]:
        organization_account_link(actor=None, organization=organization, account=rep_organisation)
        owned += list(Service.objects.published().filter(organization=organization).order_by("id"))
        if len(owned) >= OWNED_LISTINGS:
            break
    return owned


@transaction.atomic
def moderation_load(result: DemoResult) -> None:
    rep = User.objects.filter(email=REP_EMAIL).first()
    champion = User.objects.filter(email=MODERATOR_EMAIL).first()
    rep_organisation = Organisation.objects.filter(slug=REP_ORGANISATION).first()
    if rep is None or champion is None or rep_organisation is None:
        return
    if not ServiceEdit.objects.filter(proposed_by=rep).exists():
        owned = _owned_listings(rep_organisation)
        if owned:
            for index in range(OWNED_LISTINGS):
                service = owned[index % len(owned)]
                document = listing_document(Service.objects.get(pk=service.pk))
                try:
                    edit_propose(
                        actor=rep,
                        service=service,
                        proposed={**document, **_changes(index, document)},
                        notify=False,
                    )
                except ValidationError:
                    continue  # the listing already says that
            service = owned[0]
            document = listing_document(Service.objects.get(pk=service.pk))
            rejected = edit_propose(
                actor=rep,
                service=service,
                proposed={**document, "name": document["name"].upper() + " - BEST IN THURROCK!!!"},
                notify=False,
            )
            edit_reject(
                actor=champion,
                edit=rejected,
                reason="Please keep the listing's name to the group's own name, without capitals "
                "or claims: people search for the name they know.",
                notify=False,
            )
    claimants = [
        (User.objects.filter(email=email).first(), role, how) for email, role, how in CLAIMANTS
    ]
    if not ListingClaim.objects.filter(
        user__in=[user for user, _, _ in claimants if user]
    ).exists():
        candidates = (
            Service.objects.published()
            .exclude(organization__account_organisation=rep_organisation)
            .select_related("organization")
            .order_by("-name", "id")
        )
        seen: set[int] = set()
        targets = []
        for service in candidates[:50]:
            if service.organization_id not in seen:
                seen.add(service.organization_id)
                targets.append(service)
            if len(targets) == len(claimants):
                break
        for (user, role, how), service in zip(claimants, targets, strict=False):
            if user is not None:
                claim_create(
                    actor=user,
                    service=service,
                    role_in_group=role,
                    evidence=how,
                    consent_to_contact=True,
                    notify=False,
                )
    result.counts["directory changes waiting"] = ServiceEdit.objects.filter(
        status=ModerationStatus.PENDING
    ).count()
    result.counts["directory claims waiting"] = ListingClaim.objects.filter(
        status=ModerationStatus.PENDING
    ).count()
