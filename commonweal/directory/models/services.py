"""Services (HSDS ``service``) and the records that hang off one service only."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from commonweal.core.models import BaseModel
from commonweal.directory.constants import (
    AttendingType,
    ExtentType,
    LocalOfferQuestion,
    Publication,
    ScheduleFrequency,
    ServiceStatus,
)
from commonweal.directory.models.organizations import Organization
from commonweal.directory.models.provenance import SourcedModel
from commonweal.directory.models.taxonomy import Attribute
from commonweal.directory.querysets import ServiceQuerySet, review_cutoff


class Service(SourcedModel, BaseModel):
    """A service, group, activity or club an organisation runs.

    ``last_modified`` is the time the published content last changed (the service or anything hanging
    off it); services in ``commonweal.directory.services`` keep it current. ``publication`` decides
    whether the public sees it at all; ``status`` says whether it is running.
    """

    oruk_link_type = "service"

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(
        max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    publication = models.CharField(
        max_length=12, choices=Publication.choices, default=Publication.DRAFT
    )
    fees = models.TextField(blank=True)
    accreditations = models.TextField(blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    eligibility_description = models.TextField(blank=True)
    assured_date = models.DateField(
        null=True, blank=True, help_text="When the listing was last checked."
    )
    assurer_email = models.EmailField(blank=True)
    alert = models.TextField(blank=True)
    last_modified = models.DateTimeField(default=timezone.now)
    source_digest = models.CharField(
        max_length=64,
        blank=True,
        help_text="Digest of the imported record, to skip unchanged ones.",
    )
    # UK extensions (SEND Local Offer, Family Information Service).
    referral_required = models.BooleanField(
        default=False, help_text="People need a referral to use it."
    )
    referral_description = models.TextField(
        blank=True, help_text="How to be referred, and who decides."
    )
    ofsted_urn = models.CharField(
        max_length=8,
        blank=True,
        validators=[
            RegexValidator(
                r"^(EY|SC)?\d{6,7}$",
                "An Ofsted URN is six or seven digits (EY or SC first for some).",
            )
        ],
        verbose_name="Ofsted URN",
    )
    send_local_offer = models.BooleanField(
        default=False,
        verbose_name="SEND Local Offer",
        help_text="Part of the council's SEND Local Offer (Children and Families Act 2014, s.30).",
    )
    intended_outcomes = models.ManyToManyField(
        "outcomes.Outcome", blank=True, related_name="directory_services"
    )
    attributes = GenericRelation(
        Attribute, content_type_field="link_content_type", object_id_field="link_object_id"
    )

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["publication", "status"], name="directory_service_pub_idx"),
            # Pages of published services in name order read the index in order, not sort them all.
            models.Index(
                fields=["publication", "name", "id"], name="directory_service_pub_name_idx"
            ),
            models.Index(fields=["last_modified"], name="directory_service_modified_idx"),
            models.Index(fields=["organization", "publication"], name="directory_service_org_idx"),
            # Counting a keyword's published matches reads each match's id from this small index
            # instead of its service row (PostgreSQL, 300,000 services, a word with 9,000
            # matches: about 100 ms without, 60 ms with).
            models.Index(
                fields=["id"],
                condition=models.Q(publication=Publication.PUBLISHED),
                name="directory_service_pub_ids",
            ),
            # The few services the public doesn't see: a keyword's published matches are its
            # matches less these (directory.search.published_match_window).
            models.Index(
                fields=["id"],
                condition=~models.Q(publication=Publication.PUBLISHED),
                name="directory_service_unpub_ids",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_age__isnull=True)
                | models.Q(maximum_age__isnull=True)
                | models.Q(minimum_age__lte=models.F("maximum_age")),
                name="directory_service_age_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def may_be_out_of_date(self) -> bool:
        """Nobody has checked the listing within COMMONWEAL_DIRECTORY_REVIEW_DAYS."""
        return self.assured_date is None or self.assured_date < review_cutoff(timezone.localdate())

    def clean(self) -> None:
        if (
            self.minimum_age is not None
            and self.maximum_age is not None
            and self.minimum_age > self.maximum_age
        ):
            raise ValidationError(
                {"maximum_age": "The maximum age must not be below the minimum age."}
            )


class LocalOfferAnswer(BaseModel):
    """A service's answer to one SEND Local Offer question (SEND Regulations 2014, Schedule 2)."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="local_offer_answers"
    )
    question = models.CharField(max_length=24, choices=LocalOfferQuestion.choices)
    answer = models.TextField()

    class Meta:
        ordering = ["service", "question"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "question"], name="directory_local_offer_unique_question"
            )
        ]

    def __str__(self) -> str:
        return self.get_question_display()


class ServiceArea(BaseModel):
    """Where a service is available. ``area`` ties it to an ONS area, so postcodes can be checked."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True, help_text="Free text (ORUK 'service_area').")
    extent = models.TextField(blank=True)
    extent_type = models.CharField(max_length=10, choices=ExtentType.choices, blank=True)
    uri = models.URLField(
        max_length=500, blank=True, help_text="Preferably an ONS statistical geography URI."
    )
    area = models.ForeignKey(
        "geo.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["service", "name", "id"]

    def __str__(self) -> str:
        return self.name or self.description[:50]


class Contact(BaseModel):
    """A named contact for a service. Contact emails and phones stay out of the public feed."""

    oruk_link_type = "contact"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    attributes = GenericRelation(
        Attribute, content_type_field="link_content_type", object_id_field="link_object_id"
    )

    class Meta:
        ordering = ["service", "name", "id"]

    def __str__(self) -> str:
        return self.name or self.title


class Phone(BaseModel):
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    number = models.CharField(max_length=40)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]

    @property
    def tel_uri(self) -> str:
        """The number as a ``tel:`` link (RFC 3966): "01375 123456 ext 204" is
        "tel:01375123456;ext=204"."""
        number, _, extension = self.number.partition(" ext ")
        uri = "tel:" + "".join(ch for ch in number if ch.isdigit() or ch == "+")
        digits = "".join(ch for ch in extension if ch.isdigit())
        return f"{uri};ext={digits}" if digits else uri

    def __str__(self) -> str:
        return self.number


class Language(BaseModel):
    """A language a service (or one of its phone lines) is offered in; ``code`` is ISO 639."""

    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="languages"
    )
    phone = models.ForeignKey(
        Phone, null=True, blank=True, on_delete=models.CASCADE, related_name="languages"
    )
    name = models.CharField(max_length=100)
    code = models.CharField(max_length=12, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class CostOption(BaseModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    option = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    amount_description = models.TextField(blank=True)

    class Meta:
        ordering = ["service", "amount", "id"]

    def __str__(self) -> str:
        return self.option or str(self.amount)


class Funding(BaseModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="funding")
    source = models.CharField(max_length=300)

    class Meta:
        ordering = ["service", "id"]

    def __str__(self) -> str:
        return self.source


class Schedule(BaseModel):
    """When a service runs, as an iCalendar RRULE (RFC 5545): ``freq=MONTHLY byday=2MO`` is the 2nd Monday.

    Always belongs to a service; ``service_at_location`` narrows it to one venue.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    service_at_location = models.ForeignKey(
        "directory.ServiceAtLocation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="schedules",
    )
    freq = models.CharField(max_length=8, choices=ScheduleFrequency.choices, blank=True)
    interval = models.PositiveSmallIntegerField(null=True, blank=True)
    byday = models.CharField(
        max_length=60, blank=True, help_text="For example MO,WE or 2MO or -1FR."
    )
    bymonthday = models.CharField(max_length=60, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    schedule_link = models.URLField(max_length=500, blank=True)
    attending_type = models.CharField(max_length=12, choices=AttendingType.choices, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["service", "dtstart", "opens_at", "id"]

    def __str__(self) -> str:
        return self.description or f"{self.freq} {self.byday}".strip()

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = "The closing time must be after the opening time."
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = "'Valid to' must not be before 'valid from'."
        if self.dtstart and self.until and self.until < self.dtstart:
            errors["until"] = "'Until' must not be before the start date."
        if (
            self.service_at_location_id is not None
            and self.service_id is not None
            and self.service_at_location is not None
            and self.service_at_location.service_id != self.service_id
        ):
            errors["service_at_location"] = "The venue must be one of this service's venues."
        if errors:
            raise ValidationError(errors)
