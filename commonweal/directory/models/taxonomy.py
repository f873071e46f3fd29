"""Taxonomies, their terms, and attributes: the link that tags any directory record with a term."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models

from commonweal.core.models import BaseModel
from commonweal.directory.models.provenance import SourcedModel
from commonweal.directory.querysets import AttributeQuerySet, TaxonomyTermQuerySet


class Taxonomy(SourcedModel, BaseModel):
    """A controlled vocabulary (for example the SEND needs list, or a council's service categories)."""

    name = models.CharField(max_length=200)
    description = models.TextField()
    uri = models.URLField(max_length=500, blank=True)
    version = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(SourcedModel, BaseModel):
    """One term of a taxonomy; terms nest through ``parent``."""

    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.CASCADE, related_name="terms")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name = models.CharField(max_length=200)
    description = models.TextField()
    code = models.CharField(
        max_length=100, blank=True, help_text="The term's code in its taxonomy (ORUK 'term')."
    )
    term_uri = models.URLField(max_length=500, blank=True)

    objects = TaxonomyTermQuerySet.as_manager()

    class Meta:
        ordering = ["taxonomy", "name"]
        indexes = [
            models.Index(fields=["taxonomy", "parent"], name="directory_term_tax_parent_idx")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id is not None and self.parent is not None:
            if self.parent.taxonomy_id != self.taxonomy_id:
                raise ValidationError({"parent": "A term's parent must be in the same taxonomy."})
            if self.pk is not None and self.parent_id == self.pk:
                raise ValidationError({"parent": "A term cannot be its own parent."})


class Attribute(BaseModel):
    """Links a taxonomy term to any directory record (HSDS 3.0 ``attribute``: link_type + link_id).

    One table with a generic foreign key mirrors the standard's own polymorphic link, so imports and
    exports map one row to one row, and every entity can be tagged without a link table per entity.
    Each taggable model declares a ``GenericRelation`` (``attributes``) for reverse joins, prefetching
    and cascade deletion.
    """

    taxonomy_term = models.ForeignKey(
        TaxonomyTerm, on_delete=models.PROTECT, related_name="attributes"
    )
    link_content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    link_object_id = models.PositiveBigIntegerField()
    link = GenericForeignKey("link_content_type", "link_object_id")
    value = models.CharField(max_length=200, blank=True)

    objects = AttributeQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["taxonomy_term", "link_content_type", "link_object_id"],
                name="directory_attribute_unique_link",
            )
        ]
        indexes = [
            models.Index(
                fields=["link_content_type", "link_object_id"], name="directory_attr_link_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.taxonomy_term} on {self.link_content_type.model} {self.link_object_id}"
