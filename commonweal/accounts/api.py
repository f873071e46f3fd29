"""Accounts API: who am I, and the bearer-token authentication every app's router uses."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import HttpBearer

from commonweal.accounts import selectors
from commonweal.accounts.models import User


class BearerTokenAuth(HttpBearer):
    """Accepts ``Authorization: Bearer TOKEN`` for a token made by ``commonweal api_token_create``."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = selectors.api_token_user_get(token=token)
        if user is not None:
            request.user = user
        return user


router = Router(tags=["accounts"])


class UserOutput(Schema):
    id: UUID
    email: str
    name: str
    roles: list[str]


@router.get("/me", response=UserOutput, auth=BearerTokenAuth(), url_name="user_me")
def user_me(request: HttpRequest) -> UserOutput:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return UserOutput(
        id=user.public_id,
        email=user.email,
        name=user.get_full_name(),
        roles=sorted(user.active_roles()),
    )
