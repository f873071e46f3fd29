"""The grants app's pages. Each part keeps its patterns in its own block."""

from __future__ import annotations

from django.urls import path

from commonweal.grants.views import awards, gallery, officer, pages, panel, practice, sponsors

app_name = "grants"

urlpatterns = [
    path("", pages.home, name="home"),
    # Rounds and the ideas canvas
    path("rounds/<uuid:round_id>/", pages.round_detail, name="round_detail"),
    path("rounds/<uuid:round_id>/start/", pages.canvas_start_page, name="canvas_start"),
    path("drop-ins/<uuid:session_id>/book/", pages.dropin_book_page, name="dropin_book"),
    path("ideas/<uuid:canvas_id>/", pages.canvas_detail, name="canvas_detail"),
    path("ideas/<uuid:canvas_id>/edit/", pages.canvas_edit, name="canvas_edit"),
    path(
        "ideas/<uuid:canvas_id>/collaborators/",
        pages.canvas_collaborator_add,
        name="canvas_collaborator_add",
    ),
    path(
        "ideas/<uuid:canvas_id>/attachments/",
        pages.canvas_attachment_add,
        name="canvas_attachment_add",
    ),
    path(
        "ideas/<uuid:canvas_id>/collaborators/<uuid:collaborator_id>/remove/",
        pages.canvas_collaborator_remove,
        name="canvas_collaborator_remove",
    ),
    path(
        "ideas/<uuid:canvas_id>/attachments/<uuid:attachment_id>/remove/",
        pages.canvas_attachment_remove,
        name="canvas_attachment_remove",
    ),
    path("files/<uuid:attachment_id>/", pages.attachment_download, name="attachment_download"),
    # Programme managers: funds, rounds, rubric, questions, panels
    path("manage/", officer.officer_home, name="officer_home"),
    path("manage/funds/new/", officer.fund_new, name="fund_new"),
    path("manage/reports/", officer.reports_page, name="reports"),
    path("manage/funds/<uuid:fund_id>/rounds/new/", officer.round_new, name="round_new"),
    path("manage/rounds/<uuid:round_id>/", officer.round_setup, name="round_setup"),
    path("manage/rounds/<uuid:round_id>/edit/", officer.round_edit, name="round_edit"),
    path("manage/rounds/<uuid:round_id>/criteria/", officer.criterion_add, name="criterion_add"),
    path(
        "manage/rounds/<uuid:round_id>/criteria/<uuid:criterion_id>/remove/",
        officer.criterion_remove,
        name="criterion_remove",
    ),
    path("manage/rounds/<uuid:round_id>/questions/", officer.field_add, name="field_add"),
    path(
        "manage/rounds/<uuid:round_id>/questions/<uuid:field_id>/remove/",
        officer.field_remove,
        name="field_remove",
    ),
    path("manage/rounds/<uuid:round_id>/panels/", officer.panel_add, name="panel_add"),
    path("manage/rounds/<uuid:round_id>/drop-ins/", officer.dropin_add, name="dropin_add"),
    path("manage/rounds/<uuid:round_id>/360giving/", officer.round_export, name="round_export"),
    path("manage/panels/<uuid:panel_id>/", officer.panel_manage, name="panel_manage"),
    path(
        "manage/panels/<uuid:panel_id>/members/<uuid:member_id>/leave/",
        officer.panel_member_leave,
        name="panel_member_leave",
    ),
    # Panels: declaration, scoring, meeting, decisions
    path("panels/<uuid:panel_id>/", panel.panel_home, name="panel_home"),
    path("panels/<uuid:panel_id>/declare/", panel.panel_declare, name="panel_declare"),
    path("panels/<uuid:panel_id>/ideas/<uuid:canvas_id>/", panel.panel_score, name="panel_score"),
    path("panels/<uuid:panel_id>/meeting/", panel.panel_meeting, name="panel_meeting"),
    path(
        "panels/<uuid:panel_id>/calibration/",
        panel.panel_calibration_page,
        name="panel_calibration",
    ),
    path("manage/ideas/<uuid:canvas_id>/decision/", panel.canvas_decide, name="canvas_decide"),
    # Awards and monitoring
    path("manage/ideas/<uuid:canvas_id>/award/", awards.award_new, name="award_new"),
    path("manage/rounds/<uuid:round_id>/awards/", awards.round_awards, name="round_awards"),
    path("manage/payments/<uuid:payment_id>/paid/", awards.payment_paid, name="payment_paid"),
    path("awards/<uuid:award_id>/", awards.award_detail, name="award_detail"),
    path("reports/<uuid:report_id>/", awards.report_submit, name="report_submit"),
    path("reports/<uuid:report_id>/stories/", awards.report_stories_page, name="report_stories"),
    # The gallery
    path("gallery/", gallery.gallery, name="gallery"),
    path("gallery/<uuid:canvas_id>/", gallery.gallery_idea, name="gallery_idea"),
    path("gallery/<uuid:canvas_id>/connect/", gallery.gallery_connect, name="gallery_connect"),
    path("ideas/<uuid:canvas_id>/share/", gallery.gallery_share, name="gallery_share"),
    path("ideas/<uuid:canvas_id>/merge/", gallery.canvas_merge_page, name="canvas_merge"),
    # Community of practice
    path("funds/<uuid:fund_id>/community/", practice.practice, name="practice"),
    # Sponsors
    path("manage/rounds/<uuid:round_id>/sponsors/", sponsors.round_sponsors, name="round_sponsors"),
    path(
        "manage/ideas/<uuid:canvas_id>/sponsor/",
        sponsors.sponsor_confirm_page,
        name="sponsor_confirm",
    ),
    path(
        "manage/ideas/<uuid:canvas_id>/sponsor/change/",
        sponsors.sponsor_change_page,
        name="sponsor_change",
    ),
    path("manage/sponsors/", sponsors.sponsor_list, name="sponsor_list"),
    path("manage/sponsors/<uuid:user_id>/", sponsors.sponsor_edit, name="sponsor_edit"),
    path("sponsoring/", sponsors.my_sponsored, name="my_sponsored"),
    path("sponsoring/<uuid:canvas_id>/contacts/", sponsors.sponsor_contact, name="sponsor_contact"),
]
