"""Money against deprivation: importing an index by LSOA, and the report by decile with its CSV."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from commonweal.geo.constants import AreaKind
from commonweal.geo.models import AreaDeprivation
from commonweal.geo.tests.factories import AreaFactory
from commonweal.grants.models import Canvas
from commonweal.grants.reports import deprivation_report
from commonweal.grants.services.panels import decision_make
from commonweal.grants.tests import factories as f

pytestmark = pytest.mark.django_db


def lsoa(code: str):
    return AreaFactory(kind=AreaKind.LSOA, code=code, name=f"LSOA {code}")


def import_file(tmp_path, text: str, *args: str) -> str:
    path = tmp_path / "imd.csv"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("grants_import_deprivation", str(path), *args, stdout=out)
    return out.getvalue()


def test_the_government_file_imports_by_its_headings_and_leaves_out_lsoas_not_here(tmp_path):
    poorest, richest = lsoa("E01015780"), lsoa("E01015781")
    out = import_file(
        tmp_path,
        "LSOA code (2011),LSOA name (2011),Index of Multiple Deprivation (IMD) Rank,"
        "Index of Multiple Deprivation (IMD) Decile\n"
        "E01015780,Thurrock 001A,120,1\n"
        "E01015781,Thurrock 001B,32000,10\n"
        "E01000001,City of London 001A,29199,9\n",
        "--index",
        "IMD 2019",
    )
    assert "Imported 2 LSOAs" in out and "1 LSOAs in the file are not among" in out
    assert poorest.deprivation.decile == 1 and poorest.deprivation.rank == 120
    assert richest.deprivation.decile == 10 and richest.deprivation.index_name == "IMD 2019"


def test_ranks_alone_give_deciles_and_a_new_import_replaces_the_old(tmp_path):
    area = lsoa("E01015780")
    import_file(tmp_path, "lsoa,decile\nE01015780,3\n")
    import_file(tmp_path, "lsoa_code,rank\nE01015780,3285\n", "--lsoas-ranked", "32844")
    [figure] = AreaDeprivation.objects.all()
    assert figure.area == area and figure.rank == 3285 and figure.decile == 2


def test_a_file_with_bad_rows_is_refused_whole_naming_the_lines(tmp_path):
    lsoa("E01015780")
    lsoa("E01015781")
    with pytest.raises(CommandError) as refusal:
        import_file(
            tmp_path,
            "lsoa_code,decile\nE01015780,4\nnot-a-code,4\nE01015781,11\nE01015781,high\n",
        )
    message = str(refusal.value)
    assert "Nothing was imported" in message
    assert "line 3: 'NOT-A-CODE' is not an LSOA code" in message
    assert "line 4: the decile 11 is not between 1 and 10" in message
    assert "line 5: the decile or rank is not a whole number" in message
    assert not AreaDeprivation.objects.exists()
    with pytest.raises(CommandError, match="must name the columns"):
        import_file(tmp_path, "code,score\nE01015780,4\n")
    with pytest.raises(CommandError, match="There is no file"):
        call_command("grants_import_deprivation", str(tmp_path / "missing.csv"))


def test_the_report_shows_ideas_and_money_by_decile_with_a_chart_table_and_csv(client, tmp_path):
    poor, rich, unranked = lsoa("E01015780"), lsoa("E01015781"), lsoa("E01015782")
    round_ = f.open_round()
    officer = f.officer()
    client.force_login(officer)
    page = client.get(reverse("grants:reports")).content.decode()
    assert "deprivation-missing" in page and "grants_import_deprivation" in page

    import_file(tmp_path, "lsoa_code,decile\nE01015780,1\nE01015781,10\n")
    placed = [(poor, "900", "funded"), (poor, "400", "not_funded"), (rich, "300", "funded")]
    for area, amount, outcome in [*placed, (unranked, "200", "funded")]:
        canvas = f.ready_canvas(round_, amount=amount)
        Canvas.objects.filter(pk=canvas.pk).update(lsoa=area)
        decision_make(
            actor=officer,
            canvas=canvas,
            outcome=outcome,
            amount=Decimal(amount) if outcome == "funded" else Decimal("0"),
            reasons="r",
            feedback="f",
        )
    f.ready_canvas(round_, amount="50")  # sent in with no LSOA: counted as not known

    report = deprivation_report()
    first, last = report["rows"][0], report["rows"][-1]
    assert (first.sent_in, first.funded, first.not_funded, first.money) == (
        2,
        1,
        1,
        Decimal("900"),
    )
    assert (last.sent_in, last.funded, last.money) == (1, 1, Decimal("300"))
    assert (report["unknown"].sent_in, report["unknown"].money) == (2, Decimal("200"))
    # The longest bar is the decile with the most money; an empty decile has none.
    widths = [bar.width for bar in report["bars"]]
    assert widths[0] == max(widths) and widths[0] > widths[-1] > 0 and widths[4] == 0

    page = client.get(reverse("grants:reports")).content.decode()
    assert 'data-chart="money-by-deprivation"' in page and "Decile 1 (most deprived)" in page
    assert "deprivation-missing" not in page
    response = client.get(reverse("grants:reports"), {"format": "deprivation-csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv") and len(rows) == 11
    assert rows[0]["decile"] == "1" and rows[0]["money_awarded"] == "900.00"
    assert rows[-1]["decile"] == "" and rows[-1]["sent_in"] == "2"
    assert sum(Decimal(row["money_awarded"]) for row in rows) == Decimal("1400.00")
