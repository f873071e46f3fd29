"""Tests: fast hashing, mail kept in memory, tasks run at once, no throttling surprises."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key-0123456789-abcdefghijklmnopqrstuvwxyz-0123456789"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
ALLOWED_HOSTS = ["*"]
COMMONWEAL_API_RATE = env("COMMONWEAL_API_RATE", "100000/m")
# No map tiles from the internet in tests: maps show their points on a plain background.
COMMONWEAL_MAP_TILE_URL = ""
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
