"""The ledger's database backstops (see commonweal.timebank.ledger_guards)."""

from django.db import migrations

from commonweal.timebank import ledger_guards


class Migration(migrations.Migration):
    dependencies = [("timebank", "0001_initial")]

    operations = [migrations.RunPython(ledger_guards.install, ledger_guards.remove)]
