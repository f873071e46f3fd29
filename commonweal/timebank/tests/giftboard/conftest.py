from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from commonweal.timebank.models import GiftPost

HOME_LAT = 51.4755
HOME_LON = 0.3238
KM_PER_DEGREE_LAT = 111.195


def north_of_home(km: float) -> dict[str, Decimal]:
    """A point ``km`` kilometres due north of the test's home point."""
    return {
        "latitude": Decimal(str(round(HOME_LAT + km / KM_PER_DEGREE_LAT, 6))),
        "longitude": Decimal(str(HOME_LON)),
    }


def age(post: GiftPost, days: float) -> GiftPost:
    """Pretend ``post`` was made ``days`` ago."""
    created = timezone.now() - dt.timedelta(days=days)
    GiftPost.objects.filter(pk=post.pk).update(created_at=created)
    post.created_at = created
    return post


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
