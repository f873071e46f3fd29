"""The full-text index of services, built the way each database wants it.

SQLite: an FTS5 virtual table whose rowid is the service id, with the id again in an UNINDEXED
``service_id`` column for joins (Porter stemmer, diacritics folded, prefix indexes for two and three
letters), and a trigger that drops a service's row when the service is deleted. PostgreSQL: a table of
weighted tsvectors keyed by ``service_id``, with a GIN index and a cascading foreign key.

Django only records the model's state; the database side is written here by hand. The index is filled
from the services already present.
"""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

TABLE = "directory_service_search"

SQLITE_CREATE = [
    f"""CREATE VIRTUAL TABLE {TABLE} USING fts5(
        service_id UNINDEXED, name, description, organization, terms,
        tokenize = 'porter unicode61 remove_diacritics 2',
        prefix = '2 3'
    )""",
    f"""CREATE TRIGGER {TABLE}_service_deleted AFTER DELETE ON directory_service
    BEGIN DELETE FROM {TABLE} WHERE rowid = old.id; END""",
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {TABLE}_service_deleted", f"DROP TABLE IF EXISTS {TABLE}"]

POSTGRES_CREATE = [
    f"""CREATE TABLE {TABLE} (
        service_id bigint PRIMARY KEY
            REFERENCES directory_service (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        document tsvector NOT NULL
    )""",
    f"CREATE INDEX {TABLE}_document_gin ON {TABLE} USING gin (document)",
]
POSTGRES_DROP = [f"DROP TABLE IF EXISTS {TABLE}"]

SOURCE = """SELECT {lead}s.id, s.name, s.description, o.name,
    COALESCE((SELECT {concat} FROM directory_attribute a
              JOIN directory_taxonomyterm t ON t.id = a.taxonomy_term_id
              WHERE a.link_content_type_id = %s AND a.link_object_id = s.id), '')
    FROM directory_service s JOIN directory_organization o ON o.id = s.organization_id"""


def _service_content_type(apps: StateApps) -> int | None:
    content_type = apps.get_model("contenttypes", "ContentType")
    found = content_type.objects.filter(app_label="directory", model="service").first()
    return found.pk if found is not None else None


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = SQLITE_CREATE
    elif vendor == "postgresql":
        statements = POSTGRES_CREATE
    else:
        raise NotImplementedError(f"Commonweal's search needs SQLite or PostgreSQL, not {vendor}")
    for statement in statements:
        schema_editor.execute(statement)
    content_type = _service_content_type(apps)
    if content_type is None:  # a new database: no services yet
        return
    if vendor == "sqlite":
        schema_editor.execute(
            f"INSERT INTO {TABLE} (rowid, service_id, name, description, organization, terms) "
            + SOURCE.format(lead="s.id, ", concat="group_concat(t.name, ' ')"),
            [content_type],
        )
    else:
        schema_editor.execute(
            f"INSERT INTO {TABLE} (service_id, document) SELECT src.id, "
            "setweight(to_tsvector('english', src.name), 'A') || "
            "setweight(to_tsvector('english', src.terms), 'B') || "
            "setweight(to_tsvector('english', src.organization), 'C') || "
            "setweight(to_tsvector('english', src.description), 'D') "
            "FROM (" + SOURCE.format(lead="", concat="string_agg(t.name, ' ')") + ") "
            "AS src (id, name, description, organization, terms)",
            [content_type],
        )


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    for statement in SQLITE_DROP if vendor == "sqlite" else POSTGRES_DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("directory", "0006_assets"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ServiceSearchEntry",
                    fields=[
                        (
                            "service",
                            models.OneToOneField(
                                db_column="service_id",
                                db_constraint=False,
                                on_delete=models.deletion.DO_NOTHING,
                                primary_key=True,
                                related_name="search_entry",
                                serialize=False,
                                to="directory.service",
                            ),
                        ),
                        ("document", models.TextField()),
                    ],
                    options={"db_table": "directory_service_search", "default_permissions": ()},
                ),
            ],
            database_operations=[migrations.RunPython(create, drop)],
        ),
    ]
