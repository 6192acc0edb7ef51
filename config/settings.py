"""Django settings for phoihop, read from the environment with safe defaults.

Defaults give a working single-machine install: an SQLite file under ./var (WAL mode), a secret key
generated on first run and kept under ./var, DEBUG off. Production sets DATABASE_URL to PostgreSQL.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

from phoihop.core.sqlite.checkpoint import AUTOCHECKPOINT_PAGES

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PHOIHOP_VAR_DIR", BASE_DIR / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """The key from DJANGO_SECRET_KEY, else one generated once and kept in var/secret_key (mode 0600)."""
    if os.environ.get("DJANGO_SECRET_KEY"):
        return os.environ["DJANGO_SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("DEBUG")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    # Lowest layer first (docs/architecture.md); `lint-imports` checks that imports only run down.
    "phoihop.core",
    "phoihop.audit",
    "phoihop.rulesets",
    "phoihop.directory",
    "phoihop.api",
    "phoihop.taxonomy",
    "phoihop.routing",
    "phoihop.indicators",
    "phoihop.notices",
    "phoihop.inbox",
    "phoihop.intake",
    "phoihop.cases",
    "phoihop.documents",
    "phoihop.exchange",
    "phoihop.listing",
    "phoihop.alerts",
    "phoihop.countermeasures",
    "phoihop.dashboards",
    "phoihop.reporting",
    "phoihop.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "phoihop.site.outage.DatabaseOutageMiddleware",  # 503 + Retry-After when the database is down
    "phoihop.listing.api.fastpath.PublicLookupFastPath",  # the public look-up's lean path (its docstring)
    "phoihop.core.csp.CSPMiddleware",  # django-csp's, with the site policy built once
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Body size and the public form's attempt budget, from the headers only, before any body is read.
    "phoihop.site.limits.RequestLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Vietnamese unless the language switch chose otherwise, whatever the browser asks (the API excepted).
    "phoihop.core.locale.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session limits, then the second factor (phoihop.directory.signin).
    "phoihop.directory.signin.middleware.SessionLimitsMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "phoihop.directory.signin.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "phoihop.core.permissions.PermissionMemoMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "phoihop.site.context_processors.navigation",
                "phoihop.site.context_processors.notices",
                "phoihop.directory.signin.context_processors.demo",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'phoihop.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the writer; IMMEDIATE transactions take the write lock up front,
    # so concurrent writers (web processes + task worker) queue instead of failing with "database is
    # locked". The page cache is per connection (one per thread): bounded, so a web process stays small
    # (the operating system's file cache serves the rest). 2 MB each (issue 9: four threads held up to
    # 32 MB a process at 8 MB): a connection's cache is emptied anyway whenever another one writes (WAL),
    # which under load is every few milliseconds, so a larger one mostly holds pages it will not read again.
    sqlite_cache_kb = int(os.environ.get("PHOIHOP_SQLITE_CACHE_KB", "2000"))
    # Write transactions queue on a lock the kernel hands over (phoihop/core/sqlite/base.py), not on
    # SQLite's busy handler, which sleeps up to 100 ms between tries.
    DATABASES["default"]["ENGINE"] = "phoihop.core.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"
            f" PRAGMA foreign_keys=ON; PRAGMA cache_size=-{sqlite_cache_kb};"
            # The log is copied into the database by `phoihop serve`'s checkpoint process, not by the commit
            # that takes it past 1,000 pages while it holds the write lock (phoihop/core/sqlite/checkpoint.py);
            # SQLite's own checkpoint stays as a bound, and a log that grew in a burst is cut back to 8 MB.
            f" PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}; PRAGMA journal_size_limit=8388608;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
elif "postgresql" in DATABASES["default"]["ENGINE"]:
    # No JIT compilation: the pages' short queries with a scope subquery are estimated expensive enough to be
    # compiled, which cost ~450 ms a query on a 1M-report database (issue 12: the head's dashboard), more than
    # running them. An operator's own `options` in DATABASE_URL come first.
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _pg_options["options"] = " ".join(filter(None, [_pg_options.get("options", ""), "-c jit=off"]))
    # Statements prepared once per connection (issue 9): the parameters travel apart from the text (psycopg's
    # server-side binding) and a statement run twice on a connection is prepared, so PostgreSQL stops parsing
    # and planning a create's ten statements on every request (its CPU per API create 4.4-4.9 -> 3.4 ms in
    # bench/http.py, old and new alternated; per read of one report 1.6 -> 0.6 ms). Behind a pooler that cannot
    # keep prepared statements across transactions (PgBouncer before 1.21 in transaction mode), set
    # PHOIHOP_PG_PREPARED=0.
    if os.environ.get("PHOIHOP_PG_PREPARED", "1") != "0":
        _pg_options.setdefault("server_side_binding", True)
        _pg_options.setdefault("prepare_threshold", 2)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: shared by every process (rate limits, throttles, reference data) ----------------------
# The database cache by default (its table is made by `createcachetable`, which `phoihop serve` runs);
# Redis when REDIS_URL is set. Never a per-process memory cache: the web server's threads, the worker
# and a second server must all count the same requests.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "phoihop",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "phoihop_cache",
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "100000"))},
        }
    }

# An API key's fair-use budget (PHOIHOP_RATE_API) is counted where it costs nothing: in Redis when it is
# configured, else in each web process's memory (so with N processes a key may make up to N times its
# rate). Limits that protect against abuse, per client address, always count in the shared cache above.
CACHES["throttle"] = (
    CACHES["default"]
    if os.environ.get("REDIS_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "phoihop-throttle"}
)

# Rate limits of the HTML forms (django-ratelimit's is_ratelimited) count in the same cache as the API's
# throttles, per client address: REMOTE_ADDR, which phoihop.site.proxy sets to the client's address when the request
# comes through a trusted proxy (TRUSTED_PROXY below). The database cache increments with a read and a
# write, so two simultaneous requests may count once: a limit a little generous, never a wrong refusal.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = None  # REMOTE_ADDR
RATELIMIT_IPV6_MASK = 64

# --- Behind a TLS proxy: which peer may tell the app the client's address and scheme ------------------
# With TRUSTED_PROXY=127.0.0.1 (the proxy's address, a comma-separated list, or "*"), REMOTE_ADDR becomes
# the client in the proxy's X-Forwarded-For and the scheme its X-Forwarded-Proto; those headers are
# dropped from anyone else (phoihop.site.proxy, wrapped around the app in config/wsgi.py).
TRUSTED_PROXY_OPTIONS = {
    "trusted_proxy": os.environ.get("TRUSTED_PROXY") or None,
    "trusted_proxy_count": int(os.environ.get("TRUSTED_PROXY_COUNT", "1")),
    "trusted_proxy_headers": os.environ.get("TRUSTED_PROXY_HEADERS", "x-forwarded-for x-forwarded-proto"),
    "clear_untrusted_proxy_headers": _env_bool("CLEAR_UNTRUSTED_PROXY_HEADERS", default=True),
}

# --- People and passwords -------------------------------------------------------------------------
AUTH_USER_MODEL = "directory.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# OWASP ASVS L2 (V2.1): at least 12 characters, up to 128 accepted, no composition rules, checked against
# Django's local list of common passwords (no network) and against the person's own name and e-mail.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "phoihop.directory.signin.passwords.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboards:home"  # each user's own dashboard (phoihop.dashboards.roles)
LOGOUT_REDIRECT_URL = "home"

# Login throttling against password guessing (django-axes): lock a username+IP pair after 5 failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_SENSITIVE_PARAMETERS = ["password"]

# Sessions: signed out after PHOIHOP_SESSION_IDLE_MINUTES without a request, and PHOIHOP_SESSION_MAX_HOURS
# after signing in whatever the activity (phoihop.directory.signin.middleware.SessionLimitsMiddleware).
PHOIHOP_SESSION_IDLE_MINUTES = int(os.environ.get("PHOIHOP_SESSION_IDLE_MINUTES", "30"))
PHOIHOP_SESSION_MAX_HOURS = int(os.environ.get("PHOIHOP_SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = PHOIHOP_SESSION_IDLE_MINUTES * 60
# Second factor (django-otp): required for heads, hub coordinators, system administrators and
# superusers, offered to everyone. The issuer shown in authenticator apps:
OTP_TOTP_ISSUER = os.environ.get("PHOIHOP_OTP_ISSUER", "phoihop")
# The demo's waiver of the second factor for its own accounts: never read from the environment, set at
# run time by `phoihop serve --demo` only (phoihop.directory.signin.policy).
PHOIHOP_DEMO = False

# --- Internationalisation: Vietnamese first --------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "phoihop" / "locale"]
FORMAT_MODULE_PATH = ["phoihop.core.formats"]  # Vietnamese dates as administrations write them: 30/11/2026
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static files and uploads (served by the app itself: no CDN) ----------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "files")},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
# Evidence lives outside the web root, behind a storage interface: local files by default,
# S3-compatible object storage when EVIDENCE_S3_BUCKET is set.
if os.environ.get("EVIDENCE_S3_BUCKET"):
    STORAGES["evidence"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["EVIDENCE_S3_BUCKET"],
            "endpoint_url": os.environ.get("EVIDENCE_S3_ENDPOINT"),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
else:
    STORAGES["evidence"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "evidence")},
    }
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# One file mode for what the product keeps (evidence, the database: see phoihop/cli and phoihop serve).
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

# --- Background work: the Django tasks API with its ORM backend -------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Reliability (phoihop.site.taskqueue, docs/operations.md): a worker beats every few seconds; /health/
# says 503 when no beat is fresher than WORKER_STALE or a ready task waited longer than QUEUE_STALE. A task
# whose worker died is taken again after its lease; a failed one is retried with back-off 2^n minutes,
# up to MAX_ATTEMPTS, then left FAILED (dead letter); finished rows are purged after RETENTION_DAYS.
PHOIHOP_WORKER_HEARTBEAT_SECONDS = float(os.environ.get("PHOIHOP_WORKER_HEARTBEAT_SECONDS", "5"))
PHOIHOP_WORKER_STALE_SECONDS = float(os.environ.get("PHOIHOP_WORKER_STALE_SECONDS", "120"))
PHOIHOP_QUEUE_STALE_SECONDS = float(os.environ.get("PHOIHOP_QUEUE_STALE_SECONDS", "600"))
PHOIHOP_TASK_LEASE_SECONDS = float(os.environ.get("PHOIHOP_TASK_LEASE_SECONDS", "600"))
PHOIHOP_TASK_SWEEP_SECONDS = float(os.environ.get("PHOIHOP_TASK_SWEEP_SECONDS", "60"))
PHOIHOP_TASK_MAX_ATTEMPTS = int(os.environ.get("PHOIHOP_TASK_MAX_ATTEMPTS", "5"))
PHOIHOP_TASK_RETENTION_DAYS = float(os.environ.get("PHOIHOP_TASK_RETENTION_DAYS", "7"))
# The worker's niceness (added to the process's, Linux 0-19): when the cores are busy, a person's request goes
# before background work, which catches up as soon as they are not (0: the same priority as the web).
PHOIHOP_WORKER_NICE = int(os.environ.get("PHOIHOP_WORKER_NICE", "5"))
# Days of the hub's daily indicator counts kept (at least 8: the hub reads a week); older ones go with the sweep.
PHOIHOP_INDICATOR_DAY_RETENTION_DAYS = int(os.environ.get("PHOIHOP_INDICATOR_DAY_RETENTION_DAYS", "14"))
# Days a sent e-mail is kept in the outbox (its text); older ones go with the periodic sweep. Unsent and failed
# messages are kept. (Issue 9: the outbox held every message ever sent, 0.2-0.7 KB per report.)
PHOIHOP_OUTBOX_RETENTION_DAYS = int(os.environ.get("PHOIHOP_OUTBOX_RETENTION_DAYS", "180"))

# --- E-mail over SMTP ------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# Without EMAIL_HOST, `phoihop serve` starts its own mail catcher on a free local port it chooses and points
# the web processes and the worker at exactly that port (never at whatever else may listen on 1025).
EMAIL_HOST_CONFIGURED = bool(os.environ.get("EMAIL_HOST"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "1025"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "phoihop <no-reply@phoihop.example.vn>")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# --- REST API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "phoihop.api.authentication.OrganisationTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PARSER_CLASSES": [
        "phoihop.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {
        "public_report": os.environ.get("PHOIHOP_RATE_PUBLIC_REPORT", "10/hour"),
        # Every post of the public form, accepted or not: a bound on what a robot can make the server do.
        "public_attempt": os.environ.get("PHOIHOP_RATE_PUBLIC_ATTEMPT", "60/hour"),
        "track": os.environ.get("PHOIHOP_RATE_TRACK", "30/hour"),
        "api": os.environ.get("PHOIHOP_RATE_API", "6000/hour"),
        # The public look-up (phoihop.listing.api.throttles): per address, counted in CACHES["throttle"].
        "public_lookup": os.environ.get("PHOIHOP_RATE_PUBLIC_LOOKUP", "120/minute"),
    },
    # The client is REMOTE_ADDR: phoihop.site.proxy already took it from a trusted proxy's X-Forwarded-For
    # (TRUSTED_PROXY); the header itself is never believed, whoever sent it.
    "NUM_PROXIES": 0,
    "EXCEPTION_HANDLER": "phoihop.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "phoihop API",
    "DESCRIPTION": "Reports of violations in information and communications (Decision 11/2013/QĐ-UBND)",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc served from the app's own static files (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets that share a field name ("status", "kind", "urgency", "access_level") across apps: each its own
    # schema name (else `check --deploy` warns of a collision and the names change from run to run).
    "ENUM_NAME_OVERRIDES": {
        "ReportStatusEnum": "phoihop.intake.choices.ReportStatus",
        "CaseStatusEnum": "phoihop.cases.choices.CaseStatus",
        "CaseAccessLevelEnum": "phoihop.cases.choices.AccessLevel",
        "AdvisoryAccessLevelEnum": "phoihop.alerts.choices.AccessLevel",
        "AdvisoryKindEnum": "phoihop.alerts.choices.AdvisoryKind",
        "AdvisoryStatusEnum": "phoihop.alerts.choices.AdvisoryStatus",
        "DocumentKindEnum": "phoihop.documents.choices.DocumentKind",
        "DocumentStatusEnum": "phoihop.documents.choices.DocumentStatus",
        "DocumentUrgencyEnum": "phoihop.documents.choices.Urgency",
        "RequestKindEnum": "phoihop.exchange.choices.RequestKind",
        "RequestStatusEnum": "phoihop.exchange.choices.RequestStatus",
        "RequestRecipientStatusEnum": "phoihop.exchange.choices.RecipientStatus",
        "RequestUrgencyEnum": "phoihop.exchange.choices.Urgency",
        "CountermeasureStatusEnum": "phoihop.countermeasures.choices.Status",
    },
    # Every error response is RFC 9457 problem details (phoihop.api.errors, phoihop.api.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "phoihop.api.schema.problem_responses",
    ],
}

# --- Security --------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = _env_bool("SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): only the app's own scripts and styles, never inline ones. The API's
# Swagger UI and ReDoc pages relax it for themselves (phoihop/api/urls.py); evidence downloads send a
# sandbox policy of their own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# Behind TLS (SECURE_COOKIES=1): HSTS, and plain HTTP redirected to HTTPS. The scheme comes from the trusted
# proxy's X-Forwarded-Proto (phoihop.site.proxy sets wsgi.url_scheme), so SECURE_PROXY_SSL_HEADER stays
# unset; without TRUSTED_PROXY every request looks like HTTP, so the redirect is on by default only with it.
SECURE_HSTS_SECONDS = int(os.environ.get("PHOIHOP_HSTS_SECONDS", "31536000")) if SESSION_COOKIE_SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SESSION_COOKIE_SECURE and _env_bool("PHOIHOP_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = SESSION_COOKIE_SECURE and _env_bool("PHOIHOP_HSTS_PRELOAD", default=True)
SECURE_SSL_REDIRECT = _env_bool(
    "SECURE_SSL_REDIRECT", default=SESSION_COOKIE_SECURE and bool(os.environ.get("TRUSTED_PROXY"))
)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # the local health probe speaks plain HTTP

# --- Rule sets -------------------------------------------------------------------------------------
PHOIHOP_RULESETS = [r for r in os.environ.get("PHOIHOP_RULESETS", "soctrang-2013").split(",") if r]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
PHOIHOP_ACK_DEADLINE_MINUTES = int(os.environ.get("PHOIHOP_ACK_DEADLINE_MINUTES", "60"))

# Benchmarks only (bench/http.py): the number of SQL statements of each request as a response header.
if _env_bool("PHOIHOP_QUERY_COUNT_HEADER"):
    MIDDLEWARE.insert(0, "phoihop.core.querycount.QueryCountMiddleware")
