"""Settings for Köprü, driven by the environment.

Unset variables give the embedded default a newcomer needs: SQLite under
``var/``, tasks run in-process, e-mail to the console. Production and the test
suite set DATABASE_URL (PostgreSQL) and REDIS_URL (Celery broker).
"""

from datetime import timedelta
from pathlib import Path

import django_stubs_ext
import environ
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

from common.countries import country_names_override
from patients.document_keys import development_key_entry

# Django's classes subscriptable at run time (ModelAdmin[Agreement], BaseInlineFormSet[...]),
# as the type checker reads them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # modeltranslation must precede the admin to patch its forms
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_countries",
    "django_htmx",
    "axes",
    # Ours, from the bottom of the dependency direction up (docs/architecture.md).
    "common",
    "audit",
    "accounts",
    "notices",
    "institutions",
    "patients",
    "quotas",
    "allocations",
    "applications",
    "referrals",
    "dashboard",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "institutions.middleware.UserCountriesFirstMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it turns a login refused for a locked-out user into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dashboard.context_processors.portal",
                "notices.context_processors.inbox",
            ],
            # Its ``date`` filter, CLDR's styles, replaces Django's in every template.
            "builtins": ["common.templatetags.dates"],
        },
    },
]

# --- Database -----------------------------------------------------------------
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'kopru.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A row lock waited on longer than this becomes a clear error, not a hung request.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c lock_timeout={env.int('DB_LOCK_TIMEOUT_MS', default=5000)}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth ---------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Login lockout (django-axes): every login path (the login page, the admin's, the API
# token) goes through ``authenticate``; the axes backend refuses a locked-out user first.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
# A username is locked wherever the guesses come from, and an address that guesses
# many usernames is locked too.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A successful login clears the user's failures, so only consecutive failures count.
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"

# --- Languages ----------------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [
    ("ru", _("Russian")),
    ("en", _("English")),
    ("ky", _("Kyrgyz")),
    ("kk", _("Kazakh")),
    ("tr", _("Turkish")),
    ("uz", _("Uzbek")),
    ("az", _("Azerbaijani")),
]
# The language switcher names each language in itself ("Кыргызча", "Türkçe"). Django's
# own data writes Uzbek in lower case as "oʻzbek tili" and marks Azerbaijani, written
# in Latin letters here, as right-to-left.
LANG_INFO["uz"] = {**LANG_INFO["uz"], "name_local": "Oʻzbekcha"}
LANG_INFO["az"] = {**LANG_INFO["az"], "bidi": False}
MODELTRANSLATION_DEFAULT_LANGUAGE = "ru"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("ru", "en")
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date style per language, CLDR's (config/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
# Country names from CLDR in the reader's language, as each country names itself
# (common/countries.py); the lists put the countries the user acts for first.
COUNTRIES_OVERRIDE = country_names_override()
USE_I18N = True
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_TZ = True

# --- Static and media ---------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise looks here even before collectstatic has run
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
# Medical documents live outside the web root and are served only through
# views that check the user's entitlement; there is deliberately no MEDIA_URL.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "private")

# Uploaded medical documents: PDF and images only, checked by content.
MAX_DOCUMENT_MB = env.int("MAX_DOCUMENT_MB", default=20)
# Keys that encrypt medical documents at rest: "id:base64-32-bytes", newest first
# (the first encrypts, all decrypt). Under DEBUG an unset list means a development
# key kept in var/; without DEBUG a system check refuses to start without a key.
DOCUMENT_ENCRYPTION_KEYS = env.list("DOCUMENT_ENCRYPTION_KEYS", default=[])
if DEBUG and not DOCUMENT_ENCRYPTION_KEYS:
    DOCUMENT_ENCRYPTION_KEYS = [development_key_entry(VAR_DIR / "document-key")]
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail -------------------------------------------------------------------
EMAIL_CONFIG = env.email_url(
    "EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25"
)
vars().update(EMAIL_CONFIG)
# A backend class of one's own (e.g. a provider's) overrides the one EMAIL_URL names.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default=EMAIL_CONFIG["EMAIL_BACKEND"])
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Köprü <noreply@kopru.example>")

# --- Celery -------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# API throttles count in the cache: shared Redis when there is one, else this process's memory.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
# No broker: run tasks in-process so the portal works with nothing installed.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# A broker that is down must not hold a request for long: publishing gives up
# quickly and the relay re-queues the notice later.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    # An unacknowledged task of a worker that vanished is redelivered after this.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}
CELERY_BEAT_SCHEDULE = {
    "notices-relay": {"task": "notices.tasks.notices_relay", "schedule": 60.0},
    "allocations-expire": {"task": "allocations.tasks.allocations_expire", "schedule": 300.0},
    "allocations-remind": {"task": "allocations.tasks.allocations_remind", "schedule": 3600.0},
    "pools-underuse": {"task": "quotas.tasks.pools_underuse", "schedule": 86400.0},
}

# --- Notices ------------------------------------------------------------------
# In development the links in notices and letters follow the port the portal runs
# on (``make run PORT=8401`` passes PORT); elsewhere set PORTAL_URL to the public address.
_DEVELOPMENT_PORT = env.int("PORT", default=8000) if DEBUG else 8000
PORTAL_URL = env.str("PORTAL_URL", default=f"http://127.0.0.1:{_DEVELOPMENT_PORT}")
NOTICE_MESSAGE_ID_DOMAIN = env.str("NOTICE_MESSAGE_ID_DOMAIN", default="kopru.example")
NOTICE_MAX_ATTEMPTS = env.int("NOTICE_MAX_ATTEMPTS", default=8)
NOTICE_RELAY_AFTER_SECONDS = env.int("NOTICE_RELAY_AFTER_SECONDS", default=60)
ALLOCATION_REMINDER_DAYS = env.int("ALLOCATION_REMINDER_DAYS", default=3)
POOL_UNDERUSE_DAYS = env.list("POOL_UNDERUSE_DAYS", cast=int, default=[90, 60, 30])

# --- REST API -----------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON bodies no larger than DATA_UPLOAD_MAX_MEMORY_SIZE, nested at most 32 deep.
    "DEFAULT_PARSER_CLASSES": [
        "common.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "common.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "common.api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "common.api.exceptions.exception_handler",
    # Counted in the Django cache (Redis when REDIS_URL is set); 429 with Retry-After.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/min"),
        "user": env.str("API_THROTTLE_USER", default="1200/min"),
        "auth-token": env.str("API_THROTTLE_TOKEN", default="10/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Köprü API",
    "DESCRIPTION": "Cross-border medical referrals and treatment quotas.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI assets are served by the portal itself, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name per choice set that several fields share.
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStatusEnum": "applications.choices.ApplicationStatus",
        "ReferralStatusEnum": "referrals.choices.ReferralStatus",
        "DeclineReasonEnum": "referrals.choices.DeclineReason",
        "RejectionReasonEnum": "applications.choices.RejectionReason",
        "WithdrawalReasonEnum": "applications.choices.WithdrawalReason",
        "DischargeOutcomeEnum": "referrals.choices.DischargeOutcome",
        "FundingSourceEnum": "referrals.choices.FundingSource",
        "MedicalDocumentKindEnum": "patients.choices.MedicalDocumentKind",
        "UrgencyEnum": "applications.choices.Urgency",
        "AllocationStateEnum": "allocations.choices.AllocationState",
        "ReleaseReasonEnum": "allocations.choices.ReleaseReason",
        "AgreementKindEnum": "quotas.choices.AgreementKind",
        "AgreementStatusEnum": "quotas.choices.AgreementStatus",
        "PoolKindEnum": "quotas.choices.PoolKind",
        "ChannelChangeKindEnum": "quotas.choices.ChannelChangeKind",
        "InstitutionKindEnum": "institutions.choices.InstitutionKind",
        "AccreditationKindEnum": "institutions.choices.AccreditationKind",
        "CooperationAreaEnum": "quotas.choices.CooperationArea",
        "CountryEnum": "django_countries.countries",
    },
}

# --- Security in production ---------------------------------------------------
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # In-process tasks would log every e-mail delivery; a worker's own log keeps them.
    "loggers": {"celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"}},
}
