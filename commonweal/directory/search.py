"""Full-text search of services: one interface over SQLite FTS5 and PostgreSQL full-text search.

Callers use only these functions; the backend is chosen by the database vendor.

- ``service_search(queryset, text)`` narrows a queryset of services to those matching ``text`` and
  annotates ``search_rank`` (higher is better) so callers can order by relevance.
- ``search_index_update(service_ids)`` refreshes the index rows of those services; the directory's
  services call it whenever a service's searchable text changes.
- ``search_index_rebuild()`` rebuilds the whole index (after bulk loads that bypass the services, such
  as ``directory_generate``) and returns how many services it indexed.

This first version matches with ``icontains`` and ranks every match equally.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.db.models import FloatField, Q, QuerySet, Value

from commonweal.directory.models import Service

Services = TypeVar("Services", bound=QuerySet[Service])


def service_search(queryset: Services, text: str) -> Services:
    text = text.strip()
    if not text:
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
    return queryset.filter(
        Q(name__icontains=text)
        | Q(description__icontains=text)
        | Q(organization__name__icontains=text)
    ).annotate(search_rank=Value(1.0, output_field=FloatField()))


def search_index_update(service_ids: Iterable[int]) -> None:
    """Nothing to index while search reads the tables directly."""


def search_index_rebuild() -> int:
    return Service.objects.count()
