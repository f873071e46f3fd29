"""The funders' report: its figures on a small hand-made ledger, small numbers hidden, who may see it,
and that the CSV downloads and the chart carry exactly the page's figures."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from commonweal.accounts.constants import Role
from commonweal.accounts.tests.factories import OrganisationFactory, UserFactory
from commonweal.timebank import reports
from commonweal.timebank.tests.factories import TimebankFactory
from commonweal.timebank.tests.reports.conftest import END, PERIOD, START

pytestmark = pytest.mark.django_db


def report_for(ledger):
    return reports.funder_report(
        timebank=ledger.timebank, period=reports.ReportPeriod(start=START, end=END)
    )


def headline(report, label):
    return next(h.cell for h in report.headlines if h.label == label)


def rows_of(table):
    return {row.label: row.cells for row in table.rows}


def texts(cells):
    return [cell.text for cell in cells]


def test_headline_figures_count_committed_unreversed_help_only(ledger):
    report = report_for(ledger)
    # 390 minutes in January, 11 people x 60 at the coffee morning, 120 for the school.
    assert headline(report, "Hours exchanged").value == Decimal("19.5")
    assert headline(report, "Hours exchanged").text == "19.5"
    assert headline(report, "Exchanges").value == 9
    assert headline(report, "One-to-one exchanges").value == 8
    assert headline(report, "Group activities").value == 1
    assert headline(report, "Active members").value == 11
    # 14 approved members; the applicant and the member who left are not registered.
    assert headline(report, "Registered members").value == 14
    assert headline(report, "Active members as a share of registered members").text == "79%"
    assert headline(report, "New members").value == 2
    assert headline(report, "Organisations that took part").value == 1
    assert headline(report, "Donations to the community pot").value == 1
    assert headline(report, "Hours donated to the community pot").value == Decimal("1.0")


def test_small_headline_counts_and_what_is_worked_out_from_them_are_hidden(ledger):
    report = report_for(ledger)
    assert headline(report, "Group activities").text == "fewer than 5"
    assert headline(report, "New members").text == "fewer than 5"
    assert headline(report, "Organisations that took part").text == "fewer than 5"
    assert headline(report, "Hours donated to the community pot").text == "not shown"
    assert headline(report, "Exchanges").text == "9"


def test_a_reversed_exchange_and_its_reversal_leave_no_trace(ledger):
    before = report_for(ledger)
    from commonweal.timebank.tests.factories import exchange_for_tests, reversal_for_tests

    accounts = ledger.accounts
    mistake = exchange_for_tests(
        accounts["a4"],
        accounts["b4"],
        240,
        service_date=START,
        category=ledger.categories["shopping"],
    )
    reversal_for_tests(mistake)
    after = report_for(ledger)
    assert [h.cell.value for h in after.headlines] == [h.cell.value for h in before.headlines]
    for key in reports.TABLE_KEYS:
        assert after.table(key).csv_rows() == before.table(key).csv_rows()


def test_by_ward_counts_members_where_they_live_and_hides_the_small_ward(ledger):
    table = report_for(ledger).table("ward")
    assert table.columns == reports.AREA_COLUMNS
    rows = rows_of(table)
    assert list(rows) == [
        "Aveley and Uplands",
        "Grays Riverside",
        "Tilbury Riverside and Thurrock Park",
    ]
    grays = rows["Grays Riverside"]
    # a1..a6: all active; six exchanges (four in January, the coffee morning, the school's).
    assert [cell.value for cell in grays] == [6, 6, 0, 6, Decimal("11.0")]
    assert texts(grays) == ["6", "6", "0", "6", "11.0"]
    tilbury = rows["Tilbury Riverside and Thurrock Park"]
    assert [cell.value for cell in tilbury] == [5, 5, 0, 5, Decimal("8.5")]
    # Aveley has 3 members, two of them new: shown as "fewer than 5" ...
    aveley = rows["Aveley and Uplands"]
    assert texts(aveley) == ["fewer than 5", "0", "fewer than 5", "0", "0.0"]
    # ... and, as the total of registered members is on the page, Tilbury's 5 is withheld too.
    assert tilbury[0].text == "not shown"
    assert texts(tilbury)[1:] == ["5", "0", "5", "8.5"]


def test_by_locality_and_by_category(ledger):
    report = report_for(ledger)
    localities = rows_of(report.table("locality"))
    assert list(localities) == ["Grays", "Tilbury and Aveley"]
    assert [cell.value for cell in localities["Grays"]] == [6, 6, 0, 6, Decimal("11.0")]
    assert [cell.value for cell in localities["Tilbury and Aveley"]] == [
        8,
        5,
        2,
        5,
        Decimal("8.5"),
    ]
    assert localities["Tilbury and Aveley"][2].text == "fewer than 5"

    categories = rows_of(report.table("category"))
    assert list(categories) == ["Befriending", "Gardening", "Shopping"]
    # Gardening: a1->a2, a3->a4, b3->b2 and the school; a1..a4, b2, b3 took part.
    assert [cell.value for cell in categories["Gardening"]] == [4, Decimal("5.3"), 6]
    assert texts(categories["Gardening"]) == ["fewer than 5", "5.3", "6"]
    assert [cell.value for cell in categories["Shopping"]] == [4, Decimal("3.3"), 7]
    # The coffee morning counts once, with each attendee's hour.
    assert [cell.value for cell in categories["Befriending"]] == [1, Decimal("11.0"), 11]


def test_by_month_has_every_month_of_the_period(ledger):
    table = report_for(ledger).table("month")
    rows = rows_of(table)
    assert list(rows) == [
        "January 2025",
        "February 2025",
        "March 2025",
        "April 2025",
        "May 2025",
        "June 2025",
    ]
    assert [cell.value for cell in rows["January 2025"]] == [7, Decimal("6.5"), 11, 0]
    assert [cell.value for cell in rows["February 2025"]] == [1, Decimal("11.0"), 11, 2]
    assert [cell.value for cell in rows["March 2025"]] == [1, Decimal("2.0"), 1, 0]
    assert [cell.value for cell in rows["April 2025"]] == [0, Decimal("0.0"), 0, 0]
    # March's hours were earned by one person: hidden, and January's withheld so that the
    # total cannot give March's away.
    assert texts(rows["March 2025"]) == ["fewer than 5", "not shown", "fewer than 5", "0"]
    assert rows["January 2025"][1].text == "not shown"
    assert rows["February 2025"][1].text == "11.0"


def test_the_default_period_is_the_last_twelve_months():
    import datetime

    period = reports.ReportPeriod.last_twelve_months(today=datetime.date(2025, 3, 14))
    assert period.start == datetime.date(2024, 4, 1)
    assert period.end == datetime.date(2025, 3, 14)
    assert len(period.months()) == 12


# --- the pages ---------------------------------------------------------------------------------


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def page_tables(html):
    """Each table on the page as rows of cell texts, keyed by its data-table name."""
    tables = {}
    for key, body in re.findall(r'<table[^>]*data-table="(\w+)"[^>]*>(.*?)</table>', html, re.S):
        rows = []
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
            cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            rows.append([re.sub(r"<[^>]+>", "", cell).strip() for cell in cells])
        tables[key] = rows
    return tables


def test_a_broker_sees_the_report_in_a_bounded_number_of_queries(
    client, ledger, django_assert_max_num_queries
):
    client.force_login(ledger.broker)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("timebank:report", args=["thurrock"]), PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Report for funders" in html
    assert "1 January 2025 to 30 June 2025" in html
    assert "fewer than 5" in html


def test_query_count_does_not_grow_with_the_exchanges(
    client, ledger, django_assert_max_num_queries
):
    from commonweal.timebank.tests.factories import exchange_for_tests

    accounts = ledger.accounts
    for n in range(40):
        exchange_for_tests(
            accounts[f"a{n % 6 + 1}"], accounts[f"b{n % 5 + 1}"], 30, service_date=START
        )
    client.force_login(ledger.broker)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("timebank:report", args=["thurrock"]), PERIOD)
    assert response.status_code == 200


@pytest.mark.parametrize("key", reports.TABLE_KEYS)
def test_each_csv_has_the_pages_header_and_rows(client, ledger, key):
    client.force_login(ledger.broker)
    page = client.get(reverse("timebank:report", args=["thurrock"]), PERIOD)
    on_page = page_tables(page.content.decode())[key]
    download = client.get(reverse("timebank:report_csv", args=["thurrock", key]), PERIOD)
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/csv")
    assert "attachment" in download["Content-Disposition"]
    rows = csv_rows(download)
    table = rows[: len(on_page)]
    assert table[0] == on_page[0]
    for csv_row, page_row in zip(table[1:], on_page[1:], strict=True):
        assert csv_row[0] == page_row[0]
        for csv_cell, page_cell in zip(csv_row[1:], page_row[1:], strict=True):
            if page_cell in ("fewer than 5", "not shown"):
                assert csv_cell == ""
            else:
                assert page_cell.replace(",", "") == csv_cell


def test_the_small_ward_is_blank_in_the_csv_with_a_note(client, ledger):
    client.force_login(ledger.broker)
    rows = csv_rows(client.get(reverse("timebank:report_csv", args=["thurrock", "ward"]), PERIOD))
    aveley = next(row for row in rows if row and row[0] == "Aveley and Uplands")
    assert aveley == ["Aveley and Uplands", "", "0", "", "0", "0.0"]
    assert any("fewer than 5" in " ".join(row) for row in rows[4:])


def test_the_chart_draws_the_same_hours_as_the_month_table(client, ledger):
    client.force_login(ledger.broker)
    html = client.get(reverse("timebank:report", args=["thurrock"]), PERIOD).content.decode()
    svg = re.search(r"<svg[^>]*data-chart=\"hours-by-month\".*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg
    assert '<title id="chart-title">Hours exchanged by month</title>' in svg
    bars = re.findall(r'<g data-label="([^"]+)" data-value="([^"]*)">(.*?)</g>', svg, re.S)
    month_rows = page_tables(html)["month"][1:]
    assert [label for label, _, _ in bars] == [row[0] for row in month_rows]
    for (_, value, body), row in zip(bars, month_rows, strict=True):
        hours_text = row[2]
        shown = re.search(r'class="cw-chart__value">([^<]*)<', body).group(1)
        if hours_text == "not shown":
            assert value == "" and shown == "–" and "<rect" not in body
        else:
            assert value == hours_text and shown == hours_text
    # The description reads the same figures out.
    assert "February 2025: 11.0" in svg
    assert "January 2025: not shown" in svg
    # February's bar is the tallest.
    heights = {
        label: float(m.group(1)) if (m := re.search(r'height="([\d.]+)"', body)) else 0.0
        for label, _, body in bars
    }
    assert max(heights, key=heights.get) == "February 2025"


def test_a_member_is_refused(client, ledger):
    member = UserFactory(roles=[Role.MEMBER], roles__organisation=ledger.timebank.organisation)
    client.force_login(member)
    assert client.get(reverse("timebank:report", args=["thurrock"])).status_code == 403
    assert client.get(reverse("timebank:report_csv", args=["thurrock", "ward"])).status_code == 403


def test_a_broker_of_another_timebank_is_refused(client, ledger):
    other = OrganisationFactory(name="Elsewhere Timebank")
    TimebankFactory(name="Elsewhere", slug="elsewhere", organisation=other)
    broker = UserFactory(roles=[Role.BROKER], roles__organisation=other)
    client.force_login(broker)
    response = client.get(reverse("timebank:report", args=["thurrock"]))
    assert response.status_code == 403
    assert "Thurrock Timebank CIC" in response.content.decode()
    assert client.get(reverse("timebank:report_csv", args=["thurrock", "month"])).status_code == 403
    # Their own timebank's report opens, and the index takes them straight to it.
    index = client.get(reverse("timebank:report_index"))
    assert index.status_code == 302
    assert index["Location"] == reverse("timebank:report", args=["elsewhere"])


def test_anonymous_visitors_are_sent_to_sign_in(client, ledger):
    response = client.get(reverse("timebank:report", args=["thurrock"]))
    assert response.status_code == 302
    assert "sign-in" in response["Location"] or "login" in response["Location"]


def test_an_analyst_and_a_coordinator_of_the_running_organisation_may_see_it(client, ledger):
    for role in (Role.ANALYST, Role.COORDINATOR, Role.ADMIN):
        person = UserFactory(roles=[role], roles__organisation=ledger.timebank.organisation)
        client.force_login(person)
        assert client.get(reverse("timebank:report", args=["thurrock"])).status_code == 200


def test_a_nonsense_period_is_refused_kindly_and_the_default_is_shown(client, ledger):
    client.force_login(ledger.broker)
    response = client.get(
        reverse("timebank:report", args=["thurrock"]), {"start": "2025-06-01", "end": "2025-01-01"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "The end date must be the same as or after the start date" in html
    response = client.get(reverse("timebank:report", args=["thurrock"]), {"start": "<script>"})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main")[1]
    assert client.get(reverse("timebank:report_csv", args=["thurrock", "nope"])).status_code == 404
