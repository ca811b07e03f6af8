"""Django settings for CTMS.

Every value comes from the environment with a safe default for the embedded set-up: SQLite,
Celery tasks run in-process (no broker), DEBUG off unless asked. Production sets DATABASE_URL,
CELERY_BROKER_URL, SECRET_KEY, ALLOWED_HOSTS (see README.md). Settings fail closed: no
SECRET_KEY without DEBUG, or a yes/no variable that is neither, stops start-up.
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


def env_bool(name: str, default: bool = False) -> bool:
    """A yes/no variable; unset or empty is `default`, and a value that is neither yes nor no
    stops start-up instead of silently meaning no."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in TRUE_WORDS | FALSE_WORDS:
        return value in TRUE_WORDS
    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r} is neither yes nor no: use 1/0, true/false, yes/no or on/off."
    )


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# A process that serves nobody says so with CTMS_OFFLINE=1: the test suite (tests/environment.py),
# manage.py's build tools (makemigrations, makemessages, compilemessages, collectstatic) and the
# benchmarks. It runs with DEBUG off, yet it is not production either.
OFFLINE = env_bool("CTMS_OFFLINE", False)
# Settings fail closed: without DEBUG a missing SECRET_KEY stops start-up. The public
# development key below serves only `DEBUG=1` (`make run`) and offline processes.
DEVELOPMENT_KEY = "ctms-insecure-embedded-key-change-me-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip()
if not SECRET_KEY:
    if not (DEBUG or OFFLINE):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set and DEBUG is off: CTMS will not start on the public "
            "development key. Set SECRET_KEY to a long random value (e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`), or DEBUG=1 to "
            "develop on this machine only."
        )
    SECRET_KEY = DEVELOPMENT_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "accounts.admin_apps.CTMSAdminConfig",  # django.contrib.admin with the CTMS admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ctms",
    "agencies",
    "victims",
    "cases",
    "referrals",
    "handovers",
    "reports",
    "accounts",
    "exports",
    "transfer",
    "demo",
    "dashboard",
    "notifications",
    "casework",
    "interop",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ctms.security_headers.ContentSecurityPolicyMiddleware",
    "ctms.security_headers.NoStoreMiddleware",
    "ctms.request_context.RequestContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.sessions.SessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "ctms.urls"
WSGI_APPLICATION = "ctms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several writers (web + in-process tasks) share one file: wait instead of failing. WAL lets
    # readers go on while one writes; IMMEDIATE takes the write lock at BEGIN, where the wait
    # applies (a lock asked for later, mid-transaction, fails at once instead of waiting).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20, transaction_mode="IMMEDIATE", init_command="PRAGMA journal_mode=WAL;"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "agencies.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = ["accounts.backends.LockoutModelBackend"]
# Lockout: this many failed sign-ins of one username from one address within the window.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_WINDOW = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
OTP_TOTP_ISSUER = "CTMS"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("km", "ខ្មែរ")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Phnom_Penh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Uploaded files (victim photos, report files) are never served from a public URL: views that
# check access stream them. MEDIA_ROOT is therefore outside the static tree.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Static files are served by WhiteNoise in every set-up, with no manual step:
# - after `collectstatic` (the Docker image runs it at build), from STATIC_ROOT with hashed
#   names, compressed, and cached by browsers for a year (immutable);
# - without it, straight from static/ (WHITENOISE_USE_FINDERS), cached for a minute.
STATIC_MANIFEST = STATIC_ROOT / "staticfiles.json"
# `collectstatic` itself must write the hashed names and their manifest.
STATIC_COLLECTING = sys.argv[1:2] == ["collectstatic"]
STATIC_COLLECTED = not DEBUG and (STATIC_MANIFEST.exists() or STATIC_COLLECTING)
WHITENOISE_USE_FINDERS = not STATIC_COLLECTED
WHITENOISE_MAX_AGE = 365 * 24 * 3600 if STATIC_COLLECTED else 60
# A file added after the last collectstatic is served under its plain name, not a 500.
WHITENOISE_MANIFEST_STRICT = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_COLLECTED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Signed-in sessions end after 30 idle minutes or 12 hours, whichever comes first
# (accounts.sessions.SessionTimeoutMiddleware); the cookie does not outlive the browser.
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(30 * 60)))
SESSION_ABSOLUTE_LIFETIME = int(os.environ.get("SESSION_ABSOLUTE_LIFETIME", str(12 * 3600)))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIFETIME
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# HTTPS hardening. On by default in production (DEBUG off, SECRET_KEY given by the environment);
# the embedded set-up (DEBUG=1) and offline processes stay on plain http at 127.0.0.1. HTTPS=0 turns
# it off explicitly (e.g. a local docker compose without TLS).
PRODUCTION = not DEBUG and not OFFLINE  # and so SECRET_KEY is set
HTTPS = env_bool("HTTPS", PRODUCTION)
# Number of trusted reverse proxies in front of the app (each appends to X-Forwarded-For and
# sets X-Forwarded-Proto); 0 trusts neither header.
NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))
if NUM_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the container health check speaks plain http
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (ctms.security_headers): every asset is vendored, nothing inline but
# data: images (the QR code of the TOTP enrolment).
CONTENT_SECURITY_POLICY = os.environ.get(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'",
)

# An operation form with 300 rescued people and 300 suspects posts about 3,600 fields; the
# default of 1,000 would answer such a raid with a bare 400 and lose what the officer typed.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: a view that takes a file opts in with `parser_classes = UPLOAD_PARSERS`
    # (ctms.rest). Form bodies would turn an omitted boolean into false.
    "DEFAULT_PARSER_CLASSES": ["ctms.parsers.StrictJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": [
        "ctms.api_filters.StrictFilterBackend",
        "ctms.api_filters.StrictOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "ctms.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "ctms.api_policies.Pagination",
    "DEFAULT_THROTTLE_CLASSES": ["ctms.api_policies.TokenRateThrottle"],
    "EXCEPTION_HANDLER": "ctms.rest.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # The same trusted-proxy count as the audit's client address (ctms.request_context).
    "NUM_PROXIES": NUM_PROXIES,
}
# Requests per token (or per signed-in user): see ctms.api_policies.TokenRateThrottle.
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "1200/minute")
# Password exchanges for tokens (POST /api/v1/auth/token/) per client address.
API_TOKEN_REQUEST_RATE = os.environ.get("API_TOKEN_REQUEST_RATE", "20/minute")
# Webhook deliveries: attempts after the first, and the first back-off delay (doubled each time).
WEBHOOK_MAX_RETRIES = int(os.environ.get("WEBHOOK_MAX_RETRIES", "6"))
WEBHOOK_RETRY_BACKOFF_SECONDS = int(os.environ.get("WEBHOOK_RETRY_BACKOFF_SECONDS", "30"))
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
# Partners' URLs are outside input: in production a webhook is never posted to a loopback,
# private or link-local address (the server's own network), unless this says otherwise.
WEBHOOK_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", not PRODUCTION)
SPECTACULAR_SETTINGS = {
    "TITLE": "CTMS API",
    "DESCRIPTION": "Counter-Trafficking Case Management System, REST API v1",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every response field is required (always present) unless its serializer lists it in
    # `omitted_for_some_readers` (e.g. notes that police do not see): see ctms.schema.
    "COMPONENT_NO_READ_ONLY_REQUIRED": False,
    "ENUM_NAME_OVERRIDES": {
        "SexEnum": "ctms.choices.Sex",
        "ServiceEnum": "ctms.choices.ServiceCode",
        "ReferralStatusEnum": "referrals.choices.ReferralStatus",
        "HandoverStatusEnum": "handovers.choices.HandoverStatus",
        "CaseStatusEnum": "cases.choices.CaseStatus",
        "ReportRunStatusEnum": "reports.models.ReportRun.Status",
    },
    # One enum component per set of values, query parameters included (ctms.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ctms.schema.postprocess_reuse_enums",
    ],
}

# Celery: with no broker configured, tasks run in-process (eagerly) so the embedded set-up
# needs no Redis. Production sets CELERY_BROKER_URL (and usually CELERY_RESULT_BACKEND).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# Without a broker, webhook deliveries (and their retries, with back-off) run on a background
# thread of the web process, never inside the user's request (a partner's dead server must not
# slow anyone); pending ones are lost if the process stops (their log shows no attempt).
WEBHOOK_DELIVERY_THREAD = env_bool("WEBHOOK_DELIVERY_THREAD", not CELERY_BROKER_URL)
# Likewise a statistics report asked for without a broker runs on a background thread: the
# page answers at once and shows its progress (reports.tasks.start_report).
REPORT_THREAD = env_bool("REPORT_THREAD", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", "1800"))
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# The throttles count requests in this cache: a per-process cache would let each worker allow
# the full rate (and forget it on restart). Production refuses to start without Redis.
if PRODUCTION and not os.environ.get("REDIS_URL"):
    raise ImproperlyConfigured(
        "REDIS_URL is required in production (DEBUG off, CTMS_OFFLINE unset): the API throttles "
        "count requests in the shared cache, and a per-process cache would multiply the rate "
        "by the number of workers."
    )
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Anonymised CTDC exports: rows whose quasi-identifiers are shared by fewer than k victims are
# suppressed. An export of more rows than the direct limit is prepared by a background task:
# a request must finish within the web server's timeout (gunicorn --timeout 60).
CTDC_K_ANONYMITY = int(os.environ.get("CTDC_K_ANONYMITY", "11"))
CTDC_DIRECT_MAX_ROWS = int(os.environ.get("CTDC_DIRECT_MAX_ROWS", "100000"))

# Email of notifications: printed to the console unless an SMTP host is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "CTMS <ctms@localhost>")
# The address of the site, for the links in emails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

API_TOKEN_LIFETIME = timedelta(days=int(os.environ.get("API_TOKEN_LIFETIME_DAYS", "90")))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Possible-duplicate queries (GET /api/v1/victims/matches/, intake) per user: enough for intake,
# too few to probe a record one may not see field by field (docs/duplicates.md).
VICTIM_MATCHES_RATE = os.environ.get("VICTIM_MATCHES_RATE", "120/hour")
