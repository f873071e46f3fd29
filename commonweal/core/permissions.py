"""Permission checks return a Decision, so that pages can say why something is refused.

Each app keeps its checks in its own ``permissions.py`` as ``can_<action>(user, obj) -> Decision``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed

    @classmethod
    def allow(cls, reason: str = "") -> Decision:
        return cls(True, reason)

    @classmethod
    def deny(cls, reason: str) -> Decision:
        return cls(False, reason)

    def require(self) -> None:
        """Raise PermissionDenied with the reason, which the 403 page shows."""
        if not self.allowed:
            raise PermissionDenied(self.reason or "You do not have permission to do that.")
