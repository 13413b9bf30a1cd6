"""One settings file, driven by KEHU_* environment variables (see .env.example).

Defaults give a zero-set-up SQLite install under $KEHU_HOME/var/ (the checkout when run
from one); production sets KEHU_DATABASE_URL to PostgreSQL, KEHU_ALLOWED_HOSTS and runs
behind a proxy.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlparse

from django.utils.translation import gettext_lazy as _


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """Parse postgresql://user:pass@host:port/name?opt=v or sqlite:///path into DATABASES."""
    parsed = urlparse(url)
    if parsed.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "kehu",
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "OPTIONS": dict(parse_qsl(parsed.query)),
            "CONN_MAX_AGE": env_int("KEHU_DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            "TEST": {"NAME": env_str("KEHU_TEST_DB_NAME") or None},
        }
    if parsed.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(parsed.path) or ":memory:"}
    raise ValueError(f"KEHU_DATABASE_URL: unsupported scheme {parsed.scheme!r}")


BASE_DIR = Path(__file__).resolve().parent


def _checkout_root(package_dir: Path = BASE_DIR) -> Path | None:
    """The source checkout this package runs from (an editable install), or None."""
    root = package_dir.parent.parent
    pyproject = root / "pyproject.toml"
    is_checkout = package_dir.parent.name == "src" and pyproject.is_file()
    if is_checkout and 'name = "kehu"' in pyproject.read_text(encoding="utf-8", errors="replace"):
        return root
    return None


def _home(package_dir: Path = BASE_DIR) -> tuple[Path, str]:
    """Where Kehu keeps its data, resolved once and independent of the current directory
    (a relative ./var made `kehu` run from elsewhere silently start a new database and key).

    KEHU_HOME if set; else the checkout when installed editable; else the per-user data
    directory ($XDG_DATA_HOME/kehu, i.e. ~/.local/share/kehu), as a packaged install has
    no project directory of its own. The second value says which rule chose it."""
    explicit = env_str("KEHU_HOME")
    if explicit:
        return Path(explicit).expanduser().resolve(), "KEHU_HOME"
    root = _checkout_root(package_dir)
    if root is not None:
        return root, "the source checkout"
    data_home = env_str("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return (Path(data_home) / "kehu").resolve(), "the per-user data directory"


HOME_DIR, HOME_SOURCE = _home()
_var = env_str("KEHU_VAR_DIR")
# A relative KEHU_VAR_DIR is taken relative to the home, never to the current directory.
VAR_DIR = (HOME_DIR / _var if _var else HOME_DIR / "var").expanduser().resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    # Generated once into var/, never committed: every install gets its own key.
    explicit = env_str("KEHU_SECRET_KEY")
    if explicit:
        return explicit
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("KEHU_DEBUG", False)
ALLOWED_HOSTS = env_list("KEHU_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("KEHU_CSRF_TRUSTED_ORIGINS")
SITE_NAME = env_str("KEHU_SITE_NAME", "Kehu")

# Behind a TLS-terminating proxy (nginx, Caddy) that sets X-Forwarded-Proto and appends the
# client's address to X-Forwarded-For (read only then: a direct client could forge it).
KEHU_BEHIND_PROXY = env_bool("KEHU_BEHIND_PROXY", False)
if KEHU_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
# KEHU_SECURE_COOKIES=1 says "served over HTTPS": cookies only over TLS, and by default
# plain-HTTP requests are redirected and browsers told (HSTS) to use HTTPS for a year.
SESSION_COOKIE_SECURE = env_bool("KEHU_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("KEHU_SSL_REDIRECT", SESSION_COOKIE_SECURE)
SECURE_HSTS_SECONDS = env_int("KEHU_HSTS_SECONDS", 31_536_000 if SESSION_COOKIE_SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("KEHU_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading is hard to undo (browsers ship the list), so it is opt-in.
SECURE_HSTS_PRELOAD = env_bool("KEHU_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "kehu.core",
    "kehu.notifications",
    "kehu.customers",
    "kehu.sales",
    "kehu.service",
    "kehu.knowledge",
    "kehu.surveys",
    "kehu.retention",
    "kehu.development",
    "kehu.dealers",
    "kehu.insights",
    "kehu.quality",
    "kehu.imports",
    "kehu.privacy",
    "kehu.portal",
    "kehu.api",
    "kehu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kehu.core.middleware.UserLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A portal user (kehu.portal) reaches the portal only, never a staff page or the API.
    "kehu.portal.middleware.PortalBoundaryMiddleware",
    "kehu.core.middleware.UserLanguageActivateMiddleware",
    "kehu.core.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kehu.core.middleware.SecurityHeadersMiddleware",
    "kehu.core.audit.AuditUserMiddleware",
]

ROOT_URLCONF = "kehu.urls"
WSGI_APPLICATION = "kehu.wsgi.application"

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
                "kehu.core.context_processors.kehu",
            ],
        },
    }
]

DATABASES = {
    "default": database_from_url(
        env_str("KEHU_DATABASE_URL") or f"sqlite://{VAR_DIR / 'kehu.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the worker write while the web process reads.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }


def describe_database(database: dict | None = None) -> str:
    """Where the data is, for the start-up line "Database: …" (never the password)."""
    db = database or DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"SQLite {db['NAME']}  (KEHU_HOME from {HOME_SOURCE}: {HOME_DIR})"
    host = f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"
    return f"PostgreSQL {db.get('USER') or ''}@{host}/{db['NAME']}"


DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The search-key index carries customer_id for index-only scans on PostgreSQL; SQLite
# simply builds it without the extra column, which is fine.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Checked wherever a password is chosen by hand (admin, password change, createsuperuser);
# the demo builder sets its shared demo password directly and so is not held to them.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "first_name", "last_name", "email")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("KEHU_PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed sign-ins are counted per account and address (see kehu.core.throttle).
AUTHENTICATION_BACKENDS = ["kehu.core.auth.ThrottledModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "customers:list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = env_str("KEHU_LANGUAGE", "zh-hans")
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("KEHU_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns at start-up when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

TASKS = {
    "default": {
        "BACKEND": env_str("KEHU_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- Kehu behaviour -------------------------------------------------------------------------
# Reps see their own and their team's customers by default; True opens the whole database
# to every staff member (partner users and masking still apply).
KEHU_ALL_STAFF_SEE_ALL = env_bool("KEHU_ALL_STAFF_SEE_ALL", False)
KEHU_DEFAULT_PHONE_REGION = env_str("KEHU_DEFAULT_PHONE_REGION", "CN")
KEHU_SERVICE_SEES_ALL = env_bool("KEHU_SERVICE_SEES_ALL", True)
KEHU_PAGE_SIZE = env_int("KEHU_PAGE_SIZE", 50)
# Import limits, checked before a file is stored (kehu.imports.limits).
KEHU_IMPORT_MAX_FILE_MB = env_int("KEHU_IMPORT_MAX_FILE_MB", 500)
KEHU_IMPORT_MAX_COLUMNS = env_int("KEHU_IMPORT_MAX_COLUMNS", 200)
KEHU_IMPORT_MAX_CELL_CHARS = env_int("KEHU_IMPORT_MAX_CELL_CHARS", 32_767)
KEHU_IMPORT_MAX_ROW_CHARS = env_int("KEHU_IMPORT_MAX_ROW_CHARS", 100_000)
KEHU_IMPORT_MAX_XLSX_UNPACKED_MB = env_int("KEHU_IMPORT_MAX_XLSX_UNPACKED_MB", 2_000)
# Who may merge duplicate customers (and undo merges).
KEHU_MERGE_ROLES = tuple(env_list("KEHU_MERGE_ROLES", "admin,manager"))
# Duplicate detection: pairs at or above this probability go to the review queue; the
# warning on a new customer starts at the second threshold.
KEHU_DEDUPE_THRESHOLD = float(env_str("KEHU_DEDUPE_THRESHOLD", "0.8"))
KEHU_DUPLICATE_WARN_THRESHOLD = float(env_str("KEHU_DUPLICATE_WARN_THRESHOLD", "0.5"))
# Empty: $KEHU_VAR_DIR/dedupe_model.json.
KEHU_DEDUPE_MODEL_PATH = env_str("KEHU_DEDUPE_MODEL_PATH", "")
# Local time of the nightly jobs queued for `kehu worker`.
KEHU_DEDUPE_HOUR = env_int("KEHU_DEDUPE_HOUR", 2)
# Sign-in throttling: failures within the window before a lock-out, per account from one
# address and per address across accounts; each further lock-out doubles, up to the cap.
KEHU_LOGIN_FAILURES_PER_ACCOUNT = env_int("KEHU_LOGIN_FAILURES_PER_ACCOUNT", 5)
KEHU_LOGIN_FAILURES_PER_ADDRESS = env_int("KEHU_LOGIN_FAILURES_PER_ADDRESS", 20)
KEHU_TOKEN_FAILURES_PER_ADDRESS = env_int("KEHU_TOKEN_FAILURES_PER_ADDRESS", 20)
KEHU_LOGIN_WINDOW_MINUTES = env_int("KEHU_LOGIN_WINDOW_MINUTES", 15)
KEHU_LOGIN_LOCKOUT_MINUTES = env_int("KEHU_LOGIN_LOCKOUT_MINUTES", 1)
KEHU_LOGIN_LOCKOUT_MAX_MINUTES = env_int("KEHU_LOGIN_LOCKOUT_MAX_MINUTES", 60)
# 1: administrators and managers must set up two-factor sign-in before using Kehu.
KEHU_REQUIRE_2FA = env_bool("KEHU_REQUIRE_2FA", False)
KEHU_ANALYTICS_NIGHTLY_AT = env_str("KEHU_ANALYTICS_NIGHTLY_AT", "02:00")
# Outgoing mail (notifications): none unless KEHU_EMAIL_HOST is set.
EMAIL_HOST = env_str("KEHU_EMAIL_HOST", "")
EMAIL_PORT = env_int("KEHU_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("KEHU_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("KEHU_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("KEHU_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("KEHU_EMAIL_FROM", "kehu@localhost")
# Notifications are e-mailed too when mail is configured; links in them start with this.
KEHU_NOTIFY_EMAIL = env_bool("KEHU_NOTIFY_EMAIL", bool(EMAIL_HOST))
KEHU_BASE_URL = env_str("KEHU_BASE_URL", "")
# Service desk: the team key customers' tickets go to (a team name; empty: no routing), the
# working calendar of the deadlines (cn: China's official days; none: Monday to Friday), the
# largest attachment, and the shared secret that signs the telephone system's call webhooks
# (empty: the call endpoints answer 403).
KEHU_SERVICE_KEY_TEAM = env_str("KEHU_SERVICE_KEY_TEAM", "")
KEHU_SERVICE_CALENDAR = env_str("KEHU_SERVICE_CALENDAR", "cn")
KEHU_TICKET_ATTACHMENT_MAX_MB = env_int("KEHU_TICKET_ATTACHMENT_MAX_MB", 10)
KEHU_CTI_SECRET = env_str("KEHU_CTI_SECRET", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("KEHU_LOG_LEVEL", "WARNING")},
}
