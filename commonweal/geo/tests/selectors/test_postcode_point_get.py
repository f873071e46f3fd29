from __future__ import annotations

import json

import pytest
from django.test import override_settings

from commonweal.geo.exceptions import InvalidPostcodeError, UnknownPostcodeError, UpstreamAPIError
from commonweal.geo.providers import LocalTableProvider, RemotePostcodeClient, provider_chain
from commonweal.geo.selectors import postcode_point_get
from commonweal.geo.tests.factories import PostcodeFactory
from commonweal.geo.types import PostcodePoint

pytestmark = pytest.mark.django_db


class StubProvider:
    def __init__(self, name, answer=None, error=None):
        self.name = name
        self.answer = answer
        self.error = error
        self.asked: list[str] = []

    def lookup(self, postcode):
        self.asked.append(postcode)
        if self.error:
            raise self.error
        return self.answer


def test_local_table_finds_a_postcode_in_any_spelling():
    PostcodeFactory(
        postcode="RM176SL", latitude=51.47555, longitude=0.323813, ward_code="E05002235"
    )
    point = postcode_point_get(" rm17 6sl ")
    assert point.postcode == "RM176SL"
    assert point.display == "RM17 6SL"
    assert (point.latitude, point.longitude) == (51.47555, 0.323813)
    assert point.ward_code == "E05002235"
    assert point.source == "local"


def test_not_a_postcode_is_refused_before_any_provider_is_asked():
    provider = StubProvider("stub")
    with pytest.raises(InvalidPostcodeError):
        postcode_point_get("not one", providers=[provider])
    assert provider.asked == []


def test_unknown_postcode():
    with pytest.raises(UnknownPostcodeError, match="RM17 6ZZ looks like a postcode"):
        postcode_point_get("rm176zz")


def test_chain_asks_the_next_provider_when_the_first_does_not_know():
    found = PostcodePoint(postcode="RM176ZZ", latitude=51.4, longitude=0.3, source="second")
    first, second = StubProvider("first"), StubProvider("second", answer=found)
    assert postcode_point_get("RM17 6ZZ", providers=[first, second]) is found
    assert first.asked == ["RM176ZZ"] and second.asked == ["RM176ZZ"]


def test_chain_stops_at_the_first_answer():
    found = PostcodePoint(postcode="RM176ZZ", latitude=51.4, longitude=0.3)
    first, second = StubProvider("first", answer=found), StubProvider("second")
    postcode_point_get("RM17 6ZZ", providers=[first, second])
    assert second.asked == []


def test_a_failing_remote_is_skipped_when_another_provider_knows():
    found = PostcodePoint(postcode="RM176ZZ", latitude=51.4, longitude=0.3)
    failing = StubProvider("remote", error=UpstreamAPIError("down"))
    assert (
        postcode_point_get("RM17 6ZZ", providers=[failing, StubProvider("x", answer=found)])
        is found
    )


def test_a_failing_remote_is_reported_when_no_one_knows():
    failing = StubProvider("remote", error=UpstreamAPIError("down"))
    with pytest.raises(UpstreamAPIError):
        postcode_point_get("RM17 6ZZ", providers=[LocalTableProvider(), failing])


def test_the_remote_provider_is_off_unless_configured():
    assert [provider.name for provider in provider_chain()] == ["local"]
    with override_settings(
        COMMONWEAL_USE_POSTCODE_API=True, COMMONWEAL_POSTCODE_API_URL="https://postcodes.example"
    ):
        assert [provider.name for provider in provider_chain()] == ["local", "remote"]


def _fetch(status, payload):
    calls = []

    def fetch(url, timeout):
        calls.append(url)
        return status, json.dumps(payload).encode() if payload is not None else b"not json"

    fetch.calls = calls
    return fetch


def test_remote_client_reads_postcodes_io_answers():
    fetch = _fetch(
        200,
        {
            "status": 200,
            "result": {
                "postcode": "RM17 6SL",
                "latitude": 51.47555,
                "longitude": 0.323813,
                "codes": {
                    "admin_district": "E06000034",
                    "admin_ward": "E05002235",
                    "lsoa": "E01015954",
                    "msoa": "E02003312",
                },
            },
        },
    )
    point = RemotePostcodeClient("https://postcodes.example/", fetch=fetch).lookup("RM176SL")
    assert fetch.calls == ["https://postcodes.example/postcodes/RM176SL"]
    assert point == PostcodePoint(
        "RM176SL", 51.47555, 0.323813, "E06000034", "E05002235", "E01015954", "E02003312", "remote"
    )


def test_remote_client_404_means_unknown():
    assert (
        RemotePostcodeClient("https://x.example", fetch=_fetch(404, {"status": 404})).lookup(
            "RM176ZZ"
        )
        is None
    )


@pytest.mark.parametrize(
    ("status", "payload"), [(500, {"error": "boom"}), (200, None), (200, {"result": {}})]
)
def test_remote_client_failures_are_upstream_errors(status, payload):
    with pytest.raises(UpstreamAPIError):
        RemotePostcodeClient("https://x.example", fetch=_fetch(status, payload)).lookup("RM176SL")


def test_many_postcodes_at_once_are_keyed_as_given_and_unknown_or_invalid_ones_left_out():
    from commonweal.geo.selectors import postcode_points_get

    PostcodeFactory(postcode="RM176SL", latitude=51.47555, longitude=0.323813)
    PostcodeFactory(postcode="RM166AA", latitude=51.4801, longitude=0.3301)

    points = postcode_points_get(["rm17 6sl", "RM16 6AA", "ZZ99 9ZZ", "not a postcode"])

    assert set(points) == {"rm17 6sl", "RM16 6AA"}
    assert points["rm17 6sl"] == postcode_point_get("RM17 6SL")
    assert points["RM16 6AA"].latitude == 51.4801
