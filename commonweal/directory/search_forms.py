"""The public search form: reads the query string into ``SearchCriteria`` and never refuses it.

Anything odd in the query string (a choice that does not exist, a page of "abc", ten kilobytes of
text) is clamped or ignored rather than shown as an error; only what people type themselves (an age,
a postcode) gets an error message, next to the field.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.core.cache import cache

from commonweal.directory.constants import SEND_NEEDS_TAXONOMY_URI, Publication
from commonweal.directory.models import Language, TaxonomyTerm
from commonweal.directory.public_search import (
    ACCESS_FACILITIES,
    DAYS,
    DEFAULT_MILES,
    DISTANCE_MILES,
    MAX_PAGE,
    SORTS,
    TIMES_OF_DAY,
    SearchCriteria,
)

MAX_TEXT = 200
MAX_POSTCODE = 16
LANGUAGES_CACHE_KEY = "directory:search:languages"
LANGUAGES_CACHE_SECONDS = 600
# Errors of these fields are shown; the others come only from edited URLs and are dropped quietly.
SHOWN_ERRORS = frozenset({"age"})


def _category_choices() -> list[tuple[str, Any]]:
    """Top-level terms of every taxonomy but the SEND needs one, grouped by taxonomy if several."""
    terms = list(
        TaxonomyTerm.objects.top_level()
        .exclude(taxonomy__uri=SEND_NEEDS_TAXONOMY_URI)
        .select_related("taxonomy")
        .order_by("taxonomy__name", "name", "id")
    )
    taxonomies: dict[str, list[tuple[str, str]]] = {}
    for term in terms:
        taxonomies.setdefault(term.taxonomy.name, []).append((str(term.public_id), term.name))
    if len(taxonomies) == 1:
        return [("", "Any category"), *next(iter(taxonomies.values()))]
    return [("", "Any category"), *taxonomies.items()]


def _send_need_choices() -> list[tuple[str, str]]:
    terms = TaxonomyTerm.objects.filter(taxonomy__uri=SEND_NEEDS_TAXONOMY_URI).order_by(
        "name", "id"
    )
    return [("", "Any need"), *((str(term.public_id), term.name) for term in terms)]


def _languages() -> list[str]:
    return sorted(
        set(
            Language.objects.filter(service__publication=Publication.PUBLISHED)
            .values_list("name", flat=True)
            .distinct()
        ),
        key=str.casefold,
    )


def _language_choices() -> list[tuple[str, str]]:
    names = cache.get_or_set(LANGUAGES_CACHE_KEY, _languages, LANGUAGES_CACHE_SECONDS)
    return [("", "Any language"), *((name, name) for name in names or [])]


class ClampedText(forms.CharField):
    """Text cut to a length instead of refused for being too long."""

    def __init__(self, *, limit: int, **kwargs: Any) -> None:
        self.limit = limit
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        return " ".join(text.replace("\x00", " ").split())[: self.limit]


class DirectorySearchForm(forms.Form):
    q = ClampedText(limit=MAX_TEXT, label="What are you looking for?")
    postcode = ClampedText(limit=MAX_POSTCODE, label="Postcode", help_text="For example, RM17 6SL.")
    distance = forms.TypedChoiceField(
        label="Distance",
        required=False,
        coerce=int,
        choices=[
            (str(miles), f"Within {miles} mile{'s' if miles > 1 else ''}")
            for miles in DISTANCE_MILES
        ],
        empty_value=DEFAULT_MILES,  # type: ignore[arg-type]
    )
    category = forms.ChoiceField(label="Category", required=False)
    day = forms.ChoiceField(label="Day", required=False, choices=[("", "Any day"), *DAYS.items()])
    time = forms.ChoiceField(
        label="Time of day", required=False, choices=[("", "Any time"), *TIMES_OF_DAY.items()]
    )
    age = forms.IntegerField(
        label="Age",
        required=False,
        min_value=0,
        max_value=120,
        help_text="The age of the person it is for, in years.",
        error_messages={
            "invalid": "Enter an age as a whole number of years, like 8.",
            "min_value": "Enter an age of 0 or more.",
            "max_value": "Enter an age of 120 or less.",
        },
    )
    free = forms.BooleanField(label="Free only", required=False)
    access = forms.MultipleChoiceField(
        label="Accessibility",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(facility.value, facility.label) for facility in ACCESS_FACILITIES],
    )
    need = forms.ChoiceField(label="Special educational needs or disability (SEND)", required=False)
    language = forms.ChoiceField(label="Language", required=False)
    sort = forms.ChoiceField(label="Sort by", required=False, choices=list(SORTS.items()))
    page = forms.IntegerField(required=False)

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        for name, choices in (
            ("category", _category_choices()),
            ("need", _send_need_choices()),
            ("language", _language_choices()),
        ):
            self.fields[name].choices = choices  # type: ignore[attr-defined]
        for name in ("distance", "category", "day", "time", "need", "language", "sort"):
            self.fields[name].widget.attrs["class"] = "govuk-select"
        self.fields["access"].widget.attrs["class"] = "govuk-checkboxes__input"
        self.fields["free"].widget.attrs["class"] = "govuk-checkboxes__input"

    def criteria(self) -> SearchCriteria:
        """What was asked for, leaving out anything that could not be read."""
        self.is_valid()
        for name in list(self.errors):
            if name not in SHOWN_ERRORS:
                del self.errors[name]
        data = self.cleaned_data
        page = data.get("page") or 1
        return SearchCriteria(
            text=data.get("q") or "",
            postcode=data.get("postcode") or "",
            miles=data.get("distance") or DEFAULT_MILES,
            category=_uuid(data.get("category")),
            day=data.get("day") or "",
            time_of_day=data.get("time") or "",
            age=data.get("age"),
            free_only=bool(data.get("free")),
            facilities=tuple(data.get("access") or ()),
            send_need=_uuid(data.get("need")),
            language=data.get("language") or "",
            sort=data.get("sort") or "",
            page=min(max(1, page), MAX_PAGE),
        )


def _uuid(value: str | None) -> UUID | None:
    if not value:
        return None
    try:
        return UUID(value)
    except ValueError:
        return None
