"""What every postcode importer shares: header check, streamed batches, progress, staging and swap, log.

A subclass opens its file(s) and checks their headers in ``open()``, yields batches of ``PostcodeRow``
from ``batches()`` (never the whole file at once) and may write areas in ``write_areas()``. ``run()`` does
the rest inside one transaction and records an ``ImportLog`` whatever happens.
"""

from __future__ import annotations

import gc
import sys
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, TextIO

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from commonweal.core.audit import audit_record
from commonweal.geo.constants import GeoAuditKind, ImportStatus
from commonweal.geo.exceptions import HeaderMismatchError, ImportFileError
from commonweal.geo.importers.writer import (
    POSTCODE_COLUMNS,
    DuplicatePostcodeError,
    PostcodeRow,
    PostcodeStagingWriter,
    import_pragmas,
)
from commonweal.geo.models import ImportLog

BATCH_SIZE = 50_000


@dataclass(frozen=True, slots=True)
class StagedBatch:
    """A batch given as an iterator of rows (for example a ``zip`` of columns) with its length."""

    rows: Iterable[Sequence[object]]
    count: int


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (reading makes millions of short-lived lists, no cycles)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def check_header(
    *, expected: Sequence[str], found: Sequence[str], file: str, line: int = 1
) -> None:
    """Fail with a readable diff when ``found`` is not exactly ``expected``."""
    cleaned = [name.strip().lstrip("\ufeff") for name in found]
    if cleaned != list(expected):
        raise HeaderMismatchError(expected=list(expected), found=cleaned, file=file, line=line)


def check_required_columns(*, required: Sequence[str], found: Sequence[str], file: str) -> None:
    """Fail when any ``required`` column is missing from a header that may have more columns."""
    cleaned = [name.strip().lstrip("\ufeff") for name in found]
    if any(name not in cleaned for name in required):
        raise HeaderMismatchError(expected=list(required), found=cleaned, file=file, line=1)


def parse_int(value: str, *, field: str, file: str, line: int) -> int:
    try:
        return int(value)
    except ValueError:
        raise ImportFileError(
            f"{field} “{value}” is not a whole number.", file=file, line=line
        ) from None


def parse_float(value: str, *, field: str, file: str, line: int) -> float:
    try:
        return float(value)
    except ValueError:
        raise ImportFileError(f"{field} “{value}” is not a number.", file=file, line=line) from None


class PostcodeImporter(ABC):
    """Base of the postcode importers. Subclasses set ``source`` (a key of sources.toml)."""

    source: ClassVar[str]
    # Columns an import updates on postcodes that already exist (others keep what they had).
    update_columns: ClassVar[tuple[str, ...]] = POSTCODE_COLUMNS[1:]

    def __init__(
        self,
        path: str | Path,
        *,
        districts: Iterable[str] = (),
        quiet: bool = False,
        actor: Any = None,
        batch_size: int = BATCH_SIZE,
        progress_file: TextIO | None = None,
    ) -> None:
        self.path = Path(path)
        self.districts: frozenset[str] = frozenset(
            code.strip().upper() for code in districts if code.strip()
        )
        self.quiet = quiet
        self.actor = actor
        self.batch_size = batch_size
        self.progress_file = progress_file if progress_file is not None else sys.stderr
        self.release = ""
        self.rows_read = 0
        self.rows_written = 0
        self.rows_filtered = 0
        self.rows_deleted = 0
        self.areas_written = 0
        self.skipped: Counter[str] = Counter()
        # Where the reader is, for messages about rows (kept up to date by subclasses).
        self.current_file = ""
        self.current_line: int | None = None

    # Subclass hooks ---------------------------------------------------------------------------

    def open(self) -> None:  # noqa: B027 - optional hook
        """Open the input and check its headers (raise ImportFileError when it cannot be read)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release what ``open`` took."""

    @abstractmethod
    def batches(self) -> Iterator[list[PostcodeRow] | StagedBatch]:
        """Yield the rows to stage, in batches."""

    def write_areas(self) -> int:
        """Create or update the areas this source names. Returns how many were written."""
        return 0

    def scope(self) -> list[str] | None:
        """Districts whose postcodes this import replaces (None: the whole table)."""
        return sorted(self.districts) if self.districts else None

    def progress_total(self) -> int | None:
        return None

    # Shared machinery -------------------------------------------------------------------------

    def skip(self, reason: str, count: int = 1) -> None:
        self.skipped[reason] += count

    def progress(self) -> tqdm[Any]:
        disabled = self.quiet or not getattr(self.progress_file, "isatty", lambda: False)()
        return tqdm(
            total=self.progress_total(),
            unit=" rows",
            unit_scale=True,
            desc=f"Importing {self.path.name}",
            file=self.progress_file,
            disable=disabled,
            mininterval=0.5,
        )

    def summary(self) -> str:
        lines = [f"{self.rows_written:,} postcodes written from {self.rows_read:,} rows read."]
        if self.rows_filtered:
            lines.append(
                f"{self.rows_filtered:,} postcodes outside the chosen districts were left out."
            )
        for reason, count in sorted(self.skipped.items()):
            lines.append(f"{count:,} skipped: {reason}.")
        if self.rows_deleted:
            lines.append(f"{self.rows_deleted:,} postcodes no longer in the source were removed.")
        if self.areas_written:
            lines.append(f"{self.areas_written:,} areas created or updated.")
        return "\n".join(lines)

    def run(self) -> ImportLog:
        log = ImportLog.objects.create(
            source=self.source,
            file_name=self.path.name[:500],
            status=ImportStatus.RUNNING,
            actor=_user(self.actor),
        )
        try:
            with import_pragmas(), transaction.atomic():
                self._import()
        except Exception as exc:
            log.status = ImportStatus.FAILED
            log.release = self.release[:80]
            log.rows_read = self.rows_read
            log.message = str(exc) if isinstance(exc, ImportFileError) else f"Import failed: {exc}"
            log.finished_at = timezone.now()
            log.save()
            raise
        finally:
            self.close()
        log.status = ImportStatus.SUCCEEDED
        log.release = self.release[:80]
        log.rows_read = self.rows_read
        log.rows_written = self.rows_written
        log.rows_rejected = sum(self.skipped.values())
        log.message = self.summary()
        log.finished_at = timezone.now()
        log.full_clean()
        log.save()
        audit_record(
            kind=GeoAuditKind.IMPORT_FINISHED,
            actor=self.actor,
            target=log,
            after={
                "source": log.source,
                "release": log.release,
                "rows_written": log.rows_written,
                "rows_rejected": log.rows_rejected,
                "rows_deleted": self.rows_deleted,
            },
        )
        return log

    def _import(self) -> None:
        self.open()
        writer = PostcodeStagingWriter()
        writer.create()
        with self.progress() as bar:
            reported = 0
            for batch in self.batches():
                if isinstance(batch, StagedBatch):
                    writer.write(batch.rows, count=batch.count)
                else:
                    writer.write(batch)
                bar.update(self.rows_read - reported)
                reported = self.rows_read
        try:
            writer.finish_staging()
        except DuplicatePostcodeError as exc:
            raise ImportFileError(
                f"the postcode {exc.postcode} appears more than once.", file=self.path.name
            ) from None
        self.rows_written = writer.rows_staged
        self.areas_written = self.write_areas()
        _, self.rows_deleted = writer.merge(
            update_columns=self.update_columns, scope_districts=self.scope()
        )
        writer.drop()


def _user(actor: Any) -> Any:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return actor
