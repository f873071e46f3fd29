"""Outcomes API: the outcome framework other systems can point at."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema

from commonweal.outcomes import selectors
from commonweal.outcomes.models import Outcome

router = Router(tags=["outcomes"])


class OutcomeOutput(Schema):
    id: UUID
    slug: str
    name: str
    description: str
    framework: str

    @staticmethod
    def resolve_id(obj: Outcome) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_framework(obj: Outcome) -> str:
        return obj.framework.slug


@router.get("/", response=list[OutcomeOutput], url_name="outcome_list")
def outcome_list(request: HttpRequest) -> list[Outcome]:
    return list(selectors.outcome_list())
