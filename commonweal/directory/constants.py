"""Enumerations of the community directory, spelled as Open Referral UK 3.0 spells them."""

from __future__ import annotations

from django.db import models

ORUK_VERSION = "HSDS-UK-3.0"
ORUK_PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"
ORUK_OPENAPI_URL = "https://openreferraluk.org/specifications/3.0/openapi.json"

# Well-known taxonomy for the SEND needs a service is suitable for (kept as ORUK attributes).
SEND_NEEDS_TAXONOMY_URI = "https://commonweal.example/taxonomies/send-needs"


class ServiceStatus(models.TextChoices):
    """Whether a service is running (HSDS ``service.status``)."""

    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"
    DEFUNCT = "defunct", "Defunct"
    TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"


class Publication(models.TextChoices):
    """Whether a listing is shown to the public. Only published services reach the API and pages."""

    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class LocationType(models.TextChoices):
    PHYSICAL = "physical", "Physical"
    POSTAL = "postal", "Postal"
    VIRTUAL = "virtual", "Virtual"


class AddressType(models.TextChoices):
    PHYSICAL = "physical", "Physical"
    POSTAL = "postal", "Postal"
    VIRTUAL = "virtual", "Virtual"


class ScheduleFrequency(models.TextChoices):
    """RFC 5545 FREQ values the ORUK 3.0 profile allows."""

    WEEKLY = "WEEKLY", "Weekly"
    MONTHLY = "MONTHLY", "Monthly"


class AttendingType(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    PHONE = "phone", "By phone"


class ExtentType(models.TextChoices):
    GEOJSON = "geojson", "GeoJSON"
    TOPOJSON = "topojson", "TopoJSON"
    KML = "kml", "KML"
    TEXT = "text", "Text"


class DirectoryAuditKind(models.TextChoices):
    ORGANIZATION_SAVED = "directory.organization_saved", "Directory organisation saved"
    SERVICE_SAVED = "directory.service_saved", "Service saved"
    SERVICE_PUBLICATION_CHANGED = (
        "directory.service_publication_changed",
        "Service publication changed",
    )
    LOCATION_SAVED = "directory.location_saved", "Location saved"
    SERVICE_AT_LOCATION_SAVED = (
        "directory.service_at_location_saved",
        "Service offered at a location",
    )
    TAXONOMY_SAVED = "directory.taxonomy_saved", "Taxonomy saved"
    TAXONOMY_TERM_SAVED = "directory.taxonomy_term_saved", "Taxonomy term saved"
    ATTRIBUTES_SET = "directory.attributes_set", "Taxonomy terms of a record set"
    ORGANIZATION_UPDATED = "directory.organization_updated", "Directory organisation changed"
    LOCATION_UPDATED = "directory.location_updated", "Location changed"
    SERVICE_DETAILS_REPLACED = (
        "directory.service_details_replaced",
        "Schedules, contacts, phones and other details of a service replaced",
    )
    LOCATION_DETAILS_REPLACED = (
        "directory.location_details_replaced",
        "Addresses and accessibility of a location replaced",
    )
    SERVICE_LOCATIONS_REPLACED = (
        "directory.service_locations_replaced",
        "Venues of a service replaced",
    )
    PROVENANCE_SET = "directory.provenance_set", "Source of an imported record recorded"
    IMPORT_BATCH_CREATED = (
        "directory.import_batch_created",
        "Services new to the directory created by an import, in one batch",
    )
    INITIATIVE_SAVED = "directory.initiative_saved", "Initiative saved"
    LOCAL_OFFER_SAVED = "directory.local_offer_saved", "SEND Local Offer answers saved"
    FACILITIES_SET = "directory.facilities_set", "Facilities of a place set"
    OUTCOMES_SET = "directory.outcomes_set", "Intended outcomes of a service set"


class AssetType(models.TextChoices):
    """The five kinds of community asset in asset-based community development (ABCD)."""

    ASSOCIATION = "association", "Association (a group of people)"
    INSTITUTION = "institution", "Institution (a public body, school, business)"
    PHYSICAL_SPACE = "physical_space", "Physical space (a hall, park, garden)"
    ECONOMIC = "economic", "Economic (a shop, market, employer)"
    CULTURAL = "cultural", "Cultural (heritage, arts, faith, tradition)"


class Facility(models.TextChoices):
    """What a place where people meet offers the groups that use it."""

    MEETING_ROOM = "meeting_room", "Meeting room"
    HALL = "hall", "Hall"
    KITCHEN = "kitchen", "Kitchen"
    ACCESSIBLE_TOILET = "accessible_toilet", "Accessible toilet"
    CHANGING_PLACES = "changing_places", "Changing Places toilet"
    STEP_FREE = "step_free", "Step-free access"
    HEARING_LOOP = "hearing_loop", "Hearing loop"
    BABY_CHANGING = "baby_changing", "Baby changing"
    WIFI = "wifi", "Free wifi"
    COMPUTERS = "computers", "Computers for public use"
    PARKING = "parking", "Parking"
    BLUE_BADGE_PARKING = "blue_badge_parking", "Blue Badge parking"
    OUTDOOR_SPACE = "outdoor_space", "Garden or outdoor space"
    WARM_SPACE = "warm_space", "Warm space in winter"
    QUIET_ROOM = "quiet_room", "Quiet room"


class LocalOfferQuestion(models.TextChoices):
    """The questions a SEND Local Offer entry answers (SEND Regulations 2014, Schedule 2)."""

    OUTCOMES = "outcomes", "What outcomes does the service aim for?"
    STAFF_TRAINING = "staff_training", "What SEND training do staff have?"
    PARENT_INVOLVEMENT = "parent_involvement", "How are parents and carers involved?"
    PROGRESS = "progress", "How is progress shared with families?"
    ENVIRONMENT = "environment", "How accessible is the environment?"
    HOW_TO_START = "how_to_start", "How do I start using the service?"
    FUTURE_PLANS = "future_plans", "How does the service help plan for the future?"


class InitiativeKind(models.TextChoices):
    """Place-based programmes a council and its partners run, mapped ward by ward."""

    COMMUNITY_HUB = "community_hub", "Community hub"
    LOCAL_AREA_COORDINATION = "local_area_coordination", "Local Area Coordination"
    TIMEBANK = "timebank", "Timebank"
    COMMUNITY_ORGANISERS = "community_organisers", "Community organisers"
    COMMUNITY_BUILDERS = "community_builders", "Community builders"
    BEFRIENDING = "befriending", "Befriending scheme"
    SOCIAL_PRESCRIBING = "social_prescribing", "Social prescribing"
    SMALL_SPARKS = "small_sparks", "Small grants"
    WARM_SPACES = "warm_spaces", "Warm spaces"
    OTHER = "other", "Other"


# --- Listing pages: "report a problem" -----------------------------------------------------------


class ProblemKind(models.TextChoices):
    """What a member of the public says is wrong with a listing."""

    CLOSED = "closed", "It has closed or stopped running"
    WRONG_TIMES = "wrong_times", "The days or times are wrong"
    WRONG_CONTACT = "wrong_contact", "The contact details are wrong"
    WRONG_ADDRESS = "wrong_address", "The address or place is wrong"
    OTHER = "other", "Something else"


class ProblemReportStatus(models.TextChoices):
    OPEN = "open", "Open"
    DEALT_WITH = "dealt_with", "Dealt with"


class ListingAuditKind(models.TextChoices):
    PROBLEM_REPORTED = "directory.problem_reported", "Problem with a listing reported"
    PROBLEM_DEALT_WITH = "directory.problem_dealt_with", "Problem with a listing dealt with"


# --- Claims, edits by groups and moderation ------------------------------------------------------


class ModerationStatus(models.TextChoices):
    """Where a claim or a proposed edit is in moderation. Only a pending one can be decided."""

    PENDING = "pending", "Waiting for a moderator"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


# Who may move a claim or an edit from which state to which (the moderation services enforce it).
MODERATION_TRANSITIONS: dict[str, frozenset[str]] = {
    ModerationStatus.PENDING: frozenset({ModerationStatus.APPROVED, ModerationStatus.REJECTED}),
    ModerationStatus.APPROVED: frozenset(),
    ModerationStatus.REJECTED: frozenset(),
}


class ModerationAuditKind(models.TextChoices):
    CLAIM_MADE = "directory.claim_made", "Listing claimed"
    CLAIM_APPROVED = "directory.claim_approved", "Claim approved"
    CLAIM_REJECTED = "directory.claim_rejected", "Claim rejected"
    ACCOUNT_ORGANISATION_LINKED = (
        "directory.account_organisation_linked",
        "Listing organisation linked to a Commonweal organisation",
    )
    EDIT_PROPOSED = "directory.edit_proposed", "Change to a listing proposed"
    EDIT_APPROVED = "directory.edit_approved", "Change to a listing approved"
    EDIT_REJECTED = "directory.edit_rejected", "Change to a listing rejected"
    VERSION_CREATED = "directory.version_created", "Version of a listing recorded"
    LISTING_CONFIRMED = "directory.listing_confirmed", "Listing confirmed as still correct"
    REVIEW_REMINDED = "directory.review_reminded", "Reminder to check a listing sent"


class DuplicateStatus(models.TextChoices):
    """What a moderator decided about a pair of listings the duplicate detector flagged."""

    OPEN = "open", "Waiting for a decision"
    MERGED = "merged", "Merged"
    DISMISSED = "dismissed", "Not duplicates"


class AssetsAuditKind(models.TextChoices):
    DUPLICATES_MERGED = "directory.duplicates_merged", "Duplicate listings merged"
    DUPLICATES_DISMISSED = "directory.duplicates_dismissed", "Listings marked as not duplicates"
