"""The grants app's pages. Each part keeps its patterns in its own block."""

from __future__ import annotations

from django.urls import path

from commonweal.grants.views import pages

app_name = "grants"

urlpatterns = [
    path("", pages.home, name="home"),
]
