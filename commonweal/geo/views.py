from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from commonweal.core.htmx import HtmxHttpRequest
from commonweal.geo import selectors
from commonweal.geo.exceptions import InvalidPostcodeError, UnknownPostcodeError, UpstreamAPIError
from commonweal.geo.postcodes import postcode_display


@require_GET
def data_sources_page(request: HtmxHttpRequest) -> HttpResponse:
    """Where Commonweal's reference data comes from, its licences and attributions, and what was imported."""
    return render(request, "geo/data_sources.html", {"sources": selectors.data_source_list()})


@require_GET
def postcode_check_page(request: HtmxHttpRequest) -> HttpResponse:
    """Tell a resident whether a postcode is one, whether we know it, and which ward it is in."""
    value = request.GET.get("postcode", "").strip()
    context: dict[str, object] = {"value": value, "result": None, "error": "", "status": ""}
    if "postcode" in request.GET:
        try:
            result = selectors.postcode_areas_get(value)
        except InvalidPostcodeError as exc:
            context.update(error=str(exc), status="invalid")
        except UnknownPostcodeError as exc:
            context.update(error=str(exc), status="unknown")
        except UpstreamAPIError:
            context.update(
                error="We cannot check postcodes just now. Please try again later.",
                status="upstream",
            )
        else:
            context.update(
                result=result, status="found", display=postcode_display(result.point.postcode)
            )
    status = 400 if context["status"] == "invalid" else 200
    return render(request, "geo/postcode_check.html", context, status=status)
