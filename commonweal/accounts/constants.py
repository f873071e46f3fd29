from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    """The roles people hold in an organisation (see docs/architecture.md, "People and roles")."""

    MEMBER = "member", "Member"
    GROUP_REP = "group_rep", "Group representative"
    VOLUNTEER = "volunteer", "Volunteer or community supporter"
    MODERATOR = "moderator", "Information champion or moderator"
    BROKER = "broker", "Broker or timebank coordinator"
    COORDINATOR = "coordinator", "Coordinator"
    PANEL_MEMBER = "panel_member", "Panel member"
    SPONSOR = "sponsor", "Sponsor"
    ANALYST = "analyst", "Programme manager or analyst"
    ADMIN = "admin", "Administrator"


# Roles that see other people's personal or sensitive records: they must use two-factor sign-in.
STAFF_ROLES: frozenset[str] = frozenset(
    {Role.MODERATOR, Role.BROKER, Role.COORDINATOR, Role.SPONSOR, Role.ANALYST, Role.ADMIN}
)


class OrganisationKind(models.TextChoices):
    COUNCIL = "council", "Council"
    CVS = "cvs", "Council for voluntary service"
    VCS_GROUP = "vcs_group", "Voluntary or community group"
    CHARITY = "charity", "Charity"
    NHS_BODY = "nhs_body", "NHS body"
    GP_PRACTICE = "gp_practice", "GP practice"
    SCHOOL = "school", "School"
    HOUSING_PROVIDER = "housing_provider", "Housing provider"
    BUSINESS = "business", "Business or social enterprise"
    FAITH_GROUP = "faith_group", "Faith group"
    FIRE_SERVICE = "fire_service", "Fire and rescue service"
    POLICE = "police", "Police"
    OTHER = "other", "Other"


class ConsentPurpose(models.TextChoices):
    CONTACT = "contact", "Contact me about my request"
    NEWSLETTER = "newsletter", "Send me news and events"
    REFERRAL = "referral", "Share my details to make a referral"
    STORY_PUBLICATION = "story_publication", "Publish my story"
    TIMEBANK = "timebank", "Take part in the timebank"
    RESEARCH = "research", "Use my answers for research and evaluation"
    SPECIAL_CATEGORY = "special_category", "Record special category information"


class LawfulBasis(models.TextChoices):
    """UK GDPR Article 6 lawful bases."""

    CONSENT = "consent", "Consent"
    CONTRACT = "contract", "Contract"
    LEGAL_OBLIGATION = "legal_obligation", "Legal obligation"
    VITAL_INTERESTS = "vital_interests", "Vital interests"
    PUBLIC_TASK = "public_task", "Public task"
    LEGITIMATE_INTERESTS = "legitimate_interests", "Legitimate interests"


class AccountsAuditKind(models.TextChoices):
    USER_CREATED = "accounts.user_created", "User created"
    USER_UPDATED = "accounts.user_updated", "User updated"
    PROFILE_UPDATED = "accounts.profile_updated", "Profile updated"
    ORGANISATION_SAVED = "accounts.organisation_saved", "Organisation saved"
    MEMBERSHIP_GRANTED = "accounts.membership_granted", "Membership granted"
    MEMBERSHIP_ENDED = "accounts.membership_ended", "Membership ended"
    CONSENT_GIVEN = "accounts.consent_given", "Consent given"
    CONSENT_WITHDRAWN = "accounts.consent_withdrawn", "Consent withdrawn"
    TOKEN_CREATED = "accounts.token_created", "API token created"
    TOKEN_REVOKED = "accounts.token_revoked", "API token revoked"
    TWO_FACTOR_DEVICE_CREATED = "accounts.two_factor_device_created", "Two-factor device added"
    TWO_FACTOR_ENABLED = "accounts.two_factor_enabled", "Two-factor sign-in set up"
