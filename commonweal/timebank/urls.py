"""The timebank's pages. Each part keeps its patterns in its own block."""

from __future__ import annotations

from django.urls import path

from commonweal.timebank.views import giftboard, members

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
    #
    #
]
