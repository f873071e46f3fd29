from __future__ import annotations

from django.urls import path

from commonweal.core.views import pages

app_name = "core"

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", pages.healthz, name="healthz"),
    path("accessibility", pages.accessibility, name="accessibility"),
    path("privacy", pages.privacy, name="privacy"),
    path("cookies", pages.cookies, name="cookies"),
]
