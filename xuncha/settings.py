"""One settings module for every environment; behaviour is switched by environment variables (see README)."""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off (make run sets DEBUG=1 for you).")
    SECRET_KEY = "insecure-dev-key-only-for-DEBUG"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "xuncha.staticfiles.StaticFilesConfig",  # django.contrib.staticfiles, minus unused npm builds
    "django.contrib.humanize",
    "django.forms",
    "guardian",
    "simple_history",
    "axes",
    "django_htmx",
    "django_filters",
    # Not "rest_framework": the API needs none of its templates or static files (JSON only), and its zh_Hans
    # catalogue would reword Django's own form errors on every page ("该字段是必填项" for "这个字段是必填项").
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc as static files: no CDN
    "xuncha",
    "accounts",
    "rounds",
    "findings",
    "rectification",
    "xuncha.dashboard",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "xuncha.middleware.NoStoreMiddleware",  # after WhiteNoise: static files stay cacheable
    "xuncha.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "xuncha.middleware.RejectNulBytesMiddleware",  # after Locale: the 400 page speaks the reader's language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.RequirePasswordChangeMiddleware",  # a password the office set is changed first
    "xuncha.middleware.MethodNotAllowedPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "xuncha.storage.StorageErrorMiddleware",  # an unwritable media folder: a 503 page that says so
    # Last, so that a locked-out login never reaches the view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xuncha.urls"
FORM_RENDERER = "xuncha.forms.FormRenderer"  # Bootstrap classes on every form field
WSGI_APPLICATION = "xuncha.wsgi.application"

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
                "xuncha.context_processors.roles",
            ],
        },
    },
]

# --- Data ---------------------------------------------------------------------------------
DATABASE_URL = env_url(
    "DATABASE_URL",
    f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
    schemes=("sqlite", "postgres", "postgresql", "pgsql"),
)
try:
    # Health checks: a connection kept across requests is tested before reuse, so a restarted PostgreSQL
    # costs no user request (the first query after the restart would otherwise fail).
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is malformed: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth and security ------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "xuncha.backends.IdentityBackend",  # ModelBackend, its permissions read with the roles in one query
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "xuncha.passwords.MinimumLengthValidator"},  # its message in Chinese (xuncha/passwords.py)
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SECURE = not DEBUG and env_bool("SECURE_COOKIES", True)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = not DEBUG and env_bool("SECURE_SSL_REDIRECT", True)
# Trust X-Forwarded-Proto only where a proxy in front sets it (and strips a client's own): otherwise any
# client could claim HTTPS, and the app would take a plain-HTTP request for a secure one.
TRUST_PROXY_SSL_HEADER = env_bool("TRUST_PROXY_SSL_HEADER", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUST_PROXY_SSL_HEADER else None
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
X_FRAME_OPTIONS = "DENY"
# Only the site's own files: no inline script or style attribute (static/js/xuncha.js does what they did), no
# eval. `data:` images are Bootstrap's form icons and the favicon. Every answer but a static file gets it.
# The read-only REST API (api/, docs/api.md): tokens the office issues, or the browser's session; JSON only (the
# browsable API's pages carry inline scripts the CSP refuses).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    # One title for both languages: the API and its documentation are for the engineers of other systems.
    "TITLE": "xuncha API",
    "DESCRIPTION": "Read-only data exchange: the same rows, filters and permissions as the pages (docs/api.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# bench/dashboard.py's floor pages (xuncha/floor.py): routed only when this is on, never in production.
BENCHMARK_FLOOR = env_bool("BENCHMARK_FLOOR", False)
AXES_VERBOSE = False  # no start-up banner on every process and management command

GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row; the whole site needs a login

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))  # where collectstatic writes
# Front-end packages come from npm (package.json) and are served from node_modules, never a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules/bootstrap/dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules/bootstrap-icons/font"),
    ("vendor/echarts", BASE_DIR / "node_modules/echarts/dist"),
    ("vendor/tom-select", BASE_DIR / "node_modules/tom-select/dist"),
]
STORAGES = {
    # Files saved in a transaction that rolls back are removed (a failed upload leaves nothing on disk), and a
    # write failure is named so the page can say what happened (xuncha/storage.py).
    "default": {"BACKEND": "xuncha.storage.MediaStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Evidence files live outside the web root and are only served by views that check permission.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_MB", 20) * 1024 * 1024
EVIDENCE_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png", "txt", "zip", "ofd", "wps"]
FILE_UPLOAD_PERMISSIONS = 0o640

# --- Background work ----------------------------------------------------------------------
REDIS_URL = env_url("REDIS_URL", "", schemes=("redis", "rediss"))
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Without Redis (the embedded default) tasks run in-process, at once.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Redis redelivers an unacknowledged message (its worker died outright) after this many seconds. Sized to
# the longest message: a reminder batch (SEND_CHUNK rows, under a minute) or an import (heartbeats: a
# redelivered import that is still running elsewhere waits; rounds/jobs.py). A batch of a killed worker is
# then sent again within minutes, not an hour. Must exceed the reminder lease (a retry waits for it).
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 300)
# Publishing gives up at once when Redis is down: a request says "not queued" instead of hanging 20 s.
CELERY_BROKER_CONNECTION_TIMEOUT = env_int("CELERY_BROKER_CONNECTION_TIMEOUT", 2)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    "socket_timeout": 10,
}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True  # the worker itself keeps trying until Redis is back
CELERY_BEAT_SCHEDULE = {
    "reminder-sweep": {
        "task": "rectification.tasks.reminder_sweep",
        "schedule": crontab(hour=8, minute=0),
    },
    # Recount the dashboard's figures ahead of its readers (xuncha/dashboard/cache.py).
    # Imports whose worker vanished end 失败 with a retry button; jobs left queued are queued again.
    "job-sweep": {
        "task": "rounds.tasks.job_sweep",
        "schedule": env_int("JOB_SWEEP_SECONDS", 60),
    },
    "dashboard-refresh": {
        "task": "xuncha.dashboard.tasks.refresh_figures",
        "schedule": env_int("DASHBOARD_REFRESH_SECONDS", 240),
    },
}

# Short socket timeouts: a dead Redis costs a request at most this once; then the circuit breaker
# (xuncha/resilience.py) skips the cache for CACHE_DOWN_SECONDS and the database answers.
CACHE_DOWN_SECONDS = env_int("CACHE_DOWN_SECONDS", 15)
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Sessions: with Redis, read from the cache and kept in the database (cached_db; xuncha/sessions.py adds the
# circuit breaker): a page no longer reads its session from PostgreSQL. Without Redis, the database alone.
SESSION_ENGINE = "xuncha.sessions" if REDIS_URL else "django.contrib.sessions.backends.db"
SESSION_CACHE_SECONDS = env_int("SESSION_CACHE_SECONDS", 15 * 60)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "xuncha@localhost")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))  # for the file-based backend

# --- Domain defaults (editable per round) ---------------------------------------------------
XUNCHA_FEEDBACK_DUE_DAYS = {
    "plan": env_int("XUNCHA_PLAN_DUE_DAYS", 30),  # 整改方案: 1 month
    "report": env_int("XUNCHA_REPORT_DUE_DAYS", 60),  # 整改报告: 2 months
    "assessment": env_int("XUNCHA_ASSESSMENT_DUE_DAYS", 180),  # 整改评估: 6 months
}
XUNCHA_CLUE_FEEDBACK_DAYS = env_int("XUNCHA_CLUE_FEEDBACK_DAYS", 90)
# How long the dashboard may show cached figures (any write through the ORM refreshes them sooner).
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 300)
# Ledgers: the office's own Word templates (same file names as xuncha/word_templates/) and the import size cap.
WORD_TEMPLATE_DIR = env_str("WORD_TEMPLATE_DIR", "")
IMPORT_MAX_MB = env_int("IMPORT_MAX_MB", 5)
# An export of more rows than this runs as a background job with a progress page (0: always on the request).
EXPORT_JOB_ROWS = env_int("EXPORT_JOB_ROWS", 5000)
# A reminder claimed for sending longer ago than this is taken over (its sender died). Sized to one batch
# (rectification.reminders.SEND_CHUNK rows: inbox rows and e-mails, well under a minute).
XUNCHA_REMINDER_LEASE_SECONDS = env_int("XUNCHA_REMINDER_LEASE_SECONDS", 120)
if CELERY_VISIBILITY_TIMEOUT <= XUNCHA_REMINDER_LEASE_SECONDS:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must exceed XUNCHA_REMINDER_LEASE_SECONDS.")
# Background jobs (imports): a running job whose heartbeat is older than this lost its worker.
XUNCHA_JOB_STALE_SECONDS = env_int("XUNCHA_JOB_STALE_SECONDS", 180)
# (A busy import's retry waits XUNCHA_JOB_STALE_SECONDS + 5, unacknowledged: keep it under the visibility
# timeout, or Redis hands the retry out twice meanwhile: harmless, the claim makes the second a no-op.)
XUNCHA_JOB_TEST_DELAY = float(env_str("XUNCHA_JOB_TEST_DELAY", "0") or 0)  # tests only: sleep per validated row
# A worker writes a heartbeat key every WORKER_HEARTBEAT_SECONDS; /healthz and job pages call it alive
# while the key is younger than three beats.
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 10)
XUNCHA_REMINDER_TEST_DELAY = env_int("XUNCHA_REMINDER_TEST_DELAY", 0)  # tests only: sleep mid-send
# The site's own address (scheme and host, no path): links in e-mails are absolute so they open from a mail client.
# XUNCHA_SITE_URL is its former name, still read. Unset in production, e-mails carry paths only
# (`check --deploy` warns: rectification.W001).
SITE_URL = env_url(
    "SITE_URL", env_str("XUNCHA_SITE_URL", "http://127.0.0.1:8000" if DEBUG else ""), schemes=("http", "https")
).rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # django-axes announces its version on every start-up, i.e. on every manage.py command; its lock-outs still log.
    "loggers": {"axes.apps": {"level": "WARNING"}},
}

TEST_RUNNER = "django.test.runner.DiscoverRunner"
