from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from commonweal.accounts.tests.factories import OrganisationFactory, UserFactory
from commonweal.core.audit import access_record, audit_entries_for, audit_record
from commonweal.core.models import AccessLogEntry, AuditEntry
from commonweal.core.permissions import Decision

pytestmark = pytest.mark.django_db


def test_an_audit_entry_records_who_changed_what_from_what_to_what():
    actor = UserFactory()
    organisation = OrganisationFactory(name="Belhus Park Walkers")
    audit_record(
        kind="accounts.organisation_saved",
        actor=actor,
        target=organisation,
        before={"name": "Belhus Walkers"},
        after={"name": "Belhus Park Walkers"},
    )
    (entry,) = audit_entries_for(organisation)
    assert entry.actor == actor
    assert entry.target_repr == "Belhus Park Walkers"
    assert entry.before == {"name": "Belhus Walkers"}
    assert entry.after == {"name": "Belhus Park Walkers"}


def test_the_history_of_one_record_leaves_out_other_records():
    first, second = OrganisationFactory(), OrganisationFactory()
    audit_record(kind="x.saved", actor=None, target=first)
    audit_record(kind="x.saved", actor=None, target=second)
    audit_record(kind="x.renamed", actor=None, target=first)
    assert [entry.kind for entry in audit_entries_for(first)] == ["x.renamed", "x.saved"]


def test_audit_and_access_entries_cannot_be_rewritten():
    entry = audit_record(kind="x.saved", actor=None, target=OrganisationFactory())
    entry.kind = "x.forged"
    with pytest.raises(ValueError, match="cannot be changed"):
        entry.save()
    read = access_record(actor=UserFactory(), target=OrganisationFactory(), purpose="Casework")
    read.purpose = "Nothing to see"
    with pytest.raises(ValueError, match="cannot be changed"):
        read.save()
    assert AuditEntry.objects.get(pk=entry.pk).kind == "x.saved"
    assert AccessLogEntry.objects.get(pk=read.pk).purpose == "Casework"


def test_an_anonymous_reader_is_logged_without_an_actor():
    entry = access_record(actor=AnonymousUser(), target=OrganisationFactory(), path="/somewhere")
    assert entry.actor is None
    assert entry.path == "/somewhere"


def test_a_decision_carries_its_reason_and_reads_as_a_boolean():
    refusal = Decision.deny("Only moderators can approve listings.")
    assert not refusal
    assert refusal.reason == "Only moderators can approve listings."
    assert Decision.allow()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied, match="Only moderators"):
        refusal.require()
