"""An optional remote postcode service (the postcodes.io API shape), off unless configured.

Switch it on with ``COMMONWEAL_USE_POSTCODE_API=true``; ``COMMONWEAL_POSTCODE_API_URL`` names the base
URL (a self-hosted postcodes.io is a good choice). Every failure becomes ``UpstreamAPIError``.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

from commonweal.geo.exceptions import UpstreamAPIError
from commonweal.geo.types import PostcodePoint

Fetch = Callable[[str, float], tuple[int, bytes]]


def _urllib_fetch(url: str, timeout: float) -> tuple[int, bytes]:
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": "Commonweal"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (configured https URL)
            return int(response.status), bytes(response.read())
    except urllib.error.HTTPError as exc:
        return int(exc.code), bytes(exc.read() or b"")
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise UpstreamAPIError(f"The postcode service could not be reached: {exc}") from exc


class RemotePostcodeClient:
    """Client for ``GET {base_url}/postcodes/{postcode}`` returning postcodes.io JSON."""

    name = "remote"

    def __init__(self, base_url: str, *, timeout: float = 5.0, fetch: Fetch | None = None) -> None:
        if not base_url:
            raise ValueError("base_url is required")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._fetch = fetch or _urllib_fetch

    def lookup(self, postcode: str) -> PostcodePoint | None:
        url = f"{self.base_url}/postcodes/{urllib.parse.quote(postcode)}"
        status, body = self._fetch(url, self.timeout)
        if status == 404:
            return None
        if status != 200:
            raise UpstreamAPIError(
                f"The postcode service answered with status {status}.", status=status
            )
        try:
            payload = json.loads(body)
            result: dict[str, Any] = payload["result"]
            latitude, longitude = result["latitude"], result["longitude"]
            if latitude is None or longitude is None:
                return None
            codes: dict[str, Any] = result.get("codes") or {}
            return PostcodePoint(
                postcode=str(result["postcode"]).replace(" ", "").upper(),
                latitude=float(latitude),
                longitude=float(longitude),
                district_code=str(codes.get("admin_district") or ""),
                ward_code=str(codes.get("admin_ward") or ""),
                lsoa_code=str(codes.get("lsoa") or ""),
                msoa_code=str(codes.get("msoa") or ""),
                source=self.name,
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise UpstreamAPIError(
                "The postcode service answered something we could not read."
            ) from exc
