"""The stories app's pages. Each part keeps its patterns in its own block."""

from __future__ import annotations

from django.urls import path

from commonweal.stories.views import pages

app_name = "stories"

urlpatterns = [
    path("", pages.home, name="home"),
]
