"""Accounts pages: sign in and out, your account, profile, consent, API tokens and two-factor sign-in."""

from __future__ import annotations

import base64
from uuid import UUID

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonweal.accounts import selectors, services
from commonweal.accounts.decorators import forbidden, sensitive_view
from commonweal.accounts.forms import ApiTokenCreateForm, ProfileForm, SignInForm, TwoFactorCodeForm
from commonweal.accounts.models import ApiToken, ConsentRecord, User
from commonweal.accounts.permissions import can_revoke_api_token, can_withdraw_consent
from commonweal.core.audit import access_record
from commonweal.core.htmx import HtmxHttpRequest
from commonweal.geo.postcodes import postcode_display


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _next_url(request: HttpRequest) -> str:
    """Where to go after a step, if the page was asked for with a safe ?next=."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("accounts:dashboard")


def _with_next(url_name: str, request: HttpRequest) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': _next_url(request)})}"


def _add_form_errors(form: Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


# --- Signing in and out -------------------------------------------------------------------------------


class SignInView(LoginView):
    """Email address and password; django-axes locks a person out after too many failures."""

    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


@require_POST
def sign_out(request: HtmxHttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, "You have signed out.")
    return redirect("core:home")


# --- Your account -------------------------------------------------------------------------------------


@require_GET
@login_required
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    user = _user(request)
    memberships = selectors.membership_list(user=user)
    return render(
        request,
        "accounts/dashboard.html",
        {
            "account": user,
            "memberships": memberships,
            "two_factor_set_up": selectors.two_factor_is_set_up(user=user),
            "needs_two_factor": user.needs_two_factor,
            "token_count": selectors.api_token_list(user=user)
            .filter(revoked_at__isnull=True)
            .count(),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def profile(request: HtmxHttpRequest) -> HttpResponse:
    user = _user(request)
    current = selectors.profile_get(user=user)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.profile_update(
                    actor=user,
                    user=user,
                    full_name=data["full_name"],
                    preferred_name=data["preferred_name"],
                    phone=data["phone"],
                    postcode=data["postcode"] or "",
                    languages=data["languages"],
                    access_needs=data["access_needs"],
                )
            except ValidationError as error:
                _add_form_errors(form, error)
            else:
                messages.success(request, "Your profile has been saved.")
                return redirect("accounts:profile")
    else:
        form = ProfileForm(
            initial={
                "full_name": user.full_name,
                "preferred_name": user.preferred_name,
                "phone": current.phone if current else "",
                "postcode": postcode_display(current.postcode)
                if current and current.postcode
                else "",
                "languages": current.languages if current else "",
                "access_needs": current.access_needs if current else "",
            }
        )
    shown = postcode_display(current.postcode) if current and current.postcode else ""
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "profile": current, "postcode_shown": shown},
    )


# --- Consent ------------------------------------------------------------------------------------------


@require_GET
@sensitive_view
def consents(request: HtmxHttpRequest) -> HttpResponse:
    user = _user(request)
    records = list(selectors.consent_list(user=user))
    for record in records:
        access_record(actor=user, target=record, purpose="Own consent records", path=request.path)
    return render(request, "accounts/consents.html", {"consents": records})


@require_POST
@sensitive_view
def consent_withdraw(request: HtmxHttpRequest, public_id: UUID) -> HttpResponse:
    user = _user(request)
    consent = ConsentRecord.objects.filter(public_id=public_id, user=user).first()
    if consent is None:
        raise Http404("No such consent record")
    decision = can_withdraw_consent(user, consent)
    if not decision:
        return forbidden(request, decision)
    services.consent_withdraw(actor=user, consent=consent)
    messages.success(request, f"You have withdrawn your consent: {consent.get_purpose_display()}.")
    return redirect("accounts:consents")


# --- API tokens ---------------------------------------------------------------------------------------


def _tokens_page(
    request: HttpRequest, form: ApiTokenCreateForm, new_token: str = "", status: int = 200
) -> HttpResponse:
    user = _user(request)
    response = render(
        request,
        "accounts/tokens.html",
        {"tokens": selectors.api_token_list(user=user), "form": form, "new_token": new_token},
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@login_required
def tokens(request: HtmxHttpRequest) -> HttpResponse:
    return _tokens_page(request, ApiTokenCreateForm())


@require_POST
@login_required
@never_cache
def token_create(request: HtmxHttpRequest) -> HttpResponse:
    user = _user(request)
    form = ApiTokenCreateForm(request.POST)
    if not form.is_valid():
        return _tokens_page(request, form, status=400)
    issued = services.api_token_create(
        actor=user,
        user=user,
        name=form.cleaned_data["name"],
        expires_in_days=form.cleaned_data["days"],
    )
    # The token is shown in this response only: it is not stored anywhere it could be read again.
    return _tokens_page(request, ApiTokenCreateForm(), new_token=issued.token)


@require_POST
@login_required
def token_revoke(request: HtmxHttpRequest, public_id: UUID) -> HttpResponse:
    user = _user(request)
    api_token = ApiToken.objects.filter(public_id=public_id).first()
    if api_token is None:
        raise Http404("No such token")
    decision = can_revoke_api_token(user, api_token)
    if not decision:
        return forbidden(request, decision)
    services.api_token_revoke(actor=user, api_token=api_token)
    messages.success(request, f"The token “{api_token.name}” has been revoked. It no longer works.")
    return redirect("accounts:tokens")


# --- Two-factor sign-in -------------------------------------------------------------------------------


def _qr_data_uri(text: str) -> str:
    return str(
        segno.make(text, error="m").svg_data_uri(scale=5, border=2, dark="#0b0c0c", light="#ffffff")
    )


def _secret_words(hex_key: str) -> str:
    """The secret as people type it into an app: base32 in groups of four."""
    secret = base64.b32encode(bytes.fromhex(hex_key)).decode("ascii").rstrip("=")
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def two_factor_setup(request: HtmxHttpRequest) -> HttpResponse:
    user = _user(request)
    if selectors.two_factor_is_set_up(user=user):
        if not user.is_verified():  # type: ignore[attr-defined]
            # A second device may only be added after signing in with the first.
            return redirect(_with_next("accounts:two_factor_verify", request))
        messages.info(request, "Two-factor sign-in is already set up for your account.")
        return redirect(_next_url(request))
    device = services.totp_device_create(actor=user, user=user)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_device_confirm(actor=user, device=device, code=form.cleaned_data["code"])
        except ValidationError as error:
            _add_form_errors(form, error)
        else:
            django_otp.login(request, device)
            messages.success(
                request,
                "Two-factor sign-in is set up. You will be asked for a code when you sign in.",
            )
            return redirect(_next_url(request))
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_data_uri": _qr_data_uri(device.config_url),
            "secret": _secret_words(device.key),
            "needs_two_factor": user.needs_two_factor,
            "next": request.GET.get("next", request.POST.get("next", "")),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def two_factor_verify(request: HtmxHttpRequest) -> HttpResponse:
    user = _user(request)
    if not selectors.two_factor_is_set_up(user=user):
        return redirect(_with_next("accounts:two_factor_setup", request))
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(_next_url(request))
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.totp_device_verify(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            _add_form_errors(form, error)
        else:
            django_otp.login(request, device)
            return redirect(_next_url(request))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": request.GET.get("next", request.POST.get("next", ""))},
        status=400 if form.errors else 200,
    )
