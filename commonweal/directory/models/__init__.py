"""The directory's models, shaped as HSDS 3.0 / Open Referral UK 3.0 with UK extensions.

Every record's ``public_id`` (a UUID from ``BaseModel``) is its ORUK ``id``: integer keys stay
private and keep joins small, and every other Commonweal app names its public records the same way.
"""

from __future__ import annotations

from commonweal.directory.models.duplicates import DuplicateCandidate
from commonweal.directory.models.initiatives import Initiative
from commonweal.directory.models.locations import (
    Accessibility,
    Address,
    Location,
    LocationFacility,
    ServiceAtLocation,
)
from commonweal.directory.models.moderation import (
    DirectoryPatch,
    ListingClaim,
    ReviewReminder,
    ServiceEdit,
    ServiceVersion,
)
from commonweal.directory.models.organizations import Organization, OrganizationIdentifier
from commonweal.directory.models.problems import ProblemReport
from commonweal.directory.models.search import ServiceSearchEntry
from commonweal.directory.models.services import (
    Contact,
    CostOption,
    Funding,
    Language,
    LocalOfferAnswer,
    Phone,
    Schedule,
    Service,
    ServiceArea,
)
from commonweal.directory.models.taxonomy import Attribute, Taxonomy, TaxonomyTerm

__all__ = [
    "Accessibility",
    "Address",
    "Attribute",
    "Contact",
    "DirectoryPatch",
    "CostOption",
    "DuplicateCandidate",
    "Funding",
    "Initiative",
    "Language",
    "ListingClaim",
    "LocalOfferAnswer",
    "Location",
    "LocationFacility",
    "Organization",
    "OrganizationIdentifier",
    "Phone",
    "ProblemReport",
    "ReviewReminder",
    "Schedule",
    "Service",
    "ServiceArea",
    "ServiceAtLocation",
    "ServiceEdit",
    "ServiceVersion",
    "ServiceSearchEntry",
    "Taxonomy",
    "TaxonomyTerm",
]
