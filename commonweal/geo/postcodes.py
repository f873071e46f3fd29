"""UK postcodes: canonical form, display form and validation (the only place that knows their shape)."""

from __future__ import annotations


def postcode_canonical(value: str) -> str:
    """Upper case with no spaces: "rm17 6sl " -> "RM176SL"."""
    return "".join(value.split()).upper()


def postcode_display(value: str) -> str:
    """The form people write: "RM176SL" -> "RM17 6SL"."""
    canonical = postcode_canonical(value)
    if len(canonical) < 5:
        return canonical
    return f"{canonical[:-3]} {canonical[-3:]}"
