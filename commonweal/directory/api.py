"""Open Referral UK 3.0 (HSDS-UK-3.0) read API, mounted at /api/oruk/.

Public, read-only, no token. Every response under /api/oruk/ (errors and throttling included) carries
``Access-Control-Allow-Origin: *``, added by ``directory.middleware.OrukCorsMiddleware``. Query
parameters combine with AND; ``search`` is the directory's full-text search. Bad parameters get a 400
that names the parameter; ids that no public record has (including ids that are not UUIDs at all, as
the published OpenAPI declares path ids as plain strings) get a 404 in the same error envelope.
Bodies are built as plain dicts by ``commonweal.directory.oruk.serializers`` (optional fields are
left out, not sent as null); the OpenAPI document points each operation at the ORUK schema it follows.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from typing import Any, Concatenate, ParamSpec
from uuid import UUID

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model, QuerySet
from django.http import HttpRequest, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from ninja import Router

from commonweal.directory import selectors
from commonweal.directory.constants import ORUK_OPENAPI_URL, ORUK_PROFILE_URL, ORUK_VERSION
from commonweal.directory.models import Service, ServiceAtLocation
from commonweal.directory.oruk import params
from commonweal.directory.oruk import serializers as oruk
from commonweal.directory.oruk.params import BadParameter

router = Router()

SCHEMA_BASE = "https://openreferraluk.org/specifications/3.0/schema/"
NDJSON_CHUNK = 200
P = ParamSpec("P")
JSON = dict[str, Any]
Body = JSON | list[JSON] | HttpResponseBase


class NotFound(Exception):
    """No public record has this id."""


def _doc(schema: str, summary: str) -> dict[str, Any]:
    return {
        "summary": summary,
        "responses": {
            "200": {
                "description": summary,
                "content": {"application/json": {"schema": {"$ref": SCHEMA_BASE + schema}}},
            },
            "400": {"description": "A parameter cannot be used; the message names it."},
            "404": {"description": "No public record has this id."},
        },
    }


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": {"status": status, "message": message}}, status=status)


def oruk_endpoint(
    view: Callable[Concatenate[HttpRequest, P], Body],
) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
    """Turn the body into JSON, bad parameters into 400 and unknown ids into 404."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        try:
            body = view(request, *args, **kwargs)
        except BadParameter as exc:
            response: HttpResponseBase = _error(400, str(exc))
        except NotFound as exc:
            response = _error(404, str(exc))
        else:
            response = (
                body if isinstance(body, HttpResponseBase) else JsonResponse(body, safe=False)
            )
        return response

    return wrapper


def _found(record: Model | None, kind: str, public_id: UUID) -> Any:
    if record is None:
        raise NotFound(f"No {kind} has the id {public_id}.")
    return record


def _path_id(value: str, kind: str) -> UUID:
    """The UUID of a path; anything else names no record, so it is a 404 like an unknown UUID."""
    try:
        parsed = params.uuid("id", value)
    except BadParameter:
        parsed = None
    if parsed is None:
        raise NotFound(f"No {kind} has the id {value[:40]!r}.")
    return parsed


def _ndjson(lines: Iterator[JSON]) -> StreamingHttpResponse:
    encoded = (json.dumps(line, cls=DjangoJSONEncoder) + "\n" for line in lines)
    return StreamingHttpResponse(encoded, content_type="application/x-ndjson")


def _page(
    queryset: QuerySet[Any], *, page: int, per_page: int, render: Callable[[Any], JSON]
) -> JSON:
    total = queryset.count()
    offset = (page - 1) * per_page
    rows = list(queryset[offset : offset + per_page]) if offset < total else []
    return oruk.page_dict(
        contents=[render(row) for row in rows], total_items=total, page=page, per_page=per_page
    )


# --- GET / ---------------------------------------------------------------------------------------


@router.get(
    "/",
    url_name="oruk_api_details",
    tags=["oruk", "required"],
    openapi_extra=_doc("api_details.json", "About this feed"),
)
@oruk_endpoint
def oruk_api_details(request: HttpRequest) -> Body:
    return {"version": ORUK_VERSION, "profile": ORUK_PROFILE_URL, "openapi_url": ORUK_OPENAPI_URL}


# --- services ------------------------------------------------------------------------------------


@router.get(
    "/services",
    url_name="oruk_service_list",
    tags=["oruk", "required"],
    openapi_extra=_doc("service_list.json", "Services"),
)
@oruk_endpoint
def oruk_service_list(
    request: HttpRequest,
    search: str | None = None,
    page: str | None = None,
    per_page: str | None = None,
    format: str | None = None,
    taxonomy_term_id: str | None = None,
    taxonomy_id: str | None = None,
    organization_id: str | None = None,
    modified_after: str | None = None,
    minimal: str | None = None,
    full: str | None = None,
) -> Body:
    page_number, size = params.page_and_size(page, per_page)
    output = params.output_format(format)
    is_full = params.boolean("full", full)
    filters = selectors.ServiceFilters(
        search=params.text("search", search),
        taxonomy_term_id=params.uuid("taxonomy_term_id", taxonomy_term_id),
        taxonomy_id=params.uuid("taxonomy_id", taxonomy_id),
        organization_id=params.uuid("organization_id", organization_id),
        modified_after=params.moment("modified_after", modified_after),
    )
    if params.boolean("minimal", minimal):
        rows = selectors.service_list(**filters).values_list("public_id", "last_modified")
        if output == "ndjson":
            return _ndjson(
                oruk.service_minimal_dict(pk, when)
                for pk, when in rows.iterator(chunk_size=NDJSON_CHUNK)
            )
        return [oruk.service_minimal_dict(pk, when) for pk, when in rows]

    def render(service: Service) -> JSON:
        return oruk.service_dict(service, full=is_full)

    if output == "ndjson":
        services = selectors.service_list(**filters)
        loaded = (
            selectors.service_full_queryset(services)
            if is_full
            else selectors.service_list_queryset(services)
        )
        return _ndjson(render(service) for service in loaded.iterator(chunk_size=NDJSON_CHUNK))
    # The count and the page's ids first, then only that page's services with what they carry.
    total, ids = selectors.service_list_window(
        offset=(page_number - 1) * size, limit=size, **filters
    )
    return oruk.page_dict(
        contents=[render(service) for service in selectors.service_page(ids, full=is_full)],
        total_items=total,
        page=page_number,
        per_page=size,
    )


@router.get(
    "/services/{id}",
    url_name="oruk_service_get",
    tags=["oruk", "required"],
    openapi_extra=_doc("service.json", "One service, fully nested"),
)
@oruk_endpoint
def oruk_service_get(request: HttpRequest, id: str) -> Body:
    public_id = _path_id(id, "service")
    return oruk.service_dict(
        _found(selectors.service_get(public_id=public_id), "service", public_id), full=True
    )


# --- taxonomies ----------------------------------------------------------------------------------


@router.get(
    "/taxonomies",
    url_name="oruk_taxonomy_list",
    tags=["oruk", "optional"],
    openapi_extra=_doc("taxonomy_list.json", "Taxonomies"),
)
@oruk_endpoint
def oruk_taxonomy_list(
    request: HttpRequest,
    search: str | None = None,
    page: str | None = None,
    per_page: str | None = None,
    format: str | None = None,
) -> Body:
    page_number, size = params.page_and_size(page, per_page)
    output = params.output_format(format)
    taxonomies = selectors.taxonomy_list(search=params.text("search", search))
    if output == "ndjson":
        return _ndjson(
            oruk.taxonomy_dict(row) for row in taxonomies.iterator(chunk_size=NDJSON_CHUNK)
        )
    return _page(taxonomies, page=page_number, per_page=size, render=oruk.taxonomy_dict)


@router.get(
    "/taxonomies/{id}",
    url_name="oruk_taxonomy_get",
    tags=["oruk", "optional"],
    openapi_extra=_doc("taxonomy.json", "One taxonomy with its terms"),
)
@oruk_endpoint
def oruk_taxonomy_get(request: HttpRequest, id: str) -> Body:
    public_id = _path_id(id, "taxonomy")
    taxonomy = _found(selectors.taxonomy_get(public_id=public_id), "taxonomy", public_id)
    return oruk.taxonomy_dict(taxonomy, terms=taxonomy.terms.all())


@router.get(
    "/taxonomy_terms",
    url_name="oruk_taxonomy_term_list",
    tags=["oruk", "optional"],
    openapi_extra=_doc("taxonomy_term_list.json", "Taxonomy terms"),
)
@oruk_endpoint
def oruk_taxonomy_term_list(
    request: HttpRequest,
    search: str | None = None,
    page: str | None = None,
    per_page: str | None = None,
    format: str | None = None,
    taxonomy_id: str | None = None,
    top_only: str | None = None,
    parent_id: str | None = None,
) -> Body:
    page_number, size = params.page_and_size(page, per_page)
    output = params.output_format(format)
    terms = selectors.taxonomy_term_list(
        search=params.text("search", search),
        taxonomy_id=params.uuid("taxonomy_id", taxonomy_id),
        parent_id=params.uuid("parent_id", parent_id),
        top_only=params.boolean("top_only", top_only),
    )
    if output == "ndjson":
        return _ndjson(
            oruk.taxonomy_term_dict(row) for row in terms.iterator(chunk_size=NDJSON_CHUNK)
        )
    return _page(terms, page=page_number, per_page=size, render=oruk.taxonomy_term_dict)


@router.get(
    "/taxonomy_terms/{id}",
    url_name="oruk_taxonomy_term_get",
    tags=["oruk", "optional"],
    openapi_extra=_doc("taxonomy_term.json", "One taxonomy term"),
)
@oruk_endpoint
def oruk_taxonomy_term_get(request: HttpRequest, id: str) -> Body:
    public_id = _path_id(id, "taxonomy term")
    return oruk.taxonomy_term_dict(
        _found(selectors.taxonomy_term_get(public_id=public_id), "taxonomy term", public_id)
    )


# --- organizations -------------------------------------------------------------------------------


@router.get(
    "/organizations",
    url_name="oruk_organization_list",
    tags=["oruk", "optional"],
    openapi_extra=_doc("organization_list.json", "Organisations"),
)
@oruk_endpoint
def oruk_organization_list(
    request: HttpRequest,
    search: str | None = None,
    full_service: str | None = None,
    full: str | None = None,
    page: str | None = None,
    per_page: str | None = None,
    format: str | None = None,
) -> Body:
    page_number, size = params.page_and_size(page, per_page)
    output = params.output_format(format)
    with_full_services = params.boolean("full_service", full_service)
    is_full = params.boolean("full", full)
    organizations = selectors.organization_list(search=params.text("search", search))
    if with_full_services:
        # Fully nested organisations, each with its published services in full.
        organizations = selectors.organization_full_services_queryset(organizations)
    elif is_full:
        organizations = selectors.organization_full_queryset(organizations)

    def render(organization: Any) -> JSON:
        data = oruk.organization_dict(organization, full=is_full or with_full_services)
        if with_full_services:
            data["services"] = [
                oruk.service_dict(service, full=True) for service in organization.published_services
            ]
        return data

    if output == "ndjson":
        return _ndjson(render(row) for row in organizations.iterator(chunk_size=NDJSON_CHUNK))
    return _page(organizations, page=page_number, per_page=size, render=render)


@router.get(
    "/organizations/{id}",
    url_name="oruk_organization_get",
    tags=["oruk", "optional"],
    openapi_extra=_doc("organization.json", "One organisation with its services"),
)
@oruk_endpoint
def oruk_organization_get(request: HttpRequest, id: str, full_service: str | None = None) -> Body:
    public_id = _path_id(id, "organization")
    with_full_services = params.boolean("full_service", full_service)
    organization = _found(
        selectors.organization_get(public_id=public_id), "organization", public_id
    )
    data = oruk.organization_dict(organization, full=True)
    data["services"] = [
        oruk.service_dict(service, full=with_full_services)
        for service in selectors.organization_services(
            organization=organization, full=with_full_services
        )
    ]
    return data


# --- service at locations ------------------------------------------------------------------------


@router.get(
    "/service_at_locations",
    url_name="oruk_service_at_location_list",
    tags=["oruk", "optional"],
    openapi_extra=_doc(
        "service_at_location_list.json", "Services at locations, optionally near a postcode"
    ),
)
@oruk_endpoint
def oruk_service_at_location_list(
    request: HttpRequest,
    search: str | None = None,
    taxonomy_term_id: str | None = None,
    taxonomy_id: str | None = None,
    organization_id: str | None = None,
    modified_after: str | None = None,
    full: str | None = None,
    page: str | None = None,
    per_page: str | None = None,
    format: str | None = None,
    postcode: str | None = None,
    proximity: str | None = None,
) -> Body:
    page_number, size = params.page_and_size(page, per_page)
    output = params.output_format(format)
    is_full = params.boolean("full", full)
    postcode_value = params.postcode(postcode)
    metres = params.proximity(proximity)
    if metres is not None and postcode_value is None:
        raise BadParameter("'proximity' needs a 'postcode' to measure from.")
    point = None
    if postcode_value is not None:
        point = selectors.postcode_point_and_areas(postcode_value)
        if point is None:
            raise BadParameter(
                f"'postcode' {postcode_value} is not a postcode this directory knows."
            )
    venues = selectors.service_at_location_list(
        search=params.text("search", search),
        taxonomy_term_id=params.uuid("taxonomy_term_id", taxonomy_term_id),
        taxonomy_id=params.uuid("taxonomy_id", taxonomy_id),
        organization_id=params.uuid("organization_id", organization_id),
        modified_after=params.moment("modified_after", modified_after),
        covering=point,
    )

    def render(sal: ServiceAtLocation, distance: float | None = None) -> JSON:
        return oruk.service_at_location_dict(
            sal, full=is_full, with_service=True, distance=distance
        )

    if point is None or metres is None:
        loaded = selectors.service_at_location_page_queryset(venues, full=is_full)
        if output == "ndjson":
            return _ndjson(render(row) for row in loaded.iterator(chunk_size=NDJSON_CHUNK))
        return _page(loaded, page=page_number, per_page=size, render=render)

    near = selectors.service_at_locations_near(
        venues, latitude=point.latitude, longitude=point.longitude, metres=metres
    )
    if output == "ndjson":
        wanted = near
    else:
        offset = (page_number - 1) * size
        wanted = near[offset : offset + size]
    by_pk = selectors.service_at_location_page_queryset(
        ServiceAtLocation.objects.filter(pk__in=[pk for pk, _ in wanted]), full=is_full
    ).in_bulk()
    contents = [render(by_pk[pk], distance) for pk, distance in wanted]
    if output == "ndjson":
        return _ndjson(iter(contents))
    return oruk.page_dict(contents=contents, total_items=len(near), page=page_number, per_page=size)


@router.get(
    "/service_at_locations/{id}",
    url_name="oruk_service_at_location_get",
    tags=["oruk", "optional"],
    openapi_extra=_doc("service_at_location.json", "One service at a location"),
)
@oruk_endpoint
def oruk_service_at_location_get(request: HttpRequest, id: str) -> Body:
    public_id = _path_id(id, "service at location")
    sal = _found(
        selectors.service_at_location_get(public_id=public_id), "service at location", public_id
    )
    return oruk.service_at_location_dict(sal, full=True)
