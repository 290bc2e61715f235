"""Settings for The Deal: one file, read from the environment (see dotenv-sample).

Every council runs the same code; what differs (its name, codes, contact details, database,
secrets) is configuration. A bad value stops start-up with a message naming the variable.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF

from thedeal.env import (
    ConfigurationError,
    env_bool,
    env_header_colour,
    env_int,
    env_list,
    env_rate,
    env_secret,
    env_str,
    read_env_file,
    read_env_files,
)

BASE_DIR = Path(__file__).resolve().parent.parent

# Real environment variables come first; then env files (KEY=VALUE lines): those THEDEAL_ENV_FILE
# names, comma-separated, the first file to set a variable winning; without THEDEAL_ENV_FILE, the
# checkout's .env if there is one. `make run` names `.env,demo.env`: this checkout's own settings
# and secret key (made by `make install`, never committed), then the demo borough's. The tests
# read demo.env alone (tests/settings.py); a council names its own file, or writes .env.
if env_files := os.environ.get("THEDEAL_ENV_FILE"):
    read_env_files(env_files)
elif (BASE_DIR / ".env").is_file():
    read_env_file(BASE_DIR / ".env")

# Development only: Django's error pages with every setting and URL, and no static file manifest.
# It changes no security setting (those are below, each by name).
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret(
    "SECRET_KEY", debug=DEBUG, dev_default="development-only-secret-key-never-use-in-production"
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])

# Where the embedded SQLite database, the file cache and other local state live: outside the
# Python packages, so an installed copy never writes into its own source tree.
VAR_DIR = Path(env_str("THEDEAL_VAR_DIR", str(BASE_DIR / "var")))

# --- The council -----------------------------------------------------------------------------
# Which council runs this instance. The demo configuration (demo.env) sets Wigan.
COUNCIL = {
    "name": env_str("COUNCIL_NAME", "Your council"),
    "short_name": env_str("COUNCIL_SHORT_NAME", env_str("COUNCIL_NAME", "Your council")),
    # ONS GSS code of the local authority, e.g. E08000010 for Wigan.
    "local_authority_code": env_str("COUNCIL_LOCAL_AUTHORITY_CODE", ""),
    "website": env_str("COUNCIL_WEBSITE", ""),
    "contact_email": env_str("COUNCIL_CONTACT_EMAIL", ""),
    "contact_phone": env_str("COUNCIL_CONTACT_PHONE", ""),
    # The header's colour, under white text: refused if too light to read (thedeal/env.py).
    "brand_colour": env_header_colour("COUNCIL_BRAND_COLOUR", "#1d70b8"),
    "directory_team_email": env_str(
        "COUNCIL_DIRECTORY_TEAM_EMAIL", env_str("COUNCIL_CONTACT_EMAIL", "")
    ),
}

# --- Applications ----------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "django_tasks",
    # Before django_tasks_db: its `db_worker` command (with heartbeats) replaces the library's.
    "thedeal.worker",
    "django_tasks_db",
    # The shared web pieces (GOV.UK forms, rate limits) below every app: docs/adr/0004-layers.md.
    "thedeal.web",
    "thedeal.directory",
    "thedeal.indicators",
    "thedeal.prevention",
    "thedeal.site",
    "thedeal.deal",
    "thedeal.accounts",
    "thedeal.casework",
    "thedeal.insight",
    "thedeal.operations",
    # Above every app: `thedeal load_demo` loads each app's part of the demo borough.
    "thedeal.demo",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
]

MIDDLEWARE = [
    # First: /healthz and /readyz answer load balancers before any redirect, host check or session.
    "thedeal.operations.health.HealthCheckMiddleware",
    # Then a request id for every line logged, and one access log line for each request.
    "thedeal.operations.logs.RequestLogMiddleware",
    "thedeal.directory.api.middleware.OpenFeedCorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Compressed pages (Django's gzip has its BREACH mitigation; CSRF tokens are masked too).
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Before anything reads the database: a NUL in a query or header is a 400, not a 500.
    "thedeal.operations.requests.RefuseNulCharactersMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "thedeal.urls"
WSGI_APPLICATION = "thedeal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The site's layout and the pages every council service has (thedeal/templates/).
        "DIRS": [BASE_DIR / "thedeal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "thedeal.site.context.site",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'thedeal.sqlite3'}")
try:
    _database = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
except ValueError as error:
    raise ConfigurationError(
        f"DATABASE_URL is not a database URL Django understands: {error}"
    ) from None
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes; IMMEDIATE transactions take the write
    # lock up front so concurrent writers wait (busy timeout) instead of failing mid-transaction.
    # A 64 MB page cache and memory-mapped reads keep a borough's directory in memory.
    _database["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    if _database["NAME"] and _database["NAME"] != ":memory:":
        Path(_database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
elif _database["ENGINE"] not in ("django.db.backends.postgresql",):
    raise ConfigurationError(
        f"DATABASE_URL must be a sqlite:// or postgres:// URL, not {DATABASE_URL.split(':')[0]}://"
    )
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Rate limits (thedeal/web/ratelimit.py) ------------------------------------------------------
# How many proxies (a TLS proxy, a load balancer) sit in front of the server. Rate limits trust
# exactly that many hops of X-Forwarded-For, and none when it is 0: a client writes its own header.
NUM_PROXIES = env_int("NUM_PROXIES", 0, minimum=0)
# django-axes records where each sign-in came from by the same rule.
AXES_CLIENT_IP_CALLABLE = "thedeal.web.ratelimit.client_address"

# --- Cache (rate limits' counts, shared by every server process) -----------------------------
if redis_url := os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Background tasks ------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# What `thedeal run_schedule` enqueues, and when (local time).
PERIODIC_TASKS = [
    {
        "task": "thedeal.directory.tasks.send_freshness_digest",
        "at": env_str("DIRECTORY_DIGEST_AT", "07:00"),
    },
    {
        "task": "thedeal.deal.tasks.send_pledge_reminders",
        "at": env_str("PLEDGE_REMINDERS_AT", "10:00"),
    },
    {
        "task": "thedeal.deal.tasks.apply_pledge_retention",
        "at": env_str("PLEDGE_RETENTION_AT", "03:00"),
    },
    {
        "task": "thedeal.prevention.tasks.apply_scoring_retention",
        "at": env_str("SCORING_RETENTION_AT", "03:30"),
    },
    {
        # Runs daily; editors hear once a week, on EDITOR_REMINDER_DAY (the task checks the day).
        "task": "thedeal.accounts.tasks.remind_organisation_editors",
        "at": env_str("EDITOR_REMINDERS_AT", "08:00"),
    },
    {
        # Chases referrals an organisation has not answered (the task counts working days).
        "task": "thedeal.casework.inbox_tasks.chase_unanswered_referrals",
        "at": env_str("REFERRAL_CHASES_AT", "09:00"),
    },
    {"task": "thedeal.worker.tasks.forget_sent_emails", "at": "03:45"},
    # Overdue safeguarding concerns: chased twice a day (each concern once a day at most).
    *(
        {
            "task": "thedeal.casework.safeguarding_tasks.remind_leads_of_overdue_concerns",
            "at": at.strip(),
        }
        for at in env_str("SAFEGUARDING_REMINDERS_AT", "08:00,13:00").split(",")
    ),
]
# Each `thedeal db_worker` records a heartbeat this often, even in the middle of a long task. A
# worker silent for WORKER_TIMEOUT_SECONDS is taken for dead: `thedeal worker_status` fails, and
# the tasks it was running are queued again. The time-out must be longer than the longest
# write transaction a task holds (SQLite lets one writer in at a time), hence the margin.
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 15, minimum=1)
WORKER_TIMEOUT_SECONDS = env_int("WORKER_TIMEOUT_SECONDS", 120, minimum=1)
if WORKER_TIMEOUT_SECONDS < 3 * WORKER_HEARTBEAT_SECONDS:
    raise ConfigurationError(
        "WORKER_TIMEOUT_SECONDS must be at least three times WORKER_HEARTBEAT_SECONDS, so that "
        "one late heartbeat is not taken for a dead worker."
    )

# --- Predictive prevention ------------------------------------------------------------------
# A scoring run's scores, reasons and worklists are deleted this many days after the run (the
# data protection impact assessment's retention period: 13 months by default).
SCORING_KEEP_DAYS = env_int("SCORING_KEEP_DAYS", 396, minimum=1)
# How many synthetic residents `thedeal load_demo` scores for the demo's worklist (0: no
# worklist). 5,000 trains the model in seconds; the tests set 0, and the few that need the
# worklist ask load_demo for one.
DEMO_WORKLIST_RESIDENTS = env_int("DEMO_WORKLIST_RESIDENTS", 5_000, minimum=0)
# How many synthetic residents the demo's insight pages are computed from (0: none), in about
# 20 s. A ward's life expectancy needs 5,000 person-years of each sex in three years: at 60,000
# residents almost no ward has them; at 120,000 most do (41 of 250 ward values left out).
DEMO_INSIGHT_RESIDENTS = env_int("DEMO_INSIGHT_RESIDENTS", 120_000, minimum=0)

# The weekday (MO, TU, ...) community organisation editors hear about listings due for checking.
EDITOR_REMINDER_DAY = env_str("EDITOR_REMINDER_DAY", "MO").upper()

# --- Casework: referrals ----------------------------------------------------------------------
# A referral an organisation has not answered is chased (its editors emailed) once it is this
# many working days old, and again after each further period of the same length.
REFERRAL_CHASE_AFTER_WORKING_DAYS = env_int("REFERRAL_CHASE_AFTER_WORKING_DAYS", 5, minimum=1)
# The council's own closure days (ISO dates, comma-separated), which are not working days either.
try:
    COUNCIL_CLOSURE_DAYS = [
        datetime.date.fromisoformat(day) for day in env_list("COUNCIL_CLOSURE_DAYS", [])
    ]
except ValueError as error:
    raise ConfigurationError(
        f"COUNCIL_CLOSURE_DAYS must be dates like 2026-12-29, comma-separated ({error})."
    ) from None

# --- The Deal: pledges -----------------------------------------------------------------------
# The council's retention schedule: a withdrawn pledge is deleted after this many days, and a
# pledge nobody has checked in on for this long is deleted as inactive.
PLEDGE_KEEP_WITHDRAWN_DAYS = env_int("PLEDGE_KEEP_WITHDRAWN_DAYS", 30, minimum=0)
PLEDGE_KEEP_INACTIVE_DAYS = env_int("PLEDGE_KEEP_INACTIVE_DAYS", 730, minimum=1)
# Reminders (only to residents who agreed) go this often; their links expire after this long.
PLEDGE_REMINDER_DAYS = env_int("PLEDGE_REMINDER_DAYS", 30, minimum=1)
PLEDGE_LINK_DAYS = env_int("PLEDGE_LINK_DAYS", 30, minimum=1)
# The site's public address, for links in emails sent by the worker (which has no request).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# --- Email --------------------------------------------------------------------------------------
# GOV.UK Notify when an API key is given: one email template whose body is ((body)) and subject
# ((subject)). Without one, Django's email backend: by default kept as files in OUTBOX_DIR/email
# for a developer to read, never printed, because the server's output is its log and an email
# holds a resident's address and what was sent to them.
NOTIFY_API_KEY = env_str("NOTIFY_API_KEY", "")
NOTIFY_EMAIL_TEMPLATE_ID = env_str("NOTIFY_EMAIL_TEMPLATE_ID", "")
if NOTIFY_API_KEY and not NOTIFY_EMAIL_TEMPLATE_ID:
    raise ConfigurationError("NOTIFY_API_KEY is set: set NOTIFY_EMAIL_TEMPLATE_ID as well.")
# Text messages (a service's details a practitioner sends a resident): through Notify's text
# template whose body is ((body)), when both the key and this are set; else kept as a file each in
# OUTBOX_DIR/texts (never printed, for the same reason as emails).
NOTIFY_SMS_TEMPLATE_ID = env_str("NOTIFY_SMS_TEMPLATE_ID", "")
OUTBOX_DIR = Path(env_str("OUTBOX_DIR", str(VAR_DIR / "outbox")))
TEXT_FILE_PATH = OUTBOX_DIR / "texts"
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = OUTBOX_DIR / "email"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", COUNCIL["contact_email"] or "thedeal@localhost")

# --- Passwords, language, time ---------------------------------------------------------------
# --- Staff sign-in -----------------------------------------------------------------------------
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "accounts:listings"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one username lock it for 30 minutes, from anywhere.
AXES_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("SIGN_IN_LOCKOUT_MINUTES", 30, minimum=1))
# By username, not by address: staff sign in from council networks where a whole office shares
# one address, and locking it would lock out the office (hence axes.W006 is silenced below).
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------------------------
STATIC_URL = "static/"
# The compiled GOV.UK Frontend, htmx and Leaflet (frontend/build.sh rebuilds them).
STATICFILES_DIRS = [BASE_DIR / "thedeal" / "static"]
STATIC_ROOT = VAR_DIR / "static"
# collectstatic fills it for production; it must exist before then for whitenoise to start.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Uploaded files (the investment module's attachments); `thedeal backup` copies them.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Security (production) -------------------------------------------------------------------
# The demo borough's people to sign in as, one for each role, share a password that `thedeal
# load_demo` prints: only in a demo (demo.env), never in production (`check --deploy` refuses).
DEMO_PEOPLE = env_bool("DEMO_PEOPLE", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Production is served over HTTPS, and these are on unless turned off by name, whatever DEBUG
# says. Only a demo on plain HTTP turns them off (demo.env): the redirect to HTTPS, HSTS, and
# cookies marked Secure, which a browser would not send back over http:// (no sign-in).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_COOKIES = env_bool("SECURE_COOKIES", True)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Preloading is hard to undo and binds every subdomain of the council's domain: the council's
# choice (SECURE_HSTS_PRELOAD), not a default, so check --deploy does not nag about it.
SILENCED_SYSTEM_CHECKS = ([] if SECURE_HSTS_PRELOAD else ["security.W021"]) + ["axes.W006"]
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- The resident-facing site ----------------------------------------------------------------
SERVICE_NAME = env_str("SERVICE_NAME", "The Deal")
# How staff's authenticator apps name this service.
OTP_TOTP_ISSUER = f"{COUNCIL['short_name']} {SERVICE_NAME}"
# The map of search results draws tiles from this server ({z}/{x}/{y}); with none, the map is
# left out and the list of results is the whole page. MAP_TILE_ATTRIBUTION is shown on the map.
MAP_TILE_URL = env_str("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "")
_tiles = urlsplit(MAP_TILE_URL)
MAP_TILE_ORIGIN = f"{_tiles.scheme}://{_tiles.netloc}" if _tiles.netloc else ""

# Content Security Policy: scripts, styles and fonts only from this site, so injected markup
# cannot run anything; images also from the map's tile server.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *([MAP_TILE_ORIGIN] if MAP_TILE_ORIGIN else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- The Open Referral UK feed ---------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    # ORUK uses ?format=ndjson itself; DRF must not read it as a choice of renderer.
    "URL_FORMAT_OVERRIDE": None,
    # DRF's own idea of the client (not used by our limits, which go through NUM_PROXIES above);
    # None would make it trust the whole X-Forwarded-For header, which a client can write.
    "NUM_PROXIES": 0,
    "DEFAULT_THROTTLE_RATES": {
        # Per client; the default leaves an aggregator harvesting the feed room to work.
        "directory": env_rate("DIRECTORY_API_RATE_LIMIT", "1200/min"),
    },
}
# Requests per API token to the FHIR API (thedeal/casework/fhir/): far above what a GP system
# sending referrals and following their Tasks needs, low enough that a runaway one cannot slow
# casework for the link workers.
FHIR_API_RATE_LIMIT = env_rate("FHIR_API_RATE_LIMIT", "600/min")
# Where the ORUK feed is served (thedeal/urls.py). Below the apps, the request-edge middleware
# (operations/requests.py) reads it here rather than importing the directory: docs/adr/0004.
DIRECTORY_FEED_PATH = "/api/directory"
SPECTACULAR_SETTINGS = {
    "TITLE": f"{COUNCIL['name']}: Open Referral UK directory feed",
    "DESCRIPTION": "Community assets and services, published to the Open Referral UK (HSDS 3.0) standard.",
    "VERSION": "3.0",
    "SERVE_INCLUDE_SCHEMA": False,
}
# Listings not verified for this many days are stale (ORUK asks for re-verification every 3 months).
DIRECTORY_STALE_AFTER_DAYS = env_int("DIRECTORY_STALE_AFTER_DAYS", 91, minimum=1)

# --- Logs ----------------------------------------------------------------------------------------
# To stderr, for systemd's journal or the platform's collector: one JSON object a line in
# production, plain text in development. Every line carries its request's id and goes through the
# privacy filter (no email addresses, postcodes, query strings or private links: operations/logs.py).
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ConfigurationError(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "thedeal.operations.logs.RequestIdFilter"},
        "privacy": {"()": "thedeal.operations.logs.PrivacyFilter"},
    },
    "formatters": {
        "json": {"()": "thedeal.operations.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "privacy"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers (mail to ADMINS, a development console) give way to the one
        # above, so that every line goes through the privacy filter exactly once.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # The development server's access log (runserver only).
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
