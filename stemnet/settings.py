"""STEMnet settings: one module, read from the environment.

Nothing here exists only in production: every setting has a default that works on one
laptop with SQLite, and production overrides it through environment variables.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("STEMNET_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "rules.apps.AutodiscoverRulesConfig",
    "template_partials",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "ninja",
    "stemnet.core",
    "stemnet.accounts",
    "stemnet.places",
    "stemnet.organisations",
    "stemnet.agenda",
    "stemnet.events",
    "stemnet.lending",
    "stemnet.uit",
    "stemnet.stempact",
    "stemnet.reach",
    "stemnet.matching",
    "stemnet.scoring",
    "stemnet.participation",
    "stemnet.funding",
    "stemnet.newsletters",
    "stemnet.portal",
]

MIDDLEWARE = [
    "stemnet.core.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "stemnet.core.middleware.RejectNulBytesMiddleware",
    "stemnet.core.middleware.IntegerOutOfRangeMiddleware",
    "stemnet.core.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "stemnet.core.requestlog.RequestLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "stemnet.core.middleware.HtmxMessagesMiddleware",
    "stemnet.accounts.middleware.RequireMFAMiddleware",
    # Last: the site's 404/500 pages also with DEBUG=1 (stemnet/core/error_pages.py).
    "stemnet.core.error_pages.SiteErrorPagesMiddleware",
]
# With DEBUG=1 visitors of the demo see the site's own 404/500 pages; a developer who wants
# Django's technical pages (URL list, traceback) sets DEBUG_TECHNICAL_PAGES=1.
DEBUG_TECHNICAL_PAGES = env_bool("DEBUG_TECHNICAL_PAGES", False)

ROOT_URLCONF = "stemnet.urls"
WSGI_APPLICATION = "stemnet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # accounts' templates come before allauth's (an app listed earlier) so they override it.
        "DIRS": [
            BASE_DIR / "stemnet" / "templates",
            BASE_DIR / "stemnet" / "accounts" / "templates",
        ],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "stemnet.core.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'stemnet.sqlite3'}", conn_max_age=60
    )
}
# A persistent connection is checked before a request reuses it, so a PostgreSQL restart costs
# no request a dead connection (while it is away, core's middleware answers 503).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Seconds a client is asked to wait (Retry-After) while the database is unavailable.
UNAVAILABLE_RETRY_AFTER_SECONDS = int(env("UNAVAILABLE_RETRY_AFTER_SECONDS", "15"))
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # The search entries' covering index includes columns for PostgreSQL's index-only scans;
    # SQLite indexes only the key columns, as the warning says (every migrate printed it).
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # The planner's cost of a random page read; PostgreSQL's default (4) assumes spinning
    # disks and made it scan the search text table instead of using its GIN index (52 ms
    # instead of 16 ms at 100,000 activities). 1.1 is the usual value for SSD or RAM.
    _page_cost = float(env("PG_RANDOM_PAGE_COST", "1.1"))
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c random_page_cost={_page_cost}"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "portal:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# Failed logins are counted per client address and per account (key: the e-mail address
# typed), so a guesser is stopped without locking out the people behind the same address for
# long. The client address comes from stemnet.core.clientip (TRUSTED_PROXIES).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/5m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_ADAPTER = "stemnet.accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[STEMnet] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "STEMnet"
MFA_ADAPTER = "stemnet.accounts.adapter.MFAAdapter"

# --- i18n -------------------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
MODELTRANSLATION_DEFAULT_LANGUAGE = "nl"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("nl",)
LOCALE_PATHS = [BASE_DIR / "stemnet" / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "stemnet" / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
# Private files (funding attachments) live outside MEDIA_ROOT and have no public URL: they are
# served only by a view that checks permissions (stemnet.core.private_files).
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
# When the proxy serves internal locations (nginx: `location /private/ { internal;
# alias <PRIVATE_MEDIA_ROOT>/; }`), set this to that location: the view then answers with
# X-Accel-Redirect instead of streaming the file itself.
PRIVATE_MEDIA_X_ACCEL_PREFIX = env("PRIVATE_MEDIA_X_ACCEL_PREFIX")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "stemnet.core.private_files.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- E-mail -----------------------------------------------------------------------------
# Every mail goes to the durable outbox (a table, written in the sender's transaction); the
# task worker sends it through OUTBOX_DELIVERY_BACKEND with retries (stemnet/core/outbox.py).
EMAIL_BACKEND = env("EMAIL_BACKEND", "stemnet.core.mail.OutboxBackend")
OUTBOX_DELIVERY_BACKEND = env(
    "OUTBOX_DELIVERY_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
# Attempts before a mail is parked as failed; waits grow 1, 2, 4 … minutes up to 6 hours
# (10 attempts span about 8.5 hours).
OUTBOX_MAX_ATTEMPTS = int(env("OUTBOX_MAX_ATTEMPTS", "10"))
OUTBOX_RETRY_BASE_SECONDS = int(env("OUTBOX_RETRY_BASE_SECONDS", "60"))
OUTBOX_RETRY_MAX_SECONDS = int(env("OUTBOX_RETRY_MAX_SECONDS", str(6 * 3600)))
# A message "being sent" for longer than this (a worker died) is queued again by send_outbox.
OUTBOX_SENDING_TIMEOUT_SECONDS = int(env("OUTBOX_SENDING_TIMEOUT_SECONDS", "600"))
OUTBOX_KEEP_DAYS = int(env("OUTBOX_KEEP_DAYS", "30"))
# Seconds an SMTP connection may hang before the attempt counts as failed.
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "20"))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "STEMnet <noreply@stemnet.localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
CONTACT_EMAIL = env("CONTACT_EMAIL", "stem@stemnet.localhost")

# --- Background tasks -------------------------------------------------------------------
# On a laptop the database is the queue (``manage.py db_worker``). In production set
# TASKS_BACKEND=rq and REDIS_URL: tasks then go to RQ on Redis (``manage.py rqworker
# --with-scheduler``; the scheduler runs deferred retries). Any other value is a backend's path.
TASKS_BACKEND = env("TASKS_BACKEND", "database")
RQ_QUEUES = {
    "default": {"URL": env("REDIS_URL", "redis://127.0.0.1:6379/0"), "DEFAULT_TIMEOUT": 900}
}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    TASKS = {"default": {"BACKEND": TASKS_BACKEND}}

# --- Cache (rate limits use it; several web processes need a shared one) ----------------
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "stemnet_cache",
    }
}
if env("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("REDIS_URL"),
    }

# --- Security ---------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "stemnet.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts, styles and everything else only from this
# site; no inline scripts, event handlers or style attributes in our templates (data blocks
# such as JSON-LD and json_script are not scripts and stay). The agenda map's tiles come from
# OpenStreetMap. The API's interactive docs page (django-ninja's Swagger UI from a CDN, with
# an inline script) is left out; the JSON API answers carry no HTML.
CSP_MAP_TILES = env("CSP_MAP_TILES", "https://tile.openstreetmap.org")
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/v1/docs"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", CSP_MAP_TILES],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("BEHIND_TLS_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Proxies whose X-Forwarded-For header names the client (addresses or networks, e.g.
# "127.0.0.1,10.0.0.0/8"). Rate limits count the client's address from that header only when
# the request comes from one of them; otherwise they count REMOTE_ADDR (stemnet.core.clientip).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

# The API's pages: limit and offset bounded (see core/pagination.py).
NINJA_PAGINATION_CLASS = "stemnet.core.pagination.BoundedLimitOffsetPagination"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_forbidden": {"()": "stemnet.core.logfilters.OneLineForbidden"}},
    "formatters": {"json": {"()": "stemnet.core.requestlog.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["one_line_forbidden"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}
# LOG_JSON=1 (production): every log line, and one per request, as JSON (core/requestlog.py).
LOG_JSON = env_bool("LOG_JSON", False)
if LOG_JSON:
    LOGGING["handlers"]["console"]["formatter"] = "json"

# --- STEMnet ------------------------------------------------------------------------------
# Contact form: at most this many messages per client IP per hour.
CONTACT_RATE_LIMIT_PER_HOUR = int(env("CONTACT_RATE_LIMIT_PER_HOUR", "5"))
# The company contact point (matching): our defaults, not VLAIO rules. First answer within
# this many working days (Monday-Friday), follow-up this many days after the introduction.
MATCHING_SLA_WORKING_DAYS = int(env("MATCHING_SLA_WORKING_DAYS", "5"))
MATCHING_FOLLOW_UP_DAYS = int(env("MATCHING_FOLLOW_UP_DAYS", "21"))
# The engine's weights for suggesting academies (see stemnet/matching/engine.py, Weights).
MATCHING_CONTACT_POINT_WEIGHTS = {"distance": 1.0, "themes": 1.5, "ages": 1.0, "expertise": 0.0}
# ... and at most this many per sender's e-mail address per hour, from whatever address.
CONTACT_RATE_LIMIT_PER_EMAIL_PER_HOUR = int(env("CONTACT_RATE_LIMIT_PER_EMAIL_PER_HOUR", "10"))

# Newsletters (our defaults, not legal rules: set them to the operator's policy).
# A sign-up confirmation link works this many days.
NEWSLETTER_CONFIRM_DAYS = int(env("NEWSLETTER_CONFIRM_DAYS", "7"))
# A second sign-up for a waiting address sends a new confirmation at most once this often.
NEWSLETTER_CONFIRM_RESEND_HOURS = int(env("NEWSLETTER_CONFIRM_RESEND_HOURS", "24"))
# Sign-ups per client address per hour.
NEWSLETTER_SIGNUP_RATE_LIMIT_PER_HOUR = int(env("NEWSLETTER_SIGNUP_RATE_LIMIT_PER_HOUR", "10"))
# Sending is throttled: at most this many mails go to the outbox per minute.
NEWSLETTER_MAILS_PER_MINUTE = int(env("NEWSLETTER_MAILS_PER_MINUTE", "120"))
# The parents' digest: activities with a session in the next this many days, at most this many.
NEWSLETTER_DIGEST_DAYS = int(env("NEWSLETTER_DIGEST_DAYS", "30"))
NEWSLETTER_DIGEST_SIZE = int(env("NEWSLETTER_DIGEST_SIZE", "6"))
# The version of the sign-up form's consent text, stored with every consent.
NEWSLETTER_CONSENT_FORM_VERSION = env("NEWSLETTER_CONSENT_FORM_VERSION", "2026-1")

# Reach figures. A year's figures count as complete once the year has ended and this many
# days have passed (organisers enter their numbers after the activities). Our default, not a
# VLAIO rule: set it to VLAIO's reporting deadline when there is one.
REACH_RECORDING_DAYS = int(env("REACH_RECORDING_DAYS", "90"))
# Public figures: counts below this are shown as "< N" (small-cell suppression).
REACH_SMALL_CELL = int(env("REACH_SMALL_CELL", "5"))

# The agenda accepts sessions from AGENDA_SESSIONS_FROM (a date, Belgian time) up to
# AGENDA_SESSIONS_YEARS_AHEAD years after today; forms, imports (file and UiTdatabank) and
# the API refuse anything outside, so a typo (1900, 2150) never reaches the agenda or the
# figures. The database holds every session within the years 2000-2100 (a constraint): the
# window may narrow that, never widen it. See stemnet/agenda/session_window.py.
AGENDA_SESSIONS_FROM = env("AGENDA_SESSIONS_FROM", "2000-01-01")
AGENDA_SESSIONS_YEARS_AHEAD = int(env("AGENDA_SESSIONS_YEARS_AHEAD", "10"))
# Bytes the search bitmaps each worker keeps may take (agenda/search/cache.py): those of the
# filter values and those of the words. Past the bound the least recently used go first and
# are read again when a search needs them; one search keeps what it reads whatever the bound.
AGENDA_SEARCH_CACHE_BYTES = int(env("AGENDA_SEARCH_CACHE_BYTES", str(64 * 1024 * 1024)))
AGENDA_SEARCH_WORD_CACHE_BYTES = int(env("AGENDA_SEARCH_WORD_CACHE_BYTES", str(32 * 1024 * 1024)))

# UiTdatabank (publiq) exchange. Empty = not configured: nothing is sent or fetched.
# Test hosts: https://account-test.uitid.be/oauth/token, https://io-test.uitdatabank.be,
# https://search-test.uitdatabank.be, https://www-test.uitinvlaanderen.be (links).
UIT_TOKEN_URL = env("UIT_TOKEN_URL")
UIT_CLIENT_ID = env("UIT_CLIENT_ID")
UIT_CLIENT_SECRET = env("UIT_CLIENT_SECRET")
UIT_ENTRY_URL = env("UIT_ENTRY_URL").rstrip("/")
UIT_SEARCH_URL = env("UIT_SEARCH_URL").rstrip("/")
UIT_PUBLIC_URL = env("UIT_PUBLIC_URL", "https://www.uitinvlaanderen.be").rstrip("/")
# Extra Lucene queries (separated by ";") whose results are imported besides the label.
UIT_SEARCH_QUERIES = [q.strip() for q in env("UIT_SEARCH_QUERIES").split(";") if q.strip()]
UIT_SEARCH_REGIONS = env_list("UIT_SEARCH_REGIONS")
# A sync that fails (UiTdatabank unreachable, 5xx, 429, refused credentials) is tried again
# automatically after 5, 10, 20 … minutes (at most 6 hours), then parked as failed and the
# organiser's coordinators get a mail. publiq publishes no rule for this: configurable.
UIT_SYNC_MAX_ATTEMPTS = int(env("UIT_SYNC_MAX_ATTEMPTS", "6"))
UIT_SYNC_RETRY_BASE_SECONDS = int(env("UIT_SYNC_RETRY_BASE_SECONDS", "300"))
UIT_SYNC_RETRY_MAX_SECONDS = int(env("UIT_SYNC_RETRY_MAX_SECONDS", str(6 * 3600)))

# Events (issue 17): a place freed from a full event is offered to the first person waiting
# for EVENTS_OFFER_HOURS hours before it moves on; confirmed attendees get a reminder
# EVENTS_REMINDER_HOURS before the start. Both are our defaults, not rules of VLAIO.
EVENTS_OFFER_HOURS = int(env("EVENTS_OFFER_HOURS", "48"))
EVENTS_REMINDER_HOURS = int(env("EVENTS_REMINDER_HOURS", "48"))
