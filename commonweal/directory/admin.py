"""The directory's administration pages, one module per part."""

from __future__ import annotations

from commonweal.directory import moderation_admin  # noqa: F401  (registers its admin classes)
