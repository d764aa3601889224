"""A laptop, `make demo` and the tests: DEBUG on, a fixed development-only secret."""

from huikuan.web.settings.base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "dev-only-not-secret-huikuan"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
