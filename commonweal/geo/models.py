"""ONS areas, postcodes with coordinates, localities and the log of imports."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from commonweal.core.models import BaseModel, LocationModel
from commonweal.geo.constants import AreaKind, ImportStatus


class AreaQuerySet(models.QuerySet["Area"]):
    def wards(self) -> AreaQuerySet:
        return self.filter(kind=AreaKind.WARD)

    def districts(self) -> AreaQuerySet:
        return self.filter(kind=AreaKind.DISTRICT)

    def lsoas(self) -> AreaQuerySet:
        return self.filter(kind=AreaKind.LSOA)

    def current(self) -> AreaQuerySet:
        return self.filter(valid_to__isnull=True)

    def in_district(self, district_code: str) -> AreaQuerySet:
        return self.filter(district_code=district_code)


class Area(models.Model):
    """An ONS statistical or administrative area, named by its nine-character GSS code.

    ``vintage`` names the release the boundaries come from (for example "2011" for LSOA 2011 or
    "2025-05" for Code-Point Open May 2025), so that figures keep the areas they were counted in.
    """

    kind = models.CharField(max_length=16, choices=AreaKind.choices, db_index=True)
    code = models.CharField(max_length=9, help_text="ONS GSS code, for example E05002229.")
    name = models.CharField(max_length=200)
    vintage = models.CharField(max_length=20, blank=True)
    district_code = models.CharField(max_length=9, blank=True, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="geo_area_unique_kind_code")
        ]

    def __str__(self) -> str:
        return self.name


class Postcode(models.Model):
    """A postcode unit in canonical form (upper case, no space) with its point and the areas it is in.

    Area membership is held as ONS codes, so no point-in-polygon query is ever needed.
    """

    postcode = models.CharField(max_length=7, primary_key=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    easting = models.IntegerField(null=True, blank=True)
    northing = models.IntegerField(null=True, blank=True)
    positional_quality = models.PositiveSmallIntegerField(null=True, blank=True)
    country_code = models.CharField(max_length=9, blank=True)
    district_code = models.CharField(max_length=9, blank=True)
    ward_code = models.CharField(max_length=9, blank=True)
    lsoa_code = models.CharField(max_length=9, blank=True)
    msoa_code = models.CharField(max_length=9, blank=True)

    class Meta:
        ordering = ["postcode"]
        indexes = [models.Index(fields=["ward_code"], name="geo_postcode_ward_idx")]

    def __str__(self) -> str:
        from commonweal.geo.postcodes import postcode_display

        return postcode_display(self.postcode)


class Locality(BaseModel):
    """A named group of wards that a council works by (for example "Grays and Tilbury")."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    district_code = models.CharField(max_length=9, blank=True)
    wards = models.ManyToManyField(
        Area, related_name="localities", limit_choices_to={"kind": AreaKind.WARD}
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "localities"

    def __str__(self) -> str:
        return self.name


class LocatedModel(LocationModel):
    """A LocationModel that also carries the ward and LSOA its postcode is in (set by geo services)."""

    ward = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lsoa = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True


class ImportLog(models.Model):
    """What was imported, from which release, when, by whom, and how it went."""

    source = models.CharField(max_length=40, db_index=True, help_text="Key in geo/sources.toml.")
    release = models.CharField(max_length=80, blank=True)
    file_name = models.CharField(max_length=500, blank=True)
    status = models.CharField(
        max_length=12, choices=ImportStatus.choices, default=ImportStatus.RUNNING
    )
    rows_read = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source} {self.release} ({self.status})"


class AreaDeprivation(models.Model):
    """An LSOA's place in an index of deprivation the council imported (decile 1 is the most deprived).

    One index at a time: importing again replaces the figures, and ``index_name`` says which release
    (for example "IMD 2019") they come from.
    """

    area = models.OneToOneField(
        Area,
        on_delete=models.CASCADE,
        related_name="deprivation",
        limit_choices_to={"kind": AreaKind.LSOA},
    )
    decile = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    rank = models.PositiveIntegerField(null=True, blank=True, help_text="1 is the most deprived.")
    index_name = models.CharField(max_length=60)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["area__code"]
        verbose_name_plural = "area deprivation"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decile__gte=1, decile__lte=10),
                name="geo_deprivation_decile_1_to_10",
            )
        ]

    def __str__(self) -> str:
        return f"{self.area_id}: decile {self.decile}"
