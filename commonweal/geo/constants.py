from __future__ import annotations

from django.db import models


class AreaKind(models.TextChoices):
    COUNTRY = "country", "Country"
    DISTRICT = "district", "Local authority district"
    WARD = "ward", "Electoral ward"
    MSOA = "msoa", "Middle layer super output area"
    LSOA = "lsoa", "Lower layer super output area"


class ImportStatus(models.TextChoices):
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class GeoAuditKind(models.TextChoices):
    LOCALITY_SAVED = "geo.locality_saved", "Locality saved"
    IMPORT_FINISHED = "geo.import_finished", "Import finished"
