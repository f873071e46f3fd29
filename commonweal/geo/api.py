"""JSON API of the geo app: postcode lookup."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from commonweal.geo import selectors
from commonweal.geo.exceptions import InvalidPostcodeError, UnknownPostcodeError, UpstreamAPIError
from commonweal.geo.models import Area

router = Router(tags=["geo"])


class AreaOutput(Schema):
    code: str
    name: str


class PostcodeOutput(Schema):
    postcode: str
    display: str
    latitude: float
    longitude: float
    district_code: str
    ward_code: str
    lsoa_code: str
    msoa_code: str
    district: AreaOutput | None
    ward: AreaOutput | None
    lsoa: AreaOutput | None
    msoa: AreaOutput | None


class ErrorBody(Schema):
    status: int
    message: str


class ErrorOutput(Schema):
    error: ErrorBody


def _area(area: Area | None) -> AreaOutput | None:
    return None if area is None else AreaOutput(code=area.code, name=area.name)


@router.get(
    "/postcodes/{postcode}",
    response={200: PostcodeOutput, 400: ErrorOutput, 404: ErrorOutput, 503: ErrorOutput},
    url_name="postcode_get",
    summary="Where a postcode is and which areas it is in",
)
def postcode_get(request: HttpRequest, postcode: str) -> PostcodeOutput:
    """The point of a postcode and its district, ward, LSOA and MSOA (codes and names).

    400 when what was sent is not a postcode; 404 when it is one but we do not know it.
    """
    try:
        found = selectors.postcode_areas_get(postcode)
    except InvalidPostcodeError as exc:
        raise HttpError(400, str(exc)) from exc
    except UnknownPostcodeError as exc:
        raise HttpError(404, str(exc)) from exc
    except UpstreamAPIError as exc:
        raise HttpError(
            503, "Postcodes cannot be looked up just now. Please try again later."
        ) from exc
    point = found.point
    return PostcodeOutput(
        postcode=point.postcode,
        display=point.display,
        latitude=point.latitude,
        longitude=point.longitude,
        district_code=point.district_code,
        ward_code=point.ward_code,
        lsoa_code=point.lsoa_code,
        msoa_code=point.msoa_code,
        district=_area(found.district),
        ward=_area(found.ward),
        lsoa=_area(found.lsoa),
        msoa=_area(found.msoa),
    )
