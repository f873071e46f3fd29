from __future__ import annotations

from django.contrib import admin

from commonweal.outcomes.models import Outcome, OutcomeFramework


class OutcomeInline(admin.TabularInline[Outcome, OutcomeFramework]):
    model = Outcome
    fields = ["position", "name", "slug", "description", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    extra = 0


@admin.register(OutcomeFramework)
class OutcomeFrameworkAdmin(admin.ModelAdmin[OutcomeFramework]):
    list_display = ["name", "is_default", "updated_at"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OutcomeInline]
