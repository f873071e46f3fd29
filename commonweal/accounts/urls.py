from __future__ import annotations

from django.urls import path

from commonweal.accounts.views import pages

app_name = "accounts"

urlpatterns = [
    path("sign-in/", pages.SignInView.as_view(), name="login"),
    path("sign-out/", pages.sign_out, name="logout"),
    path("", pages.dashboard, name="dashboard"),
    path("two-factor/set-up/", pages.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", pages.two_factor_verify, name="two_factor_verify"),
]
