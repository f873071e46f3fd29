"""Enumerations for funds, canvases, panels, decisions and awards."""

from __future__ import annotations

from django.db import models


class FundKind(models.TextChoices):
    INNOVATION = "innovation", "Innovation fund"
    SMALL_SPARKS = "small_sparks", "Small sparks"
    LOCAL_BUDGET = "local_budget", "Local budget"
    COMMUNITY_HEALTH = "community_health", "Community health fund"


class MatchRule(models.TextChoices):
    NONE = "none", "No match needed"
    VOLUNTEER_HOURS = (
        "volunteer_hours",
        "Matched by volunteer hours valued at the round's hourly rate",
    )


class CriterionKind(models.TextChoices):
    OUTCOME = "outcome", "Outcome"
    CRITERION = "criterion", "Criterion"


class FieldKind(models.TextChoices):
    SHORT_TEXT = "short_text", "Short answer"
    LONG_TEXT = "long_text", "Longer answer"
    NUMBER = "number", "Number"


class CanvasStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    FUNDED = "funded", "Funded"
    NOT_FUNDED = "not_funded", "Not funded"
    MERGED = "merged", "Merged into a joint application"


class PanelMemberKind(models.TextChoices):
    COUNCILLOR = "councillor", "Councillor"
    RESIDENT = "resident", "Resident"
    YOUNG_PERSON = "young_person", "Young person"
    OFFICER = "officer", "Officer"


class DecisionOutcome(models.TextChoices):
    FUNDED = "funded", "Funded"
    NOT_FUNDED = "not_funded", "Not funded"


class ReportStatus(models.TextChoices):
    DUE = "due", "Due"
    RECEIVED = "received", "Received"


class GrantsAuditKind(models.TextChoices):
    FUND_SAVED = "grants.fund_saved", "Fund saved"
    ROUND_SAVED = "grants.round_saved", "Round saved"
    CRITERION_SAVED = "grants.criterion_saved", "Criterion saved"
    FIELD_SAVED = "grants.field_saved", "Canvas field saved"
    CANVAS_STARTED = "grants.canvas_started", "Canvas started"
    CANVAS_SAVED = "grants.canvas_saved", "Canvas draft saved"
    CANVAS_SUBMITTED = "grants.canvas_submitted", "Canvas submitted"
    COLLABORATOR_ADDED = "grants.collaborator_added", "Collaborator added"
    ATTACHMENT_ADDED = "grants.attachment_added", "Attachment added"
    COLLABORATOR_REMOVED = "grants.collaborator_removed", "Collaborator removed"
    ATTACHMENT_REMOVED = "grants.attachment_removed", "Attachment removed"
    PANEL_SAVED = "grants.panel_saved", "Panel saved"
    DROPIN_SAVED = "grants.dropin_saved", "Drop-in session saved"
    DROPIN_BOOKED = "grants.dropin_booked", "Drop-in place booked"
    CALIBRATION_SET = "grants.calibration_set", "Calibration ideas chosen"
    PANEL_MEMBER_ADDED = "grants.panel_member_added", "Panel member added"
    PANEL_MEMBER_REMOVED = "grants.panel_member_removed", "Panel member removed"
    DECLARATION_MADE = "grants.declaration_made", "Conflicts of interest declared"
    SCORE_RECORDED = "grants.score_recorded", "Score recorded"
    DECISION_MADE = "grants.decision_made", "Decision made"
    DECISION_CHANGED = "grants.decision_changed", "Decision changed"
    AWARD_MADE = "grants.award_made", "Award made"
    PAYMENT_MADE = "grants.payment_made", "Payment recorded"
    REPORT_RECEIVED = "grants.report_received", "Monitoring report received"
    REPORT_REMINDED = "grants.report_reminded", "Monitoring report reminder sent"
    REPORT_STORY_LINKED = "grants.report_story_linked", "Story linked to a monitoring report"
    REPORT_STORY_UNLINKED = (
        "grants.report_story_unlinked",
        "Story unlinked from a monitoring report",
    )
    EXPORTED = "grants.exported", "360Giving data exported"
    GALLERY_CHANGED = "grants.gallery_changed", "Idea shown in or taken out of the gallery"
    CONNECTION_MADE = "grants.connection_made", "Groups introduced"
    CANVAS_MERGED = "grants.canvas_merged", "Ideas merged into a joint application"
    PRACTICE_JOINED = "grants.practice_joined", "Joined the community of practice"
    PRACTICE_EVENT_SAVED = "grants.practice_event_saved", "Community of practice event saved"
    PRACTICE_NOTE_POSTED = "grants.practice_note_posted", "Community of practice note posted"
    SPONSOR_PROFILE_SAVED = "grants.sponsor_profile_saved", "Sponsor profile saved"
    SPONSOR_CONFIRMED = "grants.sponsor_confirmed", "Sponsor confirmed"
    SPONSOR_CHANGED = "grants.sponsor_changed", "Sponsor changed"
    SPONSOR_CONTACT_LOGGED = "grants.sponsor_contact_logged", "Sponsor contact logged"


# Attachments: what groups may upload, and how big.
ATTACHMENT_TYPES: dict[str, str] = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".txt": "text/plain",
}
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
ATTACHMENTS_PER_CANVAS = 5
