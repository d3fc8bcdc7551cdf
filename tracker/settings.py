"""Settings for the sanctuary-city policy tracker.

One file for every environment: production differs only by environment
variables. A missing DATABASE_URL means the embedded SQLite file.
"""

import datetime
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent

# A git-ignored .env (`make run` writes one with a generated SECRET_KEY) fills in what the
# environment leaves unset; a real environment variable always wins.
load_dotenv(BASE_DIR / ".env", override=False)


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {value!r}")


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "false")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set unless DEBUG is on (`make run` writes one to .env)")
    SECRET_KEY = "django-insecure-local-development-only"


def envorigin(name: str) -> str:
    """An origin (scheme://host[:port], nothing after it), or empty."""
    value = os.environ.get(name, "").strip().rstrip("/")
    parts = urlsplit(value)
    if value and (parts.scheme not in ("http", "https") or not parts.netloc or parts.path or parts.query):
        raise ImproperlyConfigured(f"{name} must be an origin such as https://tracker.example.org, got {value!r}")
    return value


# The origin clients reach the API by: every link in an answer starts with it, so a body and its
# ETag are the same whatever Host or scheme a request came with (tracker/reading/links.py). Empty: the request's own.
PUBLIC_BASE_URL = envorigin("PUBLIC_BASE_URL")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "tracker.apps.TrackerAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "axes",
    "corsheaders",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "tracker",
    "cities",
    "letters",
    "reports",
]

MIDDLEWARE = [
    "tracker.serving.middleware.SecurityHeadersMiddleware",
    "tracker.serving.replicas.ReplicaMiddleware",
    "tracker.serving.middleware.RequestSizeLimitMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "tracker.serving.middleware.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "tracker.serving.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes requires: refuses a locked-out client's login.
    "axes.middleware.AxesMiddleware",
]

# The admin's login: after AXES_FAILURE_LIMIT wrong passwords from one address, that address
# is refused (429) for AXES_COOLOFF_TIME, even with the right password. Counted in the shared
# cache (Redis in production), by the address the throttles use.
AUTHENTICATION_BACKENDS = [
    "tracker.api.authentication.LoginAttemptsBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("LOGIN_COOLOFF_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "tracker.api.throttling.client_ip"
AXES_VERBOSE = False  # no banner on every manage.py command; failures and lockouts are still logged

# CORS: any site may read the API from a browser; nothing cross-origin may write.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After", "X-Read-From"]

ROOT_URLCONF = "tracker.urls"
CSRF_FAILURE_VIEW = "tracker.api.exceptions.csrf_failure"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Before the apps' own, so that tracker/templates/admin/base_site.html overrides the admin's.
        "DIRS": [BASE_DIR / "tracker" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Persistent connections (CONN_MAX_AGE) are not checked before each request (Django's health check is a
# query per request); a read that finds its connection dropped by a database or PgBouncer restart is
# answered again on a new one (tracker.serving.middleware.DatabaseUnavailableMiddleware, docs/deploy.md).
CONN_MAX_AGE = envint("CONN_MAX_AGE", "60")
DATABASES = {
    "default": dj_database_url.config(default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=CONN_MAX_AGE)
}
# Read replicas (PostgreSQL streaming standbys): reads go there, writes and the admin to the primary
# (tracker/serving/routers.py, tracker/serving/replicas.py). Tests read them as the primary (MIRROR).
for number, url in enumerate(envlist("DATABASE_REPLICA_URLS", ""), start=1):
    DATABASES[f"replica_{number}"] = dj_database_url.parse(url, conn_max_age=CONN_MAX_AGE)
    DATABASES[f"replica_{number}"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["tracker.serving.routers.ReplicaRouter"]
# A replica further behind the primary than this is skipped for the request.
REPLICA_MAX_LAG_SECONDS = envint("REPLICA_MAX_LAG_SECONDS", "5")
# After a replica failed to answer, each process leaves it alone this long before trying again.
REPLICA_RETRY_SECONDS = envint("REPLICA_RETRY_SECONDS", "10")
# A client that wrote (by token or session) reads from the primary this long, so it sees its own write.
READ_YOUR_WRITES_SECONDS = envint("READ_YOUR_WRITES_SECONDS", "30")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# dumpdata/loaddata's JSON, able to dump the history of deleted records (tracker/management/dumps.py).
SERIALIZATION_MODULES = {"json": "tracker.management.dumps"}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve static files from the app directories without collectstatic in
# development and tests; production runs collectstatic (see README).
WHITENOISE_USE_FINDERS = DEBUG

# Security: strict by default, relaxed only for plain-HTTP local runs.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "false")
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "false")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if envbool("BEHIND_HTTPS_PROXY", "false"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Throttles and read-your-writes need a cache every app server shares: Redis in production
# (`check --deploy` fails without it, tracker/checks.py). Never a single point of failure (tracker/serving/cache.py):
# each call waits at most CACHE_TIMEOUT_SECONDS; while Redis does not answer, each process uses its own
# memory and asks Redis again every CACHE_RETRY_SECONDS.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_TIMEOUT_SECONDS = float(os.environ.get("CACHE_TIMEOUT_SECONDS", "0.2"))
CACHE_RETRY_SECONDS = envint("CACHE_RETRY_SECONDS", "5")
CACHES = {
    "default": (
        {
            "BACKEND": "tracker.serving.cache.FallbackRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": CACHE_TIMEOUT_SECONDS, "socket_timeout": CACHE_TIMEOUT_SECONDS},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# How long an anonymous answer stays in that cache (tracker/api/responsecache.py). Never stale: a write moves
# the data version in its key; this only bounds how long superseded answers take up room.
RESPONSE_CACHE_SECONDS = envint("RESPONSE_CACHE_SECONDS", "3600")

# An editor's reason for a change ("Corrected the amount: the award letter says…") may be longer than 100 characters.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# django-axes warns that a per-process cache counts each process's attempts apart: so it does
# without REDIS_URL, which is for one process (development, tests); production sets REDIS_URL.
SILENCED_SYSTEM_CHECKS = [] if REDIS_URL else ["axes.W001"]

# CSV imports: all or nothing, and the history records who imported.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# An editor's API token works this many days after it is issued (manage.py api_token issues a new one).
API_TOKEN_DAYS = envint("API_TOKEN_DAYS", "90")

# The admin's second factor: the issuer an authenticator app shows beside the code.
OTP_TOTP_ISSUER = "Sanctuary-city policy tracker"

# The largest API request body (tracker.serving.middleware.RequestSizeLimitMiddleware): past it, 413.
API_MAX_REQUEST_BYTES = envint("API_MAX_REQUEST_BYTES", str(1024 * 1024))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tracker.api.authentication.ThrottledTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # Writes are JSON only: no form or multipart bodies (the "simple" content types a
    # cross-site form can send without a CORS preflight, and an upload parser for an
    # API that takes no files). Anything else is a 415.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [
        "tracker.api.throttling.AnonMinuteThrottle",
        "tracker.api.throttling.AnonDayThrottle",
        "tracker.api.throttling.UserMinuteThrottle",
        "tracker.api.throttling.UserDayThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon_minute": os.environ.get("THROTTLE_ANON_MINUTE", "120/min"),
        "anon_day": os.environ.get("THROTTLE_ANON_DAY", "20000/day"),
        "user_minute": os.environ.get("THROTTLE_USER_MINUTE", "600/min"),
        "user_day": os.environ.get("THROTTLE_USER_DAY", "200000/day"),
        "invalid_token": os.environ.get("THROTTLE_INVALID_TOKEN", "20/min"),
    },
    # Proxies in front of the app that append to X-Forwarded-For; the header counts only through them
    # (tracker/api/throttling.py's client_ip, also django-axes'). 0: the connection's own address.
    "NUM_PROXIES": envint("NUM_PROXIES", "0"),
    "DEFAULT_SCHEMA_CLASS": "tracker.api.schema.TrackerAutoSchema",
    "EXCEPTION_HANDLER": "tracker.api.exceptions.api_exception_handler",
    "URL_FORMAT_OVERRIDE": "format",
    # Amounts are JSON numbers, written to the cent (tracker/api/renderers.py keeps them exact).
    "COERCE_DECIMAL_TO_STRING": False,
    "DEFAULT_METADATA_CLASS": "tracker.api.metadata.TrackerMetadata",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "tracker.api.negotiation.FormatFirstNegotiation",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Sanctuary-city policy tracker API",
    "DESCRIPTION": (
        "A sourced record of US jurisdictions, the Department of Justice's "
        "compliance letters to them, the federal grant money at stake and "
        "the court rulings that followed."
    ),
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tracker.api.schema.tidy_components",
    ],
    # A record as read (any field may be left out by fields=/omit=) differs from one as written.
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "SourceKindEnum": "tracker.models.Source.Kind",
        "JurisdictionKindEnum": "cities.models.Jurisdiction.Kind",
        "PolicyKindEnum": "cities.models.Policy.Kind",
        "OfficialRoleEnum": "cities.models.Official.Role",
        "LetterKindEnum": "letters.models.Letter.Kind",
        "RulingKindEnum": "letters.models.Ruling.Kind",
        "EventKindEnum": "letters.models.Event.Kind",
        "GrantStatusEnum": "letters.models.GrantAward.Status",
        "CaseStatusEnum": "letters.models.CourtCase.Status",
        "CasePartyRoleEnum": "letters.models.CaseParty.Role",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
