"""Enumerations of the stories app: consent levels, story states, signifier kinds, audit kinds."""

from __future__ import annotations

from django.db import models

# Limits on what a teller sends. Stories are short pieces of life, not reports.
STORY_MIN_CHARS = 20
STORY_MAX_CHARS = 10_000
NOTE_MAX_CHARS = 2_000
TITLE_MAX_CHARS = 150
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})
AUDIO_MAX_BYTES = 20 * 1024 * 1024
AUDIO_TYPES = {
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "aac": "audio/aac",
    "ogg": "audio/ogg",
    "oga": "audio/ogg",
    "opus": "audio/ogg",
    "wav": "audio/wav",
    "webm": "audio/webm",
}
PAGE_SIZE = 20
# A gatherer's phone may keep drafts for a while without a signal: a collection that closed no more
# than this many days ago still takes the drafts gatherers recorded on their phones.
LATE_DRAFT_DAYS = 7

# The words a teller agrees to. A new wording gets a new version; each story keeps the words it was given.
CONSENT_VERSION = "2026-11"
CONSENT_WORDING = {
    "public_named": (
        "You may publish my story on the Commonweal story site with my first name, after a moderator "
        "has read it. I can take it down at any time with my private link."
    ),
    "public_anonymous": (
        "You may publish my story on the Commonweal story site without my name, after a moderator "
        "has read it. I can take it down at any time with my private link."
    ),
    "internal": (
        "You may use my story inside the council and CVS to understand what matters to people here. "
        "Do not publish it. I can withdraw it at any time with my private link."
    ),
}
GUARDIAN_WORDING = (
    "I am the parent or carer of the teller, who is under 16, and I agree to the choice above."
)


class ConsentLevel(models.TextChoices):
    PUBLIC_NAMED = "public_named", "Publish it with my first name"
    PUBLIC_ANONYMOUS = "public_anonymous", "Publish it without my name"
    INTERNAL = "internal", "Do not publish it: use it only inside the council and CVS"


PUBLIC_CONSENT = frozenset({ConsentLevel.PUBLIC_NAMED, ConsentLevel.PUBLIC_ANONYMOUS})


class StoryState(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for a moderator"
    PUBLISHED = "published", "Published"
    INTERNAL = "internal", "Kept for internal use"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn by the teller"


class CollectionMethod(models.TextChoices):
    WEB = "web", "Shared on the website"
    GATHERER = "gatherer", "Recorded by a gatherer"


class SignifierKind(models.TextChoices):
    TRIAD = "triad", "Triad (a point in a triangle of three qualities)"
    DYAD = "dyad", "Dyad (a slider between two qualities)"


class AgeBand(models.TextChoices):
    UNDER_16 = "under_16", "Under 16"
    AGE_16_24 = "16_24", "16 to 24"
    AGE_25_44 = "25_44", "25 to 44"
    AGE_45_64 = "45_64", "45 to 64"
    AGE_65_74 = "65_74", "65 to 74"
    AGE_75_PLUS = "75_plus", "75 or over"
    NOT_SAID = "not_said", "I would rather not say"


class Gender(models.TextChoices):
    WOMAN = "woman", "Woman"
    MAN = "man", "Man"
    OTHER = "other", "In another way"
    NOT_SAID = "not_said", "I would rather not say"


class EthnicGroup(models.TextChoices):
    """The five high-level groups of the 2021 Census for England and Wales."""

    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Another ethnic group"
    NOT_SAID = "not_said", "I would rather not say"


class EnergyToAct(models.TextChoices):
    NONE = "none", "Not interested in acting on it"
    LOW = "low", "Might help if someone else leads"
    SOME = "some", "Would come along and help"
    HIGH = "high", "Wants to lead or organise"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open: not started"
    DOING = "doing", "Doing"
    DONE = "done", "Done"


ISSUE_CATEGORIES = [
    "Housing",
    "Transport and getting about",
    "Crime and feeling safe",
    "Parks and green spaces",
    "Litter and fly-tipping",
    "Young people",
    "Health and care",
    "Money, jobs and the cost of living",
    "Loneliness and isolation",
    "Places to meet",
]
SPECIAL_CATEGORY_VERSION = "2026-11"
SPECIAL_CATEGORY_WORDING = (
    "I agree that the organiser may write down what I said about my political opinions or religious "
    "beliefs, to be seen only by their team, to help them understand what matters here. I can ask for it "
    "to be deleted at any time."
)


class ThemeSource(models.TextChoices):
    """What the theme analysis reads."""

    STORIES = "stories", "Stories"
    LISTENING = "listening", "Listening records of your team"
    BOTH = "both", "Both stories and your team's listening records"


class StoriesAuditKind(models.TextChoices):
    COLLECTION_SAVED = "stories.collection_saved", "Collection saved"
    SIGNIFIER_SAVED = "stories.signifier_saved", "Triad or dyad saved"
    SIGNIFIER_REMOVED = "stories.signifier_removed", "Triad or dyad removed"
    STORY_SUBMITTED = "stories.story_submitted", "Story submitted"
    STORY_REDACTED = "stories.story_redacted", "Story redacted"
    STORY_PUBLISHED = "stories.story_published", "Story published"
    STORY_KEPT_INTERNAL = "stories.story_kept_internal", "Story kept for internal use"
    STORY_DECLINED = "stories.story_declined", "Story declined"
    STORY_WITHDRAWN = "stories.story_withdrawn", "Story withdrawn"
    STORY_FEATURED = "stories.story_featured", "Story featured or unfeatured"
    STORIES_EXPORTED = "stories.stories_exported", "Stories exported"
    LISTENING_RECORDED = "stories.listening_recorded", "Listening record made"
    LISTENING_DELETED = "stories.listening_deleted", "Listening record deleted"
    LISTENING_SPECIAL_REMOVED = (
        "stories.listening_special_removed",
        "Special category answers removed from a listening record",
    )
    ACTION_CREATED = "stories.action_created", "Action made from listening"
    ACTION_STATUS_CHANGED = "stories.action_status_changed", "Action status changed"
    MSC_ROUND_CREATED = "stories.msc_round_created", "Most Significant Change round created"
    MSC_STORY_SELECTED = "stories.msc_story_selected", "Most significant story selected"
    NUGGET_KEPT = "stories.nugget_kept", "Story kept as a golden nugget"
    NUGGET_REMOVED = "stories.nugget_removed", "Story no longer a golden nugget"
    POPULATION_IMPORTED = "stories.population_imported", "Ward populations imported"
    MSC_FEEDBACK_PUBLISHED = (
        "stories.msc_feedback_published",
        "Most Significant Change feedback published",
    )
