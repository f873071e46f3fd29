from __future__ import annotations

import pytest
from django.core.management import call_command

from commonweal.core.models import AuditEntry
from commonweal.geo.constants import AreaKind, GeoAuditKind, ImportStatus
from commonweal.geo.models import Area, ImportLog, Postcode
from commonweal.geo.services import demo_geography_load

pytestmark = pytest.mark.django_db


def test_demo_geography_loads_thurrock():
    log = demo_geography_load()
    assert log.status == ImportStatus.SUCCEEDED and log.source == "thurrock_demo"
    assert log.rows_written == 3275
    assert Postcode.objects.count() == 3275
    assert Area.objects.filter(kind=AreaKind.DISTRICT).count() == 1
    assert Area.objects.filter(kind=AreaKind.WARD, parent__code="E06000034").count() == 20
    assert Area.objects.filter(kind=AreaKind.LSOA).count() == 98
    assert not Area.objects.filter(kind=AreaKind.LSOA, parent__isnull=True).exists()
    assert (
        Area.objects.filter(kind=AreaKind.MSOA, parent__code="E06000034").count()
        == Area.objects.filter(kind=AreaKind.MSOA).count()
    )
    assert AuditEntry.objects.filter(
        kind=GeoAuditKind.IMPORT_FINISHED, target_id=str(log.pk)
    ).exists()
    grays = Postcode.objects.get(postcode="RM176SL")
    assert (grays.latitude, grays.longitude, grays.ward_code) == (51.47555, 0.323813, "E05002235")


def test_demo_geography_is_idempotent():
    demo_geography_load()
    before = sorted(
        Postcode.objects.values_list("postcode", "latitude", "longitude", "ward_code", "lsoa_code")
    )
    areas = sorted(Area.objects.values_list("kind", "code", "name", "parent__code"))
    demo_geography_load()
    assert (
        sorted(
            Postcode.objects.values_list(
                "postcode", "latitude", "longitude", "ward_code", "lsoa_code"
            )
        )
        == before
    )
    assert sorted(Area.objects.values_list("kind", "code", "name", "parent__code")) == areas
    assert (
        ImportLog.objects.filter(source="thurrock_demo", status=ImportStatus.SUCCEEDED).count() == 2
    )


def test_geo_load_demo_command(capsys):
    call_command("geo_load_demo")
    assert "3,275 postcodes written" in capsys.readouterr().out
