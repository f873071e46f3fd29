"""Staging table and swap for postcode imports: the fast path for each database.

Rows go into a temporary staging table (raw ``executemany`` in batches on SQLite, ``COPY`` on PostgreSQL),
are indexed (which also catches a postcode given twice), then one ``INSERT ... ON CONFLICT DO UPDATE`` merges them into ``geo_postcode`` and one ``DELETE`` removes
the postcodes of the import's scope that the file no longer has. Points are rounded to six decimal
places (about 10 cm) on the way in. The importer runs all of it inside one
transaction, so a failure leaves the previous table as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import IntegrityError, connection, transaction

from commonweal.geo.models import Postcode

# Column order of every PostcodeRow tuple.
POSTCODE_COLUMNS: tuple[str, ...] = (
    "postcode",
    "latitude",
    "longitude",
    "easting",
    "northing",
    "positional_quality",
    "country_code",
    "district_code",
    "ward_code",
    "lsoa_code",
    "msoa_code",
)
PostcodeRow = tuple[str, float, float, int | None, int | None, int | None, str, str, str, str, str]

STAGING_TABLE = "geo_postcode_staging"


class DuplicatePostcodeError(Exception):
    def __init__(self, postcode: str) -> None:
        self.postcode = postcode
        super().__init__(postcode)


_SQLITE_STAGING = f"""
CREATE TEMP TABLE {STAGING_TABLE} (
    postcode TEXT NOT NULL,
    latitude REAL NOT NULL,
    longitude REAL NOT NULL,
    easting INTEGER NULL,
    northing INTEGER NULL,
    positional_quality INTEGER NULL,
    country_code TEXT NOT NULL,
    district_code TEXT NOT NULL,
    ward_code TEXT NOT NULL,
    lsoa_code TEXT NOT NULL,
    msoa_code TEXT NOT NULL
)
"""

_POSTGRES_STAGING = f"""
CREATE TEMP TABLE {STAGING_TABLE} (
    postcode varchar(7) NOT NULL,
    latitude double precision NOT NULL,
    longitude double precision NOT NULL,
    easting integer NULL,
    northing integer NULL,
    positional_quality smallint NULL,
    country_code varchar(9) NOT NULL,
    district_code varchar(9) NOT NULL,
    ward_code varchar(9) NOT NULL,
    lsoa_code varchar(9) NOT NULL,
    msoa_code varchar(9) NOT NULL
)
"""

_SQLITE_IMPORT_PRAGMAS = {"cache_size": "-262144", "temp_store": "MEMORY"}


@contextmanager
def import_pragmas() -> Iterator[None]:
    """On SQLite, a larger page cache and an in-memory staging table for the length of an import.

    SQLite only allows them outside a transaction: when the caller already holds one, they are left as is.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        previous = {}
        for name, value in _SQLITE_IMPORT_PRAGMAS.items():
            cursor.execute(f"PRAGMA {name}")
            previous[name] = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA {name} = {value}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, value in previous.items():
                cursor.execute(f"PRAGMA {name} = {value}")


class PostcodeStagingWriter:
    """Writes PostcodeRow batches to the staging table, then merges them into the postcode table."""

    def __init__(self) -> None:
        connection.ensure_connection()
        self.vendor = connection.vendor
        self.table = Postcode._meta.db_table
        self.rows_staged = 0

    def _raw(self) -> Any:
        return connection.connection

    def create(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGING_TABLE}")
            cursor.execute(_POSTGRES_STAGING if self.vendor == "postgresql" else _SQLITE_STAGING)

    def write(self, rows: Iterable[Sequence[object]], count: int | None = None) -> None:
        """Append rows (in POSTCODE_COLUMNS order) to the staging table.

        Values may be text where the column is numeric (the database converts them); ``count`` is
        needed when ``rows`` is an iterator rather than a list.
        """
        if count is None:
            rows = list(rows)
            count = len(rows)
        if not count:
            return
        if self.vendor == "postgresql":
            columns = ", ".join(POSTCODE_COLUMNS)
            with self._raw().cursor() as cursor:  # noqa: SIM117 (psycopg's copy needs its cursor)
                with cursor.copy(f"COPY {STAGING_TABLE} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        else:
            marks = ", ".join("?" * len(POSTCODE_COLUMNS))
            cursor = self._raw().cursor()
            try:
                cursor.executemany(f"INSERT INTO {STAGING_TABLE} VALUES ({marks})", rows)
            finally:
                cursor.close()
        self.rows_staged += count

    def finish_staging(self) -> None:
        """Index the staged postcodes; ``DuplicatePostcodeError`` names one that appears twice."""
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    f"CREATE UNIQUE INDEX {STAGING_TABLE}_pc ON {STAGING_TABLE} (postcode)"
                )
        except IntegrityError:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT postcode FROM {STAGING_TABLE} GROUP BY postcode HAVING COUNT(*) > 1 "
                    "ORDER BY postcode LIMIT 1"
                )
                row = cursor.fetchone()
            raise DuplicatePostcodeError(str(row[0]) if row else "") from None

    def merge(
        self, *, update_columns: Sequence[str], scope_districts: Sequence[str] | None
    ) -> tuple[int, int]:
        """Upsert the staged rows and delete the scope's postcodes that were not staged.

        ``scope_districts`` None means the import covers everything: any postcode not in the file goes.
        Returns (rows upserted, rows deleted).
        """
        columns = ", ".join(POSTCODE_COLUMNS)
        if self.vendor == "postgresql":
            point = "round(latitude::numeric, 6)::double precision, round(longitude::numeric, 6)::double precision"
        else:
            point = "round(latitude, 6), round(longitude, 6)"
        selected = ", ".join(["postcode", point, *POSTCODE_COLUMNS[3:]])
        updates = ", ".join(f"{name} = excluded.{name}" for name in update_columns)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {self.table} ({columns}) SELECT {selected} FROM {STAGING_TABLE} WHERE true "
                f"ON CONFLICT (postcode) DO UPDATE SET {updates}"
            )
            upserted = cursor.rowcount
            stale = (
                f"DELETE FROM {self.table} WHERE NOT EXISTS "
                f"(SELECT 1 FROM {STAGING_TABLE} s WHERE s.postcode = {self.table}.postcode)"
            )
            params: list[str] = []
            if scope_districts is not None:
                if not scope_districts:
                    return upserted, 0
                stale += f" AND {self.table}.district_code IN ({', '.join(['%s'] * len(scope_districts))})"
                params = list(scope_districts)
            cursor.execute(stale, params)
            deleted = cursor.rowcount
        return upserted, deleted

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGING_TABLE}")
