"""Commonweal: the platform councils, CVS and their partners run together for community resilience."""

from __future__ import annotations

__version__ = "0.1.0"
