from __future__ import annotations

from django.db import migrations

from commonweal.outcomes.constants import DEFAULT_FRAMEWORK, DEFAULT_OUTCOMES


def create_default_framework(apps, schema_editor):
    OutcomeFramework = apps.get_model("outcomes", "OutcomeFramework")
    Outcome = apps.get_model("outcomes", "Outcome")
    framework, _ = OutcomeFramework.objects.get_or_create(
        slug=DEFAULT_FRAMEWORK["slug"],
        defaults={"name": DEFAULT_FRAMEWORK["name"], "source": DEFAULT_FRAMEWORK["source"], "is_default": True},
    )
    for position, (slug, name, description) in enumerate(DEFAULT_OUTCOMES, start=1):
        Outcome.objects.get_or_create(
            framework=framework, slug=slug, defaults={"name": name, "description": description, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_initial")]

    operations = [migrations.RunPython(create_default_framework, migrations.RunPython.noop)]
