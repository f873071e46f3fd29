"""The local postcode table (filled by the importers): always the first provider."""

from __future__ import annotations

from commonweal.geo.models import Postcode
from commonweal.geo.types import PostcodePoint


class LocalTableProvider:
    name = "local"

    def lookup(self, postcode: str) -> PostcodePoint | None:
        row = Postcode.objects.filter(postcode=postcode).first()
        if row is None:
            return None
        return PostcodePoint(
            postcode=row.postcode,
            latitude=row.latitude,
            longitude=row.longitude,
            district_code=row.district_code,
            ward_code=row.ward_code,
            lsoa_code=row.lsoa_code,
            msoa_code=row.msoa_code,
            source=self.name,
        )
