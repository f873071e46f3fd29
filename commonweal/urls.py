from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from commonweal.api.urls import api

urlpatterns = [
    path("", include("commonweal.core.urls")),
    path("accounts/", include("commonweal.accounts.urls")),
    path("", include("commonweal.geo.urls")),
    path("outcomes/", include("commonweal.outcomes.urls")),
    path("directory/", include("commonweal.directory.urls")),
    path("timebank/", include("commonweal.timebank.urls")),
    path("stories/", include("commonweal.stories.urls")),
    path("grants/", include("commonweal.grants.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler403 = "commonweal.core.views.pages.error_403"
handler404 = "commonweal.core.views.pages.error_404"
handler500 = "commonweal.core.views.pages.error_500"
