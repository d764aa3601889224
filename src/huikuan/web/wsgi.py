"""WSGI entry for a production server (gunicorn huikuan.web.wsgi)."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huikuan.web.settings.production")
application = get_wsgi_application()

from huikuan.web.checks import data_dir_problems  # noqa: E402 - needs the app registry loaded

if problems := data_dir_problems():  # refuse to start rather than answer 500 at the first login
    raise ImproperlyConfigured("; ".join(problems))
