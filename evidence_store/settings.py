"""Settings for the Evidence Store, read from the environment.

Environment variables:
  DEBUG          "true" for local development; off unless set.
  SECRET_KEY     required when DEBUG is off.
  ALLOWED_HOSTS  comma-separated host names; required when DEBUG is off.
  DATABASE_URL   any PostgreSQL server; without it an embedded server starts
                 with its data in .pgdata/ (or EMBEDDED_POSTGRES_DIR).
  SITE_URL       the public address, such as https://evidence-store.example.org, for
                 links in email alerts (manage.py send_alerts needs it).
  EMAIL_URL      the mail server, such as smtp://user:password@mail.example.org:587
                 (smtp:// uses STARTTLS when ?tls=true; smtps:// uses TLS); or set
                 Django's EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD.
                 Without either, with DEBUG on, emails are printed to the console.
  DEFAULT_FROM_EMAIL  who alerts come from.
  BEHIND_TLS_PROXY  "true" when a proxy terminates TLS, sets X-Forwarded-Proto and
                 adds the client's address last in X-Forwarded-For.
  RELEASE        optional: the deploy's name for its code (a git commit), which keys
                 the page cache; without it, a digest of the code does.
"""

import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from evidence_store.embedded_db import CONN_MAX_AGE, CONNECT_TIMEOUT, database_settings
from evidence_store.env import email_settings, env_bool, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if SECRET_KEY is None:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "django_countries",
    "simple_history",
    "axes",
    "interventions",
    "ratings",
    "publishing",
    "api",
    "opendata",
    "alerts",
    "business",
    # Only for its management commands (backup_database, restore_database); no models.
    "evidence_store",
]

MIDDLEWARE = [
    # Outermost, so every response has it, the 400 below and whitenoise's static files too.
    "evidence_store.middleware.PermissionsPolicy",
    # A charset that is not a text encoding gets a 400 before anything reads the request.
    "evidence_store.charsets.RefuseUnreadableCharset",
    "django.middleware.security.SecurityMiddleware",
    # /healthz answers here: before the host check, sessions and cookies (SECURE_REDIRECT_EXEMPT
    # below keeps it off the HTTPS redirect), so a load balancer can ask by address over HTTP.
    "evidence_store.outage.HealthCheck",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public pages: compressed, cached until the next publication, with ETag and 304s.
    # Outside CSP and the cookie middleware, so it sees (and keeps) their final headers.
    "publishing.page_cache.PublicPageCache",
    # django-csp's CSPMiddleware, with 'unsafe-inline' styles for the admin only.
    "evidence_store.middleware.EvidenceStoreCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # CORS for reading, ETags and 304s on /api/ only.
    "api.middleware.OpenApiHeaders",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "evidence_store.middleware.RefuseNulInAdminQueries",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A view that cannot reach the database answers 503 with Retry-After, logged in one line.
    "evidence_store.outage.DatabaseUnavailable",
    # Last, as django-axes asks: turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "evidence_store.urls"
WSGI_APPLICATION = "evidence_store.wsgi.application"

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
                "publishing.context_processors.catalogue_notice",
                "publishing.context_processors.glossary",
                "evidence_store.context_processors.site_address",
            ],
        },
    },
]

_database_url = env_str("DATABASE_URL")
if _database_url:
    if not _database_url.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured("DATABASE_URL must be a PostgreSQL URL (postgresql://...).")
    # Persistent connections, checked before reuse: a database restart costs no request.
    DATABASES = {
        "default": dj_database_url.parse(
            _database_url, conn_max_age=CONN_MAX_AGE, conn_health_checks=True
        )
    }
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", CONNECT_TIMEOUT)
else:
    _data_dir = Path(env_str("EMBEDDED_POSTGRES_DIR") or BASE_DIR / ".pgdata")
    DATABASES = {"default": database_settings(_data_dir)}

# The cache: public pages and the catalogue's publication state (publishing/page_cache.py).
# With CACHE_URL (or REDIS_URL) a shared Redis, for several app servers; otherwise files
# on this machine, shared by its gunicorn workers and needing no server.
_cache_url = env_str("CACHE_URL") or env_str("REDIS_URL")
if _cache_url:
    if not _cache_url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("CACHE_URL must be a Redis URL (redis://host:6379/0).")
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": _cache_url,
            "OPTIONS": {
                # Redis down: pages are rendered afresh rather than refused.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_str("CACHE_DIR") or str(BASE_DIR / ".cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
# Off with DEBUG, so a template edit shows at once; PUBLIC_CACHE=true turns it on.
PUBLIC_CACHE = env_bool("PUBLIC_CACHE", default=not DEBUG)
PUBLIC_CACHE_SECONDS = 60 * 60  # on the server; a publication replaces them at once
# The release serving, for the page cache's keys: a deploy's name for it (the git
# commit, say), or else a digest of the code (evidence_store/release.py).
RELEASE = (env_str("RELEASE") or "").strip()
PUBLIC_CACHE_MAX_AGE = 60  # in browsers and CDNs
PUBLIC_CACHE_STALE = 60 * 10  # served stale while the browser or CDN checks again

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out log-in before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

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
# English only: without the translation machinery every date, number and form
# message reads the same (LANGUAGE_CODE's formats still apply: "30 November 2026"),
# and the intervention page renders about a tenth faster.
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "build" / "collected"
if DEBUG:
    # In development whitenoise serves straight from the finders; the collected
    # folder only exists after `collectstatic`, for production.
    warnings.filterwarnings("ignore", message="No directory at: .*collected")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Compiled by `make assets` from GOV.UK Frontend's Sass with our font stack.
    ("build", BASE_DIR / "build" / "css"),
]
# Besides these folders and the apps' own: GOV.UK Frontend's script, alone.
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "evidence_store.static_finders.GovukFrontendFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "evidence_store.storage.StaticStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Security. Production (DEBUG off) passes `manage.py check --deploy`.
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # A load balancer's health check asks over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Log-in throttling (django-axes): 5 failed log-ins lock out that user name, and
# separately that address, for 15 minutes; each try while locked starts the 15
# minutes again and is refused without checking the password. A successful
# log-in clears the user's failures. The lockout page is evidence_store/lockout.py.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "evidence_store.lockout.lockout_response"
# The client's address, through django-ipware. Directly on the internet it is the
# connection's address, and X-Forwarded-For (which anyone can send) is ignored.
# Behind the TLS proxy it is the last X-Forwarded-For entry, the one the proxy
# added: a client can put its own entries in front, never after.
if BEHIND_TLS_PROXY:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_COUNT = 0  # the client is the last entry: no proxy after it
    IPWARE_STRICT = False  # a client's extra entries do not void the proxy's
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)

# Content Security Policy: no inline scripts anywhere, public pages or admin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Strict for the public site. The Django admin sets style attributes, so
        # evidence_store.middleware adds 'unsafe-inline' to style-src under the admin only.
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Publishing: when true, whoever made the last change to an intervention cannot also
# publish it; a second curator must.
PUBLISH_REQUIRES_SECOND_CURATOR = env_bool("PUBLISH_REQUIRES_SECOND_CURATOR", default=False)


# --- Email alerts (alerts/) ---------------------------------------------------------------
SITE_URL = env_str("SITE_URL") or ("http://127.0.0.1:8000" if DEBUG else None)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "Evidence Store <alerts@localhost>"
_email_url = env_str("EMAIL_URL")
if _email_url:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    (
        EMAIL_HOST,
        EMAIL_PORT,
        EMAIL_HOST_USER,
        EMAIL_HOST_PASSWORD,
        EMAIL_USE_TLS,
        EMAIL_USE_SSL,
    ) = email_settings(_email_url)
elif env_str("EMAIL_HOST"):
    EMAIL_HOST = env_str("EMAIL_HOST")
    EMAIL_PORT = int(env_str("EMAIL_PORT") or 25)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER") or ""
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD") or ""
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = 30
