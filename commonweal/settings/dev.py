"""Local development and the demo: debug on, a throwaway secret, tasks run at once."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import env

DEBUG = True
SECRET_KEY = env(
    "DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz"
)
WHITENOISE_USE_FINDERS = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
