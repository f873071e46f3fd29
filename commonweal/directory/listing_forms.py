"""Input checks for the listing pages: report a problem, deal with a report, the widget generator."""

from __future__ import annotations

from typing import Any

from django import forms

from commonweal.directory.constants import ProblemKind
from commonweal.directory.listing import (
    EMBED_DEFAULT_LIMIT,
    EMBED_DISTANCES_MILES,
    EMBED_LIMITS,
    embed_terms,
    embed_wards,
)
from commonweal.geo.postcodes import postcode_display, postcode_is_valid


class ProblemReportForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is wrong?",
        choices=ProblemKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what is wrong with the listing"},
    )
    details = forms.CharField(
        label="Tell us more (optional)",
        help_text="For example, the new day and time, or the right phone number. "
        "Do not include anyone's personal details.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "Tell us more in 2,000 characters or fewer"},
    )
    reply_email = forms.EmailField(
        label="Your email address (optional)",
        help_text="Only if you would like a reply. We use it for nothing else.",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address like name@example.org"},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == ProblemKind.OTHER and not cleaned.get("details", "").strip():
            self.add_error("details", "Tell us what is wrong")
        return cleaned


class ProblemDealtWithForm(forms.Form):
    note = forms.CharField(
        label="What did you do? (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "Write the note in 1,000 characters or fewer"},
    )


def _ward_choices() -> list[tuple[str, str]]:
    return [("", "Any ward"), *((ward.code, ward.name) for ward in embed_wards())]


def _category_choices() -> list[tuple[str, Any]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for term in embed_terms():
        groups.setdefault(term.taxonomy.name, []).append((str(term.public_id), term.name))
    return [("", "Any category"), *groups.items()]


class WidgetForm(forms.Form):
    """What a GP practice or school chooses for its widget. Every field is optional."""

    ward = forms.ChoiceField(label="Ward", required=False)
    postcode = forms.CharField(
        label="Or near a postcode",
        help_text="For example, your practice's or school's postcode.",
        required=False,
        max_length=10,
    )
    distance = forms.TypedChoiceField(
        label="Within",
        choices=[
            (miles, f"{miles} mile{'s' if miles != 1 else ''}") for miles in EMBED_DISTANCES_MILES
        ],
        coerce=int,
        initial=EMBED_DISTANCES_MILES[1],
        required=False,
    )
    category = forms.ChoiceField(label="Category", required=False)
    limit = forms.TypedChoiceField(
        label="How many listings to show",
        choices=[(number, str(number)) for number in EMBED_LIMITS],
        coerce=int,
        initial=EMBED_DEFAULT_LIMIT,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ward"].choices = _ward_choices()  # type: ignore[attr-defined]
        self.fields["category"].choices = _category_choices()  # type: ignore[attr-defined]

    def clean_postcode(self) -> str:
        postcode = " ".join(str(self.cleaned_data.get("postcode") or "").split())
        if postcode and not postcode_is_valid(postcode):
            raise forms.ValidationError("Enter a full postcode, like RM17 6SL")
        return postcode_display(postcode) if postcode else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("ward") and cleaned.get("postcode"):
            self.add_error("postcode", "Choose a ward or a postcode, not both")
        return cleaned

    def embed_params(self) -> dict[str, str]:
        """The embed address's parameters, in a fixed order, leaving out what was not chosen."""
        data = self.cleaned_data
        params = {"ward": data.get("ward") or "", "category": data.get("category") or ""}
        if data.get("postcode"):
            params["postcode"] = data["postcode"]
            params["distance"] = str(data.get("distance") or EMBED_DISTANCES_MILES[1])
        params["limit"] = str(data.get("limit") or EMBED_DEFAULT_LIMIT)
        return {key: value for key, value in params.items() if value}
