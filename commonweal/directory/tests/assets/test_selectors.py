"""The asset map's places, the initiatives x wards matrix and the ward counts, on a small borough."""

from __future__ import annotations

import pytest

from commonweal.directory.assets import (
    ASSET_CSV_HEADER,
    AssetFilters,
    asset_csv_rows,
    asset_legend,
    asset_map_features,
    asset_place_list,
    borough_ward_get,
    borough_wards,
    column_cells,
    ward_counts,
    ward_counts_csv_rows,
    ward_detail,
    ward_matrix,
    ward_matrix_csv_rows,
)
from commonweal.directory.constants import AssetType, Facility

pytestmark = pytest.mark.django_db


def names(places):
    return [place.name for place in places]


# --- wards -------------------------------------------------------------------------------------


def test_the_borough_wards_are_those_of_the_configured_district(borough):
    assert borough_wards() == sorted(borough.wards, key=lambda ward: ward.name)
    assert borough_ward_get("e05002235") == borough.grays
    assert borough_ward_get(borough.elsewhere.code) is None


def test_without_a_configured_district_the_wards_in_use_decide(borough, settings):
    settings.COMMONWEAL_DISTRICT_CODE = ""
    # The timebank also covers a ward of another district, so both districts' wards are the borough.
    assert set(borough_wards()) == {*borough.wards, borough.elsewhere}


# --- the asset map -----------------------------------------------------------------------------


def test_asset_places_are_typed_or_meeting_places_linked_to_services_or_organisations(borough):
    places = asset_place_list()
    # Not the surgery (no asset type, not a meeting place), not the masked refuge, not the room whose
    # only service is a draft and that belongs to no organisation.
    assert names(places) == ["Aveley Village Hall", "Grays Library", "Riverside club room"]
    hall = places[0]
    assert hall.asset_type == AssetType.PHYSICAL_SPACE
    assert hall.is_meeting_place
    assert hall.ward_name == "Aveley and Uplands"
    assert hall.facilities == ("Hearing loop", "Kitchen")
    # Only published services are shown at a place.
    assert [service.name for service in hall.services] == ["Aveley health walk"]
    # A place without its own type takes its organisation's.
    assert places[2].asset_type == AssetType.ASSOCIATION


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (AssetFilters(asset_type=AssetType.CULTURAL), ["Grays Library"]),
        (AssetFilters(asset_type=AssetType.ASSOCIATION), ["Riverside club room"]),
        (AssetFilters(ward="E05002235"), ["Grays Library", "Riverside club room"]),
        (AssetFilters(meeting_places_only=True), ["Aveley Village Hall"]),
        (AssetFilters(facility=Facility.KITCHEN), ["Aveley Village Hall"]),
        (AssetFilters(facility=Facility.WIFI), []),
        # The refuge is a meeting place with a kitchen in Tilbury: it never shows, whatever the filter.
        (AssetFilters(ward="E05002246"), []),
        (AssetFilters(ward="E05002246", meeting_places_only=True, facility=Facility.KITCHEN), []),
    ],
)
def test_asset_filters(borough, filters, expected):
    assert names(asset_place_list(filters)) == expected


def test_masked_places_are_not_in_the_legend_counts(borough):
    legend = {entry.code: entry.count for entry in asset_legend(asset_place_list())}
    assert legend[AssetType.PHYSICAL_SPACE] == 1  # the hall, not the refuge
    assert sum(legend.values()) == 3


def test_map_features_are_the_places_with_a_point(borough):
    places = asset_place_list()
    features = asset_map_features(places, url_of=lambda service: f"/s/{service.public_id}/")
    assert [f["properties"]["name"] for f in features["features"]] == [
        "Aveley Village Hall",
        "Grays Library",
    ]
    hall = features["features"][0]
    assert hall["geometry"]["coordinates"] == [0.26, 51.499]
    assert hall["properties"]["symbol"] == "P"
    assert hall["properties"]["url"] == f"/s/{borough.services['walk'].public_id}/"


def test_asset_csv_rows_are_the_listed_places(borough):
    places = asset_place_list()
    rows = asset_csv_rows(places)
    assert [row[0] for row in rows] == names(places)
    assert len(rows[0]) == len(ASSET_CSV_HEADER)
    assert rows[0][1:4] == ["Physical space", "Yes", ""]
    assert rows[0][8] == "Hearing loop; Kitchen"
    assert rows[0][9] == "Aveley health walk"


# --- the matrix --------------------------------------------------------------------------------


def test_ward_matrix_ticks_and_gaps(borough):
    matrix = ward_matrix()
    assert [ward.name for ward in matrix.wards] == [
        "Aveley and Uplands",
        "Grays Riverside",
        "Tilbury Riverside",
    ]
    # The ended befriending scheme is not shown; kinds come in their declared order.
    assert [group.label for group in matrix.groups] == ["Community hub", "Timebank"]
    hubs, timebanks = matrix.groups
    assert [(row.initiative.name, row.cells) for row in hubs.rows] == [
        ("Aveley and Grays hub", (True, True, False)),
        ("Grays hub", (False, True, False)),
    ]
    assert hubs.gaps == (False, False, True)
    assert timebanks.gaps == (True, True, False)
    assert timebanks.gap_count == 2


def test_ward_matrix_csv(borough):
    rows = ward_matrix_csv_rows(ward_matrix())
    assert rows[0] == [
        "Kind",
        "Initiative",
        "Aveley and Uplands",
        "Grays Riverside",
        "Tilbury Riverside",
    ]
    assert rows[1] == ["Community hub", "Aveley and Grays hub", "Yes", "Yes", ""]
    assert rows[3] == ["Community hub", "Wards with no community hub", "", "", "Gap"]
    assert rows[-1] == ["Timebank", "Wards with no timebank", "Gap", "Gap", ""]
    assert len(rows) == 6


# --- ward counts -------------------------------------------------------------------------------


def test_ward_counts(borough):
    counts = ward_counts()
    # Categories are the top-level terms of the category taxonomy, not the SEND needs.
    assert [category.name for category in counts.categories] == [
        "Health and wellbeing",
        "Social groups",
    ]
    by_ward = {row.ward.name: row for row in counts.rows}
    aveley, grays, tilbury = (
        by_ward["Aveley and Uplands"],
        by_ward["Grays Riverside"],
        by_ward["Tilbury Riverside"],
    )
    # Places to meet: the hall. Not the masked refuge, nor the room with no listing or organisation.
    assert [row.places_to_meet.count for row in (aveley, grays, tilbury)] == [1, 0, 0]
    # Published services with a venue in the ward; the draft and the refuge's service do not count.
    assert [row.services.count for row in (aveley, grays, tilbury)] == [1, 3, 0]
    # The health walk is tagged "Walking", a child of "Health and wellbeing".
    assert [cell.count for cell in aveley.by_category] == [1, 0]
    assert [cell.count for cell in grays.by_category] == [1, 1]
    assert [cell.count for cell in tilbury.by_category] == [0, 0]
    # Zero is always a gap.
    assert tilbury.services.is_gap and tilbury.places_to_meet.is_gap
    assert not grays.services.is_gap


def test_a_count_below_half_the_median_is_a_gap():
    cells, summary = column_cells([1, 4, 4, 6, 0])
    assert summary.median == 4
    assert [cell.is_gap for cell in cells] == [True, False, False, False, True]
    assert summary.gap_count == 2
    assert [cell.level for cell in cells] == [1, 3, 3, 4, 0]


def test_ward_counts_csv_rows_follow_the_table(borough):
    counts = ward_counts()
    rows = ward_counts_csv_rows(counts)
    assert rows[0] == [
        "Ward code",
        "Ward",
        "Places to meet",
        "All activities and services",
        "Health and wellbeing",
        "Social groups",
    ]
    assert [row[1] for row in rows[1:]] == [row.ward.name for row in counts.rows]
    tilbury = rows[3]
    assert tilbury == ["E05002246", "Tilbury Riverside", "0 (gap)", "0 (gap)", "0 (gap)", "0 (gap)"]


def test_ward_detail(borough):
    detail = ward_detail(borough.grays)
    assert names(detail.places) == ["Grays Library", "Riverside club room"]
    assert [i.name for i in detail.initiatives] == ["Aveley and Grays hub", "Grays hub"]
    assert [s.name for s in detail.services] == [
        "Grays community choir",
        "Grays craft club",
        "Grays drop-in clinic",
    ]
    tilbury = ward_detail(borough.tilbury)
    assert tilbury.places == [] and tilbury.services == []
