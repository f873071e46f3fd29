"""Reads for self-service and moderation: a representative's listings, the moderation queue (for a
champion's patch), an edit's difference from the live listing, and a listing's version history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Count, Q, QuerySet

from commonweal.accounts.constants import Role
from commonweal.accounts.selectors import organisation_list_for_user, user_has_role
from commonweal.directory.constants import ModerationStatus
from commonweal.directory.models import (
    DirectoryPatch,
    ListingClaim,
    Service,
    ServiceAtLocation,
    ServiceEdit,
    ServiceVersion,
)
from commonweal.directory.moderation import (
    MODERATOR_ROLES,
    DiffRow,
    document_diff,
    document_effective,
    listing_document,
)
from commonweal.geo.models import Area


def rep_services(*, user: Any) -> QuerySet[Service]:
    """The listings a group representative looks after, with how many of their changes are waiting."""
    organisations = organisation_list_for_user(user=user, roles=[Role.GROUP_REP])
    return (
        Service.objects.filter(organization__account_organisation__in=organisations)
        .select_related("organization")
        .annotate(pending_edits=Count("edits", filter=Q(edits__status=ModerationStatus.PENDING)))
        .order_by("name", "id")
    )


def rep_claims(*, user: Any) -> QuerySet[ListingClaim]:
    return (
        ListingClaim.objects.filter(user=user)
        .select_related("organization", "service")
        .order_by("-created_at", "-id")
    )


def service_for_manage(*, public_id: UUID) -> Service | None:
    """A listing, published or not, loaded for its editing pages."""
    return (
        Service.objects.filter(public_id=public_id)
        .select_related("organization__account_organisation")
        .prefetch_related(
            "languages",
            "local_offer_answers",
            "schedules",
            "phones",
            "contacts__phones",
            "cost_options",
            "service_at_locations__location__organization",
            "service_at_locations__location__facilities",
        )
        .first()
    )


def claim_pending_for(*, user: Any, service: Service) -> ListingClaim | None:
    if not user.is_authenticated:
        return None
    return ListingClaim.objects.filter(
        user=user, organization_id=service.organization_id, status=ModerationStatus.PENDING
    ).first()


# --- The queue -------------------------------------------------------------------------------------


def patch_ward_ids(*, user: Any) -> set[int]:
    """The wards an information champion looks after: their own patch and their organisations'.
    Empty when they have none (they then see everything)."""
    moderating_for = organisation_list_for_user(user=user, roles=MODERATOR_ROLES)
    patches = DirectoryPatch.objects.filter(Q(user=user) | Q(organisation__in=moderating_for))
    return set(patches.values_list("wards", flat=True)) - {None}


def may_see_all(*, user: Any) -> bool:
    """Administrators may switch from their patch to the whole directory."""
    return bool(user_has_role(user=user, roles=[Role.ADMIN]))


def claims_in_wards(claims: QuerySet[ListingClaim], wards: set[int]) -> QuerySet[ListingClaim]:
    """Claims of a listing held in one of ``wards``, or of an organisation with such a listing."""
    in_patch = ServiceAtLocation.objects.filter(location__ward_id__in=wards)
    return claims.filter(
        Q(service_id__in=in_patch.values("service_id"))
        | Q(organization_id__in=in_patch.values("service__organization_id"))
    )


def edits_in_wards(edits: QuerySet[ServiceEdit], wards: set[int]) -> QuerySet[ServiceEdit]:
    """Changes to a listing held in one of ``wards``."""
    in_patch = ServiceAtLocation.objects.filter(location__ward_id__in=wards)
    return edits.filter(service_id__in=in_patch.values("service_id"))


def ward_names(ward_ids: set[int]) -> list[str]:
    return list(
        Area.objects.filter(pk__in=ward_ids).order_by("name").values_list("name", flat=True)
    )


@dataclass(frozen=True)
class Queue:
    claims: list[ListingClaim]
    edits: list[ServiceEdit]
    patch: bool  # the queue is limited to the champion's patch
    can_show_all: bool

    @property
    def count(self) -> int:
        return len(self.claims) + len(self.edits)


def moderation_queue(*, user: Any, show_all: bool = False) -> Queue:
    """Pending claims and edits, oldest first: in the champion's patch unless an admin asks for all."""
    wards = patch_ward_ids(user=user)
    can_show_all = bool(wards) and may_see_all(user=user)
    limited = bool(wards) and not (show_all and can_show_all)
    claims = ListingClaim.objects.filter(status=ModerationStatus.PENDING)
    edits = ServiceEdit.objects.filter(status=ModerationStatus.PENDING)
    if limited:
        claims = claims_in_wards(claims, wards)
        edits = edits_in_wards(edits, wards)
    return Queue(
        claims=list(
            claims.select_related("organization", "service", "user").order_by("created_at", "id")
        ),
        edits=list(
            edits.select_related("service", "proposed_by", "base_version").order_by(
                "created_at", "id"
            )
        ),
        patch=limited,
        can_show_all=can_show_all,
    )


def claim_get(*, public_id: UUID) -> ListingClaim | None:
    return (
        ListingClaim.objects.filter(public_id=public_id)
        .select_related("organization__account_organisation", "service", "user", "decided_by")
        .first()
    )


def edit_get(*, public_id: UUID) -> ServiceEdit | None:
    return (
        ServiceEdit.objects.filter(public_id=public_id)
        .select_related("service", "proposed_by", "decided_by", "base_version", "result_version")
        .first()
    )


@dataclass(frozen=True)
class EditReview:
    """What approving an edit would change, and whether the listing moved on since it was made."""

    rows: list[DiffRow]
    stale: bool
    latest_version: ServiceVersion | None
    later_versions: list[ServiceVersion]


def edit_review(*, edit: ServiceEdit) -> EditReview:
    service = service_for_manage(public_id=edit.service.public_id)
    assert service is not None  # the edit belongs to it
    current = listing_document(service)
    base = edit.base_version
    if edit.is_pending:
        target = document_effective(base=base.data, proposed=edit.proposed, current=current)
        rows = document_diff(current, target)
    else:
        rows = document_diff(base.data, edit.proposed)
    later = list(
        service.versions.filter(number__gt=base.number)
        .select_related("created_by", "proposed_by")
        .order_by("number")
    )
    latest = later[-1] if later else base
    return EditReview(
        rows=rows,
        stale=edit.is_pending and (bool(later) or base.data != current),
        latest_version=latest,
        later_versions=later,
    )


# --- History ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    version: ServiceVersion
    rows: list[DiffRow]


def version_history(*, service: Service) -> list[HistoryEntry]:
    """The listing's versions, newest first, each with what changed from the one before."""
    versions = list(
        ServiceVersion.objects.filter(service=service)
        .select_related("created_by", "proposed_by")
        .order_by("number")
    )
    entries: list[HistoryEntry] = []
    previous: dict[str, Any] | None = None
    for version in versions:
        rows = document_diff(previous, version.data) if previous is not None else []
        entries.append(HistoryEntry(version=version, rows=rows))
        previous = version.data
    return list(reversed(entries))


def edits_of_service(*, service: Service) -> QuerySet[ServiceEdit]:
    return (
        ServiceEdit.objects.filter(service=service)
        .select_related("proposed_by", "decided_by", "result_version")
        .order_by("-created_at", "-id")
    )
