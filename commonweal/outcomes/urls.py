from __future__ import annotations

from django.urls import path

from commonweal.outcomes import views

app_name = "outcomes"

urlpatterns = [
    path("", views.outcome_list_page, name="outcome_list"),
]
