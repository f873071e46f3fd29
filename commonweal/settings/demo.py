"""The demo borough: production-like pages (no debug), example-data banner, staff two-factor off."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import env, env_bool

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env(
    "DJANGO_SECRET_KEY", "demo-only-insecure-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz"
)
COMMONWEAL_EXAMPLE_DATA = True
COMMONWEAL_OPERATOR = env("COMMONWEAL_OPERATOR", "the demo borough's council and CVS")
COMMONWEAL_REQUIRE_STAFF_2FA = env_bool("COMMONWEAL_REQUIRE_STAFF_2FA", False)
COMMONWEAL_DISTRICT_CODE = env("COMMONWEAL_DISTRICT_CODE", "E06000034")  # Thurrock
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
