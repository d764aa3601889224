"""WSGI entry for a production server (gunicorn huikuan.web.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huikuan.web.settings.production")
application = get_wsgi_application()
