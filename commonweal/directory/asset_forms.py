"""Forms of the asset map's filters and of the officers' initiative pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms

from commonweal.directory.assets import AssetFilters, facility_choices
from commonweal.directory.constants import AssetType, InitiativeKind
from commonweal.directory.models import Initiative
from commonweal.geo.models import Area

DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d", "%d-%m-%Y"]


class AssetFilterForm(forms.Form):
    asset_type = forms.ChoiceField(
        label="Type of asset",
        required=False,
        choices=[("", "Any type"), *AssetType.choices],
    )
    ward = forms.ChoiceField(label="Ward", required=False)
    facility = forms.ChoiceField(label="Facility", required=False)
    meeting_places_only = forms.BooleanField(
        label="Only places where people can meet", required=False
    )

    def __init__(self, *args: Any, wards: Sequence[Area] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ward_field = cast(forms.ChoiceField, self.fields["ward"])
        ward_field.choices = [("", "Any ward"), *((w.code, w.name) for w in wards)]
        facility_field = cast(forms.ChoiceField, self.fields["facility"])
        facility_field.choices = [("", "Any facility"), *facility_choices()]

    def filters(self) -> AssetFilters:
        """The filters asked for, or none when the form is not valid."""
        if not self.is_valid():
            return AssetFilters()
        data = self.cleaned_data
        return AssetFilters(
            asset_type=data["asset_type"],
            ward=data["ward"],
            meeting_places_only=data["meeting_places_only"],
            facility=data["facility"],
        )


class InitiativeForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    kind = forms.ChoiceField(
        label="Kind of initiative", choices=[("", "Choose a kind"), *InitiativeKind.choices]
    )
    description = forms.CharField(
        label="What it does", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    url = forms.URLField(label="Web page", required=False, max_length=500, assume_scheme="https")
    email = forms.EmailField(label="Email address", required=False)
    started_on = forms.DateField(
        label="Started on",
        required=False,
        input_formats=DATE_FORMATS,
        help_text="For example 1/4/2025. Leave blank if you do not know.",
    )
    ended_on = forms.DateField(
        label="Ended on",
        required=False,
        input_formats=DATE_FORMATS,
        help_text="Only if it has stopped. Ended initiatives leave the ward matrix.",
    )
    wards = forms.MultipleChoiceField(
        label="Wards it covers",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select every ward the initiative works in.",
    )

    def __init__(
        self,
        *args: Any,
        wards: Sequence[Area] = (),
        instance: Initiative | None = None,
        **kwargs: Any,
    ) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name,
                "kind": instance.kind,
                "description": instance.description,
                "url": instance.url,
                "email": instance.email,
                "started_on": instance.started_on,
                "ended_on": instance.ended_on,
                "wards": [ward.code for ward in instance.wards.all()],
            }
        super().__init__(*args, **kwargs)
        self.ward_areas = {ward.code: ward for ward in wards}
        wards_field = cast(forms.MultipleChoiceField, self.fields["wards"])
        wards_field.choices = [(ward.code, ward.name) for ward in wards]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        started, ended = data.get("started_on"), data.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", "The end date must not be before the start date.")
        return data

    def chosen_wards(self) -> list[Area]:
        return [self.ward_areas[code] for code in self.cleaned_data["wards"]]

    def fields_for_save(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data[name] for name in ("description", "url", "email", "started_on", "ended_on")
        }
