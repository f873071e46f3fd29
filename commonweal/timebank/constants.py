"""Enumerations of the timebank's ledger, members and vetting."""

from __future__ import annotations

from django.db import models


class LimitPolicy(models.TextChoices):
    """What happens when an exchange would take an account past its balance limits."""

    BLOCK = "block", "Refuse the exchange"
    APPROVAL = "approval", "Ask a broker to approve it"
    FLAG = "flag", "Record it and flag it for a broker"


class ConfirmationPolicy(models.TextChoices):
    """Who must agree before an exchange counts (it is pending until then)."""

    PAYER = "payer", "The person who received the help records it, and it counts at once"
    BOTH = "both", "Both people confirm it"
    BROKER = "broker", "A broker confirms it"
    AUTO = "auto", "It counts after a set number of days unless someone objects"


class MemberStatus(models.TextChoices):
    APPLIED = "applied", "Applied, waiting for a broker"
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    LEFT = "left", "Left"
    DECLINED = "declined", "Not accepted"


class AccountKind(models.TextChoices):
    MEMBER = "member", "Member"
    ORGANISATION = "organisation", "Organisation"
    COMMUNITY_POT = "community_pot", "Community pot"
    ISSUANCE = "issuance", "Timebank (pays for group activities)"
    CLEARING = "clearing", "Clearing with a partner timebank"


class AccountStatus(models.TextChoices):
    OPEN = "open", "Open"
    FROZEN = "frozen", "Frozen"
    CLOSED = "closed", "Closed"


class TransactionKind(models.TextChoices):
    EXCHANGE = "exchange", "Exchange"
    GROUP = "group", "Group activity"
    DONATION = "donation", "Donation to the community pot"
    BANK_PAYMENT = "bank_payment", "Payment by the timebank"
    OPENING_BALANCE = "opening_balance", "Opening balance"
    REVERSAL = "reversal", "Reversal"
    ADJUSTMENT = "adjustment", "Adjustment"


class TransactionState(models.TextChoices):
    PENDING = "pending", "Waiting for confirmation"
    AWAITING_BROKER = "awaiting_broker", "Waiting for a broker"
    COMMITTED = "committed", "Confirmed"
    REJECTED = "rejected", "Rejected"
    CANCELLED = "cancelled", "Cancelled"


class ConfirmationDecision(models.TextChoices):
    ACCEPT = "accept", "Accepted"
    REJECT = "reject", "Rejected"


class VettingKind(models.TextChoices):
    DBS_BASIC = "dbs_basic", "DBS basic check"
    DBS_STANDARD = "dbs_standard", "DBS standard check"
    DBS_ENHANCED = "dbs_enhanced", "DBS enhanced check"
    DBS_ENHANCED_BARRED = "dbs_enhanced_barred", "DBS enhanced check with barred lists"
    REFERENCE = "reference", "Reference"
    INDUCTION = "induction", "Induction"
    ID_CHECK = "id_check", "Identity check"


# The most time one exchange (or one attendee of a group activity) may record: 24 hours. The pages,
# the ledger and the API's schema all use this.
MAX_EXCHANGE_MINUTES = 24 * 60


# Vetting that lets a member make home visits or help vulnerable members without a broker's approval.
HOME_VISIT_VETTING: frozenset[str] = frozenset(
    {VettingKind.DBS_ENHANCED, VettingKind.DBS_ENHANCED_BARRED}
)


class VettingOutcome(models.TextChoices):
    CLEAR = "clear", "Clear"
    CONCERNS = "concerns", "Concerns noted: see the broker"
    PENDING = "pending", "Waiting for the result"


class GiftType(models.TextChoices):
    """ABCD's gifts: of the head (knowledge), the hands (skills) and the heart (passions, care)."""

    HEAD = "head", "Head: something I know"
    HANDS = "hands", "Hands: something I can do"
    HEART = "heart", "Heart: something I care about"


class TimebankAuditKind(models.TextChoices):
    TIMEBANK_SAVED = "timebank.timebank_saved", "Timebank saved"
    MEMBER_APPLIED = "timebank.member_applied", "Member applied"
    MEMBER_APPROVED = "timebank.member_approved", "Member approved"
    MEMBER_STATUS_CHANGED = "timebank.member_status_changed", "Member status changed"
    MEMBER_RESTRICTIONS_CHANGED = (
        "timebank.member_restrictions_changed",
        "Member's safeguarding restrictions changed",
    )
    VETTING_RECORDED = "timebank.vetting_recorded", "Vetting recorded"
    ACCOUNT_OPENED = "timebank.account_opened", "Account opened"
    ACCOUNT_STATUS_CHANGED = "timebank.account_status_changed", "Account status changed"
    ACCOUNT_LIMITS_CHANGED = "timebank.account_limits_changed", "Account limits changed"
    TRANSACTION_RECORDED = "timebank.transaction_recorded", "Exchange recorded"
    TRANSACTION_CONFIRMED = "timebank.transaction_confirmed", "Exchange confirmed"
    TRANSACTION_REJECTED = "timebank.transaction_rejected", "Exchange rejected"
    TRANSACTION_APPROVED = "timebank.transaction_approved", "Exchange approved by a broker"
    TRANSACTION_REVERSED = "timebank.transaction_reversed", "Exchange reversed"


# --- Gift board -------------------------------------------------------------------------------


class PostKind(models.TextChoices):
    """What a gift board post says: I can give this, or I am looking for this."""

    OFFER = "offer", "Offer"
    NEED = "need", "Need"


class PostStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    EXPIRED = "expired", "Expired"


class ConnectionStatus(models.TextChoices):
    REQUESTED = "requested", "Asked, waiting for a reply"
    ACCEPTED = "accepted", "Both agreed to be in touch"
    DECLINED = "declined", "Declined"
    CONNECTED = "connected", "Connection made"


class Weekday(models.TextChoices):
    MON = "mon", "Monday"
    TUE = "tue", "Tuesday"
    WED = "wed", "Wednesday"
    THU = "thu", "Thursday"
    FRI = "fri", "Friday"
    SAT = "sat", "Saturday"
    SUN = "sun", "Sunday"


# How long a gift board post stays up before it needs renewing, and when its poster is reminded.
POST_LIFETIME_DAYS = 56
POST_REMINDER_DAYS_BEFORE = 7


class GiftboardAuditKind(models.TextChoices):
    POST_SAVED = "timebank.giftboard_post_saved", "Gift board post saved"
    POST_STATUS_CHANGED = (
        "timebank.giftboard_post_status_changed",
        "Gift board post opened or closed",
    )
    POST_RENEWED = "timebank.giftboard_post_renewed", "Gift board post renewed"
    POSTS_EXPIRED = "timebank.giftboard_posts_expired", "Gift board posts expired"
    CONNECTION_REQUESTED = "timebank.giftboard_connection_requested", "Gift board: someone asked"
    CONNECTION_ANSWERED = "timebank.giftboard_connection_answered", "Gift board: a reply"
    CONNECTION_MADE = "timebank.giftboard_connection_made", "Gift board: connection made"
