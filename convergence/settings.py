"""Settings for every environment, read from the environment.

With nothing set, the project runs in development mode (DEBUG on, console e-mail, a
development-only secret key) against the PostgreSQL and Redis that ``make run`` / ``make test``
provide through ``DATABASE_URL`` and ``REDIS_URL``. With ``DJANGO_DEBUG=false`` it refuses to start
without a real secret key and allowed hosts, and ``manage.py check --deploy`` is clean.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from core.storage import default_storage_setting

BASE_DIR = Path(__file__).resolve().parent.parent
RUN_DIR = BASE_DIR / ".run"

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)

# --- Secrets and hosts -------------------------------------------------------------------------
DEVELOPMENT_SECRET_KEY = "development-only-insecure-key-never-use-in-production"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=DEVELOPMENT_SECRET_KEY if DEBUG else "")
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS",
    default=["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else [],
)

if not DEBUG:
    if not SECRET_KEY or SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY doit être défini (au moins 50 caractères aléatoires) "
            "lorsque DJANGO_DEBUG=false."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS doit être défini lorsque DJANGO_DEBUG=false.")

CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"
# Demo accounts have a published password: load_demo runs in development only. Kept apart from
# DEBUG, which test runners turn off.
DEMO_DATA_ALLOWED = DEBUG
# The admin site's URL prefix: a deployment picks its own, away from the well-known /admin/.
ADMIN_URL = env.str("DJANGO_ADMIN_URL", default="admin/").strip("/") + "/"
if ADMIN_URL == "/":
    raise ImproperlyConfigured("DJANGO_ADMIN_URL ne peut pas être vide (par exemple « gestion-technique/ »).")

# --- Applications ------------------------------------------------------------------------------
DJANGO_APPS = [
    # Django's admin on django-otp's admin site: the second factor is required (core/admin_site.py).
    "core.admin_apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
]
THIRD_PARTY_APPS = [
    "dsfr",
    "crispy_forms",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "pgtrigger",
    "pghistory",
    "csp",
    "ninja",
]
LOCAL_APPS = [
    "core",
    "accounts",
    "companies",
    "questionnaires",
    "products",
    "assessments",
    "proofs",
    "certificates",
    "instruction",
    "dmn",
    "helpcentre",
    "catalogue",
    "apikeys",
    "api",
    "portal",
    "review",
    "audit",
    "demo",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.NoStoreWhenSignedInMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Before any view reads the body: an oversized upload gets a French 413 page, unread.
    "core.body_limit.RequestBodyLimitMiddleware",
    # Audit trail: the person behind every write of the request (pghistory context).
    "pghistory.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # The access chain of every view: signed in → second factor → terms → role (accounts/access.py).
    "accounts.access.AccessMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "convergence.urls"
WSGI_APPLICATION = "convergence.wsgi.application"

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
                "core.context_processors.site",
            ],
        },
    },
    {
        # The questionnaire's item widgets, rendered up to 300 times a page: compiled by Jinja2.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "core.jinja_env.environment"},
    },
]

# --- Database: PostgreSQL only, through psycopg 3 and Django's native pool ----------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/convergence"),
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL doit désigner une base PostgreSQL.")
# libpq spells a unix-socket directory as a percent-encoded host (postgres://user@%2Fpath/db).
DATABASES["default"]["HOST"] = unquote(DATABASES["default"]["HOST"])
DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps the connections
if env.bool("DJANGO_DB_POOL", default=True):
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DJANGO_DB_POOL_MIN", default=1),
        "max_size": env.int("DJANGO_DB_POOL_MAX", default=10),
        "timeout": env.int("DJANGO_DB_POOL_TIMEOUT", default=10),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache and Celery broker -------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")


def celery_url(redis_url: str) -> str:
    """Celery spells a Redis unix socket ``redis+socket://`` where redis-py says ``unix://``."""
    if redis_url.startswith("unix://"):
        return "redis+socket://" + redis_url.removeprefix("unix://")
    return redis_url


CACHES = {
    # django-redis rather than Django's own Redis backend: Django's builds a new redis-py client (and
    # its table of ~170 reply parsers) for every cache operation, that is on every request, for the
    # session; django-redis builds it once per process. A session read takes 195 µs instead of 299 µs
    # and 200 Python calls instead of 744 (bench/cache.py). Both store the same bytes (plain
    # integers, pickles otherwise): sessions and counters survive the change.
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env.str("DJANGO_CACHE_PREFIX", default="convergence"),
        "TIMEOUT": 300,
    },
    # Each process's own memo (core.memo) of reads that rarely change (help links and expected proofs
    # of a version, the company owning an assessment): whoever reads through it sets the timeout and
    # says how stale it may be.
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "convergence-local",
        "TIMEOUT": 60,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
    # The templates' {% cache %} fragments (Django's alias for them): the page shell's parts that
    # depend only on what their tag lists (stylesheets, scripts, footer, the navigation of a role on
    # a page), rendered once per process, then reused. Nothing per person goes there. The development
    # server empties it when a template changes (core.apps).
    "template_fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "template_fragments",
        "TIMEOUT": None,
    },
}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=celery_url(REDIS_URL))
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=120)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=180)
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=200)
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="convergence")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # An unacknowledged task (worker killed mid-task) is delivered again after this delay.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600),
}
CELERY_TIMEZONE = "Europe/Paris"
CELERY_BEAT_SCHEDULE: dict = {
    # Documents left pending (broker down when requested, message lost) are enqueued again.
    "certificates-requeue-pending": {
        "task": "certificates.tasks.certificates_requeue_pending",
        "schedule": 300.0,
    },
    # The catalogue's weekly digest to its subscribers, on Monday morning.
    "catalogue-weekly-digests": {
        "task": "catalogue.tasks.subscriptions_send_digests",
        "schedule": crontab(day_of_week="monday", hour=7, minute=0),
    },
}
# Tasks the certificates services enqueue, with (certificate id, "issued" | "revoked"), once an
# attestation is issued or revoked: how upper layers (the catalogue's subscriptions) learn of it
# without the certificates app importing them.
CERTIFICATE_CHANGE_TASKS = ["catalogue.tasks.subscriptions_notify_document"]

# --- API (api/) ----------------------------------------------------------------------------------
# Requests per window: per client address (every operation) and per key (vendor operations).
API_ADDRESS_LIMIT = env.int("API_ADDRESS_LIMIT", default=300)
API_KEY_LIMIT = env.int("API_KEY_LIMIT", default=120)
API_RATE_WINDOW_SECONDS = 60

# --- Authentication ----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTHENTICATION_BACKENDS = [
    # First: refuses any login attempt for a locked-out e-mail + IP pair (django-axes).
    "accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Password set-up links (account approval) and reset links: single use, valid 72 hours.
PASSWORD_RESET_TIMEOUT = 72 * 60 * 60
INVITATION_VALIDITY_DAYS = 7
# Brute force: the e-mail + IP pair is locked for a cool-off period after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.backends.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
AXES_VERBOSE = False
# Many addresses against one account: past this many failures in the window, only addresses that
# signed in to it before may try (accounts/login_throttle.py).
LOGIN_ACCOUNT_FAILURE_LIMIT = 20
LOGIN_ACCOUNT_FAILURE_WINDOW = timedelta(hours=1)
LOGIN_KNOWN_ADDRESS_MAX_AGE = timedelta(days=180)
# Second factor (TOTP): mandatory for reviewers, optional for vendors.
OTP_TOTP_ISSUER = "Convergence"
OTP_TOTP_THROTTLE_FACTOR = 1
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "first_name", "last_name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Audit trail (django-pghistory) -----------------------------------------------------------
# Triggers watch tables of other apps: they are installed after every migrate rather than through
# those apps' migrations (the event tables themselves are in audit/migrations).
PGTRIGGER_MIGRATIONS = False
PGTRIGGER_INSTALL_ON_MIGRATE = True

# --- Internationalisation ----------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static and private files ------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(RUN_DIR / "private")))
# Filesystem by default; S3-compatible object storage when AWS_STORAGE_BUCKET_NAME is set (several
# machines): certificates' PDFs and proofs alike (core/storage.py).
STORAGES = {
    "default": default_storage_setting(env, private_root=PRIVATE_MEDIA_ROOT),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
# Uploads never get a public URL: they live in the default storage (PRIVATE_MEDIA_ROOT, no base
# URL) and are served by authorised views only. Nothing is ever placed under MEDIA_ROOT.
MEDIA_URL = "/media/"
MEDIA_ROOT = RUN_DIR / "no-public-media"
WHITENOISE_USE_FINDERS = DEBUG
# In development (and under the tests, which switch DEBUG off at run time but keep this value) each
# static file is looked up when asked for: building a request handler does not list the ~1,800 files
# of the finders, which every new test client would otherwise pay (0.3 s each).
WHITENOISE_AUTOREFRESH = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
# Optional antivirus: the clamd unix socket; empty, proofs are recorded as not scanned (proofs/scan.py).
CLAMD_SOCKET = env.str("CLAMD_SOCKET", default="")
# Whole request body, files included (core.body_limit); the proxy's client_max_body_size matches it.
REQUEST_BODY_MAX_SIZE = 6 * 1024 * 1024
# The proof upload route only (core.body_limit.body_limit): the largest proof a referential may ask
# for (questionnaires/definition.py, PROOF_MAX_SIZE_MB) plus the form around it; the view enforces the
# expected proof's own limit before reading, and again while receiving.
PROOF_UPLOAD_MAX_BODY_SIZE = (1024 + 1) * 1024 * 1024

# --- E-mail ------------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Convergence <ne-pas-repondre@convergence.localhost>"
)
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
SUPPORT_EMAIL = env.str("SUPPORT_EMAIL", default="support@convergence.localhost")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# The agency's needs-expression form, linked from "non applicable" answers (cases the CI-SIS does not cover).
NEEDS_EXPRESSION_URL = env.str(
    "NEEDS_EXPRESSION_URL", default="https://esante.gouv.fr/produits-services/ci-sis/expression-de-besoin"
)

# --- Security ----------------------------------------------------------------------------------
NON_DELIVERING_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
# Read from the Redis cache, written through to the database: a session outlives a cache flush or
# eviction. On the default cache, so each test process's key prefix (tests/conftest.py) covers them.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "default"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (built by django-csp once, set by core.middleware on every response):
# scripts only from our own static files, no inline script or event handler (their behaviours live
# in static/js/). Styles keep 'unsafe-inline' for style attributes: the level colours come from the
# questionnaire data and are written as style attributes (badges, charts, legends); without it those
# pages lose their colours. Video and image proofs play in the back office from our own views (files
# on S3 are streamed through them too), so media and images need no other origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "media-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Reverse proxies in front of the application that append to X-Forwarded-For; 0: REMOTE_ADDR only.
# core/client_ip.py gives the client address from it, for every address-keyed rule.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip_address"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # /healthz is probed over plain HTTP by the orchestrator.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    # Mail that never leaves the machine would lose every password and invitation link.
    if EMAIL_BACKEND in NON_DELIVERING_EMAIL_BACKENDS:  # noqa: F821 (set by env.email_url above)
        raise ImproperlyConfigured(
            "EMAIL_URL doit désigner un vrai serveur d'envoi (smtp://… ou smtp+tls://…) lorsque "
            "DJANGO_DEBUG=false : les e-mails affichés dans la console, gardés en mémoire, écrits "
            "dans des fichiers ou ignorés ne parviennent à personne."
        )

# --- Forms -------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ["dsfr_crispy"]
CRISPY_TEMPLATE_PACK = "dsfr_crispy"

# --- Logging -----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # django-axes logs every successful login at INFO; failures and lockouts stay visible.
        "axes": {"level": "WARNING"},
        # WeasyPrint and fontTools log every rendering step at INFO: keep the workers' logs readable.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
