"""Waypoint's one settings module, driven by environment variables.

It fails closed: DEBUG is off unless asked for, there is no default secret key
outside debug, and HTTPS protections are on unless explicitly turned off for a
local, loopback-only run.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP  # type: ignore[import-untyped,unused-ignore]
from django.utils.translation import gettext_lazy as _

from waypoint.lib.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("WAYPOINT_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", default=False)

_secret = env_secret("SECRET_KEY")
if not _secret:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off; "
            "`make setup` writes one to var/secret_key for a local run."
        )
    _secret = secrets.token_urlsafe(50)
SECRET_KEY = _secret

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "waypoint.lib",
    "waypoint.accounts",
    "waypoint.directory",
    "waypoint.api",
    "waypoint.cases",
    "waypoint.referrals",
    "waypoint.activities",
    "waypoint.reports",
    "waypoint.demo",
    "waypoint.ops",
    # After Waypoint's apps, so that waypoint/accounts/templates overrides
    # allauth's templates.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
]

MIDDLEWARE = [
    # First: the load balancer's /healthz and /readyz answer before the host
    # check, the HTTPS redirect, sessions and languages (docs/operating.md).
    "waypoint.ops.middleware.HealthProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "waypoint.lib.middleware.PrivacyHeadersMiddleware",
    # Before anything reads the address: one too long answers 414.
    "waypoint.lib.middleware.AddressLengthMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "waypoint.accounts.middleware.SecondFactorRequiredMiddleware",
    "waypoint.accounts.middleware.LanguageRememberedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Inside the privacy headers, the CSP and the language: the error pages it
    # renders get all three.
    "waypoint.lib.middleware.ErrorPagesMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# A form sent without its valid CSRF token gets the site's 403 page.
CSRF_FAILURE_VIEW = "waypoint.lib.views.csrf_failure"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "waypoint" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "waypoint.lib.context_processors.platform",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# --- Database ---------------------------------------------------------------
# SQLite is the embedded default; PostgreSQL comes in through DATABASE_URL.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'waypoint.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections persist on SQLite too: a new one starts with an empty page
    # cache and runs the pragmas below, which cost a 50-service HSDS page at
    # 100,000 services several milliseconds.
    DATABASES["default"]["OPTIONS"] = {
        # Writers queue behind one another instead of failing with
        # "database is locked"; immediate transactions take the write lock at
        # BEGIN so that read-then-write sequences cannot deadlock.
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA cache_size=-65536;"
            "PRAGMA mmap_size=268435456;"
            "PRAGMA temp_store=MEMORY;"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Accounts ---------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses locked-out username+address pairs before
    # any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "directory:manage_home"
LOGOUT_REDIRECT_URL = "directory:search"
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-allauth: sign-in by username or email, no self sign-up (staff are
# invited), no answer that tells whether an account exists, TOTP and
# recovery codes (waypoint.accounts.adapters encrypts their secrets).
ACCOUNT_ADAPTER = "waypoint.accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "waypoint.accounts.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = env_int("WAYPOINT_REAUTH_MINUTES", 5) * 60
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Waypoint: "
# django-axes handles failed passwords per username and address; allauth's own
# limit stays as a net against one address spraying many usernames.
ACCOUNT_RATE_LIMITS = {"login_failed": "30/m/ip"}
MFA_ADAPTER = "waypoint.accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Waypoint"
# Accept the code of the previous and the next 30-second period as well
# (RFC 6238, 5.2): a phone clock a few seconds off, or a code typed as it
# changes, still signs in. A used code cannot be used again (allauth).
MFA_TOTP_TOLERANCE = 1
MFA_REAUTHENTICATION_REQUIRED = True

# django-axes: lock a username+address pair after repeated failures, for a
# cool-off time (its default would lock forever), with one page that says the
# same whether or not the account exists.
AXES_ENABLED = env_bool("WAYPOINT_LOCKOUT", default=True)
AXES_FAILURE_LIMIT = env_int("WAYPOINT_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("WAYPOINT_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_USERNAME_CALLABLE = "waypoint.accounts.lockout.username_from_request"
AXES_CLIENT_IP_CALLABLE = "waypoint.lib.ratelimit.client_address"
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password"]
# Behind the reverse proxy the client's address is the last X-Forwarded-For
# entry (the one the proxy appended), not the proxy's own.
AXES_TRUST_FORWARDED_FOR = env_bool("BEHIND_PROXY")
# Invitations to join an organisation stay valid this long, and work once.
INVITATION_VALID_DAYS = env_int("WAYPOINT_INVITATION_DAYS", 7)

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ro", _("Romanian")),
    ("bg", _("Bulgarian")),
    ("de", _("German")),
    ("sv", _("Swedish")),
    ("es", _("Spanish")),
    ("el", _("Greek")),
    ("it", _("Italian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Tests and development serve assets straight from the apps.
WHITENOISE_USE_FINDERS = DEBUG or env_bool("WAYPOINT_PLAIN_STATIC", default=False)
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("WAYPOINT_PLAIN_STATIC", default=False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security -----------------------------------------------------------------
HTTPS = env_bool("WAYPOINT_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
# "same-origin": nothing goes to other sites, and the browser still sends
# the Origin header that Django's CSRF check needs ("no-referrer" makes
# Chromium send "Origin: null" with every form, which CSRF refuses).
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Nothing is ever loaded from another host: a person searching for help
# must leave no trace outside the platform.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# --- Logging ------------------------------------------------------------------
# Request bodies are never logged; errors go to stderr without POST data.
DEFAULT_EXCEPTION_REPORTER_FILTER = "waypoint.lib.errors.NoPostDataReporterFilter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # Oversized requests answer 400 and are logged as warnings, without a
    # traceback (waypoint.lib.errors.OversizedRequestFilter).
    "filters": {"oversized": {"()": "waypoint.lib.errors.OversizedRequestFilter"}},
    "loggers": {
        f"django.security.{name}": {"filters": ["oversized"]}
        for name in ("RequestDataTooBig", "TooManyFieldsSent", "TooManyFilesSent")
    },
}

# SMTP unless in debug; `make run` sends mail to the console instead. Each
# backend gets only the options it knows (Django's mailers refuse the others):
# the SMTP server's for SMTP, a folder (EMAIL_FILE_PATH) for the file backend.
_EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_EMAIL_OPTIONS: dict[str, object] = {}
if _EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
    _EMAIL_OPTIONS = {
        key.lower(): value
        for key, value in {
            "HOST": env_str("EMAIL_HOST", "localhost"),
            "PORT": env_int("EMAIL_PORT", 0) or None,
            "USERNAME": env_str("EMAIL_HOST_USER"),
            "PASSWORD": env_secret("EMAIL_HOST_PASSWORD"),
            "USE_TLS": env_bool("EMAIL_USE_TLS", default=False) or None,
        }.items()
        if value
    }
elif _EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend":
    _EMAIL_OPTIONS = {"file_path": env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))}
MAILERS = {"default": {"BACKEND": _EMAIL_BACKEND, "OPTIONS": _EMAIL_OPTIONS}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "waypoint@localhost")

# --- Background tasks ----------------------------------------------------------
# Django's tasks framework. Tasks are stored in the database and run by
# `manage.py db_worker` (django-tasks-db); `make run` starts one worker and the
# scheduler beside the web server. "immediate" runs each task inside the call
# that enqueues it (the test suite uses it). Task arguments are ids only, never
# personal data: the task table is not encrypted.
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
_task_backend = env_str("WAYPOINT_TASKS_BACKEND", "database")
if _task_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        "WAYPOINT_TASKS_BACKEND must be one of: " + ", ".join(sorted(_TASK_BACKENDS))
    )
TASKS = {
    "default": {
        "BACKEND": _TASK_BACKENDS[_task_backend],
        "QUEUES": ["default"],
    }
}
# Periodic tasks, enqueued by `manage.py tasks_scheduler` (dotted path of a task
# that takes no arguments: interval in seconds).
WAYPOINT_PERIODIC_TASKS: dict[str, int] = {
    "waypoint.cases.tasks.retention_apply_task": 24 * 3600,
    "waypoint.activities.tasks.registrations_anonymise_task": 24 * 3600,
    "waypoint.activities.tasks.feedback_requests_due_task": 6 * 3600,
    "waypoint.referrals.tasks.referrals_expire_task": 300,
    "waypoint.referrals.tasks.referrals_remind_task": 24 * 3600,
    "waypoint.ops.tasks.tasks_recover_task": 300,
}
# A task still RUNNING this many seconds after its worker took it is taken to
# have lost its worker (killed, out of memory, machine gone) and is queued
# again by `manage.py tasks_recover` (docs/operating.md#worker-recovery). Keep
# it above the longest task's run time: a task requeued while it still runs
# would run twice (its emails still go once: they carry an idempotency key).
WAYPOINT_TASKS_STALE_AFTER = env_int("WAYPOINT_TASKS_STALE_AFTER", 1800)
# A task whose worker was lost this many times is marked FAILED instead of
# being queued again: it may be the task that kills its worker.
WAYPOINT_TASKS_MAX_ATTEMPTS = env_int("WAYPOINT_TASKS_MAX_ATTEMPTS", 3)

# --- Encryption at rest -------------------------------------------------------
# Keys for the personal data of the people assisted (waypoint/lib/crypto.py):
# secrets of their own, never derived from SECRET_KEY. Field keys are Fernet
# keys, newest first (the newest encrypts, all decrypt; `manage.py rotate_keys`
# re-encrypts). Outside DEBUG a missing key stops the first use of encrypted
# data and fails `check --deploy`; with DEBUG, ephemeral keys are generated and
# everything encrypted under them is lost when the process stops.
WAYPOINT_FIELD_KEYS = [
    key.strip()
    for key in (env_secret("WAYPOINT_FIELD_KEYS") or "").split(",")
    if key.strip()
]
WAYPOINT_BLIND_INDEX_KEY = env_secret("WAYPOINT_BLIND_INDEX_KEY") or ""
WAYPOINT_EPHEMERAL_KEYS = False
if DEBUG and not WAYPOINT_FIELD_KEYS:
    WAYPOINT_FIELD_KEYS = [Fernet.generate_key().decode("ascii")]
    WAYPOINT_EPHEMERAL_KEYS = True
if DEBUG and not WAYPOINT_BLIND_INDEX_KEY:
    WAYPOINT_BLIND_INDEX_KEY = secrets.token_urlsafe(32)
    WAYPOINT_EPHEMERAL_KEYS = True
# Encrypted documents, under random names, outside every web root; they are
# served only through access-checked views.
WAYPOINT_PRIVATE_FILES_DIR = Path(
    env_str("WAYPOINT_PRIVATE_FILES_DIR", str(VAR_DIR / "private"))
)
# Public uploads (the files of publications) in the default storage. No
# MEDIA_URL: they are served by views (activities:publication_file), which
# name the download and set its type, not straight from the folder.
MEDIA_ROOT = Path(env_str("WAYPOINT_MEDIA_DIR", str(VAR_DIR / "media")))

# --- Waypoint -----------------------------------------------------------------
# Where the quick-exit control sends a person: a neutral, busy site.
QUICK_EXIT_URL = env_str("WAYPOINT_QUICK_EXIT_URL", "https://www.wikipedia.org/")
SEARCH_PAGE_SIZE = env_int("WAYPOINT_SEARCH_PAGE_SIZE", 20)
# The platform's public address, for links in emails (e.g. https://waypoint.example.org).
WAYPOINT_BASE_URL = env_str("WAYPOINT_BASE_URL", "").rstrip("/")
# Days after an event's last day before its registrations are anonymised
# (names, email addresses and institutions cleared; the counts stay).
# SQLite's page cache while an HSDS import writes (megabytes; the server's
# own is 64): a 100,000-service import ran 22 % faster with 1,024.
WAYPOINT_IMPORT_CACHE_MB = env_int("WAYPOINT_IMPORT_CACHE_MB", 1024)

WAYPOINT_REGISTRATION_RETENTION_DAYS = env_int(
    "WAYPOINT_REGISTRATION_RETENTION_DAYS", 365
)
# Public API: requests per client and window (0 turns the limit off).
WAYPOINT_API_RATE_LIMIT = env_int("WAYPOINT_API_RATE_LIMIT", 600)
WAYPOINT_API_RATE_PERIOD = env_int("WAYPOINT_API_RATE_PERIOD", 60)
# Partner API: requests per token and window (0 turns the limit off).
WAYPOINT_PARTNER_RATE_LIMIT = env_int("WAYPOINT_PARTNER_RATE_LIMIT", 300)
WAYPOINT_PARTNER_RATE_PERIOD = env_int("WAYPOINT_PARTNER_RATE_PERIOD", 60)
# Public event registration form: submissions per client address and window.
WAYPOINT_REGISTRATION_RATE_LIMIT = env_int("WAYPOINT_REGISTRATION_RATE_LIMIT", 10)
WAYPOINT_REGISTRATION_RATE_PERIOD = env_int("WAYPOINT_REGISTRATION_RATE_PERIOD", 3600)
# Referrals to organisations outside the platform: the emailed link's life,
# its one-time code's life and attempts, codes per link, and how long the
# access lasts once the code is right.
WAYPOINT_REFERRAL_LINK_DAYS = env_int("WAYPOINT_REFERRAL_LINK_DAYS", 7)
WAYPOINT_REFERRAL_CODE_MINUTES = env_int("WAYPOINT_REFERRAL_CODE_MINUTES", 10)
WAYPOINT_REFERRAL_CODE_ATTEMPTS = env_int("WAYPOINT_REFERRAL_CODE_ATTEMPTS", 5)
WAYPOINT_REFERRAL_CODES_PER_LINK = env_int("WAYPOINT_REFERRAL_CODES_PER_LINK", 3)
WAYPOINT_REFERRAL_EXTERNAL_ACCESS_MINUTES = env_int(
    "WAYPOINT_REFERRAL_EXTERNAL_ACCESS_MINUTES", 30
)


def _reflection_period_days() -> dict[str, int]:
    """Days of the recovery and reflection period by country code, from JSON
    such as ``{"RO": 90}``; other countries get the 30 days of the directive."""
    import json

    raw = env_str("WAYPOINT_REFLECTION_PERIOD_DAYS", "{}") or "{}"
    try:
        parsed = json.loads(raw)
        days = {str(k).upper(): int(v) for k, v in parsed.items()}
    except (ValueError, TypeError, AttributeError) as exc:
        raise ImproperlyConfigured(
            'WAYPOINT_REFLECTION_PERIOD_DAYS must be JSON like {"RO": 90}'
        ) from exc
    if any(len(code) != 2 or value < 1 for code, value in days.items()):
        raise ImproperlyConfigured(
            "WAYPOINT_REFLECTION_PERIOD_DAYS maps two-letter country codes to "
            "a number of days of at least 1"
        )
    return days


WAYPOINT_REFLECTION_PERIOD_DAYS = _reflection_period_days()

# --- Cache --------------------------------------------------------------------
# One process keeps its own cache; several workers share rate-limit windows
# and cached lists through Redis when REDIS_URL is set.
_redis_url = env_str("REDIS_URL")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url,
            "KEY_PREFIX": "waypoint",
        }
        if _redis_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
