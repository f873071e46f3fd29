"""Forms for claiming a listing, proposing changes to it and deciding on claims and changes.

The edit form works on the listing document (``commonweal.directory.moderation.listing_document``):
``initial_from_document`` fills it, ``document_from_forms`` turns what was typed back into a document.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import formset_factory

from commonweal.directory.constants import (
    Facility,
    LocalOfferQuestion,
    ScheduleFrequency,
    ServiceStatus,
)
from commonweal.directory.moderation import (
    WEEKDAYS,
    WEEKS_OF_MONTH,
    amount_text,
    amount_value,
    byday_parts,
    uk_phone,
)


class ClaimForm(forms.Form):
    role_in_group = forms.CharField(
        label="What is your role in the group?",
        help_text="For example chair, secretary, organiser or volunteer coordinator.",
        max_length=200,
        error_messages={"required": "Say what your role in the group is."},
    )
    evidence = forms.CharField(
        label="How can a moderator check this?",
        help_text=(
            "For example: another committee member we can phone, the group's email address we can "
            "write to, or a page on the group's website that names you."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Say how a moderator can check that you act for the group."},
    )
    consent_to_contact = forms.BooleanField(
        label="A moderator may contact me and the group to check my claim",
        error_messages={"required": "Agree to a moderator contacting you to check your claim."},
    )


class DecisionForm(forms.Form):
    """Approve, or reject with a reason."""

    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")])
    reason = forms.CharField(
        label="Reason for rejecting",
        help_text="The person is sent this, so write it for them.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "reject" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Say why you are rejecting it: the person is told.")
        return cleaned


def _local_offer_field_name(question: str) -> str:
    return f"local_offer_{question}"


class ListingForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the listing's name."}
    )
    description = forms.CharField(
        label="Description",
        help_text="What happens, who runs it and what to expect when you first go.",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    url = forms.URLField(
        label="Website (optional)",
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter a web address, like https://example.org/"},
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        error_messages={"invalid": "Enter an email address, like name@example.org"},
    )
    status = forms.ChoiceField(label="Is it running now?", choices=ServiceStatus.choices)
    alert = forms.CharField(
        label="Alert (optional)",
        help_text="A short notice shown at the top of the listing, for example 'Closed over Easter'.",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    fees = forms.CharField(
        label="Fees and costs (optional)",
        help_text="Say 'Free' if it is free.",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    minimum_age = forms.IntegerField(
        label="Youngest age (optional)",
        min_value=0,
        max_value=120,
        required=False,
        error_messages={"invalid": "Enter the youngest age as a number, like 5."},
    )
    maximum_age = forms.IntegerField(
        label="Oldest age (optional)",
        min_value=0,
        max_value=120,
        required=False,
        error_messages={"invalid": "Enter the oldest age as a number, like 18."},
    )
    eligibility_description = forms.CharField(
        label="Who it is for (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    referral_required = forms.BooleanField(label="People need a referral", required=False)
    referral_description = forms.CharField(
        label="How to be referred (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    languages = forms.CharField(
        label="Languages (optional)",
        help_text="Languages it is offered in, separated by commas, for example English, Polish.",
        max_length=500,
        required=False,
    )
    send_local_offer = forms.BooleanField(
        label="It is part of the SEND Local Offer (for children and young people with special "
        "educational needs and disabilities)",
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in LocalOfferQuestion:
            self.fields[_local_offer_field_name(question.value)] = forms.CharField(
                label=f"{question.label} (optional)",
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=4000,
            )

    def local_offer_fields(self) -> list[forms.BoundField]:
        return [self[_local_offer_field_name(question.value)] for question in LocalOfferQuestion]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        low, high = cleaned.get("minimum_age"), cleaned.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", "The oldest age must not be below the youngest age.")
        return cleaned


class ScheduleForm(forms.Form):
    """One simple opening time: weekly on some days, or monthly on the nth day of a week."""

    id = forms.CharField(widget=forms.HiddenInput, required=False)
    freq = forms.ChoiceField(
        label="How often",
        choices=[(ScheduleFrequency.WEEKLY, "Every week"), (ScheduleFrequency.MONTHLY, "Monthly")],
        initial=ScheduleFrequency.WEEKLY,
    )
    days = forms.MultipleChoiceField(
        label="Which days",
        choices=list(WEEKDAYS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    week = forms.TypedChoiceField(
        label="Which week of the month (for monthly times)",
        choices=[("", "Not monthly"), *[(str(k), v) for k, v in WEEKS_OF_MONTH.items()]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    opens_at = forms.TimeField(
        label="Opens at",
        help_text="For example 10:00",
        required=False,
        error_messages={"invalid": "Enter the opening time like 10:00 or 19:30."},
    )
    closes_at = forms.TimeField(
        label="Closes at",
        help_text="For example 12:00",
        required=False,
        error_messages={"invalid": "Enter the closing time like 12:00 or 21:00."},
    )
    description = forms.CharField(
        label="Notes (optional)",
        help_text="For example 'term time only'.",
        max_length=300,
        required=False,
    )
    remove = forms.BooleanField(label="Remove these opening times", required=False)

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not (
            data.get("id")
            or data.get("days")
            or data.get("opens_at")
            or data.get("closes_at")
            or data.get("description")
        )

    def is_untouched(self) -> bool:
        """An existing opening time nobody changed: kept as it is, even if the form cannot show it."""
        return bool(self.cleaned_data.get("id")) and not self.has_changed()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("remove") or self.is_blank() or self.is_untouched():
            return cleaned
        if not cleaned.get("days"):
            self.add_error("days", "Choose at least one day.")
        if cleaned.get("freq") == ScheduleFrequency.MONTHLY and cleaned.get("week") is None:
            self.add_error("week", "Choose which week of the month.")
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", "The closing time must be after the opening time.")
        return cleaned

    def document(self, existing: dict[str, Any] | None) -> dict[str, Any]:
        data = self.cleaned_data
        monthly = data["freq"] == ScheduleFrequency.MONTHLY
        prefix = str(data["week"]) if monthly and data.get("week") is not None else ""
        days = [day for day in WEEKDAYS if day in (data.get("days") or [])]
        return {
            "id": data.get("id") or None,
            "freq": data["freq"],
            "interval": (existing or {}).get("interval") or 1,
            "byday": ",".join(prefix + day for day in days),
            "opens_at": data["opens_at"].strftime("%H:%M") if data.get("opens_at") else None,
            "closes_at": data["closes_at"].strftime("%H:%M") if data.get("closes_at") else None,
            "description": (data.get("description") or "").strip(),
        }


ScheduleFormSet = formset_factory(ScheduleForm, extra=2, max_num=30, absolute_max=40)


class PlaceForm(forms.Form):
    """Meeting-place details of a venue the group owns."""

    is_meeting_place = forms.BooleanField(
        label="Groups can meet here (hire or borrow a room)", required=False
    )
    capacity = forms.IntegerField(
        label="How many people the largest room holds (optional)",
        min_value=1,
        max_value=100000,
        required=False,
        error_messages={"invalid": "Enter the number of people as a number, like 40."},
    )
    facilities = forms.MultipleChoiceField(
        label="Facilities",
        choices=Facility.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class _ListItemForm(forms.Form):
    """One item of a list the group edits (a phone, a contact, a cost); ``id`` names an existing one."""

    id = forms.CharField(widget=forms.HiddenInput, required=False)
    remove = forms.BooleanField(label="Remove", required=False)
    content_fields: tuple[str, ...] = ()

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not data.get("id") and not any(data.get(name) for name in self.content_fields)

    def is_skipped(self) -> bool:
        """Removed, or an empty set nobody filled in: no item, and nothing in it is checked."""
        return bool(self.cleaned_data.get("remove")) or self.is_blank()

    def _unchanged(self, name: str) -> bool:
        return name not in self.changed_data and bool(self.initial.get("id"))


class PhoneForm(_ListItemForm):
    number = forms.CharField(
        label="Phone number",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    description = forms.CharField(
        label="What it is for (optional)",
        help_text="For example 'Bookings' or 'Text only'.",
        max_length=200,
        required=False,
    )
    content_fields = ("number", "description")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.is_skipped():
            return cleaned
        number = (cleaned.get("number") or "").strip()
        if not number:
            self.add_error("number", "Enter the phone number, or tick Remove.")
        elif not self._unchanged("number"):  # a number already listed stays as it was written
            try:
                cleaned["number"] = uk_phone(number)
            except ValueError as error:
                self.add_error("number", str(error))
        return cleaned


def _numbers(text: str) -> list[str]:
    return [
        part.strip()
        for part in text.replace(";", ",").replace("\n", ",").split(",")
        if part.strip()
    ]


class ContactForm(_ListItemForm):
    name = forms.CharField(label="Name (optional)", max_length=200, required=False)
    title = forms.CharField(
        label="Job title or role (optional)",
        help_text="For example 'Group leader'.",
        max_length=200,
        required=False,
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        error_messages={"invalid": "Enter an email address, like name@example.org"},
    )
    phones = forms.CharField(
        label="Phone numbers (optional)",
        help_text="Separate two or more numbers with commas, for example 01375 123456, 07700 900123.",
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    content_fields = ("name", "title", "email", "phones")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.is_skipped():
            return cleaned
        if not any(cleaned.get(name) for name in self.content_fields) and not self.errors:
            self.add_error(
                "name", "Give the contact a name, a job title, an email or a phone number."
            )
        known = set(_numbers(str(self.initial.get("phones") or "")))
        numbers = []
        for number in _numbers(cleaned.get("phones") or ""):
            if number in known:
                numbers.append(number)
                continue
            try:
                numbers.append(uk_phone(number))
            except ValueError as error:
                self.add_error("phones", f"{number}: {error}")
        cleaned["phone_numbers"] = numbers
        return cleaned


class CostForm(_ListItemForm):
    option = forms.CharField(
        label="What the cost is for (optional)",
        help_text="For example 'Adults', 'Per session' or 'Under 5s'.",
        max_length=200,
        required=False,
    )
    free = forms.BooleanField(label="It is free", required=False)
    amount = forms.CharField(
        label="Amount in pounds (optional)",
        help_text="For example 3.50",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )
    amount_description = forms.CharField(
        label="More about the cost (optional)",
        help_text="For example 'Pay what you can' or 'Concessions £2'.",
        max_length=2000,
        required=False,
    )
    content_fields = ("option", "free", "amount", "amount_description")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.is_skipped():
            return cleaned
        try:
            amount = amount_value(cleaned.get("amount"))
        except ValueError as error:
            self.add_error("amount", str(error))
            return cleaned
        if cleaned.get("free"):
            if amount:
                self.add_error(
                    "amount",
                    "A free option has no amount. Untick 'It is free' or clear the amount.",
                )
            amount = amount or amount_value("0")
        if amount is None and not cleaned.get("amount_description"):
            self.add_error("amount", "Enter the amount, tick 'It is free', or describe the cost.")
        cleaned["amount_value"] = amount
        return cleaned


PhoneFormSet = formset_factory(PhoneForm, extra=1, max_num=20, absolute_max=30)
ContactFormSet = formset_factory(ContactForm, extra=1, max_num=20, absolute_max=30)
CostFormSet = formset_factory(CostForm, extra=1, max_num=20, absolute_max=30)


# --- Between forms and the listing document --------------------------------------------------------


def listing_initial(document: dict[str, Any]) -> dict[str, Any]:
    initial = {
        name: document.get(name)
        for name in ListingForm.base_fields
        if name not in ("languages",) and name in document
    }
    initial["languages"] = ", ".join(document.get("languages") or [])
    for question, answer in (document.get("local_offer") or {}).items():
        initial[_local_offer_field_name(question)] = answer
    return initial


def schedule_initial(document: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for item in document.get("schedules") or []:
        days, week = byday_parts(item.get("byday") or "")
        rows.append(
            {
                "id": item.get("id") or "",
                "freq": item.get("freq") or ScheduleFrequency.WEEKLY,
                "days": days,
                "week": week,
                "opens_at": item.get("opens_at") or "",
                "closes_at": item.get("closes_at") or "",
                "description": item.get("description") or "",
            }
        )
    return rows


def place_initial(place: dict[str, Any]) -> dict[str, Any]:
    return {
        "is_meeting_place": place.get("is_meeting_place"),
        "capacity": place.get("capacity"),
        "facilities": place.get("facilities") or [],
    }


def phone_initial(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": item.get("id") or "",
            "number": item.get("number") or "",
            "description": item.get("description") or "",
        }
        for item in document.get("phones") or []
    ]


def contact_initial(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": item.get("id") or "",
            "name": item.get("name") or "",
            "title": item.get("title") or "",
            "email": item.get("email") or "",
            "phones": ", ".join(phone.get("number") or "" for phone in item.get("phones") or []),
        }
        for item in document.get("contacts") or []
    ]


def cost_initial(document: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for item in document.get("cost_options") or []:
        amount = amount_value(item.get("amount"))
        rows.append(
            {
                "id": item.get("id") or "",
                "option": item.get("option") or "",
                "free": amount == 0,
                "amount": "" if amount is None or amount == 0 else amount_text(amount),
                "amount_description": item.get("amount_description") or "",
            }
        )
    return rows


def _kept_items(formset: Any, existing: dict[str, Any]) -> list[tuple[Any, dict[str, Any] | None]]:
    """The formset's forms that make an item, each with the item it changes (None for a new one)."""
    kept = []
    for form in formset:
        if not form.has_changed() and not form.cleaned_data.get("id"):
            continue
        if form.is_skipped():
            continue
        kept.append((form, existing.get(form.cleaned_data.get("id") or "")))
    return kept


def phones_from_forms(current: list[dict[str, Any]], formset: Any) -> list[dict[str, Any]]:
    existing = {str(item["id"]): item for item in current if item.get("id")}
    rows = []
    for form, before in _kept_items(formset, existing):
        if before is not None and not form.has_changed():
            rows.append(before)
            continue
        rows.append(
            {
                "id": before.get("id") if before else None,
                "number": form.cleaned_data["number"],
                "description": (form.cleaned_data.get("description") or "").strip(),
            }
        )
    return rows


def contacts_from_forms(current: list[dict[str, Any]], formset: Any) -> list[dict[str, Any]]:
    """Contacts from the forms; a number a contact already had keeps its record and its note."""
    existing = {str(item["id"]): item for item in current if item.get("id")}
    rows = []
    for form, before in _kept_items(formset, existing):
        if before is not None and not form.has_changed():
            rows.append(before)
            continue
        had = {phone.get("number"): phone for phone in (before or {}).get("phones") or []}
        data = form.cleaned_data
        rows.append(
            {
                "id": before.get("id") if before else None,
                "name": (data.get("name") or "").strip(),
                "title": (data.get("title") or "").strip(),
                "email": (data.get("email") or "").strip(),
                "phones": [
                    had.get(number) or {"id": None, "number": number, "description": ""}
                    for number in data.get("phone_numbers") or []
                ],
            }
        )
    return rows


def costs_from_forms(current: list[dict[str, Any]], formset: Any) -> list[dict[str, Any]]:
    existing = {str(item["id"]): item for item in current if item.get("id")}
    rows = []
    for form, before in _kept_items(formset, existing):
        if before is not None and not form.has_changed():
            rows.append(before)
            continue
        data = form.cleaned_data
        rows.append(
            {
                "id": before.get("id") if before else None,
                "option": (data.get("option") or "").strip(),
                "amount": amount_text(data.get("amount_value")),
                "amount_description": (data.get("amount_description") or "").strip(),
            }
        )
    return rows


def _languages(text: str) -> list[str]:
    seen: dict[str, str] = {}
    for part in text.replace(";", ",").split(","):
        name = " ".join(part.split())
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name[:100]
    return sorted(seen.values(), key=str.casefold)


def document_from_forms(
    *,
    current: dict[str, Any],
    listing: ListingForm,
    schedules: Any,
    places: dict[str, PlaceForm],
    phones: Any = None,
    contacts: Any = None,
    costs: Any = None,
) -> dict[str, Any]:
    """The proposed listing document from valid forms (``current`` gives what the forms leave out;
    a list whose formset was not sent stays as it is)."""
    data = listing.cleaned_data
    document = dict(current)
    for name in (
        "name",
        "description",
        "url",
        "email",
        "status",
        "alert",
        "fees",
        "minimum_age",
        "maximum_age",
        "eligibility_description",
        "referral_required",
        "referral_description",
        "send_local_offer",
    ):
        value = data.get(name)
        document[name] = value.strip() if isinstance(value, str) else value
    document["languages"] = _languages(data.get("languages") or "")
    document["local_offer"] = {
        question.value: data[_local_offer_field_name(question.value)].strip()
        for question in LocalOfferQuestion
        if (data.get(_local_offer_field_name(question.value)) or "").strip()
    }
    existing = {item.get("id"): item for item in current.get("schedules") or [] if item.get("id")}
    rows = []
    for form in schedules:
        if not form.has_changed() and not form.cleaned_data.get("id"):
            continue
        if form.cleaned_data.get("remove") or form.is_blank():
            continue
        if form.is_untouched() and form.cleaned_data["id"] in existing:
            rows.append(existing[form.cleaned_data["id"]])
            continue
        rows.append(form.document(existing.get(form.cleaned_data.get("id"))))
    document["schedules"] = rows
    new_places = {}
    for place_id, place in (current.get("places") or {}).items():
        form = places.get(place_id)
        if form is None:
            new_places[place_id] = place
            continue
        new_places[place_id] = {
            "name": place.get("name"),
            "is_meeting_place": bool(form.cleaned_data.get("is_meeting_place")),
            "capacity": form.cleaned_data.get("capacity"),
            "facilities": sorted(form.cleaned_data.get("facilities") or []),
        }
    document["places"] = new_places
    if phones is not None:
        document["phones"] = phones_from_forms(current.get("phones") or [], phones)
    if contacts is not None:
        document["contacts"] = contacts_from_forms(current.get("contacts") or [], contacts)
    if costs is not None:
        document["cost_options"] = costs_from_forms(current.get("cost_options") or [], costs)
    return document
