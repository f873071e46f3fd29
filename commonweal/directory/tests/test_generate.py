"""``directory_generate``: a synthetic directory over real postcodes, the same for the same seed."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from commonweal.directory.constants import Publication
from commonweal.directory.generate import generated_source
from commonweal.directory.models import (
    Address,
    Attribute,
    CostOption,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
)
from commonweal.directory.search import service_search
from commonweal.directory.tests.oruk_schemas import oruk_schemas, page_errors
from commonweal.geo.constants import AreaKind
from commonweal.geo.models import Area, Postcode

pytestmark = pytest.mark.django_db

POSTCODES = [
    ("RM176SL", 51.476012, 0.325011, "E05002235"),
    ("RM175AA", 51.479420, 0.331235, "E05002236"),
    ("SS170AA", 51.521903, 0.430114, "E05002243"),
    ("M11AE", 53.480759, -2.236981, "E05011376"),
]


@pytest.fixture
def postcodes():
    Area.objects.create(kind=AreaKind.DISTRICT, code="E06000034", name="Thurrock")
    for name, code in (
        ("Grays Riverside", "E05002235"),
        ("Grays Thurrock", "E05002236"),
        ("Stanford-le-Hope West", "E05002243"),
        ("Piccadilly", "E05011376"),
    ):
        Area.objects.create(kind=AreaKind.WARD, code=code, name=name, district_code="E06000034")
    for postcode, latitude, longitude, ward in POSTCODES:
        Postcode.objects.create(
            postcode=postcode,
            latitude=latitude,
            longitude=longitude,
            ward_code=ward,
            district_code="E06000034",
        )


def _generate(services=60, seed=5, batch=25):
    out = io.StringIO()
    call_command(
        "directory_generate",
        services=services,
        seed=seed,
        batch=batch,
        no_progress=True,
        stdout=out,
        stderr=io.StringIO(),
    )
    return out.getvalue()


def _snapshot():
    return sorted(
        (str(service.public_id), service.name, service.publication, location.postcode)
        for service, location in (
            (sal.service, sal.location)
            for sal in ServiceAtLocation.objects.select_related("service", "location")
        )
    )


def test_refuses_without_postcodes():
    with pytest.raises(CommandError, match="geo_import_codepoint"):
        _generate()
    assert not Service.objects.exists()


def test_builds_a_directory_at_real_postcodes(postcodes):
    output = _generate(services=60)
    assert "services: 60" in output
    services = Service.objects.filter(source=generated_source(5))
    assert services.count() == 60
    assert 20 <= Organization.objects.filter(source=generated_source(5)).count() <= 23
    assert 0.8 < services.filter(publication=Publication.PUBLISHED).count() / 60 <= 1
    known = {postcode: (lat, lon, ward) for postcode, lat, lon, ward in POSTCODES}
    locations = Location.objects.select_related("ward")
    assert 0 < locations.count() <= 60
    for location in locations:
        latitude, longitude, ward = known[location.postcode]
        assert location.latitude == Decimal(f"{latitude:.6f}")
        assert location.longitude == Decimal(f"{longitude:.6f}")
        assert location.ward.code == ward
        assert location.service_at_locations.exists()
    assert Address.objects.count() == locations.count()
    # Every service has a venue, a schedule, a category and a cost.
    for model in (ServiceAtLocation, Schedule, Attribute, CostOption):
        assert set(model.objects.values_list(_service_field(model), flat=True)) >= set(
            services.values_list("pk", flat=True)
        ), model.__name__
    # Named after their places ("Grays Riverside Coffee Morning") and found by the search interface.
    ward_names = set(Area.objects.wards().values_list("name", flat=True))
    assert all(any(service.name.startswith(name) for name in ward_names) for service in services)
    word = services.first().name.split()[-1]
    assert service_search(Service.objects.all(), word).exists()


def _service_field(model):
    return "link_object_id" if model is Attribute else "service_id"


def test_same_seed_same_directory_and_never_twice(postcodes):
    _generate(seed=5)
    first = _snapshot()
    with pytest.raises(CommandError, match="already"):
        _generate(seed=5)
    Service.objects.all().delete()
    Organization.objects.all().delete()
    Location.objects.all().delete()
    _generate(seed=5)
    assert _snapshot() == first
    _generate(seed=6)
    other = Service.objects.filter(source=generated_source(6))
    assert other.count() == 60
    assert not {str(pk) for pk in other.values_list("public_id", flat=True)} & {
        row[0] for row in first
    }


def test_the_generated_directory_is_valid_oruk(postcodes, client, shared_dir):
    _generate(services=40, batch=40)
    body = client.get("/api/oruk/services?full=true&per_page=20").json()
    assert body["total_items"] == Service.objects.published().count()
    assert oruk_schemas(shared_dir).errors("/services", body) == []
    assert page_errors(body, per_page=20) == []
    near = client.get("/api/oruk/service_at_locations?postcode=RM17%206SL&proximity=2000").json()
    assert near["total_items"] > 0
    assert oruk_schemas(shared_dir).errors("/service_at_locations", near) == []
