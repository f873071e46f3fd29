"""CSV cells a spreadsheet will not run as formulas.

Spreadsheet programs treat a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return before one) as a formula, so a name typed as ``=HYPERLINK("http://…", "Click")`` in a public
form would run on the computer of whoever opens a download. Every CSV a person may open in a
spreadsheet writes its cells through ``csv_safe``, which puts an apostrophe before such text
(spreadsheets show the text as typed and hide the apostrophe).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> str:
    """``value`` as CSV cell text that no spreadsheet will run; ``None`` is an empty cell.

    Numbers are written as they are: a negative number is not a formula.
    """
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
