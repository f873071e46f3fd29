"""Create or update Area rows named by an import, parents first."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from commonweal.geo.constants import AreaKind
from commonweal.geo.models import Area

_ORDER = [AreaKind.COUNTRY, AreaKind.DISTRICT, AreaKind.MSOA, AreaKind.WARD, AreaKind.LSOA]
_PARENT_KIND = {
    AreaKind.DISTRICT: None,
    AreaKind.COUNTRY: None,
    AreaKind.MSOA: AreaKind.DISTRICT,
    AreaKind.WARD: AreaKind.DISTRICT,
    AreaKind.LSOA: AreaKind.MSOA,
}


class AreaRecord(NamedTuple):
    kind: AreaKind
    code: str
    name: str  # empty when the source has no name: the code stands in and a known name is kept
    district_code: str
    parent_code: str | None


def areas_upsert(records: Iterable[AreaRecord], *, vintage: str) -> int:
    """Write the areas (idempotent). Returns how many records were written."""
    by_kind: dict[AreaKind, list[AreaRecord]] = {}
    for record in records:
        by_kind.setdefault(record.kind, []).append(record)
    written = 0
    for kind in _ORDER:
        batch = by_kind.get(kind, [])
        if not batch:
            continue
        parent_kind = _PARENT_KIND[kind]
        parents: dict[str, int] = {}
        if parent_kind is not None:
            codes = {record.parent_code for record in batch if record.parent_code}
            parents = dict(
                Area.objects.filter(kind=parent_kind, code__in=codes).values_list("code", "id")
            )
        named = [
            Area(
                kind=kind,
                code=record.code,
                name=record.name[:200],
                vintage=vintage[:20],
                district_code=record.district_code,
                parent_id=parents.get(record.parent_code or ""),
            )
            for record in batch
            if record.name
        ]
        unnamed = [
            Area(
                kind=kind,
                code=record.code,
                name=record.code,
                vintage=vintage[:20],
                district_code=record.district_code,
                parent_id=parents.get(record.parent_code or ""),
            )
            for record in batch
            if not record.name
        ]
        if named:
            Area.objects.bulk_create(
                named,
                batch_size=500,
                update_conflicts=True,
                unique_fields=["kind", "code"],
                update_fields=["name", "vintage", "district_code", "parent"],
            )
        if unnamed:
            Area.objects.bulk_create(unnamed, batch_size=500, ignore_conflicts=True)
        written += len(batch)
    return written
