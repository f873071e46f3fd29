"""The grants app's views, one module per part."""

from __future__ import annotations

from typing import cast
from uuid import UUID

from django.http import HttpRequest

from commonweal.accounts.models import User


def actor_of(request: HttpRequest) -> User:
    """The signed-in person acting (the views that call services all require sign-in)."""
    return cast(User, request.user)


def uuid_or_none(value: str | None) -> UUID | None:
    """A public id from a form or query string; None for anything that is not a UUID."""
    try:
        return UUID(str(value))
    except (TypeError, ValueError):
        return None
