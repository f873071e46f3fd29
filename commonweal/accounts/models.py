"""People, organisations, memberships with roles, consent records and API tokens."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone

from commonweal.accounts.constants import (
    STAFF_ROLES,
    ConsentPurpose,
    LawfulBasis,
    OrganisationKind,
    Role,
)
from commonweal.core.models import BaseModel
from commonweal.geo.models import LocatedModel


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username or "")


class User(BaseModel, AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    preferred_name = models.CharField(max_length=80, blank=True, help_text="What we call you.")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Can use the administration site.")
    is_example = models.BooleanField(default=False, help_text="Invented for the demo borough.")

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.preferred_name or self.full_name.split(" ")[0] or self.email

    def active_roles(self) -> set[str]:
        """The roles this person holds now, in any organisation (cached on the instance)."""
        if not hasattr(self, "_active_roles"):
            self._active_roles = set(
                Membership.objects.active().filter(user=self).values_list("role", flat=True)
            )
        return self._active_roles

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or bool(self.active_roles() & set(roles))

    @property
    def needs_two_factor(self) -> bool:
        return self.is_superuser or self.is_staff or bool(self.active_roles() & STAFF_ROLES)


class Profile(LocatedModel, BaseModel):
    """What a person tells us about themselves, beyond signing in."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    phone = models.CharField(max_length=30, blank=True)
    languages = models.CharField(
        max_length=200, blank=True, help_text="Languages you speak, comma separated."
    )
    access_needs = models.TextField(
        blank=True, help_text="Anything that helps us communicate with you."
    )
    bio = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def active(self) -> OrganisationQuerySet:
        return self.filter(is_active=True)

    def of_kind(self, *kinds: str) -> OrganisationQuerySet:
        return self.filter(kind__in=kinds)


class Organisation(LocatedModel, BaseModel):
    """A council, CVS, group, GP practice, school, NHS body... People act for it through memberships."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    description = models.TextField(blank=True)
    charity_number = models.CharField(max_length=20, blank=True)
    company_number = models.CharField(max_length=20, blank=True)
    org_id = models.CharField(
        max_length=60, blank=True, help_text="org-id.guide identifier, for example GB-CHC-1234567."
    )
    ods_code = models.CharField(
        max_length=10, blank=True, help_text="NHS ODS code, for GP practices and NHS bodies."
    )
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    district = models.ForeignKey(
        "geo.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(default=True)
    is_example = models.BooleanField(default=False, help_text="Invented for the demo borough.")

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        today = timezone.localdate()
        return self.filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=today), starts_on__lte=today
        )

    def with_role(self, *roles: str) -> MembershipQuerySet:
        return self.filter(role__in=roles)


class Membership(BaseModel):
    """A person holds a role in an organisation, from a date and perhaps until one."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="accounts_membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organisation}"


class ConsentRecordQuerySet(models.QuerySet["ConsentRecord"]):
    def current(self) -> ConsentRecordQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class ConsentRecord(BaseModel):
    """A person's consent (or another lawful basis) for one purpose, with the words they agreed to."""

    sensitive = True

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="consents"
    )
    person_name = models.CharField(
        max_length=150,
        blank=True,
        help_text="For people without an account (for example a story teller).",
    )
    purpose = models.CharField(max_length=30, choices=ConsentPurpose.choices)
    lawful_basis = models.CharField(
        max_length=30, choices=LawfulBasis.choices, default=LawfulBasis.CONSENT
    )
    special_category_condition = models.CharField(
        max_length=120,
        blank=True,
        help_text="UK GDPR Article 9 condition, when special category data is kept.",
    )
    wording = models.TextField(help_text="The words the person agreed to.")
    wording_version = models.CharField(max_length=20, default="1")
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    given_by_proxy = models.CharField(
        max_length=150,
        blank=True,
        help_text="Parent, carer or broker who gave consent on the person's behalf.",
    )
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="consents_recorded"
    )

    objects = ConsentRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at"]

    def __str__(self) -> str:
        who = self.user or self.person_name or "someone"
        return f"{who}: {self.get_purpose_display()}"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, user__is_active=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(BaseModel):
    """A bearer token for the JSON API. Only a hash is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, default="API token")
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired
