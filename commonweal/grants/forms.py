"""Input validation for the grants pages. The rules themselves live in the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from commonweal.geo.models import Area
from commonweal.grants.constants import (
    CriterionKind,
    DecisionOutcome,
    FieldKind,
    FundKind,
    MatchRule,
    PanelMemberKind,
)
from commonweal.grants.models import CanvasField, Round
from commonweal.outcomes.models import Outcome

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class FundForm(forms.Form):
    name = forms.CharField(max_length=150)
    slug = forms.SlugField(
        max_length=150, help_text="Short name for web addresses, for example small-sparks."
    )
    kind = forms.ChoiceField(choices=FundKind.choices)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    publisher_prefix = forms.CharField(
        max_length=40, help_text="Your 360Giving publisher prefix, for example 360G-thurrock."
    )


class RoundForm(forms.Form):
    name = forms.CharField(max_length=150)
    slug = forms.SlugField(max_length=150)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    opens_at = forms.DateTimeField(
        widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    closes_at = forms.DateTimeField(
        widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    budget = forms.DecimalField(
        min_value=Decimal("0.01"), max_digits=12, decimal_places=2, label="Budget (£)"
    )
    max_award = forms.DecimalField(
        min_value=Decimal("0.01"), max_digits=12, decimal_places=2, label="Largest award (£)"
    )
    wards = forms.ModelMultipleChoiceField(
        queryset=Area.objects.wards().current(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked for anywhere.",
    )
    outcomes = forms.ModelMultipleChoiceField(
        queryset=Outcome.objects.active().in_default_framework(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    match_rule = forms.ChoiceField(choices=MatchRule.choices, widget=forms.RadioSelect)
    hourly_rate = forms.DecimalField(
        min_value=Decimal("0"),
        max_digits=6,
        decimal_places=2,
        initial=Decimal("0"),
        label="Value of a volunteer hour (£)",
        required=False,
    )
    disagreement_threshold = forms.IntegerField(
        min_value=1, max_value=10, initial=2, label="Flag disagreement at a spread of (points)"
    )

    def clean_hourly_rate(self) -> Decimal:
        return self.cleaned_data.get("hourly_rate") or Decimal("0")


class CriterionForm(forms.Form):
    name = forms.CharField(max_length=150)
    kind = forms.ChoiceField(choices=CriterionKind.choices, widget=forms.RadioSelect)
    weight = forms.DecimalField(
        min_value=Decimal("0"), max_digits=5, decimal_places=2, initial=Decimal("1")
    )
    scale_max = forms.IntegerField(min_value=1, max_value=10, initial=5, label="Highest score")
    descriptors = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One line per score, for example: 3 = Contributes strongly.",
    )

    def clean_descriptors(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for line in self.cleaned_data.get("descriptors", "").splitlines():
            if not line.strip():
                continue
            score, sep, text = line.partition("=")
            if not sep or not score.strip().isdigit():
                raise forms.ValidationError(
                    "Write each line as a score, an equals sign, then what it means."
                )
            found[score.strip()] = text.strip()
        return found


class CanvasFieldForm(forms.Form):
    key = forms.SlugField(max_length=50, help_text="A short name, for example 'idea'.")
    label = forms.CharField(max_length=200, label="Question")
    hint = forms.CharField(max_length=400, required=False)
    kind = forms.ChoiceField(choices=FieldKind.choices, widget=forms.RadioSelect)
    required = forms.BooleanField(required=False, initial=True)
    max_length = forms.IntegerField(
        min_value=10, max_value=10000, initial=1000, label="Most characters"
    )


class StartCanvasForm(forms.Form):
    title = forms.CharField(
        max_length=140,
        label="Name your idea",
        help_text="A few words, for example 'Saturday repair café'.",
    )
    organisation = forms.ChoiceField(required=False, label="Which group is it for?")
    group_name = forms.CharField(
        max_length=200,
        required=False,
        label="Your group's name",
        help_text="If your group is not listed.",
    )

    def __init__(self, *args: Any, organisations: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(org.public_id): org for org in organisations}
        choices = [("", "Another group (type its name below)")]
        choices += [(key, org.name) for key, org in self.organisations.items()]
        self.fields["organisation"].choices = choices  # type: ignore[attr-defined]


def canvas_form_class(round_: Round, fields: list[CanvasField]) -> type[forms.Form]:
    """The canvas form for one round, built from its questions."""
    attrs: dict[str, Any] = {
        "title": forms.CharField(max_length=140, label="Name of your idea"),
        "summary": forms.CharField(
            max_length=500,
            required=False,
            label="Your idea in one sentence",
            help_text="Shown in the gallery if you share your idea.",
        ),
    }
    for item in fields:
        widget: forms.Widget = (
            forms.Textarea(attrs={"rows": 5})
            if item.kind == FieldKind.LONG_TEXT
            else forms.TextInput()
        )
        if item.kind == FieldKind.NUMBER:
            widget = forms.TextInput(attrs={"inputmode": "decimal"})
        attrs[f"answer_{item.key}"] = forms.CharField(
            label=item.label, help_text=item.hint, required=False, widget=widget
        )
    attrs["amount_requested"] = forms.DecimalField(
        required=False,
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        label="How much money are you asking for? (£)",
        help_text=f"Up to £{round_.max_award:,.2f}.",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    if round_.needs_match:
        attrs["pledged_hours"] = forms.DecimalField(
            required=False,
            min_value=Decimal("0"),
            max_digits=8,
            decimal_places=2,
            label="How many volunteer hours will your group give?",
            help_text=f"Each hour counts as £{round_.hourly_rate} towards the match.",
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        )
    attrs["postcode"] = forms.CharField(
        required=False,
        max_length=10,
        label="Postcode of where it will happen (if you know it)",
        help_text="We use it only to find the ward and neighbourhood. We do not keep it or show it.",
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    wards = round_.wards.all()
    attrs["ward"] = forms.ModelChoiceField(
        queryset=wards if wards.exists() else Area.objects.wards().current(),
        required=False,
        label="Which ward will it happen in?",
        empty_label="Choose a ward",
    )
    return type("CanvasForm", (forms.Form,), attrs)


class CollaboratorForm(forms.Form):
    organisation = forms.ChoiceField(label="Group")
    role = forms.CharField(max_length=200, required=False, label="What do they bring?")

    def __init__(self, *args: Any, organisations: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(org.public_id): org for org in organisations}
        choices = [("", "Choose a group")]
        choices += [(key, org.name) for key, org in self.organisations.items()]
        self.fields["organisation"].choices = choices  # type: ignore[attr-defined]


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="Add a file", help_text="PDF, Word, OpenDocument, text, JPEG or PNG; up to 5 MB."
    )


class PanelForm(forms.Form):
    name = forms.CharField(max_length=150)
    meets_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Meets on"
    )


class PanelMemberForm(forms.Form):
    email = forms.EmailField(
        label="Their email address", help_text="They need a Commonweal account."
    )
    kind = forms.ChoiceField(
        choices=PanelMemberKind.choices, widget=forms.RadioSelect, label="They join as"
    )


class SponsorProfileForm(forms.Form):
    """A council officer as a sponsor: the wards they know, their themes, how many projects at once.
    The email is asked for only when adding one."""

    email = forms.EmailField(
        label="Their email address",
        help_text="They need a Commonweal account and the sponsor role.",
    )
    wards = forms.ModelMultipleChoiceField(
        queryset=Area.objects.wards().current(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Wards they know",
    )
    themes = forms.CharField(
        max_length=300,
        required=False,
        label="Themes",
        help_text="Words for what they know, separated by commas: food, young people, gardens.",
    )
    capacity = forms.IntegerField(
        min_value=1, max_value=100, initial=8, label="Most projects at once"
    )

    def __init__(self, *args: Any, adding: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not adding:
            del self.fields["email"]


class SponsorChangeForm(forms.Form):
    sponsor = forms.UUIDField()
    reason = forms.CharField(max_length=500, label="Why does the sponsor change?")


class RemoveMemberForm(forms.Form):
    reason = forms.CharField(max_length=300, label="Why are they leaving the panel?")


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(choices=DecisionOutcome.choices, widget=forms.RadioSelect)
    amount = forms.DecimalField(
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        initial=Decimal("0"),
        label="Amount (£)",
    )
    reasons = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label="Reasons (kept on the record)"
    )
    feedback = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), label="Feedback for the applicant"
    )
    change_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why is the decision changing?",
        help_text="Needed when a decision changes.",
    )


DATE = forms.DateInput(attrs={"type": "date"})


class AwardForm(forms.Form):
    starts_on = forms.DateField(widget=DATE, label="Project starts")
    ends_on = forms.DateField(widget=DATE, label="Project ends")
    conditions = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), label="Conditions"
    )
    first_payment_on = forms.DateField(
        widget=DATE,
        required=False,
        label="First payment on",
        help_text="Leave empty to pay everything when the project starts.",
    )
    first_payment = forms.DecimalField(
        required=False,
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        label="First payment (£)",
    )
    second_payment_on = forms.DateField(widget=DATE, required=False, label="Second payment on")
    second_payment = forms.DecimalField(
        required=False,
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        label="Second payment (£)",
    )

    def payments(self) -> list[tuple[Any, Decimal]]:
        data = self.cleaned_data
        found = []
        for prefix in ("first", "second"):
            if data.get(f"{prefix}_payment_on") and data.get(f"{prefix}_payment"):
                found.append((data[f"{prefix}_payment_on"], data[f"{prefix}_payment"]))
        return found


class ReportForm(forms.Form):
    what_happened = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        label="What happened?",
        help_text="What you did, who came, what changed. A few sentences are fine.",
    )
    outcomes = forms.ModelMultipleChoiceField(
        queryset=Outcome.objects.active().in_default_framework(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Which of these did you see happen?",
    )
    volunteer_hours = forms.DecimalField(
        min_value=Decimal("0"),
        max_digits=8,
        decimal_places=2,
        label="Volunteer hours your group gave",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
