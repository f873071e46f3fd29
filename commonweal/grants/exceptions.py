"""Refusals the grants services raise. Each carries a reason a page can show as it is."""

from __future__ import annotations


class GrantRefused(Exception):
    """The action is not allowed; ``reason`` says why in plain words. Nothing was saved."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
