"""Example records the directory's public pages show in the browser checks (made per test)."""

from __future__ import annotations

import datetime as dt
import uuid

EXAMPLE_LISTING_ID = uuid.UUID("0b5e55c0-1157-4a6e-9c1a-000000000001")
EXAMPLE_WARD_CODE = "E05002229"


def example_listing() -> None:
    """A published listing with a bit of everything: venues (one masked), times, SEND answers."""
    from commonweal.directory.constants import (
        SEND_NEEDS_TAXONOMY_URI,
        Facility,
        LocalOfferQuestion,
    )
    from commonweal.directory.models import LocalOfferAnswer, LocationFacility, Phone, Schedule
    from commonweal.directory.tests.factories import (
        AddressFactory,
        LocationFactory,
        ServiceAtLocationFactory,
        TaxonomyFactory,
        TaxonomyTermFactory,
        attribute_add,
        full_service,
    )
    from commonweal.geo.constants import AreaKind
    from commonweal.geo.models import Area

    ward, _ = Area.objects.get_or_create(
        kind=AreaKind.WARD, code=EXAMPLE_WARD_CODE, defaults={"name": "Grays Riverside"}
    )
    service = full_service(
        public_id=EXAMPLE_LISTING_ID,
        name="Riverside Family Play (example)",
        send_local_offer=True,
        referral_required=True,
        referral_description="Ask your health visitor.",
        ofsted_urn="EY123456",
        minimum_age=0,
        maximum_age=5,
    )
    Phone.objects.create(service=service, number="01375 000001", description="Weekday mornings")
    send = TaxonomyFactory(name="SEND needs", uri=SEND_NEEDS_TAXONOMY_URI)
    attribute_add(service, TaxonomyTermFactory(taxonomy=send, name="Autism"))
    LocalOfferAnswer.objects.create(
        service=service,
        question=LocalOfferQuestion.HOW_TO_START,
        answer="Come along to any session.",
    )
    hall = service.service_at_locations.get().location
    hall.ward = ward
    hall.save()
    LocationFacility.objects.create(location=hall, facility=Facility.BABY_CHANGING)
    refuge = LocationFactory(name="Family support room", mask_address=True)
    AddressFactory(location=refuge)
    sal = ServiceAtLocationFactory(service=service, location=refuge)
    Schedule.objects.create(
        service=service,
        service_at_location=sal,
        freq="WEEKLY",
        byday="TU,TH",
        opens_at=dt.time(9, 30),
        closes_at=dt.time(11, 30),
    )
