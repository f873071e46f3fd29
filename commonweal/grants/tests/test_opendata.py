"""360Giving open data: awarded grants only, validated offline against the official schema."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker
from openpyxl import load_workbook
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from commonweal.accounts.tests.factories import OrganisationFactory
from commonweal.geo.constants import AreaKind
from commonweal.geo.tests.factories import AreaFactory
from commonweal.grants.models import Canvas
from commonweal.grants.opendata import grants_package
from commonweal.grants.services.awards import award_make, payment_mark_paid
from commonweal.grants.services.panels import decision_make
from commonweal.grants.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def validator(shared_dir):
    folder = shared_dir / "standards" / "360giving"
    grant = json.loads((folder / "360-giving-schema.json").read_text())
    package = json.loads((folder / "360-giving-package-schema.json").read_text())
    resource = Resource(contents=grant, specification=DRAFT202012)
    remote = package["properties"]["grants"]["items"]["$ref"]
    registry = Registry().with_resources([(remote, resource), (grant["$id"], resource)])
    formats = FormatChecker()
    assert "date-time" in formats.checkers
    return Draft202012Validator(package, registry=registry, format_checker=formats)


def errors_of(validator, data):
    return sorted(validator.iter_errors(data), key=lambda error: list(error.absolute_path))


@pytest.fixture
def awarded():
    """One innovation grant to a charity with an org-id (paid in two parts, the first paid), one Small
    Spark to an unregistered group (paid), one idea decided but not yet awarded, one refusal."""
    round_ = f.open_round()
    charity = OrganisationFactory(
        name="Grays Larder", org_id="GB-CHC-1164883", charity_number="1164883"
    )
    funded = f.ready_canvas(round_, organisation=charity, amount="2000", title="Community larder")
    ward = AreaFactory(code="E05002235", name="Grays Riverside")
    lsoa = AreaFactory(kind=AreaKind.LSOA, code="E01015954", name="Thurrock 012A")
    Canvas.objects.filter(pk=funded.pk).update(ward=ward, lsoa=lsoa)
    refused = f.ready_canvas(round_, amount="500", title="Refused idea")
    to_come = f.ready_canvas(round_, amount="1500", title="Award to come")
    sparks = f.small_sparks_round()
    spark = f.ready_canvas(sparks, amount="250", hours="30", title="Bulb planting")
    officer = f.officer()
    decision_make(
        actor=officer,
        canvas=funded,
        outcome="funded",
        amount=Decimal("2000"),
        reasons="r",
        feedback="f",
    )
    decision_make(
        actor=officer,
        canvas=refused,
        outcome="not_funded",
        amount=Decimal("0"),
        reasons="r",
        feedback="f",
    )
    decision_make(
        actor=officer,
        canvas=spark,
        outcome="funded",
        amount=Decimal("250"),
        reasons="r",
        feedback="f",
    )
    decision_make(
        actor=officer,
        canvas=to_come,
        outcome="funded",
        amount=Decimal("1500"),
        reasons="r",
        feedback="f",
    )
    today = timezone.localdate()
    larder = award_make(
        actor=officer,
        canvas=funded,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=200),
        payments=[(today, Decimal("1500")), (today + datetime.timedelta(days=90), Decimal("500"))],
    )
    payment_mark_paid(actor=officer, payment=larder.payments.first(), paid_on=today)
    bulbs = award_make(
        actor=officer, canvas=spark, starts_on=today, ends_on=today + datetime.timedelta(days=60)
    )
    payment_mark_paid(actor=officer, payment=bulbs.payments.get(), paid_on=today)
    return {
        "round": round_,
        "funded": funded,
        "refused": refused,
        "to_come": to_come,
        "spark": spark,
        "sparks": sparks,
    }


def test_awarded_grants_validate_against_the_official_360giving_schema(validator, awarded):
    package = grants_package()
    assert errors_of(validator, package) == []
    titles = sorted(grant["title"] for grant in package["grants"])
    assert titles == ["Bulb planting", "Community larder"]


def test_only_awards_are_published_with_their_dates_and_the_payments_made(validator, awarded):
    package = grants_package()
    assert errors_of(validator, package) == []
    grants = {grant["title"]: grant for grant in package["grants"]}
    assert "Award to come" not in grants and "Refused idea" not in grants
    today = timezone.localdate()
    larder = grants["Community larder"]
    assert larder["awardDate"] == today.isoformat()
    assert larder["plannedDates"] == [
        {
            "startDate": today.isoformat(),
            "endDate": (today + datetime.timedelta(days=200)).isoformat(),
        }
    ]
    [paid] = larder["disbursementTransaction"]
    assert paid["value"] == 1500.0 and paid["transactionDate"] == today.isoformat()
    assert paid["currency"] == "GBP" and paid["id"].startswith(larder["id"] + "-payment-")
    assert [t["value"] for t in grants["Bulb planting"]["disbursementTransaction"]] == [250.0]


def test_the_validator_really_checks(validator):
    """The reference's own example of a broken record gives exactly its four errors."""
    bad = {
        "grants": [
            {
                "id": "360G-x-1",
                "title": "T",
                "amountAwarded": "250",
                "awardDate": "01/06/2025",
                "currency": "POUNDS",
                "fundingOrganization": [{"id": "GB-LAE-THR", "name": "C"}],
            }
        ]
    }
    assert len(errors_of(validator, bad)) == 4


def test_identifiers_locations_and_the_match_kept_apart_from_the_money(awarded):
    grants = {grant["title"]: grant for grant in grants_package()["grants"]}
    larder = grants["Community larder"]
    assert larder["id"] == f"360G-democouncil-{awarded['funded'].public_id}"
    assert larder["recipientOrganization"][0]["id"] == "GB-CHC-1164883"
    assert larder["fundingOrganization"][0]["id"] == "GB-LAE-THR"
    assert {(loc["geoCodeType"], loc["geoCode"]) for loc in larder["beneficiaryLocation"]} == {
        ("WD", "E05002235"),
        ("LSOA", "E01015954"),
    }
    spark = grants["Bulb planting"]
    assert spark["recipientOrganization"][0]["id"].startswith("360G-democouncil-org-")
    assert spark["amountAwarded"] == 250.0
    assert (
        spark["x_volunteerHoursPledged"] == 30.0 and spark["x_volunteerHoursNotionalValue"] == 375.0
    )


def test_the_command_exports_one_fund_or_one_round(tmp_path, validator, awarded):
    output = tmp_path / "grants.json"
    call_command(
        "grants_export_360giving",
        "--fund",
        "small-sparks",
        "--output",
        str(output),
        stdout=io.StringIO(),
    )
    package = json.loads(output.read_text())
    assert [grant["title"] for grant in package["grants"]] == ["Bulb planting"]
    assert errors_of(validator, package) == []
    call_command(
        "grants_export_360giving",
        "--round",
        "round-1",
        "--output",
        str(output),
        stdout=io.StringIO(),
    )
    assert [grant["title"] for grant in json.loads(output.read_text())["grants"]] == [
        "Community larder"
    ]
    with pytest.raises(CommandError, match="No fund"):
        call_command("grants_export_360giving", "--fund", "nope", "--output", str(output))


def test_the_download_button_gives_json_and_the_flattened_spreadsheet(client, validator, awarded):
    client.force_login(f.officer())
    url = reverse("grants:round_export", args=[awarded["round"].public_id])
    response = client.get(url)
    assert response["Content-Disposition"].endswith('.json"')
    assert errors_of(validator, json.loads(response.content)) == []
    sheet = client.get(url, {"format": "xlsx"})
    workbook = load_workbook(io.BytesIO(sheet.content))
    rows = list(workbook["grants"].iter_rows(values_only=True))
    header, [row] = rows[0], rows[1:]
    record = dict(zip(header, row, strict=True))
    assert (
        record["Amount Awarded"] == 2000 and record["Recipient Org:Identifier"] == "GB-CHC-1164883"
    )
    assert record["Beneficiary Location:Geographic Code"] == "E05002235"


def test_a_group_without_an_organisation_is_placed_by_postcode_in_beneficiary_location(validator):
    from commonweal.accounts.tests.factories import UserFactory
    from commonweal.geo.tests.factories import PostcodeFactory
    from commonweal.grants.services.canvas import canvas_save, canvas_submit

    ward = AreaFactory(code="E05002240", name="Tilbury St Chads")
    lsoa = AreaFactory(kind=AreaKind.LSOA, code="E01015990", name="Thurrock 020B")
    PostcodeFactory(postcode="RM188AA", ward_code=ward.code, lsoa_code=lsoa.code)
    sparks = f.small_sparks_round()
    user = UserFactory()
    canvas = f.ready_canvas(
        sparks, user=user, amount="200", hours="20", title="Dock garden", submit=False
    )
    Canvas.objects.filter(pk=canvas.pk).update(organisation=None, group_name="Dock friends")
    canvas.refresh_from_db()
    canvas = canvas_save(
        actor=user,
        canvas=canvas,
        title=canvas.title,
        summary=canvas.summary,
        answers=canvas.answers,
        amount_requested=canvas.amount_requested,
        pledged_hours=canvas.pledged_hours,
        ward=None,
        postcode="RM18 8AA",
    )
    canvas = canvas_submit(actor=user, canvas=canvas)
    officer = f.officer()
    decision_make(
        actor=officer,
        canvas=canvas,
        outcome="funded",
        amount=Decimal("200"),
        reasons="r",
        feedback="f",
    )
    today = timezone.localdate()
    award_make(
        actor=officer,
        canvas=Canvas.objects.get(pk=canvas.pk),
        starts_on=today,
        ends_on=today + datetime.timedelta(days=60),
    )
    package = grants_package()
    assert errors_of(validator, package) == []
    [grant] = package["grants"]
    codes = {(loc["geoCodeType"], loc["geoCode"]) for loc in grant["beneficiaryLocation"]}
    assert codes == {("WD", "E05002240"), ("LSOA", "E01015990")}
    assert "RM18" not in json.dumps(package)
