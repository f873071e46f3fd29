from __future__ import annotations

from django.urls import path

from commonweal.accounts.views import pages

app_name = "accounts"

urlpatterns = [
    path("sign-in/", pages.SignInView.as_view(), name="login"),
    path("sign-out/", pages.sign_out, name="logout"),
    path("", pages.dashboard, name="dashboard"),
    path("profile/", pages.profile, name="profile"),
    path("consents/", pages.consents, name="consents"),
    path("consents/<uuid:public_id>/withdraw/", pages.consent_withdraw, name="consent_withdraw"),
    path("tokens/", pages.tokens, name="tokens"),
    path("tokens/new/", pages.token_create, name="token_create"),
    path("tokens/<uuid:public_id>/revoke/", pages.token_revoke, name="token_revoke"),
    path("two-factor/set-up/", pages.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", pages.two_factor_verify, name="two_factor_verify"),
]
