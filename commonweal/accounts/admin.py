"""Administration site for people, organisations, memberships, consent records and API tokens."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from commonweal.accounts.models import (
    ApiToken,
    ConsentRecord,
    Membership,
    Organisation,
    Profile,
    User,
)


class ProfileInline(admin.StackedInline[Profile, User]):
    model = Profile
    can_delete = False
    fields = ["phone", "postcode", "ward", "lsoa", "languages", "access_needs", "bio"]
    readonly_fields = ["ward", "lsoa"]


class UserMembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 0
    fields = ["organisation", "role", "starts_on", "ends_on"]
    autocomplete_fields = ["organisation"]
    verbose_name = "role in an organisation"
    verbose_name_plural = "roles in organisations"


class OrganisationMembershipInline(admin.TabularInline[Membership, Organisation]):
    model = Membership
    extra = 0
    fields = ["user", "role", "starts_on", "ends_on"]
    autocomplete_fields = ["user"]
    verbose_name = "member"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]
    ordering = ["email"]
    list_display = [
        "email",
        "full_name",
        "is_active",
        "is_staff",
        "is_superuser",
        "is_example",
        "last_login",
    ]
    list_filter = ["is_active", "is_staff", "is_superuser", "is_example"]
    search_fields = ["email", "full_name", "preferred_name"]
    readonly_fields = ["public_id", "created_at", "updated_at", "last_login"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Name", {"fields": ["full_name", "preferred_name"]}),
        (
            "Access",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (
            "Record",
            {"fields": ["public_id", "is_example", "last_login", "created_at", "updated_at"]},
        ),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    inlines = [ProfileInline, UserMembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "kind", "slug", "postcode", "ward", "is_active", "is_example"]
    list_filter = ["kind", "is_active", "is_example"]
    search_fields = ["name", "slug", "charity_number", "company_number", "org_id", "ods_code"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["public_id", "ward", "lsoa", "created_at", "updated_at"]
    inlines = [OrganisationMembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["user", "organisation", "role", "starts_on", "ends_on"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin[ConsentRecord]):
    """Consent records are evidence: the words agreed to and when cannot be edited here."""

    list_display = ["__str__", "purpose", "lawful_basis", "given_at", "withdrawn_at"]
    list_filter = ["purpose", "lawful_basis"]
    search_fields = ["user__email", "person_name"]
    readonly_fields = [
        "public_id",
        "user",
        "person_name",
        "purpose",
        "lawful_basis",
        "special_category_condition",
        "wording",
        "wording_version",
        "given_at",
        "withdrawn_at",
        "given_by_proxy",
        "recorded_by",
        "created_at",
        "updated_at",
    ]
    list_select_related = ["user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens are made with ``commonweal api_token_create`` or on the tokens page; here they can be read or deleted."""

    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__email"]
    readonly_fields = [
        "public_id",
        "user",
        "name",
        "prefix",
        "token_hash",
        "last_used_at",
        "expires_at",
        "revoked_at",
        "created_at",
        "updated_at",
    ]
    list_select_related = ["user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
