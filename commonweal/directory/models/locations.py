"""Places (HSDS ``location``), their addresses and accessibility, and where services are offered."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models

from commonweal.core.models import BaseModel
from commonweal.directory.constants import AddressType, AssetType, Facility, LocationType
from commonweal.directory.models.organizations import Organization
from commonweal.directory.models.provenance import SourcedModel
from commonweal.directory.models.services import Service
from commonweal.directory.models.taxonomy import Attribute
from commonweal.directory.querysets import LocationQuerySet, ServiceAtLocationQuerySet
from commonweal.geo.models import LocatedModel


class Location(SourcedModel, LocatedModel, BaseModel):
    """A place where services happen, with its point, postcode, ward and LSOA.

    ``mask_address`` marks a sensitive place (a refuge, a safe house): its addresses and point are
    never published and it never appears in distance searches.
    """

    oruk_link_type = "location"

    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="locations"
    )
    location_type = models.CharField(
        max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    external_identifier = models.CharField(
        max_length=100, blank=True, help_text="For example a UPRN."
    )
    external_identifier_type = models.CharField(
        max_length=40, blank=True, help_text="For example 'uprn'."
    )
    mask_address = models.BooleanField(
        default=False, help_text="Never publish the address or the point."
    )
    # The asset view (Sheffield's and Thurrock's asset maps).
    asset_type = models.CharField(
        max_length=20,
        choices=AssetType.choices,
        blank=True,
        help_text="What kind of community asset this place is, if it is one.",
    )
    is_meeting_place = models.BooleanField(
        default=False, help_text="A place where people and groups can meet."
    )
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many people the largest room holds."
    )
    attributes = GenericRelation(
        Attribute, content_type_field="link_content_type", object_id_field="link_object_id"
    )

    objects = LocationQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="directory_location_point_idx")
        ]

    def __str__(self) -> str:
        return self.name or self.postcode


class LocationFacility(BaseModel):
    """One facility a place offers (a kitchen, a hearing loop...)."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="facilities")
    facility = models.CharField(max_length=24, choices=Facility.choices)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["location", "facility"]
        verbose_name_plural = "location facilities"
        constraints = [
            models.UniqueConstraint(
                fields=["location", "facility"], name="directory_location_facility_unique"
            )
        ]

    def __str__(self) -> str:
        return self.get_facility_display()


class Address(BaseModel):
    oruk_link_type = "address"

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = models.CharField(max_length=200, blank=True)
    address_1 = models.CharField(max_length=200)
    address_2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    region = models.CharField(max_length=100, blank=True)
    state_province = models.CharField(max_length=100, help_text="The county.")
    postal_code = models.CharField(max_length=10)
    country = models.CharField(max_length=2, default="GB", help_text="ISO 3166-1 alpha-2 code.")
    address_type = models.CharField(
        max_length=10, choices=AddressType.choices, default=AddressType.PHYSICAL
    )
    attributes = GenericRelation(
        Attribute, content_type_field="link_content_type", object_id_field="link_object_id"
    )

    class Meta:
        ordering = ["location", "id"]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return f"{self.address_1}, {self.city} {self.postal_code}"


class Accessibility(BaseModel):
    oruk_link_type = "accessibility"

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="accessibility")
    description = models.TextField(blank=True)
    details = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    attributes = GenericRelation(
        Attribute, content_type_field="link_content_type", object_id_field="link_object_id"
    )

    class Meta:
        ordering = ["location", "id"]
        verbose_name_plural = "accessibility"

    def __str__(self) -> str:
        return self.description[:60]


class ServiceAtLocation(BaseModel):
    """A service offered at one location."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="service_at_locations"
    )
    description = models.TextField(blank=True)

    objects = ServiceAtLocationQuerySet.as_manager()

    class Meta:
        ordering = ["service", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "location"], name="directory_sal_unique_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} at {self.location}"
