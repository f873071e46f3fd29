"""The full-text index of services: one row per service, read only through ``directory.search``.

The table is built by migration ``0004_search`` in the shape its database wants: an FTS5 virtual table
on SQLite and a table with a ``tsvector`` column and a GIN index on PostgreSQL. Both have a
``service_id`` column, so that this one model joins both; on SQLite it is an UNINDEXED column (the
rowid is the service id too), which keeps the query planner from probing the full-text index once per
service row and makes it read the matches first. The migration
creates the table by hand (Django only knows its state), so that flushing the test database still
empties it. Nothing loads or saves these rows through the ORM: ``directory.search`` writes them with SQL
and only ever joins them to services.
"""

from __future__ import annotations

from django.db import models

from commonweal.directory.models.services import Service

SEARCH_TABLE = "directory_service_search"


class ServiceSearchEntry(models.Model):
    """A service's searchable text (name, description, organisation and taxonomy term names)."""

    service = models.OneToOneField(
        Service,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_column="service_id",
        db_constraint=False,
        related_name="search_entry",
    )
    # PostgreSQL: the weighted tsvector. SQLite: never read; matching goes through the FTS5 table.
    document = models.TextField()

    class Meta:
        db_table = SEARCH_TABLE
        default_permissions = ()

    def __str__(self) -> str:
        return f"Search entry of service {self.service_id}"
