"""Settings for aftersales, read from the environment.

One module on purpose: every value that differs between machines comes from an environment
variable, with a default that makes a fresh clone run on one machine with no extra services.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("AFTERSALES_VAR_DIR", BASE_DIR / "var"))
# The data folder holds the database, the worker's queue, uploads, mail and the secret key:
# everything this process creates there is readable by its owner only (AFTERSALES_UMASK).
os.umask(int(os.environ.get("AFTERSALES_UMASK", "077"), 8))
if not VAR_DIR.exists():
    VAR_DIR.mkdir(parents=True, mode=0o700)
    VAR_DIR.chmod(0o700)


def _owner_only_file(path: Path) -> Path:
    """Create ``path`` (if missing) readable by its owner only, whatever the umask."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        path.chmod(0o600)
    return path


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """Use SECRET_KEY when given; otherwise generate one once and keep it in the data folder."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    if not path.exists():
        # created 0600 before a byte is written: never readable by others, not for an instant
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# pytest sets PYTEST_VERSION for the whole run: tests send tasks inline and skip the static
# manifest so they need neither a consumer nor collectstatic.
TESTING = "PYTEST_VERSION" in os.environ
DEBUG = _env_bool("DEBUG", False)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "csp",
    "ninja",
    "huey.contrib.djhuey",
    "aftersales.core",
    "aftersales.accounts",
    "aftersales.customers",
    "aftersales.cases",
    "aftersales.notifications",
    "aftersales.portal",
    "aftersales.search",
    "aftersales.calendars",
    "aftersales.sla",
    "aftersales.routing",
    "aftersales.workorders",
    "aftersales.parts",
    "aftersales.purchasing",
]
if _env_bool("AFTERSALES_DEMO", True):
    # Last: the demo data builds on every other app. Production may leave it out
    # (AFTERSALES_DEMO=0): no other app imports it.
    INSTALLED_APPS.append("aftersales.demo")

MIDDLEWARE = [
    # first: forwarded headers from anyone but a trusted proxy are dropped before anything
    # (the HTTPS redirect included) reads them
    "aftersales.core.middleware.UntrustedForwardingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "aftersales.core.unstorable.RefuseUnstorableTextMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "aftersales.core.middleware.IdleTimeoutMiddleware",
    "aftersales.core.middleware.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "aftersales.core.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "aftersales" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "config.context_processors.navigation",
            ],
        },
    }
]

# --- database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'aftersales.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        # SQLite gives its -wal and -shm files the database file's mode
        _owner_only_file(Path(DATABASES["default"]["NAME"]))
    # WAL lets readers run while one writer commits; IMMEDIATE takes the write lock at BEGIN
    # so two writers queue instead of failing half-way with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file (not memory) so tests with several threads share one database; one per process
    # so parallel runs do not collide.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and _env_bool(
        "DATABASE_PREPARED_STATEMENTS", True
    ):
        # Server-side binding lets PostgreSQL prepare statements the app repeats, instead of
        # planning every query text anew (a quarter of an intake request's cost). Turn it off
        # behind a connection pooler in transaction mode, which cannot keep prepared statements.
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": 5}
        )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- accounts and security ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Hashing cost is not under test; argon2 stays the default everywhere else.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
# Sign-in lockout that nobody can aim at someone else: a user name is locked only together
# with the address that failed (the victim signs in from elsewhere), and an address that fails
# often for any user names is locked on its own at a higher limit.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_IP_FAILURE_LIMIT = int(os.environ.get("AXES_IP_FAILURE_LIMIT", "30"))
AXES_HANDLER = "aftersales.accounts.lockout.LockoutHandler"
# The client's address: X-Forwarded-For only from the proxies in TRUSTED_PROXIES (addresses or
# networks, comma-separated; empty when the app faces the clients itself).
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]
AXES_CLIENT_IP_CALLABLE = "aftersales.core.request_context.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = _env_bool("AXES_ENABLED", True)

# Rate limits per hour: password-reset requests per e-mail address (beyond it nothing more is
# sent, and the page says the same) and per client address (HTTP 429); portal sign-ups per
# client address.
PASSWORD_RESET_PER_EMAIL = int(os.environ.get("PASSWORD_RESET_PER_EMAIL", "3"))
PASSWORD_RESET_PER_CLIENT = int(os.environ.get("PASSWORD_RESET_PER_CLIENT", "20"))
SIGNUP_PER_CLIENT = int(os.environ.get("SIGNUP_PER_CLIENT", "10"))
PASSWORD_RESET_TIMEOUT = 2 * 3600  # a link works for two hours

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

SESSION_COOKIE_HTTPONLY = True
# Signed out after this much inactivity (seconds): staff after 30 minutes, portal customers
# after a day (core.middleware.IdleTimeoutMiddleware).
STAFF_IDLE_TIMEOUT = int(os.environ.get("STAFF_IDLE_MINUTES", "30")) * 60
CUSTOMER_IDLE_TIMEOUT = int(os.environ.get("CUSTOMER_IDLE_MINUTES", "1440")) * 60
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# AFTERSALES_HTTPS=1 when the site is reached over HTTPS: plain HTTP is redirected, browsers
# are told to use HTTPS only (HSTS) and cookies travel over HTTPS only. Off by default, for
# http://127.0.0.1. Behind a proxy that ends TLS, list it in TRUSTED_PROXIES: its
# X-Forwarded-Proto then says whether the client used HTTPS (the app must be reachable only
# through that proxy, which sets the header itself).
HTTPS = _env_bool("AFTERSALES_HTTPS", _env_bool("HTTPS", False))
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = _env_bool("HSTS_PRELOAD", False)
    if TRUSTED_PROXIES:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "aftersales" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
PHONE_DEFAULT_REGION = os.environ.get("PHONE_DEFAULT_REGION", "CN")

# Geocoding (docs/geocoding.md): offline to district centroids always; the AMap web-service
# geocoder refines points in the background only when a key is set.
GEOCODER_AMAP_KEY = os.environ.get("GEOCODER_AMAP_KEY", "")
GEOCODER_AMAP_SECRET = os.environ.get("GEOCODER_AMAP_SECRET", "")  # for signed requests
GEOCODER_AMAP_URL = os.environ.get("GEOCODER_AMAP_URL", "https://restapi.amap.com/v3/geocode/geo")
GEOCODER_TIMEOUT = float(os.environ.get("GEOCODER_TIMEOUT", "3"))

# --- static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "aftersales" / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# uploads, photos, signatures and reports: the owner's only
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not _env_bool("STATIC_NO_MANIFEST", TESTING)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if TESTING:
    # WhiteNoise reads all of STATIC_ROOT (some 2,000 files) whenever a middleware chain is
    # built, which the test client does once per client, i.e. per test: 0.15 s each. Looking a
    # file up when it is asked for costs the tests nothing.
    WHITENOISE_AUTOREFRESH = True
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
ATTACHMENT_MAX_FILES = int(os.environ.get("ATTACHMENT_MAX_FILES", "10"))  # per message or upload
ATTACHMENT_MAX_PER_CASE = int(os.environ.get("ATTACHMENT_MAX_PER_CASE", "200"))
# Images above this many pixels are refused (decompression bombs); 40 MP is 8000 × 5000.
IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", str(40_000_000)))
DATA_UPLOAD_MAX_MEMORY_SIZE = ATTACHMENT_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- background jobs ------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
HUEY_IMMEDIATE = _env_bool("HUEY_IMMEDIATE", TESTING)
# The default service levels are written after ``migrate`` (aftersales/sla/defaults.py); the
# tests build the policies they test.
SLA_SEED_DEFAULTS = _env_bool("SLA_SEED_DEFAULTS", not TESTING)
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "aftersales",
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "aftersales",
        "filename": str(_owner_only_file(VAR_DIR / "huey.sqlite3")),
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }

# --- caches ---------------------------------------------------------------------------------
# Rate limits (password reset, sign-up) count in a cache every app process shares: Redis when
# REDIS_URL is set, otherwise files in the data folder (one machine); per process in tests.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl"}
    if TESTING
    else {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache" / "ratelimit"),
    },
}

# --- e-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "售后服务 <service@example.com>")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# --- logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "aftersales": {"level": os.environ.get("LOG_LEVEL", "INFO")},
        # the consumer logs each periodic run at INFO; keep the console for what matters
        "huey": {
            "level": os.environ.get("HUEY_LOG_LEVEL", "WARNING"),
            "handlers": ["console"],
            "propagate": False,
        },
    },
}

NINJA_PAGINATION_PER_PAGE = 50
APP_NAME = _("After-sales service")
