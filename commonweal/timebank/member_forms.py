"""Forms of the member pages and the broker console. They check shapes; services check the rules."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils import timezone

from commonweal.accounts.models import Organisation
from commonweal.timebank.constants import (
    MAX_EXCHANGE_MINUTES,
    AccountStatus,
    VettingKind,
    VettingOutcome,
)
from commonweal.timebank.member_selectors import (
    category_list,
    connected_partners,
    exchange_partners,
    group_activity_attendees,
    group_activity_payers,
    member_accounts_for_broker,
    member_accounts_for_exchange,
    organisations_without_account,
    timebank_accounts_for_broker,
)
from commonweal.timebank.models import Account, Category, Locality, Member, Timebank

TOO_LONG = f"One exchange can be at most {MAX_EXCHANGE_MINUTES // 60} hours."
MINUTE_CHOICES = [("0", "0"), ("15", "15"), ("30", "30"), ("45", "45")]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class AccountChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class JoinForm(forms.Form):
    display_name = forms.CharField(
        label="Your name, as other members will see it",
        max_length=120,
        required=False,
        help_text="Your first name is enough.",
    )
    locality: forms.ModelChoiceField[Locality] = forms.ModelChoiceField(
        label="Your locality group",
        queryset=None,
        required=False,
        empty_label="Choose a locality group",
        help_text="The group nearest to where you live. You can still exchange across the borough.",
    )
    postcode = forms.CharField(
        label="Your postcode (optional)",
        max_length=10,
        required=False,
        help_text="Only your postcode, never your address: it helps us suggest neighbours nearby.",
    )
    can_offer = forms.CharField(
        label="What could you offer?",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Something you know, something you can do, or something you care about.",
    )
    might_need = forms.CharField(
        label="What might you need? (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    agrees = forms.BooleanField(
        label="I agree to the members' agreement and to the timebank keeping these details",
        required=False,
    )

    def __init__(self, *args: Any, timebank: Timebank, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["locality"].queryset = timebank.localities.order_by("name")  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Accept them as a member"), ("decline", "Do not accept them")],
    )
    reason = forms.CharField(
        label="If you do not accept them, say why",
        help_text="We email this to them, so write it for them to read.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class ProxyMemberForm(forms.Form):
    display_name = forms.CharField(label="Their name", max_length=120, required=False)
    locality: forms.ModelChoiceField[Locality] = forms.ModelChoiceField(
        label="Their locality group", queryset=None, required=False, empty_label="Choose a group"
    )
    postcode = forms.CharField(label="Their postcode (optional)", max_length=10, required=False)
    contact_notes = forms.CharField(
        label="How you reach them",
        help_text="For example a landline number, or 'visit on Tuesdays'. Only brokers see this.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    can_offer = forms.CharField(
        label="What they could offer", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    might_need = forms.CharField(
        label="What they might need", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    vulnerable = forms.BooleanField(
        label="Exchanges with them need a vetted helper or a broker's approval", required=False
    )
    agreed = forms.BooleanField(
        label="They have agreed to the members' agreement with me", required=False
    )

    def __init__(self, *args: Any, timebank: Timebank, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["locality"].queryset = timebank.localities.order_by("name")  # type: ignore[attr-defined]


class OrganisationAccountForm(forms.Form):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label="Organisation",
        queryset=None,
        empty_label="Choose an organisation",
        error_messages={"required": "Choose the organisation to add."},
    )

    def __init__(self, *args: Any, timebank: Timebank, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_without_account(timebank=timebank)  # type: ignore[attr-defined]


class RestrictionsForm(forms.Form):
    """What a broker has agreed a member may do: enforced by the ledger, matching and the gift board."""

    vulnerable = forms.BooleanField(
        label="They may be vulnerable: exchanges with them need a vetted helper or a broker",
        required=False,
    )
    no_home_visits = forms.BooleanField(
        label="No home visits: never help given or received in someone's home",
        required=False,
    )
    accompanied_only = forms.BooleanField(
        label="Accompanied only: one-to-one exchanges only with someone else there",
        required=False,
        help_text="A broker approves each of their one-to-one exchanges.",
    )
    note = forms.CharField(
        label="Why, and what was agreed (brokers only)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Needed when you set or lift a restriction. The member never sees this.",
    )


class VettingForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of check", choices=VettingKind.choices)
    outcome = forms.ChoiceField(
        label="Outcome", choices=VettingOutcome.choices, initial=VettingOutcome.CLEAR
    )
    checked_on = forms.DateField(
        label="Date checked",
        widget=DateInput(),
        error_messages={
            "required": "Enter the date it was checked.",
            "invalid": "Enter a real date.",
        },
    )
    expires_on = forms.DateField(
        label="Expiry or renewal date (optional)",
        widget=DateInput(),
        required=False,
        help_text="Many timebanks renew DBS checks every three years.",
        error_messages={"invalid": "Enter a real date."},
    )
    reference = forms.CharField(
        label="DBS certificate number, or the referee's name",
        max_length=120,
        required=False,
    )
    notes = forms.CharField(
        label="Notes (brokers only)", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


def _hours_minutes_fields() -> tuple[forms.IntegerField, forms.ChoiceField]:
    hours = forms.IntegerField(
        label="Hours",
        min_value=0,
        max_value=MAX_EXCHANGE_MINUTES // 60,
        initial=1,
        error_messages={
            "invalid": "Enter the hours as a whole number, like 2.",
            "min_value": "Hours cannot be less than 0.",
            "max_value": TOO_LONG,
        },
    )
    minutes = forms.ChoiceField(label="Minutes", choices=MINUTE_CHOICES, initial="0")
    return hours, minutes


class _ExchangeFields(forms.Form):
    hours, minutes = _hours_minutes_fields()
    service_date = forms.DateField(
        label="Date of the help",
        widget=DateInput(),
        error_messages={"required": "Enter the date of the help.", "invalid": "Enter a real date."},
    )
    category: forms.ModelChoiceField[Category] = forms.ModelChoiceField(
        label="Kind of help", queryset=None, required=False, empty_label="Choose one (optional)"
    )
    description = forms.CharField(
        label="What was the help?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what the help was, for example 'cleared the garden'."},
    )
    client_id = forms.UUIDField(widget=forms.HiddenInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["initial"] = {
            "client_id": uuid.uuid4(),
            "service_date": timezone.localdate(),
            "hours": 1,
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = category_list()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        hours, minutes = data.get("hours"), data.get("minutes")
        if hours is not None and minutes is not None:
            data["total_minutes"] = hours * 60 + int(minutes)
            if data["total_minutes"] <= 0:
                self.add_error("hours", "Enter how long the help took: at least 15 minutes.")
            elif data["total_minutes"] > MAX_EXCHANGE_MINUTES:
                self.add_error("hours", TOO_LONG)
        return data


GAVE = "gave"
RECEIVED = "received"
CONNECTED_GROUP = "People you have connected with"
OTHERS_GROUP = "Everyone else in the timebank"


class ExchangeForm(_ExchangeFields):
    """A member records help they received from another member (or an organisation); or, coming
    from a gift board connection where they were the helper, help they gave (``direction`` "gave":
    the other person pays and confirms it, as the timebank's consent policy says).

    ``payee`` is the other person either way. People the member has connected with on the gift board
    come first in its list (``payee_groups``)."""

    field_order = [
        "direction",
        "payee",
        "hours",
        "minutes",
        "service_date",
        "category",
        "description",
        "home_visit",
    ]

    payee = AccountChoiceField(
        label="Who helped you?",
        queryset=None,
        empty_label="Choose a member",
        error_messages={"required": "Choose the member who helped you."},
    )
    direction = forms.ChoiceField(
        choices=[(RECEIVED, "Someone helped me"), (GAVE, "I helped someone")],
        required=False,
        widget=forms.HiddenInput(),
    )
    home_visit = forms.BooleanField(label="The help was given in someone's home", required=False)

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partners = list(exchange_partners(member=member))
        payee = self.fields["payee"]
        payee.queryset = exchange_partners(member=member)  # type: ignore[attr-defined]
        if self.gave:
            payee.label = "Who did you help?"
            payee.error_messages["required"] = "Choose the member you helped."
        connected = set(connected_partners(member=member).values_list("pk", flat=True))
        self.payee_groups: list[tuple[str, list[tuple[str, str]]]] = []
        if connected:
            empty = [("", str(payee.empty_label))]  # type: ignore[attr-defined]
            first = [(str(a.pk), str(a.name)) for a in partners if a.pk in connected]
            rest = [(str(a.pk), str(a.name)) for a in partners if a.pk not in connected]
            self.payee_groups = [("", empty), (CONNECTED_GROUP, first)]
            if rest:
                self.payee_groups.append((OTHERS_GROUP, rest))

    @property
    def gave(self) -> bool:
        """Whether the member records help they gave (from a gift board connection)."""
        return bool(self["direction"].value() == GAVE)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["direction"] = data.get("direction") or RECEIVED
        return data


class OrganisationExchangeForm(_ExchangeFields):
    """A representative records an exchange between their organisation and a member."""

    field_order = [
        "direction",
        "member",
        "hours",
        "minutes",
        "service_date",
        "category",
        "description",
        "home_visit",
    ]

    direction = forms.ChoiceField(
        label="Who helped whom?",
        choices=[
            ("received", "A member helped the organisation: the organisation gives them the time"),
            ("gave", "The organisation helped a member: the member gives the time"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Say who helped whom."},
    )
    member = AccountChoiceField(
        label="Which member?",
        queryset=None,
        empty_label="Choose a member",
        error_messages={"required": "Choose the member."},
    )
    home_visit = forms.BooleanField(label="The help was given in someone's home", required=False)

    def __init__(self, *args: Any, account: Account, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = member_accounts_for_exchange(account=account)  # type: ignore[attr-defined]


class BrokerExchangeForm(_ExchangeFields):
    """A broker records an exchange for a member (a proxy member, or someone who asked them to)."""

    field_order = [
        "payer",
        "payee",
        "for_whom",
        "hours",
        "minutes",
        "service_date",
        "category",
        "description",
        "home_visit",
    ]

    payer = AccountChoiceField(
        label="Who received the help?",
        queryset=None,
        empty_label="Choose a member",
        error_messages={"required": "Choose who received the help."},
    )
    payee = AccountChoiceField(
        label="Who gave the help?",
        queryset=None,
        empty_label="Choose a member",
        error_messages={"required": "Choose who gave the help."},
    )
    for_whom = forms.ChoiceField(
        label="You are recording it for",
        choices=[
            ("payer", "The person who received the help"),
            ("payee", "The person who gave the help"),
        ],
    )
    home_visit = forms.BooleanField(label="The help was given in someone's home", required=False)

    def __init__(self, *args: Any, timebank: Timebank, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        accounts = timebank_accounts_for_broker(timebank=timebank)
        self.fields["payer"].queryset = accounts  # type: ignore[attr-defined]
        self.fields["payee"].queryset = accounts  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        chosen: Account | None = data.get(data.get("for_whom") or "payer")
        if chosen is not None and chosen.member_id is None:
            self.add_error("for_whom", "Choose the side that is a member, not an organisation.")
        return data


class AccountCheckboxesField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


# What pays for a group activity, besides the organisations: the timebank itself, or the pot.
PAYER_TIMEBANK = "timebank"
PAYER_POT = "pot"


class GroupActivityForm(_ExchangeFields):
    """A broker records a group activity: each ticked attendee earns the same time."""

    # The page's order, so the error summary lists problems in the order the page shows them.
    field_order = [
        "description",
        "payer",
        "attendees",
        "hours",
        "minutes",
        "service_date",
        "category",
    ]

    payer = forms.ChoiceField(
        label="Who gives the attendees their time?",
        help_text="The organisation that ran it, the community pot, or the timebank itself.",
    )
    attendees = AccountCheckboxesField(
        label="Who took part?",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick everyone who came. Each of them earns the time below.",
        error_messages={"required": "Tick at least one person who took part."},
    )

    def __init__(self, *args: Any, timebank: Timebank, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = group_activity_attendees(timebank=timebank)  # type: ignore[attr-defined]
        self.fields["payer"].choices = [  # type: ignore[attr-defined]
            (PAYER_TIMEBANK, f"{timebank.name} (the timebank pays for group activities)"),
            (PAYER_POT, "The community pot"),
            *[
                (str(account.public_id), account.name)
                for account in group_activity_payers(timebank=timebank)
            ],
        ]
        self.fields["description"].label = "What was the activity?"
        self.fields["description"].error_messages["required"] = (
            "Say what the activity was, for example 'coffee morning at the hub'."
        )


class DonationForm(forms.Form):
    """Time given to the community pot, for members who need more help than they can give back."""

    hours = forms.IntegerField(
        label="Hours",
        min_value=0,
        initial=1,
        error_messages={
            "invalid": "Enter the hours as a whole number, like 2.",
            "min_value": "Hours cannot be less than 0.",
        },
    )
    minutes = forms.ChoiceField(label="Minutes", choices=MINUTE_CHOICES, initial="0")
    note = forms.CharField(
        label="A note (optional)",
        max_length=200,
        required=False,
        help_text="It shows on the statement, for example 'in memory of Joan'.",
    )
    client_id = forms.UUIDField(widget=forms.HiddenInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"client_id": uuid.uuid4(), "hours": 1})
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        hours, minutes = data.get("hours"), data.get("minutes")
        if hours is not None and minutes is not None:
            data["total_minutes"] = hours * 60 + int(minutes)
            if data["total_minutes"] <= 0:
                self.add_error("hours", "Enter how much time to give: at least 15 minutes.")
        return data


class BrokerDonationForm(DonationForm):
    """A broker gives to the pot on a member's behalf (a proxy member, or someone leaving)."""

    field_order = ["donor", "hours", "minutes", "note"]

    donor = AccountChoiceField(
        label="Whose time is it?",
        queryset=None,
        empty_label="Choose a member",
        error_messages={"required": "Choose the member who is giving the time."},
    )

    def __init__(self, *args: Any, timebank: Timebank, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["donor"].queryset = member_accounts_for_broker(timebank=timebank)  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason: it is kept with the record."},
    )


class ReverseForm(ReasonForm):
    client_id = forms.UUIDField(widget=forms.HiddenInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"client_id": uuid.uuid4()})
        super().__init__(*args, **kwargs)


class AccountStatusForm(ReasonForm):
    status = forms.ChoiceField(
        label="Account",
        choices=[(AccountStatus.OPEN, "Open"), (AccountStatus.FROZEN, "Frozen: no exchanges")],
    )


class AccountLimitsForm(ReasonForm):
    min_hours = forms.IntegerField(
        label="Lowest balance, in hours",
        required=False,
        help_text="For example -10. Leave empty to use the timebank's limit.",
        error_messages={"invalid": "Enter a whole number of hours, like -10."},
    )
    max_hours = forms.IntegerField(
        label="Highest balance, in hours (optional)",
        required=False,
        help_text="Leave empty to use the timebank's limit.",
        error_messages={"invalid": "Enter a whole number of hours, like 40."},
    )


class BrokerApprovalForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("reject", "Reject")], widget=forms.HiddenInput()
    )
    note = forms.CharField(label="Why (needed to reject)", required=False)
