"""Where an imported record came from, so that importing the same source again updates it."""

from __future__ import annotations

from django.db import models


class SourcedModel(models.Model):
    """``source`` names the feed or file (a URL or a file name); ``source_id`` is the record's id there.

    Records typed into Commonweal leave both blank.
    """

    source = models.CharField(max_length=300, blank=True, db_index=True)
    source_id = models.CharField(max_length=200, blank=True)

    class Meta:
        abstract = True
