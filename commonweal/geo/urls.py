from __future__ import annotations

from django.urls import path

from commonweal.geo import views

app_name = "geo"

urlpatterns = [
    path("data", views.data_sources_page, name="data_sources"),
    path("postcode", views.postcode_check_page, name="postcode_check"),
]
