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
    path("services/<uuid:public_id>/print/", listing.service_print, name="service_print"),
    path(
        "services/<uuid:public_id>/report-a-problem/",
        listing.report_problem,
        name="report_problem",
    ),
    path(
        "services/<uuid:public_id>/report-a-problem/sent/",
        listing.report_problem_sent,
        name="report_problem_sent",
    ),
    path("shortlist/", listing.shortlist, name="shortlist"),
    path("shortlist/add/<uuid:public_id>/", listing.shortlist_add, name="shortlist_add"),
    path("shortlist/remove/<uuid:public_id>/", listing.shortlist_remove, name="shortlist_remove"),
    path("problem-reports/", listing.problem_reports, name="problem_reports"),
    path(
        "problem-reports/<uuid:public_id>/dealt-with/",
        listing.problem_report_dealt_with,
        name="problem_report_dealt_with",
    ),
    path("widget/", listing.widget, name="widget"),
    path("embed/", listing.embed, name="embed"),
    #
    #
    # ----------------------------------------------------------------------------------------------
    # Claims, editing and moderation (views/moderation.py)
    # ----------------------------------------------------------------------------------------------
    path("manage/", moderation.manage, name="manage"),
    path("services/<uuid:public_id>/claim/", moderation.service_claim, name="service_claim"),
    path("manage/services/<uuid:public_id>/edit/", moderation.service_edit, name="service_edit"),
    path(
        "manage/services/<uuid:public_id>/confirm/",
        moderation.service_confirm,
        name="service_confirm",
    ),
    path(
        "manage/services/<uuid:public_id>/history/",
        moderation.service_history,
        name="service_history",
    ),
    path("moderation/", moderation.queue, name="moderation_queue"),
    path("moderation/claims/<uuid:public_id>/", moderation.claim_review, name="claim_review"),
    path("moderation/edits/<uuid:public_id>/", moderation.edit_review_page, name="edit_review"),
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
