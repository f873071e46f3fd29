"""The timebank's pages. Each part keeps its patterns in its own block."""

from __future__ import annotations

from django.urls import path

from commonweal.timebank.views import giftboard, members, organisations, reports

app_name = "timebank"

urlpatterns = [
    # ----------------------------------------------------------------------------------------------
    # Joining, member dashboard, broker console, vetting (views/members.py)
    # ----------------------------------------------------------------------------------------------
    path("", members.home, name="home"),
    path("dashboard/", members.dashboard, name="dashboard"),
    path("exchanges/<uuid:public_id>/answer/", members.exchange_answer, name="exchange_answer"),
    path("<slug:slug>/join/", members.join, name="join"),
    path("<slug:slug>/record/", members.exchange_record, name="exchange_record"),
    path("<slug:slug>/statement/", members.statement, name="statement"),
    path("<slug:slug>/statement.csv", members.statement_csv, name="statement_csv"),
    path("<slug:slug>/broker/", members.broker, name="broker"),
    path("<slug:slug>/donate/", members.donate, name="donate"),
    path("<slug:slug>/broker/record/", members.broker_record, name="broker_record"),
    path("<slug:slug>/broker/group-activity/", members.group_activity, name="group_activity"),
    path("<slug:slug>/broker/donate/", members.broker_donate, name="broker_donate"),
    path("<slug:slug>/broker/members/", members.member_list, name="member_list"),
    path("<slug:slug>/broker/members.csv", members.member_list_csv, name="member_list_csv"),
    path("<slug:slug>/broker/members/new-proxy/", members.proxy_create, name="proxy_create"),
    path(
        "<slug:slug>/broker/organisations/new/", members.organisation_add, name="organisation_add"
    ),
    path(
        "<slug:slug>/broker/applications/<uuid:public_id>/",
        members.application_detail,
        name="application_detail",
    ),
    path(
        "<slug:slug>/broker/applications/<uuid:public_id>/decide/",
        members.application_decide,
        name="application_decide",
    ),
    path(
        "<slug:slug>/broker/members/<uuid:public_id>/", members.member_detail, name="member_detail"
    ),
    path(
        "<slug:slug>/broker/members/<uuid:public_id>/statement/",
        members.member_statement,
        name="member_statement",
    ),
    path(
        "<slug:slug>/broker/members/<uuid:public_id>/statement.csv",
        members.member_statement_csv,
        name="member_statement_csv",
    ),
    path(
        "<slug:slug>/broker/members/<uuid:public_id>/restrictions/",
        members.member_restrictions,
        name="member_restrictions",
    ),
    path(
        "<slug:slug>/broker/members/<uuid:public_id>/gift-board/new/<str:kind>/",
        members.proxy_post_create,
        name="proxy_post_create",
    ),
    path(
        "<slug:slug>/broker/members/<uuid:public_id>/gift-board/<uuid:post_id>/ask/",
        members.proxy_ask,
        name="proxy_ask",
    ),
    path(
        "<slug:slug>/broker/members/<uuid:public_id>/vetting/",
        members.vetting_add,
        name="vetting_add",
    ),
    path(
        "<slug:slug>/broker/accounts/<uuid:public_id>/status/",
        members.account_status,
        name="account_status",
    ),
    path(
        "<slug:slug>/broker/accounts/<uuid:public_id>/limits/",
        members.account_limits,
        name="account_limits",
    ),
    path(
        "<slug:slug>/broker/exchanges/<uuid:public_id>/decide/",
        members.exchange_approve,
        name="exchange_approve",
    ),
    path(
        "<slug:slug>/broker/exchanges/<uuid:public_id>/reverse/",
        members.exchange_reverse,
        name="exchange_reverse",
    ),
    #
    #
    # ----------------------------------------------------------------------------------------------
    # Organisation accounts, for their representatives (views/organisations.py)
    # ----------------------------------------------------------------------------------------------
    path("organisations/", organisations.organisation_list, name="organisation_list"),
    path(
        "<slug:slug>/organisations/<uuid:public_id>/",
        organisations.organisation_account,
        name="organisation_account",
    ),
    path(
        "<slug:slug>/organisations/<uuid:public_id>/record/",
        organisations.organisation_record,
        name="organisation_record",
    ),
    path(
        "<slug:slug>/organisations/<uuid:public_id>/exchanges/<uuid:transaction_id>/answer/",
        organisations.organisation_answer,
        name="organisation_answer",
    ),
    path(
        "<slug:slug>/organisations/<uuid:public_id>/statement/",
        organisations.organisation_statement,
        name="organisation_statement",
    ),
    path(
        "<slug:slug>/organisations/<uuid:public_id>/statement.csv",
        organisations.organisation_statement_csv,
        name="organisation_statement_csv",
    ),
    #
    #
    # ----------------------------------------------------------------------------------------------
    # Exchanges and statements (views/exchanges.py)
    # ----------------------------------------------------------------------------------------------
    #
    #
    # ----------------------------------------------------------------------------------------------
    # Gift board: offers, needs, goods, matches, connections (views/giftboard.py)
    # ----------------------------------------------------------------------------------------------
    path("gift-board/", giftboard.board_list, name="giftboard"),
    path("gift-board/mine/", giftboard.my_posts, name="giftboard_mine"),
    path("gift-board/new/<str:kind>/", giftboard.post_create, name="giftboard_new"),
    path("gift-board/<uuid:public_id>/", giftboard.post_detail, name="giftboard_post"),
    path("gift-board/<uuid:public_id>/photo/", giftboard.post_photo, name="giftboard_photo"),
    path("gift-board/<uuid:public_id>/edit/", giftboard.post_edit, name="giftboard_edit"),
    path("gift-board/<uuid:public_id>/renew/", giftboard.post_renew, name="giftboard_renew"),
    path("gift-board/<uuid:public_id>/close/", giftboard.post_close, name="giftboard_close"),
    path("gift-board/<uuid:public_id>/ask/", giftboard.post_ask, name="giftboard_ask"),
    path(
        "gift-board/connections/<uuid:public_id>/",
        giftboard.connection_detail,
        name="giftboard_connection",
    ),
    path(
        "gift-board/connections/<uuid:public_id>/connected/",
        giftboard.connection_connected,
        name="giftboard_connected",
    ),
    #
    #
    # ----------------------------------------------------------------------------------------------
    # Reports for funders (views/reports.py)
    # ----------------------------------------------------------------------------------------------
    path("reports/", reports.report_index, name="report_index"),
    path("reports/<slug:slug>/", reports.report, name="report"),
    path("reports/<slug:slug>/<slug:table>.csv", reports.report_csv, name="report_csv"),
    #
]
