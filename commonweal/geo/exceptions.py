"""Typed errors of the geo app. Their messages are written for the person who typed the postcode."""

from __future__ import annotations


class GeoError(Exception):
    """Base of every error the geo app raises on purpose."""


class InvalidPostcodeError(GeoError, ValueError):
    """What was given is not a postcode at all ("12345", "hello")."""

    def __init__(self, value: str) -> None:
        self.value = value
        shown = value.strip()[:20]
        if shown:
            message = f"“{shown}” is not a postcode. A postcode looks like RM17 6SL."
        else:
            message = "Enter a postcode, for example RM17 6SL."
        super().__init__(message)


class UnknownPostcodeError(GeoError, LookupError):
    """A well-formed postcode that Commonweal has no record of (new, retired or mistyped)."""

    def __init__(self, postcode: str) -> None:
        self.postcode = postcode
        super().__init__(
            f"{postcode} looks like a postcode, but we do not know where it is. "
            "Check it for mistakes, or try a postcode nearby."
        )


class UnknownAreaError(GeoError, LookupError):
    """No area has this ONS code."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(f"There is no area with the code {code}.")


class UpstreamAPIError(GeoError):
    """A remote postcode service failed or answered something we could not read."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        self.status = status
        super().__init__(message)


class ImportFileError(GeoError):
    """A data file cannot be imported. The message names the file and, when known, the line."""

    def __init__(self, message: str, *, file: str = "", line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.reason = message
        where = file
        if file and line is not None:
            where = f"{file}, line {line}"
        super().__init__(f"{where}: {message}" if where else message)


class HeaderMismatchError(ImportFileError):
    """The columns of a file are not the ones the importer expects."""

    def __init__(
        self, *, expected: list[str], found: list[str], file: str = "", line: int | None = 1
    ) -> None:
        self.expected = expected
        self.found = found
        missing = [name for name in expected if name not in found]
        unexpected = [name for name in found if name not in expected]
        parts = [
            "the columns are not the ones expected.",
            f"  expected: {', '.join(expected)}",
            f"  found:    {', '.join(found) or '(nothing)'}",
        ]
        if missing:
            parts.append(f"  missing:  {', '.join(missing)}")
        if unexpected:
            parts.append(f"  not expected: {', '.join(unexpected)}")
        super().__init__("\n".join(parts), file=file, line=line)
