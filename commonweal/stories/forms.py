"""Forms of the stories app: sharing a story (with its signification), moderating, filtering."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from PIL import Image

from commonweal.geo.models import Area
from commonweal.geo.selectors import ward_list
from commonweal.outcomes.models import Outcome
from commonweal.outcomes.selectors import outcome_list
from commonweal.stories.constants import (
    AUDIO_MAX_BYTES,
    AUDIO_TYPES,
    CONSENT_WORDING,
    GUARDIAN_WORDING,
    NOTE_MAX_CHARS,
    PHOTO_FORMATS,
    PHOTO_MAX_BYTES,
    PHOTO_MAX_PIXELS,
    SPECIAL_CATEGORY_WORDING,
    STORY_MAX_CHARS,
    STORY_MIN_CHARS,
    TITLE_MAX_CHARS,
    AgeBand,
    ConsentLevel,
    EnergyToAct,
    EthnicGroup,
    Gender,
    SignifierKind,
)
from commonweal.stories.listening import ActionDraft, ListeningDraft
from commonweal.stories.media import audio_detect
from commonweal.stories.models import Collection, Signifier
from commonweal.stories.services import StoryDraft
from commonweal.stories.signification import SignificationError, dyad_check, triad_normalise


class StoryForm(forms.Form):
    """The share-your-story form for one collection; signifier fields are added per collection."""

    title = forms.CharField(
        label="Give your story a short title",
        max_length=TITLE_MAX_CHARS,
        help_text="For example: The day the lunch club called me.",
        error_messages={
            "required": "Give your story a short title",
            "max_length": f"Keep the title under {TITLE_MAX_CHARS} characters",
        },
    )
    text = forms.CharField(
        label="Your story",
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": "Write your story"},
    )
    ward = forms.ChoiceField(
        label="Which ward do you live in? (optional)",
        required=False,
        help_text="We only ever show the ward, never an address.",
        error_messages={"invalid_choice": "Choose a ward from the list"},
    )
    outcomes = forms.MultipleChoiceField(
        label="What is your story about? Choose any that fit (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose outcomes from the list"},
    )
    consent_level = forms.ChoiceField(
        label="May we publish your story?",
        choices=ConsentLevel.choices,
        widget=forms.RadioSelect,
        help_text="A moderator reads every story first. You can take it down at any time with the "
        "private link we give you.",
        error_messages={
            "required": "Choose whether we may publish your story",
            "invalid_choice": "Choose whether we may publish your story",
        },
    )
    teller_name = forms.CharField(
        label="Your first name (only if you want it shown)",
        max_length=60,
        required=False,
        help_text="Only your first name, please.",
    )
    teller_under_16 = forms.BooleanField(label="I am under 16", required=False)
    guardian_name = forms.CharField(
        label="Name of your parent or carer (if you are under 16)",
        max_length=100,
        required=False,
    )
    guardian_agrees = forms.BooleanField(label=GUARDIAN_WORDING, required=False)
    age_band = forms.ChoiceField(
        label="Your age (optional)", choices=[("", "Choose"), *AgeBand.choices], required=False
    )
    gender = forms.ChoiceField(
        label="Your gender (optional)", choices=[("", "Choose"), *Gender.choices], required=False
    )
    ethnic_group = forms.ChoiceField(
        label="Your ethnic group (optional)",
        choices=[("", "Choose"), *EthnicGroup.choices],
        required=False,
    )
    photo = forms.FileField(
        label="A photo (optional)",
        required=False,
        help_text="A JPEG, PNG, WebP or GIF picture, up to 5 MB. Please no faces of other people "
        "without asking them. We take out where and when it was taken and the camera's details.",
    )
    photo_alt = forms.CharField(
        label="Describe the photo (needed with a photo)",
        max_length=300,
        required=False,
        help_text="For people who cannot see it. For example: three people planting bulbs by a wall.",
    )
    audio = forms.FileField(
        label="A sound recording (optional)",
        required=False,
        help_text="An MP3, M4A, AAC, OGG, WAV or WebM file, up to 20 MB.",
    )
    client_uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, collection: Collection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.collection = collection
        self.fields["text"].help_text = collection.question
        self.wards = {ward.code: ward for ward in ward_list()}
        cast(forms.ChoiceField, self.fields["ward"]).choices = [
            ("", "Choose your ward"),
            *((code, ward.name) for code, ward in self.wards.items()),
        ]
        self.outcome_objects = {outcome.slug: outcome for outcome in outcome_list()}
        cast(forms.MultipleChoiceField, self.fields["outcomes"]).choices = [
            (slug, outcome.name) for slug, outcome in self.outcome_objects.items()
        ]
        self.signifiers: list[Signifier] = list(collection.signifiers.all())
        for signifier in self.signifiers:
            if signifier.is_triad:
                for key, pole in zip("abc", signifier.poles, strict=True):
                    self.fields[f"triad_{signifier.pk}_{key}"] = forms.IntegerField(
                        label=pole,
                        required=False,
                        min_value=0,
                        max_value=100,
                        error_messages={"invalid": "Use a whole number from 0 to 100"},
                    )
            else:
                self.fields[f"dyad_{signifier.pk}"] = forms.IntegerField(
                    label=signifier.prompt,
                    required=False,
                    min_value=0,
                    max_value=100,
                    initial=50,
                    widget=forms.NumberInput(attrs={"type": "range", "step": 1}),
                )
            self.fields[f"na_{signifier.pk}"] = forms.BooleanField(
                label="Does not apply to my story", required=False
            )
        if "client_uuid" not in self.initial and not self.is_bound:
            self.initial["client_uuid"] = uuid.uuid4()
        self.answers: dict[int, tuple[int, ...] | None] = {}

    # --- grouped fields for the template ---

    def signifier_groups(self) -> list[dict[str, Any]]:
        groups = []
        for signifier in self.signifiers:
            if signifier.is_triad:
                fields = [self[f"triad_{signifier.pk}_{key}"] for key in "abc"]
            else:
                fields = [self[f"dyad_{signifier.pk}"]]
            errors = [error for field in fields for error in field.errors]
            groups.append(
                {
                    "signifier": signifier,
                    "fields": fields,
                    "na": self[f"na_{signifier.pk}"],
                    "errors": errors,
                }
            )
        return groups

    def consent_wordings(self) -> list[tuple[str, str, str]]:
        return [(value, label, CONSENT_WORDING[value]) for value, label in ConsentLevel.choices]

    # --- checks ---

    def clean_text(self) -> str:
        text = str(self.cleaned_data["text"]).strip()
        if len(text) < STORY_MIN_CHARS:
            raise forms.ValidationError(
                f"Your story is very short: write at least {STORY_MIN_CHARS} characters"
            )
        if len(text) > STORY_MAX_CHARS:
            raise forms.ValidationError(
                f"Your story is too long for this form: keep it under {STORY_MAX_CHARS:,} "
                f"characters (it has {len(text):,})"
            )
        return text

    def clean_ward(self) -> Area | None:
        code = self.cleaned_data.get("ward") or ""
        if not code:
            return None
        ward = self.wards.get(code)
        if ward is None:
            raise forms.ValidationError("Choose a ward from the list")
        return ward

    def clean_outcomes(self) -> list[Outcome]:
        return [
            self.outcome_objects[slug]
            for slug in self.cleaned_data.get("outcomes") or []
            if slug in self.outcome_objects
        ]

    def clean_photo(self) -> UploadedFile | None:
        photo = self.cleaned_data.get("photo")
        if not photo:
            return None
        if photo.size and photo.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError("The photo must be smaller than 5 MB")
        try:
            photo.seek(0)
            with Image.open(photo) as image:
                image_format = image.format
                width, height = image.size
                image.verify()
        except (
            Exception
        ) as exc:  # Pillow raises many kinds of error for files that are not pictures
            raise forms.ValidationError(
                "The photo is not a picture we can read: choose a JPEG, PNG, WebP or GIF file"
            ) from exc
        finally:
            photo.seek(0)
        if image_format not in PHOTO_FORMATS:
            raise forms.ValidationError("The photo must be a JPEG, PNG, WebP or GIF picture")
        if width * height > PHOTO_MAX_PIXELS:
            raise forms.ValidationError("The photo is too large: choose a smaller picture")
        return photo  # type: ignore[no-any-return]

    def clean_audio(self) -> UploadedFile | None:
        audio = self.cleaned_data.get("audio")
        if not audio:
            return None
        if audio.size and audio.size > AUDIO_MAX_BYTES:
            raise forms.ValidationError("The sound recording must be smaller than 20 MB")
        # What the file is comes from its first bytes: its name can say anything.
        extension = audio_detect(audio)
        if extension is None:
            raise forms.ValidationError(
                "The sound recording must be an MP3, M4A, AAC, OGG, WAV or WebM file"
            )
        self.audio_type = AUDIO_TYPES[extension]
        return audio  # type: ignore[no-any-return]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("photo") and not str(data.get("photo_alt") or "").strip():
            self.add_error("photo_alt", "Describe the photo for people who cannot see it")
        if (
            data.get("consent_level") == ConsentLevel.PUBLIC_NAMED
            and not str(data.get("teller_name") or "").strip()
        ):
            self.add_error("teller_name", "Give your first name, or choose to publish without it")
        under_16 = bool(data.get("teller_under_16")) or data.get("age_band") == AgeBand.UNDER_16
        data["teller_under_16"] = under_16
        if under_16:
            if not str(data.get("guardian_name") or "").strip():
                self.add_error(
                    "guardian_name", "If you are under 16, give the name of your parent or carer"
                )
            if not data.get("guardian_agrees"):
                self.add_error(
                    "guardian_agrees", "If you are under 16, your parent or carer needs to agree"
                )
        self._clean_signification(data)
        return data

    def _clean_signification(self, data: dict[str, Any]) -> None:
        for signifier in self.signifiers:
            if data.get(f"na_{signifier.pk}"):
                self.answers[signifier.pk] = None
                continue
            if signifier.is_triad:
                names = [f"triad_{signifier.pk}_{key}" for key in "abc"]
                if any(name in self.errors for name in names):
                    continue
                values = [data.get(name) for name in names]
                if all(value is None for value in values):
                    continue  # not answered: signification is the teller's choice
                try:
                    self.answers[signifier.pk] = triad_normalise([v or 0 for v in values])
                except SignificationError as exc:
                    self.add_error(names[0], str(exc))
            else:
                name = f"dyad_{signifier.pk}"
                if name in self.errors or data.get(name) is None:
                    continue
                try:
                    self.answers[signifier.pk] = (dyad_check(data[name]),)
                except SignificationError as exc:
                    self.add_error(name, str(exc))

    def draft(self) -> StoryDraft:
        data = self.cleaned_data
        named = data["consent_level"] == ConsentLevel.PUBLIC_NAMED
        return StoryDraft(
            title=data["title"],
            text=data["text"],
            consent_level=data["consent_level"],
            ward=data.get("ward"),
            teller_name=data.get("teller_name", "") if named else "",
            teller_under_16=data["teller_under_16"],
            guardian_name=data.get("guardian_name", ""),
            age_band=data.get("age_band", ""),
            gender=data.get("gender", ""),
            ethnic_group=data.get("ethnic_group", ""),
            outcomes=data.get("outcomes") or [],
            answers=dict(self.answers),
            photo=data.get("photo"),
            photo_alt=data.get("photo_alt", ""),
            audio=data.get("audio"),
            audio_type=getattr(self, "audio_type", ""),
            client_uuid=data.get("client_uuid"),
        )


class StoryFilterForm(forms.Form):
    q = forms.CharField(label="Search stories", max_length=200, required=False)
    outcome = forms.ChoiceField(label="Outcome", required=False)
    ward = forms.ChoiceField(label="Ward", required=False)
    theme = forms.ChoiceField(label="Theme", required=False)
    collection = forms.ChoiceField(label="Collection", required=False)

    def __init__(
        self, *args: Any, choices: dict[str, list[tuple[str, str]]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        anything = {
            "outcome": "Any outcome",
            "ward": "Any ward",
            "theme": "Any theme",
            "collection": "Any collection",
        }
        for name, label in anything.items():
            cast(forms.ChoiceField, self.fields[name]).choices = [("", label), *choices[name]]


class ModerationForm(forms.Form):
    public_title = forms.CharField(
        label="Title to publish",
        max_length=TITLE_MAX_CHARS,
        help_text="Take out names, addresses and anything else that would identify someone.",
    )
    public_text = forms.CharField(
        label="Story to publish",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="The teller's own words are kept, privately, as they wrote them.",
    )
    themes = forms.CharField(
        label="Themes (optional)",
        required=False,
        max_length=300,
        help_text="Separate themes with commas. For example: getting about, loneliness.",
    )
    reason = forms.CharField(
        label="Note or reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you decline a story; the teller is never shown it.",
    )

    def theme_names(self) -> list[str]:
        raw = str(self.cleaned_data.get("themes") or "")
        return [name.strip() for name in raw.split(",") if name.strip()][:10]


class ListeningForm(forms.Form):
    """A conversation an organiser had: no name needed, a ward or a street, the issues and the energy."""

    team = forms.ChoiceField(label="Team")
    conversation_on = forms.DateField(
        label="Date of the conversation",
        help_text="For example, 14 3 2026 or 2026-03-14.",
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"],
        error_messages={
            "required": "Give the date of the conversation",
            "invalid": "Give the date as day, month and year, for example 14/03/2026",
        },
    )
    ward = forms.ChoiceField(
        label="Ward",
        required=False,
        error_messages={"invalid_choice": "Choose a ward from the list"},
    )
    street = forms.CharField(
        label="Street (optional)",
        max_length=120,
        required=False,
        help_text="The street name only, never a house number.",
    )
    issues = forms.CharField(
        label="What did they talk about?",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=STORY_MAX_CHARS,
        error_messages={"required": "Write down the issues they raised"},
    )
    categories = forms.MultipleChoiceField(
        label="Which kinds of issue? (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    energy = forms.ChoiceField(
        label="How much energy do they have to act on it?",
        widget=forms.RadioSelect,
        choices=EnergyToAct.choices,
        error_messages={"required": "Choose how much energy they have to act"},
    )
    follow_up_consent = forms.BooleanField(
        label="They agreed to be contacted again", required=False
    )
    contact_name = forms.CharField(label="Their name (optional)", max_length=100, required=False)
    contact_detail = forms.CharField(
        label="Phone or email (optional)", max_length=200, required=False
    )
    special_category_consent = forms.BooleanField(
        label=SPECIAL_CATEGORY_WORDING,
        required=False,
        help_text="Read this to them. Tick only if they said yes.",
    )
    political_opinions = forms.CharField(
        label="Political opinions they shared (only with their consent above)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    religious_beliefs = forms.CharField(
        label="Religious beliefs they shared (only with their consent above)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, teams: list[Any], categories: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.teams = {str(team.public_id): team for team in teams}
        cast(forms.ChoiceField, self.fields["team"]).choices = [
            (key, team.name) for key, team in self.teams.items()
        ]
        self.wards = {ward.code: ward for ward in ward_list()}
        cast(forms.ChoiceField, self.fields["ward"]).choices = [
            ("", "Choose a ward"),
            *((code, ward.name) for code, ward in self.wards.items()),
        ]
        self.category_objects = {category.slug: category for category in categories}
        cast(forms.MultipleChoiceField, self.fields["categories"]).choices = [
            (slug, category.name) for slug, category in self.category_objects.items()
        ]

    def clean_street(self) -> str:
        street = str(self.cleaned_data.get("street") or "").strip()
        if any(character.isdigit() for character in street):
            raise forms.ValidationError("Give the street name only, without a house number")
        return street

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("ward") and not data.get("street") and "street" not in self.errors:
            self.add_error("ward", "Choose a ward or give a street name")
        if (
            str(data.get("political_opinions") or "").strip()
            or str(data.get("religious_beliefs") or "").strip()
        ) and not data.get("special_category_consent"):
            self.add_error(
                "special_category_consent",
                "Political opinions and religious beliefs can only be written down with their "
                "explicit consent: tick the box if they agreed, or leave those boxes empty",
            )
        if (
            str(data.get("contact_name") or "").strip()
            or str(data.get("contact_detail") or "").strip()
        ) and not data.get("follow_up_consent"):
            self.add_error(
                "follow_up_consent",
                "Keep a name or contact details only if they agreed to be contacted again",
            )
        return data

    def draft(self) -> ListeningDraft:
        data = self.cleaned_data
        return ListeningDraft(
            team=self.teams[data["team"]],
            conversation_on=data["conversation_on"],
            issues=data["issues"],
            energy=data["energy"],
            ward=self.wards.get(data.get("ward") or ""),
            street=data.get("street", ""),
            categories=[
                self.category_objects[slug]
                for slug in data.get("categories") or []
                if slug in self.category_objects
            ],
            follow_up_consent=bool(data.get("follow_up_consent")),
            contact_name=data.get("contact_name", ""),
            contact_detail=data.get("contact_detail", ""),
            special_category_consent=bool(data.get("special_category_consent")),
            political_opinions=data.get("political_opinions", ""),
            religious_beliefs=data.get("religious_beliefs", ""),
        )


class MscRoundForm(forms.Form):
    title = forms.CharField(
        label="Name of the round",
        max_length=150,
        error_messages={"required": "Give the round a name"},
    )
    period_start = forms.DateField(
        label="Stories told from",
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text="For example 01/09/2026.",
        error_messages={
            "required": "Give the first day of the period",
            "invalid": "Give the date as day/month/year",
        },
    )
    period_end = forms.DateField(
        label="Stories told until",
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={
            "required": "Give the last day of the period",
            "invalid": "Give the date as day/month/year",
        },
    )
    panel = forms.CharField(
        label="Who selects", max_length=200, error_messages={"required": "Say who selects"}
    )
    outcomes = forms.MultipleChoiceField(
        label="Domains of change",
        widget=forms.CheckboxSelectMultiple,
        help_text="“Any other change” is always added.",
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outcome_objects = {outcome.slug: outcome for outcome in outcome_list()}
        cast(forms.MultipleChoiceField, self.fields["outcomes"]).choices = [
            (slug, outcome.name) for slug, outcome in self.outcome_objects.items()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The period must end on or after its start")
        data["outcome_objects"] = [
            self.outcome_objects[s] for s in data.get("outcomes") or [] if s in self.outcome_objects
        ]
        return data


class NuggetForm(forms.Form):
    """Why a story is a golden nugget, in the words of the person who keeps it."""

    note = forms.CharField(
        label="Why is this story a golden nugget?",
        help_text="For example, what it shows that others do not, or who should read it.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=NOTE_MAX_CHARS,
        error_messages={
            "required": "Write a note: say why this story is a golden nugget",
            "max_length": f"Keep the note under {NOTE_MAX_CHARS:,} characters",
        },
    )


class ListeningActionForm(forms.Form):
    """Turn a kind of issue into an action: what will be done, who leads, the conversations behind it."""

    team = forms.ChoiceField(label="Team")
    category = forms.ChoiceField(
        label="Kind of issue",
        required=False,
        error_messages={"invalid_choice": "Choose a kind of issue from the list"},
    )
    title = forms.CharField(
        label="Name of the action",
        max_length=150,
        help_text="For example, “Lift share to the evening classes”.",
        error_messages={"required": "Give the action a name"},
    )
    plan = forms.CharField(
        label="What will be done?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=STORY_MAX_CHARS,
        error_messages={"required": "Say what will be done"},
    )
    lead = forms.CharField(
        label="Who leads it?",
        max_length=100,
        help_text="A name or a group.",
        error_messages={"required": "Say who leads it"},
    )
    records = forms.MultipleChoiceField(
        label="Conversations behind it (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose conversations of your team only"},
    )

    def __init__(
        self,
        *args: Any,
        teams: list[Any],
        categories: list[Any],
        records: list[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.teams = {str(team.public_id): team for team in teams}
        cast(forms.ChoiceField, self.fields["team"]).choices = [
            (key, team.name) for key, team in self.teams.items()
        ]
        self.category_objects = {category.slug: category for category in categories}
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            ("", "Not one kind"),
            *((slug, category.name) for slug, category in self.category_objects.items()),
        ]
        self.record_objects = {str(record.public_id): record for record in records}
        cast(forms.MultipleChoiceField, self.fields["records"]).choices = [
            (key, f"{record.conversation_on:%d %b %Y}, {record}: {record.issues[:80]}")
            for key, record in self.record_objects.items()
        ]

    def draft(self) -> ActionDraft:
        data = self.cleaned_data
        return ActionDraft(
            team=self.teams[data["team"]],
            title=data["title"],
            plan=data["plan"],
            lead=data["lead"],
            category=self.category_objects.get(data.get("category") or ""),
            records=[self.record_objects[key] for key in data.get("records") or []],
        )


_DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"]


class CollectionForm(forms.Form):
    """A collection: a question asked at a time and place."""

    title = forms.CharField(
        label="Name of the collection",
        max_length=150,
        help_text="For example: Ideas Fair, November.",
        error_messages={
            "required": "Give the collection a name",
            "max_length": "Keep the name under 150 characters",
        },
    )
    question = forms.CharField(
        label="The question tellers are asked",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1_000,
        help_text="Shown above the story box. For example: Tell us about a time when you felt you "
        "really belonged here.",
        error_messages={
            "required": "Write the question tellers are asked",
            "max_length": "Keep the question under 1,000 characters",
        },
    )
    place = forms.CharField(
        label="Where it is asked (optional)",
        max_length=150,
        required=False,
        help_text="For example: Thameside Theatre, Grays.",
        error_messages={"max_length": "Keep the place under 150 characters"},
    )
    starts_on = forms.DateField(
        label="First day (optional)",
        required=False,
        input_formats=_DATE_FORMATS,
        help_text="For example 14/11/2026.",
        error_messages={"invalid": "Give the date as day/month/year, for example 14/11/2026"},
    )
    ends_on = forms.DateField(
        label="Last day (optional)",
        required=False,
        input_formats=_DATE_FORMATS,
        error_messages={"invalid": "Give the date as day/month/year, for example 30/11/2026"},
    )
    description = forms.CharField(
        label="Notes for staff and gatherers (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX_CHARS,
        required=False,
        error_messages={"max_length": f"Keep the notes under {NOTE_MAX_CHARS:,} characters"},
    )
    is_open = forms.BooleanField(
        label="Open: the share form and gatherers take new stories for it",
        required=False,
        initial=True,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", "The last day must be on or after the first day")
        return data


class SignifierForm(forms.Form):
    """A triad (three poles, a point in a triangle) or a dyad (two poles, a slider)."""

    kind = forms.ChoiceField(
        label="Triad or dyad?",
        choices=SignifierKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a triad or a dyad",
            "invalid_choice": "Choose a triad or a dyad",
        },
    )
    prompt = forms.CharField(
        label="The question",
        max_length=300,
        help_text="For example: What made the difference in your story?",
        error_messages={
            "required": "Write the question tellers answer",
            "max_length": "Keep the question under 300 characters",
        },
    )
    pole_a = forms.CharField(
        label="First pole",
        max_length=80,
        help_text="The top corner of a triad, or the left end of a dyad.",
        error_messages={
            "required": "Give the first pole",
            "max_length": "Keep each pole under 80 characters",
        },
    )
    pole_b = forms.CharField(
        label="Second pole",
        max_length=80,
        help_text="The bottom left corner of a triad, or the right end of a dyad.",
        error_messages={
            "required": "Give the second pole",
            "max_length": "Keep each pole under 80 characters",
        },
    )
    pole_c = forms.CharField(
        label="Third pole (triads only)",
        max_length=80,
        required=False,
        help_text="The bottom right corner of a triad. Leave it empty for a dyad.",
        error_messages={"max_length": "Keep each pole under 80 characters"},
    )

    def __init__(self, *args: Any, kind: str = "", **kwargs: Any) -> None:
        """With ``kind`` (editing), the kind is fixed and not asked."""
        super().__init__(*args, **kwargs)
        self.fixed_kind = kind
        if kind:
            del self.fields["kind"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = self.fixed_kind or data.get("kind")
        third = str(data.get("pole_c") or "").strip()
        if kind == SignifierKind.TRIAD and not third and "pole_c" not in self.errors:
            self.add_error("pole_c", "A triad needs three poles: give the third")
        if kind == SignifierKind.DYAD and third:
            self.add_error("pole_c", "A dyad has only two poles: leave the third empty")
        poles = [str(data.get(name) or "").strip().casefold() for name in ("pole_a", "pole_b")]
        if third:
            poles.append(third.casefold())
        if all(poles) and len(set(poles)) < len(poles):
            self.add_error("pole_b", "Give each pole a different name")
        return data

    def poles(self) -> list[str]:
        data = self.cleaned_data
        return [data["pole_a"], data["pole_b"], data.get("pole_c", "")]


POPULATION_FILE_MAX_BYTES = 1024 * 1024


class PopulationUploadForm(forms.Form):
    """A CSV of ward populations from the council."""

    file = forms.FileField(
        label="CSV file of ward populations",
        help_text="Columns “ward code” and “population”, and optionally more columns of whole "
        "numbers such as age bands. Save it from a spreadsheet as CSV UTF-8.",
        error_messages={"required": "Choose a CSV file to upload"},
    )
    file_name = ""

    def clean_file(self) -> str:
        upload = cast(UploadedFile, self.cleaned_data["file"])
        self.file_name = str(upload.name or "")
        if (upload.size or 0) > POPULATION_FILE_MAX_BYTES:
            raise forms.ValidationError("The file must be smaller than 1 MB")
        try:
            return str(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                "The file is not a CSV text file: save it from the spreadsheet as CSV UTF-8"
            ) from exc
