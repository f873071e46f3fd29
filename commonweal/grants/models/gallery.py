"""The ideas gallery: similar ideas (computed offline) and introductions between groups."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from commonweal.core.models import BaseModel
from commonweal.grants.models.canvas import Canvas


class SimilarIdea(models.Model):
    """One of a canvas's most similar ideas (TF-IDF cosine), written by ``grants_compute_similar``."""

    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="similar")
    other = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["canvas", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["canvas", "other"], name="grants_similar_unique")
        ]

    def __str__(self) -> str:
        return f"{self.canvas_id} ~ {self.other_id} ({self.score:.2f})"


class Connection(BaseModel):
    """A group asked to be introduced to the group behind another idea; both were emailed."""

    from_canvas = models.ForeignKey(
        Canvas, on_delete=models.CASCADE, related_name="connections_made"
    )
    to_canvas = models.ForeignKey(
        Canvas, on_delete=models.CASCADE, related_name="connections_received"
    )
    message = models.TextField(blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_canvas", "to_canvas"], name="grants_connection_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_canvas} → {self.to_canvas}"
