"""Settings every environment shares. Data lives under ``HUIKUAN_DATA_DIR`` (default
``./.huikuan-data``): the SQLite database and, per company, the kept originals, their entries
Parquet files and the run results. ``HUIKUAN_DATABASE_URL`` or ``DATABASE_URL`` switches the
database to PostgreSQL."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("HUIKUAN_DATA_DIR", ".huikuan-data")).resolve()


def database_from_url(url: str | None, data_dir: Path) -> dict[str, Any]:
    """Django's DATABASES["default"] for a ``postgres://user:pw@host:port/name`` URL, a
    ``sqlite:////absolute/path.sqlite3`` URL, or the SQLite file under the data dir when there is
    none."""
    if not url:
        # a fresh machine: the first command creates it (checks.py says why it could not)
        with contextlib.suppress(OSError):
            data_dir.mkdir(parents=True, exist_ok=True)
        return _sqlite(data_dir / "huikuan.sqlite3")
    parts = urlparse(url)
    if parts.scheme == "sqlite":  # sqlite:///relative/path, sqlite:////absolute/path
        return _sqlite(Path(unquote(parts.path)[1:]))
    if parts.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"HUIKUAN_DATABASE_URL: only postgres:// and sqlite:// URLs are supported, "
                         f"not {parts.scheme}://")
    return {"ENGINE": "django.db.backends.postgresql", "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""), "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "", "PORT": str(parts.port or ""), "CONN_MAX_AGE": 60}


def _sqlite(path: Path) -> dict[str, Any]:
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path),
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"}}


DATABASES = {"default": database_from_url(
    os.environ.get("HUIKUAN_DATABASE_URL") or os.environ.get("DATABASE_URL"), DATA_DIR)}

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "huikuan.web.apps.HuikuanWebConfig",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "huikuan.web.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "huikuan.web.language.ChosenLanguageMiddleware",
    "huikuan.web.uploads.UploadSizeMiddleware",
    "huikuan.web.security.RefuseControlCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "huikuan.web.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.template.context_processors.i18n",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
WSGI_APPLICATION = "huikuan.web.wsgi.application"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "static/"
# whitenoise serves the package's static files straight from the app folders (no collectstatic
# needed for `make demo`); with DEBUG off they are still served, which is the point
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False

#: largest file accepted, in bytes; a bigger one is refused with a clear message while it
#: streams (``web/uploads.py``), so it never lands on disk whole
HUIKUAN_MAX_UPLOAD_BYTES = int(os.environ.get("HUIKUAN_MAX_UPLOAD_BYTES", str(200 * 1024 * 1024)))
#: largest request body of an upload (all its files); a bigger Content-Length is answered 413
#: before the body is read. 0: the file limit plus 1 MB for the form around it
HUIKUAN_MAX_UPLOAD_REQUEST_BYTES = int(os.environ.get("HUIKUAN_MAX_UPLOAD_REQUEST_BYTES", "0"))
#: files larger than this are previewed by the worker (the page polls its progress)
HUIKUAN_PREVIEW_IN_WORKER_BYTES = int(os.environ.get("HUIKUAN_PREVIEW_IN_WORKER_BYTES",
                                                     str(20 * 1024 * 1024)))
#: uploads never accepted or discarded, and part files of interrupted uploads, are removed
#: after this many hours (at every upload and by ``huikuan-web clean_staging``); a duration, not money
HUIKUAN_STAGING_MAX_AGE_HOURS = float(os.environ.get("HUIKUAN_STAGING_MAX_AGE_HOURS", "24"))  # ok-float
FILE_UPLOAD_HANDLERS = [
    "huikuan.web.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "huikuan.web.uploads.NeutralTemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 50
#: failed logins per username+address before a pause, and the pause in seconds
HUIKUAN_LOGIN_FAILURES = 5
#: failed logins from one address, whatever the usernames, before that address is paused too
HUIKUAN_LOGIN_FAILURES_PER_ADDRESS = 20
#: how many reverse proxies stand in front of the app (0: use REMOTE_ADDR, ignore X-Forwarded-For)
HUIKUAN_TRUSTED_PROXIES = int(os.environ.get("HUIKUAN_TRUSTED_PROXIES", "0"))
HUIKUAN_LOGIN_LOCKOUT_SECONDS = 15 * 60
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                      "LOCATION": "huikuan_cache"}}
#: the background worker (web/jobs.py): a running job holds a lease that its worker renews every
#: heartbeat; a job whose lease ran out (its worker died) is taken by another worker, at most
#: HUIKUAN_JOB_MAX_ATTEMPTS times in all, then it fails with a message saying so
HUIKUAN_JOB_LEASE_SECONDS = float(os.environ.get("HUIKUAN_JOB_LEASE_SECONDS", "60"))  # ok-float
HUIKUAN_JOB_HEARTBEAT_SECONDS = float(os.environ.get("HUIKUAN_JOB_HEARTBEAT_SECONDS", "10"))  # ok-float
HUIKUAN_JOB_MAX_ATTEMPTS = int(os.environ.get("HUIKUAN_JOB_MAX_ATTEMPTS", "3"))
ROLE_LABELS = {"admin": _("admin"), "accountant": _("accountant"), "viewer": _("viewer")}
