"""Self-service with moderation: what a listing's editable content is, how two versions differ, and who
may claim, edit and moderate listings.

A listing's editable content is one JSON document (``listing_document``): the service's own fields, its
languages, SEND Local Offer answers, simple weekly or monthly opening times, its phone numbers, its
contacts with theirs, its cost options, and the meeting-place details of the venues its group owns. A
document stored before a key existed simply lacks it, and a missing key means "unchanged". Versions store it; proposed edits store a whole proposed document; the
moderation queue compares documents with ``document_diff``. Writes live in ``moderation_services``, reads
for pages in ``moderation_selectors``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from commonweal.accounts.constants import Role
from commonweal.accounts.permissions import SIGN_IN_REASON, can_act_in_role
from commonweal.accounts.selectors import user_has_role
from commonweal.core.permissions import Decision
from commonweal.directory.constants import (
    Facility,
    LocalOfferQuestion,
    ScheduleFrequency,
    ServiceStatus,
)
from commonweal.directory.models import Location, Service

MODERATOR_ROLES: tuple[str, ...] = (Role.MODERATOR, Role.ADMIN)

# The service's own fields a group edits, in the order pages show them, with their labels.
SERVICE_FIELDS: dict[str, str] = {
    "name": "Name",
    "description": "Description",
    "url": "Website",
    "email": "Email address",
    "status": "Running now?",
    "alert": "Alert",
    "fees": "Fees and costs",
    "minimum_age": "Youngest age",
    "maximum_age": "Oldest age",
    "eligibility_description": "Who it is for",
    "referral_required": "Referral needed",
    "referral_description": "How to be referred",
    "send_local_offer": "Part of the SEND Local Offer",
}
# Lists of the service's own records, each item naming the record it came from by ``id`` (None: new).
LIST_KEYS = ("phones", "contacts", "cost_options")
DOCUMENT_KEYS = (*SERVICE_FIELDS, "languages", "local_offer", "schedules", "places", *LIST_KEYS)

WEEKDAYS: dict[str, str] = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}
WEEKS_OF_MONTH: dict[int, str] = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", -1: "last"}
_BYDAY = re.compile(r"^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$")


# --- The document ----------------------------------------------------------------------------------


def _time(value: Any) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def schedule_document(schedule: Any) -> dict[str, Any]:
    """One opening time as the simple rule groups edit (``id`` names the schedule it came from)."""
    return {
        "id": str(schedule.public_id),
        "freq": schedule.freq or "",
        "interval": schedule.interval or 1,
        "byday": schedule.byday or "",
        "opens_at": _time(schedule.opens_at),
        "closes_at": _time(schedule.closes_at),
        "description": schedule.description or "",
    }


def owned_places(service: Service) -> list[Location]:
    """The venues of the service that its own group owns (so its representatives may describe them)."""
    organization = service.organization
    places = []
    for sal in service.service_at_locations.all():
        location = sal.location
        owner = location.organization
        if owner is None:
            continue
        if owner.pk == organization.pk or (
            organization.account_organisation_id is not None
            and owner.account_organisation_id == organization.account_organisation_id
        ):
            places.append(location)
    return places


def phone_document(phone: Any) -> dict[str, Any]:
    return {
        "id": str(phone.public_id),
        "number": phone.number,
        "description": phone.description or "",
    }


def contact_document(contact: Any) -> dict[str, Any]:
    return {
        "id": str(contact.public_id),
        "name": contact.name or "",
        "title": contact.title or "",
        "email": contact.email or "",
        "phones": [phone_document(phone) for phone in contact.phones.all()],
    }


def amount_text(value: Any) -> str | None:
    """A cost in pounds as the document holds it ('3.50'), or None for no amount."""
    if value is None or value == "":
        return None
    return f"{Decimal(str(value)):.2f}"


def cost_document(cost: Any) -> dict[str, Any]:
    return {
        "id": str(cost.public_id),
        "option": cost.option or "",
        "amount": amount_text(cost.amount),
        "amount_description": cost.amount_description or "",
    }


def listing_document(service: Service) -> dict[str, Any]:
    """The listing's editable content now, as the JSON document versions and edits hold."""
    document: dict[str, Any] = {name: getattr(service, name) for name in SERVICE_FIELDS}
    document["languages"] = sorted(
        {language.name for language in service.languages.all() if language.phone_id is None},
        key=str.casefold,
    )
    document["local_offer"] = {
        answer.question: answer.answer for answer in service.local_offer_answers.all()
    }
    document["schedules"] = [schedule_document(s) for s in service.schedules.all()]
    document["phones"] = [
        phone_document(phone) for phone in service.phones.all() if phone.contact_id is None
    ]
    document["contacts"] = [contact_document(contact) for contact in service.contacts.all()]
    document["cost_options"] = [cost_document(cost) for cost in service.cost_options.all()]
    document["places"] = {
        str(location.public_id): {
            "name": str(location),
            "is_meeting_place": location.is_meeting_place,
            "capacity": location.capacity,
            "facilities": sorted(facility.facility for facility in location.facilities.all()),
        }
        for location in owned_places(service)
    }
    return document


def document_effective(
    *, base: Mapping[str, Any], proposed: Mapping[str, Any], current: Mapping[str, Any]
) -> dict[str, Any]:
    """What approving ``proposed`` (made from ``base``) makes of the listing as it is now (``current``).

    Only what the proposer changed is taken, so that a change approved in the meantime is not undone:
    top-level fields whole, and Local Offer answers and places one by one.
    """
    result = dict(current)
    for key in DOCUMENT_KEYS:
        if key not in proposed or proposed.get(key) == base.get(key):
            continue
        new, old, now = proposed[key], base.get(key), current.get(key)
        if key in ("local_offer", "places") and isinstance(now, dict):
            merged = dict(now)
            old = old or {}
            for sub in set(new) | set(old):
                if new.get(sub) != old.get(sub):
                    if sub in new:
                        merged[sub] = new[sub]
                    else:
                        merged.pop(sub, None)
            if key == "places":  # only the places that are still the group's own venues
                merged = {sub: value for sub, value in merged.items() if sub in now}
            result[key] = merged
        else:
            result[key] = new
    return result


# --- Phone numbers, contacts and costs: checking what a group proposes -----------------------------

PHONE_HINT = (
    "Enter a UK phone number, like 01375 123456, 07700 900123 or 0800 123 4567, "
    "with any extension after it, like 01375 123456 ext 204"
)
_PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ().\-/]+$")
# "ext 204", "ext. 204", "extension 204", "x204" or "#204" after the number.
_EXTENSION = re.compile(r"\s*(?:ext(?:ension)?\.?|x|#)\s*(\d{1,6})$", re.IGNORECASE)
_SHORT_NUMBERS = frozenset({"999", "112", "111", "101", "105", "119"})
_MAX_AMOUNT = Decimal("99999999.99")


def uk_phone(text: str) -> str:
    """A UK phone number typed any usual way ('(01375) 123-456', '+44 (0)1375 123456') in the form
    people write it ('01375 123456'), with an extension kept as ' ext 204'. Raises ``ValueError``
    with ``PHONE_HINT`` if it is not one."""
    raw = " ".join(str(text or "").split())
    extension = _EXTENSION.search(raw)
    if extension is not None and extension.start() > 0:
        return f"{uk_phone(raw[: extension.start()])} ext {extension.group(1)}"
    if not raw or not _PHONE_CHARACTERS.match(raw):
        raise ValueError(PHONE_HINT)
    digits = re.sub(r"\D", "", raw)
    international = raw.startswith("+") or digits.startswith("00")
    if international:
        digits = digits if raw.startswith("+") else digits[2:]
        digits = digits.removeprefix("44") if digits.startswith("44") else ""
        digits = "0" + digits.removeprefix("0") if digits else ""
    if not international and digits in _SHORT_NUMBERS:
        return digits
    if not international and re.fullmatch(r"116\d{3}", digits):
        return f"{digits[:3]} {digits[3:]}"
    if not re.fullmatch(r"0[1235789]\d{8,9}", digits):
        raise ValueError(PHONE_HINT)
    if len(digits) == 10 and not (digits.startswith(("01", "0800"))):
        raise ValueError(PHONE_HINT)
    if digits.startswith("02"):
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    # 011x and 01x1 are the big cities' four-digit codes (0113 Leeds, 0121 Birmingham).
    if digits.startswith("01") and len(digits) == 11 and "1" in (digits[2], digits[3]):
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    if digits.startswith(("01", "07")):
        return f"{digits[:5]} {digits[5:]}"
    return f"{digits[:4]} {digits[4:7]} {digits[7:]}"


def amount_value(text: Any) -> Decimal | None:
    """'£3.50', '3.5' or '1,200' as pounds; None for nothing; ``ValueError`` if it is not an amount."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    cleaned = str(text).strip().removeprefix("£").replace(",", "").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError("Enter the amount in pounds, like 3.50") from None
    if not value.is_finite() or value < 0 or value > _MAX_AMOUNT:
        raise ValueError("Enter the amount in pounds, like 3.50")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError("Enter the amount in pounds and pence, like 3.50")
    return value


def _phones_checked(
    items: Any, known: set[str], where: str, errors: list[str]
) -> list[dict[str, Any]]:
    checked = []
    for item in items if isinstance(items, list) else []:
        number = str(item.get("number") or "").strip()
        if number not in known:
            try:
                number = uk_phone(number)
            except ValueError as error:
                errors.append(f"{where}{item.get('number') or '(no number)'}: {error}.")
        description = str(item.get("description") or "").strip()
        if len(description) > 200:
            errors.append(f"{where}the note about {number} must be 200 characters or fewer.")
        checked.append({"id": item.get("id") or None, "number": number, "description": description})
    return checked


def document_checked(document: Mapping[str, Any], *, current: Mapping[str, Any]) -> dict[str, Any]:
    """``document`` with its new and changed phone numbers written the usual UK way, or a
    ``ValidationError`` saying, list by list, what is wrong. Numbers and email addresses the listing
    has already pass as they are, so an imported number nobody touched never blocks a change."""
    result = dict(document)
    known_numbers = {item.get("number") for item in current.get("phones") or []}
    known_emails = set()
    for contact in current.get("contacts") or []:
        known_numbers |= {item.get("number") for item in contact.get("phones") or []}
        known_emails.add(contact.get("email"))
    errors: dict[str, list[str]] = {}
    if "phones" in document:
        problems: list[str] = []
        result["phones"] = _phones_checked(document["phones"], known_numbers, "Phone ", problems)
        if problems:
            errors["phones"] = problems
    if "contacts" in document:
        problems = []
        contacts = []
        for item in document["contacts"] if isinstance(document["contacts"], list) else []:
            name = " ".join(str(item.get("name") or "").split())
            title = " ".join(str(item.get("title") or "").split())
            email = str(item.get("email") or "").strip()
            who = f"Contact {name or title or email or '(unnamed)'}: "
            phones = _phones_checked(item.get("phones"), known_numbers, f"{who}phone ", problems)
            if not (name or title or email or phones):
                problems.append(
                    "Give each contact a name, a job title, an email or a phone number."
                )
            if email and email not in known_emails:
                try:
                    validate_email(email)
                except ValidationError:
                    problems.append(f"{who}enter an email address, like name@example.org.")
            for words, value in (("name", name), ("job title", title)):
                if len(value) > 200:
                    problems.append(f"{who}the {words} must be 200 characters or fewer.")
            contacts.append(
                {
                    "id": item.get("id") or None,
                    "name": name,
                    "title": title,
                    "email": email,
                    "phones": phones,
                }
            )
        result["contacts"] = contacts
        if problems:
            errors["contacts"] = problems
    if "cost_options" in document:
        problems = []
        costs = []
        for item in document["cost_options"] if isinstance(document["cost_options"], list) else []:
            option = str(item.get("option") or "").strip()
            words = str(item.get("amount_description") or "").strip()
            try:
                amount = amount_text(amount_value(item.get("amount")))
            except ValueError as error:
                problems.append(f"Cost {option or item.get('amount')}: {error}.")
                amount = None
            if not (option or words or item.get("amount") not in (None, "")):
                problems.append("Give each cost an amount, say it is free, or describe it.")
            if len(option) > 200:
                problems.append(
                    f"Cost {option[:40]}…: say what it is for in 200 characters or fewer."
                )
            costs.append(
                {
                    "id": item.get("id") or None,
                    "option": option,
                    "amount": amount,
                    "amount_description": words,
                }
            )
        result["cost_options"] = costs
        if problems:
            errors["cost_options"] = problems
    if errors:
        raise ValidationError(errors)
    return result


# --- Opening times in plain words ------------------------------------------------------------------


def time_words(value: str | None) -> str:
    """'10:00' -> '10am', '12:00' -> '12 noon', '13:30' -> '1:30pm'."""
    if not value:
        return ""
    hours, _, minutes = value.partition(":")
    hour, minute = int(hours), int(minutes or 0)
    if hour == 12 and minute == 0:
        return "12 noon"
    if hour == 0 and minute == 0:
        return "midnight"
    suffix = "am" if hour < 12 else "pm"
    shown = hour % 12 or 12
    return f"{shown}{suffix}" if minute == 0 else f"{shown}:{minute:02d}{suffix}"


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def byday_parts(byday: str) -> tuple[list[str], int | None]:
    """'2MO' -> (['MO'], 2); 'MO,WE' -> (['MO', 'WE'], None). Unknown tokens are left out."""
    days: list[str] = []
    week: int | None = None
    for token in (byday or "").upper().replace(" ", "").split(","):
        match = _BYDAY.match(token)
        if not match:
            continue
        if match.group(1) and week is None:
            week = int(match.group(1))
        if match.group(2) not in days:
            days.append(match.group(2))
    return days, week


def schedule_words(schedule: Mapping[str, Any]) -> str:
    """'Every Monday and Wednesday, 10am to 12 noon'; '2nd Monday of the month, 7pm to 9pm'."""
    days, week = byday_parts(schedule.get("byday") or "")
    day_names = [WEEKDAYS[day] for day in days]
    interval = schedule.get("interval") or 1
    if schedule.get("freq") == ScheduleFrequency.MONTHLY:
        if week is not None and day_names:
            rule = f"{WEEKS_OF_MONTH.get(week, f'{week}th')} {_and(day_names)} of the month"
        else:
            rule = "Once a month"
        if interval > 1:
            rule += f", every {interval} months"
    elif day_names:
        if interval == 2:
            rule = f"Every other {_and(day_names)}"
        elif interval > 2:
            rule = f"Every {interval} weeks on {_and(day_names)}"
        else:
            rule = f"Every {_and(day_names)}"
    else:
        rule = "Weekly" if schedule.get("freq") == ScheduleFrequency.WEEKLY else "Times vary"
    opens, closes = time_words(schedule.get("opens_at")), time_words(schedule.get("closes_at"))
    if opens and closes:
        rule += f", {opens} to {closes}"
    elif opens:
        rule += f", from {opens}"
    description = (schedule.get("description") or "").strip()
    return f"{rule} ({description})" if description else rule


# --- Differences ------------------------------------------------------------------------------------

CHANGED, ADDED, REMOVED = "Changed", "Added", "Removed"


@dataclass(frozen=True)
class DiffRow:
    """One difference between two versions of a listing, in words."""

    label: str
    old: str
    new: str
    change: str  # CHANGED, ADDED or REMOVED
    # The part of the listing it is in, as the edit form names it ('Description', 'Phone numbers'):
    # words without the values, for messages that should not repeat them.
    section: str = field(default="", compare=False)

    @property
    def sentence(self) -> str:
        """'Phone 01375 123456 → 01375 654321', 'Contact added: Jo Bloggs, Secretary'."""
        if self.change == ADDED:
            return f"{self.label} added: {self.new}"
        if self.change == REMOVED:
            return f"{self.label} removed: {self.old}"
        return f"{self.label} {self.old or '(nothing)'} → {self.new or '(nothing)'}"


def value_words(key: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if key == "status" and value in ServiceStatus.values:
        return str(ServiceStatus(value).label)
    return str(value)


def _row(label: str, old: str, new: str, *, flag: bool = False) -> DiffRow | None:
    if old == new:
        return None
    if flag or (old and new):
        return DiffRow(label, old, new, CHANGED)
    return DiffRow(label, old, new, ADDED if new else REMOVED)


def document_diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[DiffRow]:
    """Field-by-field differences from ``old`` to ``new``, in the order a listing page shows them."""
    rows: list[DiffRow] = []

    def add(section: str, found: Iterable[DiffRow | None]) -> None:
        rows.extend(replace(row, section=section) for row in found if row is not None)

    for key, label in SERVICE_FIELDS.items():
        is_flag = isinstance(old.get(key), bool) or isinstance(new.get(key), bool)
        add(
            label,
            [
                _row(
                    label,
                    value_words(key, old.get(key)),
                    value_words(key, new.get(key)),
                    flag=is_flag,
                )
            ],
        )
    old_languages, new_languages = set(old.get("languages") or []), set(new.get("languages") or [])
    add(
        "Languages",
        [
            *(
                DiffRow("Language", "", name, ADDED)
                for name in sorted(new_languages - old_languages, key=str.casefold)
            ),
            *(
                DiffRow("Language", name, "", REMOVED)
                for name in sorted(old_languages - new_languages, key=str.casefold)
            ),
        ],
    )
    old_answers, new_answers = old.get("local_offer") or {}, new.get("local_offer") or {}
    add(
        "SEND Local Offer",
        [
            _row(
                f"Local Offer: {question.label}",
                old_answers.get(question.value, ""),
                new_answers.get(question.value, ""),
            )
            for question in LocalOfferQuestion
        ],
    )
    add("Opening times", _schedule_rows(old.get("schedules") or [], new.get("schedules") or []))
    # A version or edit stored before these lists were part of the document lacks them: unchanged.
    if "phones" in old and "phones" in new:
        add("Phone numbers", _phone_rows("Phone", old["phones"] or [], new["phones"] or []))
    if "contacts" in old and "contacts" in new:
        add("Contacts", _contact_rows(old["contacts"] or [], new["contacts"] or []))
    if "cost_options" in old and "cost_options" in new:
        add(
            "Prices",
            _item_rows("Cost", old["cost_options"] or [], new["cost_options"] or [], cost_words),
        )
    old_places, new_places = old.get("places") or {}, new.get("places") or {}
    for place_id, after in new_places.items():
        name = after.get("name") or (old_places.get(place_id) or {}).get("name") or "Venue"
        add(
            f"Venue: {name}",
            _place_rows({place_id: old_places.get(place_id)}, {place_id: after}),
        )
    return rows


def diff_sections(rows: Iterable[DiffRow]) -> list[str]:
    """The parts of the listing ``rows`` change, once each, in order ('Description', 'Contacts'):
    what changed without the old or new values (no contact's email address or phone number)."""
    return list(dict.fromkeys(row.section for row in rows if row.section))


def phone_words(item: Mapping[str, Any]) -> str:
    """'01375 123456' or '01375 123456 (bookings)'."""
    number, note = item.get("number") or "", (item.get("description") or "").strip()
    return f"{number} ({note})" if note else number


def contact_words(item: Mapping[str, Any]) -> str:
    """'Jo Bloggs, Secretary, jo@example.org, 01375 123456'."""
    parts = [item.get("name"), item.get("title"), item.get("email")]
    parts += [phone_words(phone) for phone in item.get("phones") or []]
    return ", ".join(str(part) for part in parts if part)


def money_words(amount: Any) -> str:
    """'Free', '£3.50', '£1,200' or '' for no amount."""
    if amount is None or amount == "":
        return ""
    value = Decimal(str(amount))
    if value == 0:
        return "Free"
    return f"£{value:,.0f}" if value == value.to_integral_value() else f"£{value:,.2f}"


def cost_words(item: Mapping[str, Any]) -> str:
    """'Adults: £3.50 (concessions £2)', 'Free', 'Pay what you can'."""
    option, money = (item.get("option") or "").strip(), money_words(item.get("amount"))
    note = (item.get("amount_description") or "").strip()
    words = f"{option}: {money}" if option and money else option or money
    if note:
        words = f"{words} ({note})" if words else note
    return words


def _item_rows(
    label: str,
    old: list[dict[str, Any]],
    new: list[dict[str, Any]],
    words: Callable[[Mapping[str, Any]], str],
) -> list[DiffRow | None]:
    """Rows for a list whose items keep an ``id``: added, changed (matched by id) and removed."""
    old_by_id = {item.get("id"): item for item in old if item.get("id")}
    new_ids = {item.get("id") for item in new if item.get("id")}
    rows: list[DiffRow | None] = []
    for item in new:
        before = old_by_id.get(item.get("id")) if item.get("id") else None
        if before is None:
            rows.append(DiffRow(label, "", words(item), ADDED))
        elif words(before) != words(item):
            rows.append(DiffRow(label, words(before), words(item), CHANGED))
    for item in old:
        if not item.get("id") or item.get("id") not in new_ids:
            rows.append(DiffRow(label, words(item), "", REMOVED))
    return rows


def _phone_rows(
    label: str, old: list[dict[str, Any]], new: list[dict[str, Any]]
) -> list[DiffRow | None]:
    return _item_rows(label, old, new, phone_words)


def _contact_rows(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[DiffRow | None]:
    """A new or removed contact is one row; a changed one has a row for each thing that changed."""
    old_by_id = {item.get("id"): item for item in old if item.get("id")}
    new_ids = {item.get("id") for item in new if item.get("id")}
    rows: list[DiffRow | None] = []
    for item in new:
        before = old_by_id.get(item.get("id")) if item.get("id") else None
        if before is None:
            rows.append(DiffRow("Contact", "", contact_words(item), ADDED))
            continue
        who = before.get("name") or before.get("title") or item.get("name") or "(unnamed)"
        for key, words in (("name", "name"), ("title", "job title"), ("email", "email address")):
            rows.append(_row(f"Contact {who}: {words}", before.get(key) or "", item.get(key) or ""))
        rows += _phone_rows(
            f"Contact {who}: phone", before.get("phones") or [], item.get("phones") or []
        )
    for item in old:
        if not item.get("id") or item.get("id") not in new_ids:
            rows.append(DiffRow("Contact", contact_words(item), "", REMOVED))
    return rows


def _schedule_rows(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[DiffRow | None]:
    old_by_id = {item.get("id"): item for item in old if item.get("id")}
    new_ids = {item.get("id") for item in new if item.get("id")}
    rows: list[DiffRow | None] = []
    for item in new:
        before = old_by_id.get(item.get("id")) if item.get("id") else None
        if before is None:
            rows.append(DiffRow("Opening times", "", schedule_words(item), ADDED))
        elif _schedule_key(before) != _schedule_key(item):
            rows.append(
                DiffRow("Opening times", schedule_words(before), schedule_words(item), CHANGED)
            )
    for item in old:
        if not item.get("id") or item.get("id") not in new_ids:
            rows.append(DiffRow("Opening times", schedule_words(item), "", REMOVED))
    return rows


def _schedule_key(item: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(
        item.get(name) or None
        for name in ("freq", "interval", "byday", "opens_at", "closes_at", "description")
    )


def _facility_words(code: str) -> str:
    return str(Facility(code).label) if code in Facility.values else code


def _place_rows(old: dict[str, Any], new: dict[str, Any]) -> list[DiffRow | None]:
    rows: list[DiffRow | None] = []
    for place_id, after in new.items():
        before = old.get(place_id) or {}
        name = after.get("name") or before.get("name") or "Venue"
        rows.append(
            _row(
                f"{name}: a place where groups can meet",
                value_words("", before.get("is_meeting_place")),
                value_words("", after.get("is_meeting_place")),
                flag=bool(before),
            )
        )
        rows.append(
            _row(
                f"{name}: people the largest room holds",
                value_words("", before.get("capacity")),
                value_words("", after.get("capacity")),
            )
        )
        had, has = set(before.get("facilities") or []), set(after.get("facilities") or [])
        for code in sorted(has - had):
            rows.append(DiffRow(f"{name}: facilities", "", _facility_words(code), ADDED))
        for code in sorted(had - has):
            rows.append(DiffRow(f"{name}: facilities", _facility_words(code), "", REMOVED))
    return rows


# --- Who may do what -----------------------------------------------------------------------------


def _signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_moderate(user: Any) -> Decision:
    """Review claims and edits: information champions, moderators and administrators."""
    return can_act_in_role(user, MODERATOR_ROLES)


def can_edit_listing(user: Any, service: Service) -> Decision:
    """Propose changes to a listing: the group representatives of the organisation that runs it."""
    if not _signed_in(user):
        return Decision.deny(SIGN_IN_REASON)
    if user.is_superuser:
        return Decision.allow()
    account_organisation = service.organization.account_organisation
    if account_organisation is not None and user_has_role(
        user=user, roles=[Role.GROUP_REP], organisation=account_organisation
    ):
        return Decision.allow()
    return Decision.deny(
        f"Only the representatives of {service.organization} can change this listing. "
        "If it is your group, claim the listing first."
    )


def can_view_history(user: Any, service: Service) -> Decision:
    """See who changed a listing and when: its representatives and moderators."""
    if can_moderate(user) or can_edit_listing(user, service):
        return Decision.allow()
    if not _signed_in(user):
        return Decision.deny(SIGN_IN_REASON)
    return Decision.deny(
        "Only the listing's group representatives and moderators can see its history."
    )
