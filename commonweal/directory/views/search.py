"""Public search of the directory: a GET form, a count, a page of results, and a map of that page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse

from commonweal.directory.public_search import (
    DAYS,
    SORTS,
    TIMES_OF_DAY,
    SearchResult,
    service_public_search,
)
from commonweal.directory.search_forms import DirectorySearchForm

SUMMARY_CHARS = 200
MAX_QUERY_STRING = 4096


@dataclass(frozen=True)
class ActiveFilter:
    label: str
    remove_url: str


def _url(query: QueryDict) -> str:
    encoded = query.urlencode()
    return reverse("directory:search") + (f"?{encoded}" if encoded else "")


def _without(query: QueryDict, name: str, value: str | None = None) -> str:
    """The current search without one filter (or one value of a many-valued filter)."""
    copy = query.copy()
    copy.pop("page", None)
    if value is None:
        copy.pop(name, None)
        if name == "postcode":
            copy.pop("distance", None)
    else:
        copy.setlist(name, [item for item in copy.getlist(name) if item != value])
    return _url(copy)


def _choice_label(form: DirectorySearchForm, name: str, value: str) -> str:
    for key, label in form.fields[name].choices:  # type: ignore[attr-defined]
        if isinstance(label, list | tuple):
            for sub_key, sub_label in label:
                if sub_key == value:
                    return str(sub_label)
        elif key == value:
            return str(label)
    return value


def _active_filters(
    form: DirectorySearchForm, query: QueryDict, result: SearchResult
) -> list[ActiveFilter]:
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    found: list[ActiveFilter] = []
    if data.get("q"):
        found.append(ActiveFilter(f"Words: “{data['q']}”", _without(query, "q")))
    if data.get("postcode") and result.postcode:
        found.append(
            ActiveFilter(
                f"Within {data.get('distance')} miles of {result.postcode}",
                _without(query, "postcode"),
            )
        )
    for name, title in (("category", "Category"), ("need", "SEND need"), ("language", "Language")):
        if data.get(name):
            label = _choice_label(form, name, data[name])
            found.append(ActiveFilter(f"{title}: {label}", _without(query, name)))
    if data.get("day"):
        found.append(ActiveFilter(f"Day: {DAYS[data['day']]}", _without(query, "day")))
    if data.get("time"):
        found.append(ActiveFilter(f"Time: {TIMES_OF_DAY[data['time']]}", _without(query, "time")))
    if data.get("age") is not None:
        found.append(ActiveFilter(f"Age: {data['age']}", _without(query, "age")))
    if data.get("free"):
        found.append(ActiveFilter("Free only", _without(query, "free")))
    for value in data.get("access") or []:
        label = _choice_label(form, "access", value)
        found.append(ActiveFilter(label, _without(query, "access", value)))
    return found


def _summary(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= SUMMARY_CHARS:
        return text
    return text[:SUMMARY_CHARS].rsplit(" ", 1)[0] + "…"


def _features(result: SearchResult) -> dict[str, Any]:
    features = []
    for hit in result.hits:
        if hit.latitude is None or hit.longitude is None:
            continue
        url = reverse("directory:service_detail", args=[hit.service.public_id])
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [hit.longitude, hit.latitude]},
                "properties": {
                    "name": hit.service.name,
                    "url": url,
                    "summary": hit.venue_name,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def search(request: HttpRequest) -> HttpResponse:
    query = (
        request.GET.copy()
        if len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_STRING
        else QueryDict()
    )
    form = DirectorySearchForm(query)
    criteria = form.criteria()
    result = service_public_search(criteria)
    if result.postcode_error:
        form.add_error("postcode", result.postcode_error)
    view = "map" if query.get("view") == "map" else "list"
    list_query = query.copy()
    list_query.pop("view", None)
    map_query = list_query.copy()
    map_query["view"] = "map"
    searched = any(query.get(name) for name in form.fields if name not in ("sort", "page"))
    page_urls = {}
    for number in (result.page - 1, result.page + 1):
        if 1 <= number <= result.pages:
            page_query = query.copy()
            page_query["page"] = str(number)
            page_urls[number] = _url(page_query)
    sort_query = query.copy()
    sort_query.pop("page", None)
    sort_query.pop("sort", None)
    context = {
        "form": form,
        "result": result,
        "hits": [(hit, _summary(hit.service.description)) for hit in result.hits],
        "filters": _active_filters(form, query, result),
        "clear_url": reverse("directory:search"),
        "view": view,
        "list_url": _url(list_query),
        "map_url": _url(map_query),
        "searched": searched,
        "previous_url": page_urls.get(result.page - 1),
        "next_url": page_urls.get(result.page + 1),
        "sort_hidden": [(name, value) for name, values in sort_query.lists() for value in values],
        "sort_choices": [(key, SORTS[key]) for key in result.sorts],
        "features": _features(result),
        "first_number": (result.page - 1) * result.per_page + 1,
    }
    return render(request, "directory/search.html", context)
