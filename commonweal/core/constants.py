from __future__ import annotations

from django.db import models


class CoreAuditKind(models.TextChoices):
    """Audit kinds of the core app. Each app declares its own ``<App>AuditKind`` in its constants."""

    SETTINGS_CHANGED = "core.settings_changed", "Settings changed"
