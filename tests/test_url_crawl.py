"""Every URL Commonweal routes, opened anonymously: nothing fails, and nothing sensitive is shown.

The crawl walks ``commonweal.urls`` (through every include), fills path converters with plausible
values, and GETs each address with Django's test client on a migrated database holding the default
outcome framework. It checks that:

- no address answers a server error;
- views marked sensitive (``view.sensitive = True``, set by
  ``commonweal.accounts.decorators.sensitive_view``) and the URL names in ``SENSITIVE_URL_NAMES``
  send an anonymous visitor to sign in, or refuse (401/403), and never answer 200;
- admin pages send an anonymous visitor to sign in;
- every HTML page has a <title>, a language and a skip link.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

pytestmark = pytest.mark.django_db

# Pages for signed-in people that are not (yet) marked with @sensitive_view. Add names here, or better,
# mark the view.
SENSITIVE_URL_NAMES = {
    "accounts:dashboard",
    "accounts:profile",
    "accounts:consents",
    "accounts:consent_withdraw",
    "accounts:tokens",
    "accounts:token_create",
    "accounts:token_revoke",
    "accounts:two_factor_setup",
    "accounts:two_factor_verify",
    "api:user_me",
}

# Pages marked with @sensitive_view that must stay marked: the crawl checks each is found and sensitive.
MARKED_SENSITIVE_URL_NAMES = {
    "directory:manage",
    "directory:service_edit",
    "directory:service_confirm",
    "directory:service_history",
    "directory:moderation_queue",
    "directory:claim_review",
    "directory:edit_review",
    "timebank:dashboard",
    "timebank:exchange_answer",
    "timebank:exchange_record",
    "timebank:statement",
    "timebank:statement_csv",
    "timebank:broker",
    "timebank:broker_record",
    "timebank:member_list",
    "timebank:member_list_csv",
    "timebank:proxy_create",
    "timebank:organisation_add",
    "timebank:application_detail",
    "timebank:application_decide",
    "timebank:member_detail",
    "timebank:member_statement",
    "timebank:member_statement_csv",
    "timebank:vetting_add",
    "timebank:account_status",
    "timebank:account_limits",
    "timebank:exchange_approve",
    "timebank:exchange_reverse",
    "timebank:report_index",
    "timebank:report",
    "timebank:report_csv",
    "stories:moderation_queue",
    "stories:moderate",
    "stories:listening_list",
    "stories:listening_create",
    "stories:listening_record",
    "stories:themes",
    "stories:patterns",
    "stories:msc_rounds",
    "stories:msc_round",
}

# Admin pages anyone may open: the admin's own sign-in, and sign-out (which only accepts POST).
ADMIN_OPEN_URL_NAMES = {"admin:login", "admin:logout"}

# HTML that is not drawn by Commonweal's templates, with the reason it is left out of the page checks.
NOT_OUR_HTML = {
    "api:openapi-view": "django-ninja's Swagger UI page",
    "api:timebank_exchange_confirm": "django-ninja's 405 to a GET of a POST-only operation",
    "api:timebank_exchange_reject": "django-ninja's 405 to a GET of a POST-only operation",
    "api:timebank_exchange_reverse": "django-ninja's 405 to a GET of a POST-only operation",
}

CONVERTER_VALUES = {
    "int": "1",
    "slug": "example",
    "str": "example",
    "path": "example",
    "uuid": str(uuid.UUID("6f1c2b9e-4d0a-4c5e-9a57-0b5e55c0ffee")),
}


@dataclass(frozen=True)
class CrawlTarget:
    path: str
    name: str  # "namespace:name", or the namespace and path when the pattern has no name
    callback: Any
    namespace: str


def _fill_route(route: str) -> str:
    def value(match: re.Match[str]) -> str:
        converter = match.group(1) or "str"
        return CONVERTER_VALUES.get(converter, "example")

    return re.sub(r"<(?:(\w+):)?\w+>", value, route)


def _fill_regex(regex: str) -> str:
    def value(match: re.Match[str]) -> str:
        body = match.group(2)
        if re.fullmatch(r"[\w-]+(\|[\w-]+)*", body):
            return body.split("|")[0]  # a choice of literals: take the first
        if body in (r"\d+", "[0-9]+"):
            return "1"
        return "example"

    filled = re.sub(r"\(\?P<(\w+)>((?:[^()]|\([^()]*\))*)\)", value, regex)
    filled = filled.replace("^", "").replace("$", "").replace(r"\Z", "")
    return re.sub(r"\\(.)", r"\1", filled)


def _fill(pattern: Any) -> str:
    if isinstance(pattern, RoutePattern):
        return _fill_route(str(pattern))
    if isinstance(pattern, RegexPattern):
        return _fill_regex(pattern.regex.pattern)
    raise TypeError(f"cannot fill URL pattern {pattern!r}")


def crawl_targets(
    patterns: list[Any] | None = None, prefix: str = "/", namespaces: tuple[str, ...] = ()
) -> list[CrawlTarget]:
    targets = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            namespace = (entry.namespace,) if entry.namespace else ()
            targets += crawl_targets(
                entry.url_patterns, prefix + _fill(entry.pattern), namespaces + namespace
            )
        elif isinstance(entry, URLPattern):
            path = prefix + _fill(entry.pattern)
            name = (
                ":".join((*namespaces, entry.name))
                if entry.name
                else f"{':'.join(namespaces)} {path}".strip()
            )
            targets.append(
                CrawlTarget(
                    path=path, name=name, callback=entry.callback, namespace=":".join(namespaces)
                )
            )
    return targets


TARGETS = crawl_targets()


def is_sensitive(target: CrawlTarget) -> bool:
    view_class = getattr(target.callback, "view_class", None)
    return bool(
        getattr(target.callback, "sensitive", False)
        or getattr(view_class, "sensitive", False)
        or target.name in SENSITIVE_URL_NAMES
    )


@pytest.fixture
def anonymous():
    from commonweal.outcomes.services import outcome_framework_ensure_default

    outcome_framework_ensure_default()
    return Client(raise_request_exception=False)


def test_the_crawl_finds_the_site_pages_and_every_listed_sensitive_name():
    names = {target.name for target in TARGETS}
    assert {
        "core:home",
        "core:accessibility",
        "geo:data_sources",
        "outcomes:outcome_list",
        "admin:index",
    } <= names
    assert names >= SENSITIVE_URL_NAMES, f"no such URL names: {sorted(SENSITIVE_URL_NAMES - names)}"
    marked = {target.name for target in TARGETS if is_sensitive(target)}
    assert marked >= MARKED_SENSITIVE_URL_NAMES, (
        f"not marked sensitive: {sorted(MARKED_SENSITIVE_URL_NAMES - marked)}"
    )


def test_the_filler_gives_paths_the_resolver_routes_back_to_the_same_view():
    from django.urls import resolve

    api_paths = set()
    for target in TARGETS:
        path = urlsplit(target.path).path
        if target.namespace == "api":
            # django-ninja adds one pattern per method of a path (GET and POST /exchanges); the
            # first answers every method.
            if path in api_paths:
                continue
            api_paths.add(path)
        assert resolve(path).func == target.callback, target


def sign_in_paths() -> set[str]:
    return {reverse(settings.LOGIN_URL), reverse("admin:login")}


@pytest.mark.parametrize("target", TARGETS, ids=lambda target: target.path)
def test_anonymous_get(anonymous, target: CrawlTarget):
    response = anonymous.get(target.path)
    status = response.status_code
    assert status < 500, f"{target.name} ({target.path}) answered {status}"

    if is_sensitive(target):
        assert status != 200, (
            f"{target.name} is sensitive but showed itself to an anonymous visitor"
        )
        assert status in (302, 401, 403, 405), (
            f"{target.name} answered {status} to an anonymous visitor"
        )
        if status == 302:
            assert urlsplit(response["Location"]).path in sign_in_paths(), (
                f"{target.name} redirects to {response['Location']}, not to sign in"
            )
        if status == 405:
            assert "GET" not in response.get("Allow", ""), target.name

    if target.namespace == "admin" and target.name not in ADMIN_OPEN_URL_NAMES:
        assert status == 302, f"{target.name} answered {status}, not a redirect to sign in"
        assert urlsplit(response["Location"]).path in sign_in_paths(), (
            f"{target.name} redirects to {response['Location']}, not to sign in"
        )

    if response.get("Content-Type", "").startswith("text/html") and target.name not in NOT_OUR_HTML:
        html = response.content.decode()
        if not html.strip():
            return
        assert re.search(r"<title>\s*\S[^<]*</title>", html), f"{target.path} has no <title>"
        assert re.search(r"<html[^>]*\slang=\"[a-zA-Z-]+\"", html), (
            f"{target.path} has no lang attribute"
        )
        assert re.search(r"<a [^>]*href=\"#[\w-]+\"[^>]*>\s*Skip to main content", html), (
            f"{target.path} has no skip link"
        )
