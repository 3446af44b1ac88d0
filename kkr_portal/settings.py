"""The one settings module of KKR Portal, driven by environment variables.

Development defaults are safe and need nothing set (SQLite, eager Celery tasks,
console mail). With DEBUG off, secrets have no default and startup fails loudly.
"""

import importlib
import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    spelled = value.strip().lower()
    if spelled in {"1", "true", "yes", "on"}:
        return True
    if spelled in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a yes/no value (use 1/0, true/false, yes/no, on/off)"
    )


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


def env_required(name: str, dev_default: str) -> str:
    value = env(name)
    if value:
        return value
    if DEBUG:
        return dev_default
    raise ImproperlyConfigured(f"{name} must be set when DEBUG is off")


def runserver_url(argv: list[str]) -> str | None:
    """The address ``manage.py runserver [[addr:]port]`` serves, as a URL, or None for any other
    command. Development mails and calendar feeds link there when SITE_URL is not set, so that a
    link followed from the development outbox reaches this server (issue 16)."""
    if len(argv) < 2 or argv[1] != "runserver":
        return None
    given = next((arg for arg in argv[2:] if not arg.startswith("-")), "")
    host, _sep, port = given.rpartition(":") if ":" in given else ("", "", given)
    # Every interface (a comparison, nothing binds here): this machine reaches it on 127.0.0.1.
    if host in {"", "0", "0.0.0.0", "[::]"}:  # noqa: S104
        host = "127.0.0.1"
    return f"http://{host}:{port or '8000'}"


DEBUG = env_bool("DEBUG", True)
# Under pytest: fast hasher, locmem mail, eager tasks (real-worker tests switch eager off).
TESTING = env_bool("KKR_TESTING", "pytest" in sys.modules)
SECRET_KEY = env_required("SECRET_KEY", "dev-only-insecure-key-change-me-" + "x" * 32)
# Keyed hash for CPR numbers typed for duplicate detection (docs/rules.md §4.1); never SECRET_KEY.
CPR_HASH_KEY = env_required("CPR_HASH_KEY", "dev-only-cpr-hash-key")
# Signs respondents' personal survey links; a separate key so rotating it only voids links.
SURVEY_LINK_KEY = env_required("SURVEY_LINK_KEY", "dev-only-survey-link-key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Base of links in mails and feeds. In development it follows the address runserver serves.
SITE_URL = (env("SITE_URL") or (DEBUG and runserver_url(sys.argv)) or "http://127.0.0.1:8000").rstrip("/")
# Development only: a page that lists the mail outbox as rendered, links included (make run).
DEV_OUTBOX = DEBUG and env_bool("DEV_OUTBOX", True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",  # full-text search types (archive); harmless on SQLite
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular_sidecar",
    "drf_spectacular",
    "core",
    "register",
    "accounts",
    "appointments",
    "meetings",
    "archive",
    "agreements",
    "evaluations",
    "economy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Deny by default: every view needs a login unless marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.StaffSecondFactorMiddleware",
    # Staff idle timeout; Cache-Control: no-store on every response to a logged-in user.
    "accounts.middleware.SessionGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kkr_portal.urls"
WSGI_APPLICATION = "kkr_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(env("DB_CONN_MAX_AGE", "0") or 0),
    )
}
# SQLite (make run's embedded default) as a web server's database: WAL so readers never wait for the
# writer, a busy timeout so a writer waits its turn instead of failing, and IMMEDIATE transactions
# so a transaction takes the write lock when it begins, not when it first writes (a deferred
# transaction that read first fails at once with "database is locked": the lock cannot be upgraded).
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Staff roles (secretariat, region billing) must pass a TOTP second factor.
REQUIRE_STAFF_2FA = env_bool("REQUIRE_STAFF_2FA", True)
OTP_TOTP_ISSUER = "KKR Portal"

# Throttle failed logins per (username, IP) so a shared municipal IP is not locked out.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5") or 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Behind the TLS proxy every request comes from the proxy's address: the client's address is taken
# from X-Forwarded-For through exactly this many trusted proxies (accounts/network.py); 0 = none.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0") or 0)
AXES_CLIENT_IP_CALLABLE = "accounts.network.client_ip"
# One throttle key per email, whatever the case it is typed in.
AXES_USERNAME_CALLABLE = "accounts.network.login_name"
# Staff logins (secretariat, region officer, admin) end after this many idle seconds.
STAFF_IDLE_TIMEOUT = int(env("STAFF_IDLE_TIMEOUT", "1800") or 1800)

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Dansk")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
# Danish users type dates as 24.12.2026, 24-12-2026 or 2026-12-24.
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d-%m-%Y", "%Y-%m-%d"]
FORMAT_MODULE_PATH = ["kkr_portal.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/tom-select", BASE_DIR / "node_modules" / "tom-select" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed names (cached forever by browsers); no pre-compression: gzip/brotli of the API
        # docs' bundles took minutes of the image build, and the TLS proxy compresses anyway.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    },
}
# Uploaded material lives outside the web root and is served only through access-checked views.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")) or "")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Mail
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25") or 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "KKR Portal <noreply@kkr-portal.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Redis and Celery: without REDIS_URL, tasks run eagerly in the web process.
REDIS_URL = env("REDIS_URL")
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BEAT_SCHEDULER = "kkr_portal.beat:Scheduler"
CELERY_BEAT_MAX_LOOP_INTERVAL = 60
# Beat touches this file on every pass; `manage.py healthcheck beat` calls it dead when older.
BEAT_HEARTBEAT_FILE = env("BEAT_HEARTBEAT_FILE", "/tmp/kkr-beat-heartbeat")  # noqa: S108
BEAT_HEARTBEAT_MAX_AGE = 3 * CELERY_BEAT_MAX_LOOP_INTERVAL
CELERY_TASK_ROUTES = {"*.render_*": {"queue": "pdf"}}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = None
    CELERY_TASK_ALWAYS_EAGER = False
    # visibility_timeout: a task a dead worker held goes back to the queue after 15 minutes; it must
    # exceed the longest task (time limit 5 minutes) and we use no ETAs. max_retries: while Redis is
    # down, a save waits for one connection attempt, not several (the row is the record anyway).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 900,
        "socket_connect_timeout": 2,
        "max_retries": 1,
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The periodic tasks every installation runs; django-celery-beat stores them in the database.
# Each app lists its own periodic tasks in `<app>/schedule.py` (plain dicts, no model imports).
CELERY_BEAT_SCHEDULE = {
    "send-due-notices": {"task": "accounts.tasks.send_due_notices", "schedule": 60.0},
    # Sent notices holding a personal link lose the link after LINK_NOTICE_KEEP (accounts/services.py).
    "prune-link-notices": {"task": "accounts.tasks.prune_link_notices", "schedule": 3600.0},
}
# Tasks a starting worker sends: each app's ON_WORKER_START (name, kwargs), to finish what a dead
# worker left (kkr_portal/celery.py).
WORKER_START_TASKS: list[tuple[str, dict]] = []
for _app in ("meetings", "archive", "appointments", "agreements", "evaluations", "economy"):
    _schedule = importlib.import_module(f"{_app}.schedule")
    CELERY_BEAT_SCHEDULE.update(_schedule.BEAT)
    WORKER_START_TASKS += getattr(_schedule, "ON_WORKER_START", [])

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "KKR Portal API",
    "DESCRIPTION": "Submit IV courses from care systems (token authentication).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Security headers. Production values apply whenever DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000") or 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every layout step at INFO; fontTools every subset.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Contact details of the secretariat, shown in the footer and the accessibility statement.
SECRETARIAT_CONTACT = {
    "name": env("SECRETARIAT_NAME", "KKR Hovedstaden, sekretariatet"),
    "email": env("SECRETARIAT_EMAIL", "kkrhovedstaden@kl.dk"),
    "phone": env("SECRETARIAT_PHONE", "+45 3370 3370"),
    "address": env("SECRETARIAT_ADDRESS", "Weidekampsgade 10, 2300 København S"),
}

if TESTING:
    # Tests read English texts; tests of the Danish UI set LANGUAGE_CODE="da" or the language cookie.
    LANGUAGE_CODE = "en"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Each app contributes navigation entries and start-page panels for the roles it serves.
NAV_PROVIDERS = [
    "appointments.nav.items",
    "meetings.nav.items",
    "archive.nav.items",
    "agreements.nav.items",
    "evaluations.nav.items",
    "economy.nav.items",
]
DASHBOARD_PANELS = [
    "appointments.dashboard.panels",
    "meetings.dashboard.panels",
    "agreements.dashboard.panels",
    "evaluations.dashboard.panels",
]
# seed_demo runs these in order; each is idempotent and returns lines to print.
DEMO_SEEDERS = [
    "appointments.demo.seed",
    "accounts.demo.seed",
    "meetings.demo.seed",
    "agreements.demo.seed",
    "evaluations.demo.seed",
    "economy.demo.seed",
]
