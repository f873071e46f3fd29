"""The directory's pages. Each part of the directory keeps its patterns in its own block."""

from __future__ import annotations

from django.urls import path

from commonweal.directory.views import assets, listing, moderation, search

app_name = "directory"

urlpatterns = [
    # ----------------------------------------------------------------------------------------------
    # Public search (views/search.py)
    # ----------------------------------------------------------------------------------------------
    path("", search.search, name="search"),
    #
    #
    # ----------------------------------------------------------------------------------------------
    # Listing pages, print, shortlist, report a problem, embeddable widget (views/listing.py)
    # ----------------------------------------------------------------------------------------------
    path("services/<uuid:public_id>/", listing.service_detail, name="service_detail"),
    #
    #
    # ----------------------------------------------------------------------------------------------
    # Claims, editing and moderation (views/moderation.py)
    # ----------------------------------------------------------------------------------------------
    path("manage/", moderation.manage, name="manage"),
    #
    #
    # ----------------------------------------------------------------------------------------------
    # Asset map, initiatives x wards matrix, ward counts, duplicates (views/assets.py)
    # ----------------------------------------------------------------------------------------------
    path("assets/", assets.asset_map, name="asset_map"),
    path("assets/csv/", assets.asset_map_csv, name="asset_map_csv"),
    path("wards/", assets.ward_counts, name="ward_counts"),
    path("wards/csv/", assets.ward_counts_csv, name="ward_counts_csv"),
    path("wards/matrix/", assets.ward_matrix, name="ward_matrix"),
    path("wards/matrix/csv/", assets.ward_matrix_csv, name="ward_matrix_csv"),
    path("wards/<str:code>/", assets.ward_detail, name="ward_detail"),
    path("initiatives/", assets.initiative_list, name="initiative_list"),
    path("initiatives/add/", assets.initiative_add, name="initiative_add"),
    path("initiatives/<uuid:public_id>/", assets.initiative_edit, name="initiative_edit"),
    path("duplicates/", assets.duplicates, name="duplicates"),
    path("duplicates/<uuid:public_id>/", assets.duplicate_decide, name="duplicate_decide"),
    #
    #
]
