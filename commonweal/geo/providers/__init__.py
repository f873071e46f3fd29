"""Postcode providers, asked in order by ``commonweal.geo.selectors.postcode_point_get``."""

from __future__ import annotations

from django.conf import settings

from commonweal.geo.providers.base import PostcodeProvider
from commonweal.geo.providers.local import LocalTableProvider
from commonweal.geo.providers.remote import RemotePostcodeClient


def provider_chain() -> list[PostcodeProvider]:
    """The local table first, then the remote service when it is switched on."""
    chain: list[PostcodeProvider] = [LocalTableProvider()]
    if getattr(settings, "COMMONWEAL_USE_POSTCODE_API", False):
        url = str(getattr(settings, "COMMONWEAL_POSTCODE_API_URL", "") or "")
        if url:
            chain.append(RemotePostcodeClient(url))
    return chain


__all__ = ["LocalTableProvider", "PostcodeProvider", "RemotePostcodeClient", "provider_chain"]
