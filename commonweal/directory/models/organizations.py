"""Organisations listed in the directory (HSDS ``organization``) and their registered identifiers."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models

from commonweal.core.models import BaseModel
from commonweal.directory.constants import AssetType
from commonweal.directory.models.provenance import SourcedModel
from commonweal.directory.models.taxonomy import Attribute
from commonweal.directory.querysets import OrganizationQuerySet


class Organization(SourcedModel, BaseModel):
    """An organisation that runs services. May be the directory face of an accounts.Organisation."""

    oruk_link_type = "organization"

    name = models.CharField(max_length=200)
    description = models.TextField()
    email = models.EmailField(blank=True)
    website = models.URLField(max_length=500, blank=True)
    logo = models.URLField(max_length=500, blank=True)
    uri = models.URLField(
        max_length=500, blank=True, help_text="A persistent identifier, not the website."
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    account_organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="directory_organizations",
        help_text="The Commonweal organisation whose members keep this listing current.",
    )
    asset_type = models.CharField(
        max_length=20,
        choices=AssetType.choices,
        blank=True,
        help_text="What kind of community asset the organisation is (association, institution...).",
    )
    attributes = GenericRelation(
        Attribute, content_type_field="link_content_type", object_id_field="link_object_id"
    )

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class OrganizationIdentifier(BaseModel):
    """A registered number: Charity Commission, Companies House, OSCR, org-id.guide scheme..."""

    oruk_link_type = "organization_identifier"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="identifiers"
    )
    identifier_scheme = models.CharField(
        max_length=40, blank=True, help_text="For example GB-CHC or GB-COH."
    )
    identifier_type = models.CharField(max_length=100)
    identifier = models.CharField(max_length=100)
    attributes = GenericRelation(
        Attribute, content_type_field="link_content_type", object_id_field="link_object_id"
    )

    class Meta:
        ordering = ["organization", "identifier_scheme", "id"]

    def __str__(self) -> str:
        return f"{self.identifier_scheme or self.identifier_type} {self.identifier}"
