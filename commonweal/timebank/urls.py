"""The timebank's pages. Each part keeps its patterns in its own block."""

from __future__ import annotations

from django.urls import path

from commonweal.timebank.views import members, reports

app_name = "timebank"

urlpatterns = [
    # ----------------------------------------------------------------------------------------------
    # Joining, member dashboard, broker console, vetting (views/members.py)
    # ----------------------------------------------------------------------------------------------
    path("", members.home, name="home"),
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
