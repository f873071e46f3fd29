"""The shape of a postcode provider: one link in the chain behind ``postcode_point_get``."""

from __future__ import annotations

from typing import Protocol

from commonweal.geo.types import PostcodePoint


class PostcodeProvider(Protocol):
    """Finds a postcode (canonical form). Returns None when it does not know it.

    Raises ``UpstreamAPIError`` when it could not answer at all.
    """

    name: str

    def lookup(self, postcode: str) -> PostcodePoint | None: ...
