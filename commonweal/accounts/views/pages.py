from __future__ import annotations

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonweal.core.htmx import HtmxHttpRequest


class SignInView(LoginView):
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True


@require_POST
def sign_out(request: HtmxHttpRequest) -> HttpResponse:
    logout(request)
    return redirect("core:home")


@require_GET
@login_required
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "accounts/dashboard.html")


@require_http_methods(["GET", "POST"])
@login_required
def two_factor_setup(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "accounts/two_factor_setup.html")


@require_http_methods(["GET", "POST"])
@login_required
def two_factor_verify(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "accounts/two_factor_verify.html")
