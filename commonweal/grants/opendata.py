"""Awarded grants as 360Giving data (JSON package and the flattened spreadsheet).

Only awarded ideas are grants: a decision to fund is not published until the award is made (with its
dates and payment schedule), since the amount or the idea may still change. ``amountAwarded`` is the cash only: the volunteer-hour match is kept apart
(``x_volunteerHoursPledged`` and its notional value), never added to the money.
Identifiers: ``<publisher prefix>-<idea's public id>`` for each grant; org-id identifiers for groups that
have one, otherwise ``<publisher prefix>-org-<group's public id>`` (360Giving's advice for unregistered groups).
"""

from __future__ import annotations

import io
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook

from commonweal.accounts.models import Organisation
from commonweal.grants.constants import CanvasStatus, DecisionOutcome
from commonweal.grants.models import Canvas, Fund, Round

SCHEMA_VERSION = "1.4"
LICENCE = "https://creativecommons.org/licenses/by/4.0/"


def _prefix(fund: Fund) -> str:
    prefix = fund.publisher_prefix.strip().rstrip("-")
    return prefix if prefix.startswith("360G-") else f"360G-{prefix}"


def _organisation(org: Organisation, prefix: str) -> dict[str, Any]:
    data: dict[str, Any] = {"id": org.org_id or f"{prefix}-org-{org.public_id}", "name": org.name}
    if org.charity_number:
        data["charityNumber"] = org.charity_number
    if org.company_number:
        data["companyNumber"] = org.company_number
    if org.postcode:
        data["postalCode"] = org.postcode
    return data


def awarded_canvases(*, fund: Fund | None = None, round_: Round | None = None) -> QuerySet[Canvas]:
    """Funded ideas whose award has been made; a decision without an award is not published yet."""
    canvases = (
        Canvas.objects.filter(
            status=CanvasStatus.FUNDED,
            decision__outcome=DecisionOutcome.FUNDED,
            award__isnull=False,
        )
        .select_related("round__fund__funder", "organisation", "ward", "lsoa", "decision", "award")
        .prefetch_related("award__payments", "collaborators__organisation")
        .order_by("decision__decided_at", "pk")
    )
    if fund is not None:
        canvases = canvases.filter(round__fund=fund)
    if round_ is not None:
        canvases = canvases.filter(round=round_)
    return canvases


def grant_record(canvas: Canvas) -> dict[str, Any]:
    round_ = canvas.round
    fund = round_.fund
    prefix = _prefix(fund)
    award = canvas.award
    description = (
        canvas.summary
        or str(canvas.answers.get("idea", ""))
        or f"A community idea funded by {fund.name}."
    )
    if description.strip() == canvas.title.strip():
        description = f"{canvas.title}: a community idea funded by {fund.name}."
    if canvas.organisation is not None:
        recipient = _organisation(canvas.organisation, prefix)
    else:
        recipient = {"id": f"{prefix}-group-{canvas.public_id}", "name": canvas.group_name}
    record: dict[str, Any] = {
        "id": f"{prefix}-{canvas.public_id}",
        "title": canvas.title[:140],
        "description": description,
        "currency": "GBP",
        "amountAwarded": float(award.amount),
        "awardDate": award.awarded_on.isoformat(),
        "recipientOrganization": [recipient],
        "fundingOrganization": [_organisation(fund.funder, prefix)],
        "grantProgramme": [
            {"code": f"{fund.slug}-{round_.slug}", "title": f"{fund.name}: {round_.name}"}
        ],
        "fromOpenCall": "Yes",
        "locationScope": "GLS060",
        "dateModified": timezone.localtime(canvas.updated_at).isoformat(timespec="seconds"),
    }
    if canvas.amount_requested is not None:
        record["amountAppliedFor"] = float(canvas.amount_requested)
    locations = []
    for area, code_type in ((canvas.ward, "WD"), (canvas.lsoa, "LSOA")):
        if area is not None:
            locations.append(
                {
                    "name": area.name,
                    "geoCode": area.code,
                    "geoCodeType": code_type,
                    "countryCode": "GB",
                }
            )
    if locations:
        record["beneficiaryLocation"] = locations
    record["plannedDates"] = [
        {"startDate": award.starts_on.isoformat(), "endDate": award.ends_on.isoformat()}
    ]
    paid = [
        (payment, paid_on)
        for payment in award.payments.all()
        if (paid_on := payment.paid_on) is not None
    ]
    if paid:
        record["disbursementTransaction"] = [
            {
                "id": f"{record['id']}-payment-{payment.public_id}",
                "transactionDate": paid_on.isoformat(),
                "value": float(payment.amount),
                "currency": "GBP",
            }
            for payment, paid_on in paid
        ]
    if round_.needs_match:
        record["x_volunteerHoursPledged"] = float(award.pledged_hours)
        record["x_volunteerHoursNotionalValue"] = float(award.pledged_hours * award.hourly_rate)
    return record


def grants_package(*, fund: Fund | None = None, round_: Round | None = None) -> dict[str, Any]:
    """A 360Giving data package of the awarded grants (all, one fund's, or one round's)."""
    canvases = list(awarded_canvases(fund=fund, round_=round_))
    owner = round_.fund if round_ is not None else fund
    funder = owner.funder if owner is not None else None
    if funder is None and canvases:
        funder = canvases[0].round.fund.funder
    today = timezone.localdate().isoformat()
    scope = round_.name if round_ else fund.name if fund else "all funds"
    package: dict[str, Any] = {
        "version": SCHEMA_VERSION,
        "title": f"Grants awarded: {scope}",
        "issued": today,
        "modified": timezone.localtime().isoformat(timespec="seconds"),
        "license": LICENCE,
        "grants": [grant_record(canvas) for canvas in canvases],
    }
    if funder is not None:
        publisher: dict[str, Any] = {"name": funder.name}
        if funder.org_id:
            publisher["identifier"] = funder.org_id
        if funder.website:
            publisher["website"] = funder.website
        package["publisher"] = publisher
    return package


# The flattened spreadsheet: 360Giving's column titles for the fields Commonweal publishes.
COLUMNS: list[tuple[str, Any]] = [
    ("Identifier", lambda g: g["id"]),
    ("Title", lambda g: g["title"]),
    ("Description", lambda g: g["description"]),
    ("Currency", lambda g: g["currency"]),
    ("Amount Applied For", lambda g: g.get("amountAppliedFor")),
    ("Amount Awarded", lambda g: g["amountAwarded"]),
    ("Award Date", lambda g: g["awardDate"]),
    ("Planned Dates:Start Date", lambda g: g.get("plannedDates", [{}])[0].get("startDate")),
    ("Planned Dates:End Date", lambda g: g.get("plannedDates", [{}])[0].get("endDate")),
    ("Recipient Org:Identifier", lambda g: g["recipientOrganization"][0]["id"]),
    ("Recipient Org:Name", lambda g: g["recipientOrganization"][0]["name"]),
    ("Recipient Org:Charity Number", lambda g: g["recipientOrganization"][0].get("charityNumber")),
    ("Recipient Org:Company Number", lambda g: g["recipientOrganization"][0].get("companyNumber")),
    ("Funding Org:Identifier", lambda g: g["fundingOrganization"][0]["id"]),
    ("Funding Org:Name", lambda g: g["fundingOrganization"][0]["name"]),
    ("Grant Programme:Code", lambda g: g["grantProgramme"][0]["code"]),
    ("Grant Programme:Title", lambda g: g["grantProgramme"][0]["title"]),
    ("Beneficiary Location:Name", lambda g: _location(g, "WD", "name")),
    ("Beneficiary Location:Geographic Code", lambda g: _location(g, "WD", "geoCode")),
    ("Beneficiary Location:Geographic Code Type", lambda g: _location(g, "WD", "geoCodeType")),
    ("Beneficiary Location:1:Name", lambda g: _location(g, "LSOA", "name")),
    ("Beneficiary Location:1:Geographic Code", lambda g: _location(g, "LSOA", "geoCode")),
    ("Beneficiary Location:1:Geographic Code Type", lambda g: _location(g, "LSOA", "geoCodeType")),
    ("From An Open Call?", lambda g: g["fromOpenCall"]),
    ("Location Scope", lambda g: g["locationScope"]),
    ("Last Modified", lambda g: g["dateModified"]),
]


def _location(grant: dict[str, Any], code_type: str, key: str) -> Any:
    for location in grant.get("beneficiaryLocation", []):
        if location["geoCodeType"] == code_type:
            return location[key]
    return None


def grants_spreadsheet(package: dict[str, Any]) -> bytes:
    """The package flattened to one sheet named ``grants``, one row per grant."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "grants"
    sheet.append([title for title, _ in COLUMNS])
    for grant in package["grants"]:
        sheet.append([getter(grant) for _, getter in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
