"""Settings, read from the environment.

Defaults give a working single-school install on SQLite under ``var/``. Production
(``QINGFU_ENV=production``) refuses to start with DEBUG on or without a real secret.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.checks.security.base import _check_secret_key  # type: ignore[attr-defined]  # private in the stubs; the same rule as the deploy check
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("QINGFU_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# "development" or "production", in any case: a typo must not silently run production as
# development (DEBUG on, insecure cookies), so anything else refuses to start.
ENVIRONMENTS = ("development", "production")
ENVIRONMENT = os.environ.get("QINGFU_ENV", "development").strip().lower() or "development"
if ENVIRONMENT not in ENVIRONMENTS:
    raise ImproperlyConfigured(
        f"QINGFU_ENV={os.environ.get('QINGFU_ENV')!r} is not known: use 'development' or "
        "'production' (any case)."
    )
IS_PRODUCTION = ENVIRONMENT == "production"


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """The key from the environment, else one generated once and kept in var/.

    Production must pass SECRET_KEY explicitly: a key generated on one host would differ
    between app servers and silently log everyone out.
    """
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if IS_PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production (QINGFU_ENV=production).")
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("DEBUG", not IS_PRODUCTION)
if IS_PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production (QINGFU_ENV=production).")
    # Django's own deploy check (security.W009): at least 50 characters, at least 5 different
    # ones, not Django's generated "django-insecure-" key; and not our placeholder.
    if not _check_secret_key(SECRET_KEY) or SECRET_KEY.startswith("change-me"):
        raise ImproperlyConfigured(
            "SECRET_KEY is a default, too short or too uniform for production: it needs at "
            "least 50 characters with real variety. Make one with: python3 -c "
            "'import secrets; print(secrets.token_urlsafe(50))'"
        )

# Django's debug pages (the URL list on a 404, the traceback and settings on a 500) only on
# explicit request: `make run` serves with DEBUG on, and anyone on the network would see them.
QINGFU_DEBUG_PAGES = _env_bool("QINGFU_DEBUG_PAGES", False)
# A refused form gets the product's page (what happened, nothing saved, the way back).
CSRF_FAILURE_VIEW = "qingfu.web.errors.csrf_failure"
DEFAULT_EXCEPTION_REPORTER = "qingfu.web.errors.ProductExceptionReporter"

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
if not IS_PRODUCTION:
    ALLOWED_HOSTS += ["127.0.0.1", "localhost", "testserver", "[::1]"]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django.contrib.humanize",
    "csp",
    "axes",  # sign-in throttling (qingfu.core.signin)
    "ninja",  # serves its own Swagger UI files instead of a CDN
    "qingfu.core",
    "qingfu.schools",
    "qingfu.homework",
    "qingfu.afterschool",
    "qingfu.assessment",
    "qingfu.wellbeing",
    "qingfu.training",
    "qingfu.burden",
    "qingfu.oversight",
    "qingfu.surveys",
    "qingfu.inspections",
    "qingfu.reports",
    "qingfu.web",
]

MIDDLEWARE = [
    # Outermost: a request the database could not serve (restarting, refusing connections)
    # is answered 503 with Retry-After (qingfu.web.errors).
    "qingfu.web.errors.DatabaseDownMiddleware",
    "qingfu.core.reads.ReadsMiddleware",
    "qingfu.core.audit.AuditMiddleware",  # the channel of personal-data reads; one write
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy on every answer
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "qingfu.core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "qingfu.web.errors.ErrorPagesMiddleware",  # the product's 404 with DEBUG on
    "axes.middleware.AxesMiddleware",  # last: turns a locked sign-in into its 429 page
]

ROOT_URLCONF = "qingfu.config.urls"
WSGI_APPLICATION = "qingfu.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "qingfu.web.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'qingfu.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        # A kept connection is checked before a request reuses it: after a database restart
        # the first request reconnects instead of failing on the dead connection.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the single writer; IMMEDIATE makes write transactions
    # take the lock up front, so two writers queue instead of failing half-way.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file too: an in-memory shared-cache database reports lock conflicts at
    # once instead of waiting, which is not how the real file behaves under concurrency.
    # QINGFU_TEST_DB names another file so that two test runs on one machine do not collide.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("QINGFU_TEST_DB", str(VAR_DIR / "test.sqlite3"))
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    _db = DATABASES["default"]
    CACHES = {
        "default": {
            "BACKEND": "qingfu.core.cache.ReusingRedisCache",
            "LOCATION": REDIS_URL,
            # Entries (users, roles, classes) are keyed by ids: two databases sharing one
            # Redis must never read each other's.
            "KEY_PREFIX": hashlib.sha256(
                f"{_db['ENGINE']}|{_db.get('HOST')}|{_db.get('PORT')}|{_db['NAME']}".encode()
            ).hexdigest()[:12],
        }
    }
    # Sessions are read from Redis with the version numbers the request reads next, and kept
    # in the database too, so a flushed cache signs nobody out (``qingfu.core.sessions``).
    SESSION_ENGINE = "qingfu.core.sessions"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The throttle first (it refuses a locked account and address before the password is
# checked), then the session's user read from the versioned cache (``qingfu.core.auth``).
AUTHENTICATION_BACKENDS = [
    "qingfu.core.signin.SignInThrottle",
    "qingfu.core.auth.CachedModelBackend",
]
# Sign-in throttling (django-axes, docs/security.md): QINGFU_SIGNIN_FAILURES wrong passwords
# for one account from one address lock that pair for QINGFU_SIGNIN_LOCK_MINUTES; a right
# password clears the count. `qingfu unlock USERNAME` lifts a lock early.
AXES_FAILURE_LIMIT = int(os.environ.get("QINGFU_SIGNIN_FAILURES", "10"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=float(os.environ.get("QINGFU_SIGNIN_LOCK_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the wait the page names holds
AXES_LOCKOUT_CALLABLE = "qingfu.web.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "qingfu.core.signin.client_address"
AXES_VERBOSE = False
# The header a reverse proxy puts the client's address in (it must overwrite what the
# client sent); empty: the peer's address (REMOTE_ADDR).
QINGFU_CLIENT_IP_HEADER = os.environ.get("QINGFU_CLIENT_IP_HEADER", "")
# Sessions end 12 hours after signing in (a working day; a forgotten session on a staff-room
# computer does not last into the next day), not when the browser closes: a phone's
# WeChat browser "closes" whenever it is switched away from.
SESSION_COOKIE_AGE = int(float(os.environ.get("QINGFU_SESSION_HOURS", "12")) * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = False
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "qingfu" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Uploaded files kept by the product (none yet: uploads are read and dropped); `qingfu backup`
# archives what is here beside the database.
MEDIA_ROOT = Path(os.environ.get("QINGFU_MEDIA_DIR", VAR_DIR / "media"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = IS_PRODUCTION
CSRF_COOKIE_SECURE = IS_PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"  # links to other sites carry no path (ids in URLs)
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Production is served over HTTPS only (README, "生产环境"): plain HTTP is redirected, and
# browsers are told to use HTTPS for a year (HSTS, subdomains included; preload only
# matters once the domain is submitted to browsers' list). /healthz stays answerable over
# plain HTTP for a load balancer's probe.
SECURE_SSL_REDIRECT = _env_bool("QINGFU_SSL_REDIRECT", IS_PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(
    os.environ.get("QINGFU_HSTS_SECONDS", str(365 * 24 * 3600) if IS_PRODUCTION else "0")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("QINGFU_HSTS_SUBDOMAINS", IS_PRODUCTION)
SECURE_HSTS_PRELOAD = _env_bool("QINGFU_HSTS_PRELOAD", IS_PRODUCTION)


def _proxy_ssl_header() -> tuple[str, str] | None:
    """``QINGFU_PROXY_SSL_HEADER=X-Forwarded-Proto`` (or ``X-Forwarded-Proto=https``): the
    header the TLS-terminating proxy in front sets, so that Django knows a request came in
    over HTTPS (and does not redirect it forever). Only with a proxy that sets it on every
    request and drops the client's own: otherwise anyone could claim HTTPS."""
    raw = os.environ.get("QINGFU_PROXY_SSL_HEADER", "").strip()
    if not raw:
        return None
    name, _sep, value = raw.partition("=")
    return "HTTP_" + name.strip().upper().replace("-", "_"), value.strip() or "https"


SECURE_PROXY_SSL_HEADER = _proxy_ssl_header()
# The interactive API documentation (/api/v1/docs and openapi.json): open in development,
# for signed-in users only in production, unless QINGFU_API_DOCS_PUBLIC says otherwise.
QINGFU_API_DOCS_PUBLIC = _env_bool("QINGFU_API_DOCS_PUBLIC", not IS_PRODUCTION)
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp, docs/security.md): scripts only from our own static
# files, never inline, so an injected <script> or onclick= does not run even if escaping
# fails somewhere. Every script is a file under static/ (charts.js reads the chart options
# from a JSON <script type="application/json">, which is data and not run); a test fails
# when a template gains an inline script or an inline event handler. Styles still allow
# inline attributes (a few style="…" in templates, and ECharts and htmx set styles).
# Images: our own, and data: for the report preview's charts and Swagger UI's icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Uploads: rosters are small; anything bigger is refused before it is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
QINGFU_ROSTER_MAX_BYTES = 10 * 1024 * 1024
QINGFU_ROSTER_MAX_ROWS = 20_000

# Each module that records activity adds a builder of its demo activity here:
# f(rng, school, today, weeks=N) fills the last N weeks of the semester up to today.
QINGFU_DEMO_ACTIVITIES = [
    "qingfu.homework.demo.build_activity",
    "qingfu.homework.demo.build_time_logs",
    "qingfu.homework.demo.build_weekly_plans",
    "qingfu.afterschool.demo.build_program",
    "qingfu.afterschool.demo.build_roster",
    "qingfu.assessment.demo.build_exams",
    "qingfu.assessment.demo.build_element_marks",
    "qingfu.wellbeing.demo.build_school_day",
    "qingfu.oversight.demo.build_rollups",
    "qingfu.homework.demo.build_expected_alerts",
    "qingfu.inspections.demo.build_inspections",
    "qingfu.surveys.demo.build_surveys",
]
# Builders of what a district holds beyond its schools, run once per demo district:
# f(rng, district, today) makes its units and records and returns the demo accounts it made
# as (role, username, name).
QINGFU_DEMO_DISTRICT_ACTIVITIES = [
    "qingfu.burden.demo.build_county",
    "qingfu.training.demo.build_training",
    "qingfu.inspections.demo.build_institution_inspections",
]
# Background work (docs/background.md). Celery's broker comes from CELERY_BROKER_URL only
# (a Redis or RabbitMQ URL), not from REDIS_URL: the cache is cleared (FLUSHDB) by tests and
# operators, which must not drop queued messages, so production gives the broker its own
# Redis database (redis://host:6379/1) or server. Empty: no broker, nothing is sent.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("QINGFU_CELERY_QUEUE", "qingfu")
CELERY_TASK_IGNORE_RESULT = True  # the work writes its results to the database
CELERY_TIMEZONE = TIME_ZONE
# A message is acknowledged after its task ran, and given back when the worker dies, so a
# killed worker loses no work; one message at a time per process, so none wait behind a
# slow one. Redis gives unacknowledged messages back after the visibility timeout; the
# sweeper re-sends older marks first.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}
# What beat (`qingfu celery beat`) sends: the sweep of lost rollup messages every minute and
# the evening check of tomorrow's homework (the same as `qingfu expected_alerts`).
CELERY_BEAT_SCHEDULE = {
    "rollups-sweep": {"task": "qingfu.oversight.sweep_marks", "schedule": 60.0},
    "jobs-sweep": {"task": "qingfu.afterschool.sweep_jobs", "schedule": 60.0},
    "expected-alerts": {
        "task": "qingfu.homework.expected_alerts",
        "schedule": crontab(hour=20, minute=30),  # 20:30 in TIME_ZONE, the evening before
    },
    # Anonymise personal data past QINGFU_RETENTION_DAYS (docs/privacy.md), at night.
    "retention": {"task": "qingfu.core.retention", "schedule": crontab(hour=2, minute=15)},
}
# How long time logs, survey answers and the audit log's names stay attached to a person
# (days): two school years, long enough for a year-on-year comparison (docs/privacy.md).
QINGFU_RETENTION_DAYS = int(os.environ.get("QINGFU_RETENTION_DAYS", "730"))

# Class-day rollups: "inline" refreshes them when a write commits (one process, SQLite, the
# demo); "queued" only marks them (the outbox) and workers refresh them in the background:
# Celery workers when CELERY_BROKER_URL is set, else `qingfu rollups_worker` polling the
# marks. The default is "queued" with a broker and "inline" without.
QINGFU_ROLLUPS = os.environ.get("QINGFU_ROLLUPS", "queued" if CELERY_BROKER_URL else "inline")
if QINGFU_ROLLUPS not in ("inline", "queued"):
    raise ImproperlyConfigured("QINGFU_ROLLUPS must be 'inline' or 'queued'.")
# A class-day whose refresh fails is retried after 10 s, 20 s, 40 s … (at most an hour) and
# skipped after this many failures, until it changes again or is retried by hand.
QINGFU_ROLLUPS_MAX_ATTEMPTS = int(os.environ.get("QINGFU_ROLLUPS_MAX_ATTEMPTS", "5"))
QINGFU_ROLLUPS_RETRY_SECONDS = float(os.environ.get("QINGFU_ROLLUPS_RETRY_SECONDS", "10"))
QINGFU_ROLLUPS_RETRY_MAX_SECONDS = 3600.0
# A mark older than this with no refresh is taken for lost and sent again by the sweeper.
QINGFU_ROLLUPS_SWEEP_AFTER_SECONDS = float(
    os.environ.get("QINGFU_ROLLUPS_SWEEP_AFTER_SECONDS", "120")
)
# Long work for a school admin (the duty roster, an allocation run) runs as a background job
# (qingfu.afterschool.jobs): a queued job not picked up this long after its message was sent
# is sent again; a running one this long is taken for dead and run again, up to the attempts.
QINGFU_JOBS_SWEEP_AFTER_SECONDS = float(os.environ.get("QINGFU_JOBS_SWEEP_AFTER_SECONDS", "120"))
QINGFU_JOBS_RUNNING_TIMEOUT_SECONDS = float(
    os.environ.get("QINGFU_JOBS_RUNNING_TIMEOUT_SECONDS", "600")
)
QINGFU_JOBS_MAX_ATTEMPTS = int(os.environ.get("QINGFU_JOBS_MAX_ATTEMPTS", "3"))
# Pins "today" (YYYY-MM-DD) for demos and browser tests; empty in real use.
QINGFU_TODAY = os.environ.get("QINGFU_TODAY", "")
# Pins the time of day (HH:MM) as well, for browser tests of time-bound pages; empty in use.
QINGFU_CLOCK = os.environ.get("QINGFU_CLOCK", "")
QINGFU_DEMO_PASSWORD = os.environ.get("QINGFU_DEMO_PASSWORD", "qingfu2026")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
