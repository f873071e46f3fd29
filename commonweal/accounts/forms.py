"""Input checks for the accounts pages. Changes themselves happen in services."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from localflavor.gb.forms import GBPostcodeField

from commonweal.accounts.models import ApiToken, Profile, User

INVALID_LOGIN = "Enter a correct email address and password"


class SignInForm(AuthenticationForm):
    """Email address and password. The field keeps Django's name ``username`` (django-axes counts it)."""

    username = forms.CharField(
        label="Email address",
        max_length=254,
        error_messages={"required": "Enter your email address"},
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "spellcheck": "false", "autofocus": True}
        ),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": INVALID_LOGIN,
        "inactive": "This account has been closed. Contact the people who run this site to open it again.",
    }


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code your app shows now, for example 123456.",
        max_length=12,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code = "".join(str(self.cleaned_data["code"]).split())
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError("The code must be 6 digits, like 123456")
        return code


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(
        label="Name of the token",
        help_text="So you can tell your tokens apart, for example “Ward dashboard”.",
        max_length=ApiToken._meta.get_field("name").max_length,
        error_messages={
            "required": "Enter a name for the token",
            "max_length": "The name must be %(limit_value)d characters or fewer",
        },
    )
    days = forms.IntegerField(
        label="Days until it stops working (optional)",
        help_text="Leave empty for a token that works until you revoke it.",
        required=False,
        min_value=1,
        max_value=3650,
        error_messages={
            "invalid": "Enter the number of days as a whole number, like 90",
            "min_value": "The number of days must be 1 or more",
            "max_value": "The number of days must be 3650 or fewer",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )


_PHONE_ALLOWED = re.compile(r"^[0-9 +()\-]+$")


def _limit(model: Any, field: str) -> int:
    return int(model._meta.get_field(field).max_length)


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=_limit(User, "full_name"),
        required=False,
        error_messages={"max_length": "Full name must be %(limit_value)d characters or fewer"},
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    preferred_name = forms.CharField(
        label="Preferred name (optional)",
        help_text="What you would like us to call you.",
        max_length=_limit(User, "preferred_name"),
        required=False,
        error_messages={"max_length": "Preferred name must be %(limit_value)d characters or fewer"},
        widget=forms.TextInput(attrs={"autocomplete": "nickname", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label="Phone number (optional)",
        help_text="For example 01375 652 652 or 07700 900 982.",
        max_length=_limit(Profile, "phone"),
        required=False,
        error_messages={"max_length": "Phone number must be %(limit_value)d characters or fewer"},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    postcode = GBPostcodeField(
        label="Postcode (optional)",
        help_text="We use it to show what is near you and to count what happens in each ward.",
        required=False,
        error_messages={"invalid": "Enter a full UK postcode, like RM17 6SL"},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "spellcheck": "false"}),
    )
    languages = forms.CharField(
        label="Languages you speak (optional)",
        help_text="Separate them with commas, for example English, Polish.",
        max_length=_limit(Profile, "languages"),
        required=False,
        error_messages={"max_length": "Languages must be %(limit_value)d characters or fewer"},
    )
    access_needs = forms.CharField(
        label="Access needs (optional)",
        help_text="Anything that helps us communicate with you or meet you, for example large print or step-free access.",
        max_length=2000,
        required=False,
        error_messages={"max_length": "Access needs must be %(limit_value)d characters or fewer"},
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_phone(self) -> str:
        phone = str(self.cleaned_data["phone"]).strip()
        if not phone:
            return ""
        digits = re.sub(r"\D", "", phone)
        if not _PHONE_ALLOWED.match(phone) or not 10 <= len(digits) <= 15:
            raise forms.ValidationError("Enter a phone number, like 01375 652 652 or 07700 900 982")
        return phone
