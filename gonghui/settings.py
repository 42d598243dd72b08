"""Settings, read from the environment.

Defaults make `make run` work on a fresh machine: SQLite under var/, keys
generated into var/ on first use. Production is selected by
GONGHUI_ENV=production and then requires SECRET_KEY and ALLOWED_HOSTS.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

from gonghui import keys

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GONGHUI_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

PRODUCTION = os.environ.get("GONGHUI_ENV") == "production"

SECRET_KEY = os.environ.get("SECRET_KEY") or keys.secret_in(VAR_DIR / "secret_key", PRODUCTION)
DEBUG = os.environ.get("DEBUG", "").lower() in {"1", "true", "yes"}
if PRODUCTION and not os.environ.get("ALLOWED_HOSTS", "").strip():
    # A default would let the site answer to any name pointed at it.
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in the environment")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]

# Field encryption keys are separate from SECRET_KEY and rotatable: the first
# key encrypts, all keys decrypt (MultiFernet).
FIELD_ENCRYPTION_KEYS = keys.fernet_keys(
    os.environ.get("FIELD_ENCRYPTION_KEYS"), VAR_DIR / "field_keys", PRODUCTION
)
FIELD_HMAC_KEY = os.environ.get("FIELD_HMAC_KEY") or keys.secret_in(
    VAR_DIR / "hmac_key", PRODUCTION
)

INSTALLED_APPS = [
    "unfold",
    "unfold.contrib.filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "axes",
    "auditlog",
    "gonghui.orgs",
    "gonghui.members",
    "gonghui.finance",
    "gonghui.activities",
    "gonghui.care",
    "gonghui.democracy",
    "gonghui.disclosure",
    "gonghui.voice",
    "gonghui.safety",
    "gonghui.women",
    "gonghui.learning",
    "gonghui.honors",
    "gonghui.rights",
    "gonghui.reports",
    "gonghui.upper",
    "gonghui.rollup",
    "gonghui.collection",
    "gonghui.attachments",
    "gonghui.privacy",
    "gonghui.portal",
    "gonghui.api",
    "gonghui.mfa",
    "gonghui.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gonghui.security.SessionIdleMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "gonghui.mfa.middleware.SecondFactorMiddleware",
    "gonghui.security.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "gonghui.mfa.throttling.SignInAddressLimitMiddleware",
    "gonghui.tenancy.TenancyMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "gonghui.api.middleware.ApiErrorsMiddleware",
]

ROOT_URLCONF = "gonghui.urls"
WSGI_APPLICATION = "gonghui.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gonghui" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'gonghui.sqlite3'}",
        # Keep each worker thread's connection between requests: opening one per
        # request (a forked backend on PostgreSQL, the PRAGMAs on SQLite) cost more
        # than the request itself. Health checks drop a connection the server closed.
        conn_max_age=int(os.environ.get("GONGHUI_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at
    # BEGIN so two writers queue on the busy timeout instead of failing late.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Only the hand-written statements of gonghui.sqlrows ask to be prepared (the
    # ORM's client-side cursors never are); Django's default of None refuses even
    # those, and a threshold never reached keeps psycopg from preparing any other.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 2**31 - 1

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.User"

# PhoneBackend signs in by username or mobile number with exactly one Argon2 hash
# and has the last word on a password; ModelBackend after it only keeps the
# sessions it signed in valid (gonghui/members/auth.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "gonghui.members.auth.PhoneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
# Lock the account, not the address: a factory's members share one NAT
# address, and locking it would lock the whole workforce out (docs/decisions.md).
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "portal/locked_out.html"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "gonghui" / "static"]
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise serves from finders until collectstatic runs
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

LOGIN_URL = "/admin/login/"
# The back-office sign-in page carries no "next" when opened directly; land on
# the back office, not on Django's /accounts/profile/ (which does not exist).
LOGIN_REDIRECT_URL = "/admin/"

# Uploads: the importer reads from disk, and we refuse anything larger.
MEMBER_IMPORT_MAX_BYTES = int(os.environ.get("MEMBER_IMPORT_MAX_BYTES", 20 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# A session ends after SESSION_IDLE_SECONDS without a request (its expiry is
# pushed forward at most once a minute by gonghui.security.SessionIdleMiddleware,
# instead of a session write on every request) and after SESSION_MAX_SECONDS
# in any case. Both are checked on the server, not only by the cookie's expiry.
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", 30 * 60))
SESSION_MAX_SECONDS = int(os.environ.get("SESSION_MAX_SECONDS", 12 * 3600))
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content Security Policy (django-csp 4). Scripts only from our own origin or
# with the per-request nonce; 'unsafe-eval' because unfold's Alpine.js is the
# standard build, which compiles x-data expressions with the Function
# constructor, and 'unsafe-inline' styles because unfold's and our templates
# set style attributes (docs/decisions.md). Applied in every environment so
# the browser tests see the production policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-eval'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Multi-factor sign-in (gonghui/mfa, docs/security.md). Accounts holding one of
# these roles in any union, and superusers, must confirm a code from an
# authenticator app before they reach the back office; everyone else may
# turn it on. The roles are those that handle money or can reveal sensitive
# fields (chair, committee and audit read the accounts; the women's committee
# reveals four-period records) and upper-union staff, who read a whole subtree.
GONGHUI_MFA_ROLES = ["chair", "committee", "audit", "women", "upper_staff"]
GONGHUI_MFA_REQUIRED_FOR_SUPERUSERS = True
# Wrong codes in a row before the second step is locked, and for how long.
GONGHUI_MFA_FAILURE_LIMIT = 5
GONGHUI_MFA_LOCKOUT_MINUTES = 60
# Failed password sign-ins from one address per hour before that address is
# refused for the rest of the hour (password spraying across accounts; the
# per-account lockout is django-axes'). High, because a factory's members
# share one NAT address.
GONGHUI_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_FAILURES_PER_ADDRESS", 100))
OTP_TOTP_ISSUER = "工会工作系统"
# django-otp's own exponential back-off answers "wrong code" to a right code
# typed too soon; gonghui.mfa counts failures and locks instead.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if PRODUCTION:
    # Dashboard and report figures, shared by the workers of one machine. Each is
    # served only while the tables it read are unchanged (gonghui/reports/figure_cache.py);
    # without this alias every worker keeps its own.
    CACHES["figures"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "figure-cache"),
        "TIMEOUT": 2 * 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

from gonghui.unfold_config import UNFOLD  # noqa: E402,F401
