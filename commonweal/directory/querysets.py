"""Chainable filters of the directory's records. Reads for a use case live in selectors."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from commonweal.directory.constants import Publication

if TYPE_CHECKING:
    from commonweal.directory.models import (  # noqa: F401  (named in the QuerySet[...] strings)
        Attribute,
        Location,
        Organization,
        Service,
        ServiceAtLocation,
        TaxonomyTerm,
    )


def review_cutoff(today: date) -> date:
    """Listings last checked before this day are out of date."""
    return today - timedelta(days=settings.COMMONWEAL_DIRECTORY_REVIEW_DAYS)


class AttributeQuerySet(models.QuerySet["Attribute"]):
    def linked_to_model(self, model: type[models.Model]) -> AttributeQuerySet:
        return self.filter(link_content_type=ContentType.objects.get_for_model(model))

    def of_term(self, term_pk: int) -> AttributeQuerySet:
        return self.filter(taxonomy_term_id=term_pk)

    def in_taxonomy(self, taxonomy_pk: int) -> AttributeQuerySet:
        return self.filter(taxonomy_term__taxonomy_id=taxonomy_pk)


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def with_published_services(self) -> OrganizationQuerySet:
        return self.filter(services__publication=Publication.PUBLISHED).distinct()


class ServiceQuerySet(models.QuerySet["Service"]):
    def published(self) -> ServiceQuerySet:
        return self.filter(publication=Publication.PUBLISHED)

    def with_status(self, *statuses: str) -> ServiceQuerySet:
        return self.filter(status__in=statuses)

    def modified_since(self, moment: datetime) -> ServiceQuerySet:
        return self.filter(last_modified__gte=moment)

    def of_organization(self, organization_pk: int) -> ServiceQuerySet:
        return self.filter(organization_id=organization_pk)

    def review_overdue(self, today: date) -> ServiceQuerySet:
        """Services nobody has checked within COMMONWEAL_DIRECTORY_REVIEW_DAYS (or ever)."""
        return self.filter(
            models.Q(assured_date__isnull=True) | models.Q(assured_date__lt=review_cutoff(today))
        )


class ServiceAtLocationQuerySet(models.QuerySet["ServiceAtLocation"]):
    def published(self) -> ServiceAtLocationQuerySet:
        return self.filter(service__publication=Publication.PUBLISHED)


class LocationQuerySet(models.QuerySet["Location"]):
    def unmasked(self) -> LocationQuerySet:
        return self.filter(mask_address=False)

    def with_point(self) -> LocationQuerySet:
        return self.filter(latitude__isnull=False, longitude__isnull=False)

    def in_box(self, *, south: float, west: float, north: float, east: float) -> LocationQuerySet:
        return self.filter(
            latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
        )


class TaxonomyTermQuerySet(models.QuerySet["TaxonomyTerm"]):
    def top_level(self) -> TaxonomyTermQuerySet:
        return self.filter(parent__isnull=True)
