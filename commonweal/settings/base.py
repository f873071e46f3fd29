"""Every setting with a safe default, read from the environment (documented in .env.example)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

# Lets typed generics such as ``admin.ModelAdmin[Area]`` work at run time.
django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# Where Commonweal keeps its SQLite database, uploaded files and logs. Created on first run.
DATA_DIR = Path(env("COMMONWEAL_DATA_DIR", str(Path.cwd() / "data"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "template_partials",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "commonweal.core",
    "commonweal.geo",
    "commonweal.accounts",
    "commonweal.outcomes",
    "commonweal.directory",
    "commonweal.timebank",
    "commonweal.stories",
    "commonweal.grants",
    "commonweal.demo",
]

MIDDLEWARE = [
    # First, so that every response of the Open Referral UK feed (errors too) allows any origin.
    "commonweal.directory.middleware.OrukCorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "commonweal.accounts.middleware.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "commonweal.urls"
WSGI_APPLICATION = "commonweal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "commonweal.core.context_processors.site",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

# Database: SQLite in DATA_DIR by default, or DATABASE_URL (postgres://user:pass@host:5432/name).
DATABASE_URL = env("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "commonweal.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

# Login throttling (django-axes): lock a username and address pair after this many failures.
AXES_FAILURE_LIMIT = int(env("COMMONWEAL_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("COMMONWEAL_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_LOCKOUT_CALLABLE = "commonweal.accounts.throttling.lockout_response"
AXES_USERNAME_CALLABLE = "commonweal.accounts.throttling.axes_username"
AXES_VERBOSE = False

# Staff roles must use two-factor authentication (TOTP). The demo turns this off so its logins work at once.
COMMONWEAL_REQUIRE_STAFF_2FA = env_bool("COMMONWEAL_REQUIRE_STAFF_2FA", True)
OTP_TOTP_ISSUER = env("COMMONWEAL_SITE_NAME", "Commonweal")

# Sessions are the only cookie Commonweal sets (and the CSRF token, which is strictly necessary).
SESSION_COOKIE_AGE = int(env("COMMONWEAL_SESSION_SECONDS", str(60 * 60 * 8)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_SECURE = env_bool("COMMONWEAL_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Directory listings not checked for this many days show "may be out of date" and their
# representatives get reminder emails.
COMMONWEAL_DIRECTORY_REVIEW_DAYS = int(env("COMMONWEAL_DIRECTORY_REVIEW_DAYS", "365"))
# The site's address, for links in emails sent by commands (reminders); pages use the request's.
COMMONWEAL_SITE_URL = env("COMMONWEAL_SITE_URL", "http://localhost:8000").rstrip("/")

# Theme analysis of stories: a local folder holding a sentence-transformers model makes themes cluster
# sentence embeddings (k-means) instead of TF-IDF + NMF. Nothing is ever downloaded; the package
# sentence-transformers must be installed by the deployer. Empty (the default): TF-IDF + NMF.
COMMONWEAL_STORIES_EMBEDDING_MODEL_DIR = env("COMMONWEAL_STORIES_EMBEDDING_MODEL_DIR", "")

# The ONS code of the borough (local authority district) the site serves, for example E06000034
# (Thurrock). Its wards are the columns of the initiatives x wards matrix and the rows of the ward
# counts. Empty: the districts of the wards the directory's places and initiatives are in.
COMMONWEAL_DISTRICT_CODE = env("COMMONWEAL_DISTRICT_CODE", "")

# Map background tiles (Leaflet). Empty shows maps without a background: points and the list still
# work. The default is OpenStreetMap's tile server; see its tile usage policy before heavy use.
COMMONWEAL_MAP_TILE_URL = env(
    "COMMONWEAL_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
COMMONWEAL_MAP_ATTRIBUTION = env(
    "COMMONWEAL_MAP_ATTRIBUTION", "Map data &copy; OpenStreetMap contributors (ODbL)"
)
_map_tile_origin = "/".join(COMMONWEAL_MAP_TILE_URL.split("/")[:3]).replace("{s}.", "*.")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([_map_tile_origin] if COMMONWEAL_MAP_TILE_URL else [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("COMMONWEAL_STATIC_ROOT", str(DATA_DIR / "static")))
STATICFILES_DIRS = [PACKAGE_DIR / "static"] if (PACKAGE_DIR / "static").is_dir() else []
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("COMMONWEAL_MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

EMAIL_BACKEND = env("COMMONWEAL_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("COMMONWEAL_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("COMMONWEAL_EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("COMMONWEAL_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env("COMMONWEAL_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("COMMONWEAL_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("COMMONWEAL_FROM_EMAIL", "Commonweal <noreply@example.org>")

# Background work through Django's tasks API (django-tasks). "immediate" runs tasks in the request.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env("COMMONWEAL_TASKS", "database") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The name the site shows, the organisation that runs it, and whether it serves example data.
COMMONWEAL_SITE_NAME = env("COMMONWEAL_SITE_NAME", "Commonweal")
COMMONWEAL_OPERATOR = env("COMMONWEAL_OPERATOR", "Your council and CVS")
COMMONWEAL_CONTACT_EMAIL = env("COMMONWEAL_CONTACT_EMAIL", "help@example.org")
COMMONWEAL_EXAMPLE_DATA = env_bool("COMMONWEAL_EXAMPLE_DATA", False)
# Nation-specific rules (postcodes, area kinds) live behind one hook module.
COMMONWEAL_COUNTRY = env("COMMONWEAL_COUNTRY", "gb")
# Optional remote postcode service (postcodes.io API shape), asked after the local table. Off by default.
COMMONWEAL_USE_POSTCODE_API = env_bool("COMMONWEAL_USE_POSTCODE_API", False)
COMMONWEAL_POSTCODE_API_URL = env("COMMONWEAL_POSTCODE_API_URL", "https://api.postcodes.io")
# Public API rate limit per address, for example "120/m".
COMMONWEAL_API_RATE = env("COMMONWEAL_API_RATE", "120/m")

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name} {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("COMMONWEAL_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
