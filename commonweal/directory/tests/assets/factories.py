"""Factories and a small borough for the asset map, ward matrix, ward counts and duplicate tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import factory

from commonweal.directory.constants import (
    SEND_NEEDS_TAXONOMY_URI,
    AssetType,
    Facility,
    InitiativeKind,
    Publication,
)
from commonweal.directory.models import (
    Initiative,
    Location,
    LocationFacility,
    Service,
    TaxonomyTerm,
)
from commonweal.directory.tests.factories import (
    LocationFactory,
    OrganizationFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    TaxonomyFactory,
    TaxonomyTermFactory,
    attribute_add,
)
from commonweal.geo.constants import AreaKind
from commonweal.geo.models import Area
from commonweal.geo.tests.factories import AreaFactory

BOROUGH = "E06000034"


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Initiative {n}")
    kind = InitiativeKind.COMMUNITY_HUB
    description = "Works with residents (example data)."

    @factory.post_generation
    def wards(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.wards.set(extracted)


def place(
    *,
    ward: Area | None,
    name: str,
    asset_type: str = "",
    meeting: bool = False,
    masked: bool = False,
    facilities: tuple[str, ...] = (),
    services: tuple[Service, ...] = (),
    organization: Any = None,
    point: tuple[str, str] | None = ("51.480000", "0.330000"),
) -> Location:
    location = LocationFactory(
        name=name,
        ward=ward,
        asset_type=asset_type,
        is_meeting_place=meeting,
        mask_address=masked,
        organization=organization,
        latitude=Decimal(point[0]) if point else None,
        longitude=Decimal(point[1]) if point else None,
    )
    for code in facilities:
        LocationFacility.objects.create(location=location, facility=code)
    for service in services:
        ServiceAtLocationFactory(service=service, location=location)
    return location


@dataclass
class Borough:
    """Three wards of the borough and one of a neighbouring district, with places, services,
    categories and initiatives whose counts the tests know."""

    aveley: Area
    grays: Area
    tilbury: Area
    elsewhere: Area
    health: TaxonomyTerm
    social: TaxonomyTerm
    places: dict[str, Location] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    initiatives: dict[str, Initiative] = field(default_factory=dict)

    @property
    def wards(self) -> list[Area]:
        return [self.aveley, self.grays, self.tilbury]


def borough_build() -> Borough:
    AreaFactory(kind=AreaKind.DISTRICT, code=BOROUGH, name="Thurrock", district_code=BOROUGH)
    aveley = AreaFactory(code="E05002229", name="Aveley and Uplands")
    grays = AreaFactory(code="E05002235", name="Grays Riverside")
    tilbury = AreaFactory(code="E05002246", name="Tilbury Riverside")
    elsewhere = AreaFactory(code="E05004000", name="Somewhere Else", district_code="E06000033")

    categories = TaxonomyFactory(name="Categories")
    health = TaxonomyTermFactory(taxonomy=categories, name="Health and wellbeing")
    walking = TaxonomyTermFactory(taxonomy=categories, name="Walking", parent=health)
    social = TaxonomyTermFactory(taxonomy=categories, name="Social groups")
    send = TaxonomyFactory(name="SEND needs", uri=SEND_NEEDS_TAXONOMY_URI)
    autism = TaxonomyTermFactory(taxonomy=send, name="Autism")

    borough = Borough(aveley, grays, tilbury, elsewhere, health, social)
    walk = ServiceFactory(name="Aveley health walk")
    attribute_add(walk, walking)
    attribute_add(walk, autism)
    draft = ServiceFactory(name="Aveley draft session", publication=Publication.DRAFT)
    attribute_add(draft, social)
    choir = ServiceFactory(name="Grays community choir")
    attribute_add(choir, social)
    clinic = ServiceFactory(name="Grays drop-in clinic")
    attribute_add(clinic, health)
    refuge_support = ServiceFactory(name="Tilbury safe space support")
    attribute_add(refuge_support, health)
    craft = ServiceFactory(name="Grays craft club")
    borough.services.update(
        walk=walk, draft=draft, choir=choir, clinic=clinic, refuge=refuge_support, craft=craft
    )

    hall_owner = OrganizationFactory(name="Aveley Village Hall Trust")
    borough.places["hall"] = place(
        ward=aveley,
        name="Aveley Village Hall",
        asset_type=AssetType.PHYSICAL_SPACE,
        meeting=True,
        facilities=(Facility.KITCHEN, Facility.HEARING_LOOP),
        services=(walk, draft),
        organization=hall_owner,
        point=("51.499000", "0.260000"),
    )
    borough.places["library"] = place(
        ward=grays,
        name="Grays Library",
        asset_type=AssetType.CULTURAL,
        services=(choir,),
        point=("51.476000", "0.323000"),
    )
    borough.places["club_room"] = place(
        ward=grays,
        name="Riverside club room",
        organization=OrganizationFactory(
            name="Grays Riverside Residents", asset_type=AssetType.ASSOCIATION
        ),
        services=(craft,),
        point=None,
    )
    borough.places["surgery"] = place(ward=grays, name="Grays surgery", services=(clinic,))
    borough.places["refuge"] = place(
        ward=tilbury,
        name="Tilbury refuge",
        asset_type=AssetType.PHYSICAL_SPACE,
        meeting=True,
        masked=True,
        facilities=(Facility.KITCHEN,),
        services=(refuge_support,),
        organization=hall_owner,
    )
    borough.places["empty_room"] = place(
        ward=tilbury, name="Unlisted room", meeting=True, services=(draft,)
    )

    borough.initiatives["hub_a"] = InitiativeFactory(
        name="Aveley and Grays hub", kind=InitiativeKind.COMMUNITY_HUB, wards=[aveley, grays]
    )
    borough.initiatives["hub_b"] = InitiativeFactory(
        name="Grays hub", kind=InitiativeKind.COMMUNITY_HUB, wards=[grays], service=choir
    )
    borough.initiatives["timebank"] = InitiativeFactory(
        name="Tilbury timebank", kind=InitiativeKind.TIMEBANK, wards=[tilbury, elsewhere]
    )
    borough.initiatives["ended"] = InitiativeFactory(
        name="Old befriending scheme",
        kind=InitiativeKind.BEFRIENDING,
        wards=[aveley],
        ended_on=dt.date(2020, 3, 31),
    )
    return borough
