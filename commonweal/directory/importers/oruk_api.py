"""Harvest an ORUK 3.0 API: every page of ``/services``, then ``/services/{id}`` where a list item is not full."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

from commonweal.directory.importers.records import ServiceRecord, Where

FULL_KEYS = ("service_at_locations", "schedules", "contacts")
USER_AGENT = "Commonweal directory importer"


class UpstreamAPIError(Exception):
    """The remote API could not be reached, or did not answer with the JSON it should."""


class OrukClient:
    """A small JSON client for one ORUK API, with a timeout and typed errors."""

    def __init__(self, base_url: str, *, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/") + "/"
        self.timeout = timeout

    def url(self, path: str, params: dict[str, Any] | None = None) -> str:
        url = urllib.parse.urljoin(self.base_url, path.lstrip("/"))
        if params:
            url += "?" + urllib.parse.urlencode(params)
        return url

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        url = self.url(path, params)
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked before harvesting)
            url, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read()
        except urllib.error.HTTPError as error:
            raise UpstreamAPIError(f"{url} answered HTTP {error.code} {error.reason}.") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise UpstreamAPIError(f"{url} could not be reached: {reason}.") from error
        try:
            return json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise UpstreamAPIError(f"{url} did not answer with JSON.") from error

    def services(self, *, per_page: int = 100) -> Iterator[tuple[dict[str, Any], str]]:
        """Every service of every page, fully nested, with the URL each came from."""
        page = 1
        while True:
            url = self.url("services", {"page": page, "per_page": per_page})
            body = self.get_json("services", {"page": page, "per_page": per_page})
            if not isinstance(body, dict) or not isinstance(body.get("contents"), list):
                raise UpstreamAPIError(f"{url} is not an ORUK page (no 'contents' list).")
            for index, item in enumerate(body["contents"]):
                if not isinstance(item, dict) or "id" not in item:
                    raise UpstreamAPIError(f"{url} item {index} is not a service with an id.")
                if all(key in item for key in FULL_KEYS):
                    yield item, f"{url}#/contents/{index}"
                else:
                    service_path = f"services/{urllib.parse.quote(str(item['id']), safe='')}"
                    full = self.get_json(service_path)
                    if not isinstance(full, dict):
                        raise UpstreamAPIError(f"{self.url(service_path)} is not a service.")
                    yield full, self.url(service_path)
            total_pages = body.get("total_pages")
            if body.get("last_page") is True or not body["contents"]:
                return
            if isinstance(total_pages, int) and page >= total_pages:
                return
            page += 1


def api_records(client: OrukClient) -> Iterator[ServiceRecord]:
    for data, url in client.services():
        yield ServiceRecord(data=data, where=Where(url, ""))
