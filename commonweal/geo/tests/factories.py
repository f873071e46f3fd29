from __future__ import annotations

import factory

from commonweal.geo.constants import AreaKind
from commonweal.geo.models import Area, Postcode


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("kind", "code")

    kind = AreaKind.WARD
    code = factory.Sequence(lambda n: f"E05{n:06d}")
    name = factory.Sequence(lambda n: f"Ward {n}")
    district_code = "E06000034"


class PostcodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Postcode
        django_get_or_create = ("postcode",)

    postcode = factory.Sequence(
        lambda n: f"RM17{n % 10}{chr(65 + n % 26)}{chr(65 + (n // 26) % 26)}"
    )
    latitude = 51.4755
    longitude = 0.3238
    country_code = "E92000001"
    district_code = "E06000034"
    ward_code = "E05002235"
    lsoa_code = "E01015954"
    msoa_code = "E02003312"
