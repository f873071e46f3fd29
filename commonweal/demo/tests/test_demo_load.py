from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from commonweal.accounts.constants import Role
from commonweal.accounts.models import Membership, Organisation, User
from commonweal.demo.borough import DEMO_PASSWORD
from commonweal.geo.models import Area, Locality, Postcode

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_output():
    out = io.StringIO()
    call_command("demo_load", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_demo_borough_is_thurrock_real_geography(demo_output):
    assert Area.objects.wards().filter(district_code="E06000034").count() == 20
    assert Area.objects.lsoas().filter(district_code="E06000034").count() == 98
    assert Postcode.objects.filter(district_code="E06000034").count() == 3275
    assert Locality.objects.count() >= 4


def test_demo_has_thirty_or_more_invented_groups_spread_over_the_wards(demo_output):
    groups = Organisation.objects.filter(
        is_example=True, kind__in=["vcs_group", "charity", "faith_group", "business"]
    )
    assert groups.count() >= 30
    assert groups.values("ward").distinct().count() == 20
    assert not Organisation.objects.filter(is_example=False).exists()
    assert all(group.latitude is not None and group.postcode for group in groups)


def test_every_role_has_a_demo_login_that_works(demo_output, client):
    for role in Role:
        assert Membership.objects.filter(role=role, user__is_example=True).exists(), role
    for user in User.objects.all():
        assert user.is_example
        assert user.check_password(DEMO_PASSWORD)
        # Timebank members are invented neighbours, and every group has an invented rep who applies
        # for grants: they sign in with the same password, but only one rep is listed.
        assert (
            user.email in demo_output
            or user.timebank_members.exists()
            or user.email.startswith("grants-rep-")
        )
    assert DEMO_PASSWORD in demo_output


def test_loading_again_changes_nothing(demo_output):
    counts = (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Postcode.objects.count(),
    )
    call_command("demo_load", stdout=io.StringIO(), stderr=io.StringIO())
    assert counts == (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Postcode.objects.count(),
    )
