"""Production: the secret and host names come from the environment; HTTPS-only cookies, HSTS.
``manage.py check --deploy`` passes under these settings (tests/web/test_settings.py)."""

import contextlib
import os

from django.core.exceptions import ImproperlyConfigured

from huikuan.web.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ.get("HUIKUAN_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("set HUIKUAN_SECRET_KEY to a random string of at least 50 characters")
ALLOWED_HOSTS = [h for h in os.environ.get("HUIKUAN_ALLOWED_HOSTS", "").split(",") if h]
CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = os.environ.get("HUIKUAN_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# `huikuan-web collectstatic` fills it; until then whitenoise serves the package's own files
STATIC_ROOT = DATA_DIR / "static"  # noqa: F405
with contextlib.suppress(OSError):  # a data folder it cannot write is named by checks.py at start
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {"staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
