"""Production settings pass Django's deployment checks; no secret lives in the repository."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest

from huikuan.web.settings.base import database_from_url

pytestmark = pytest.mark.web


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("HUIKUAN_DATABASE_URL", "DATABASE_URL")}
    return subprocess.run([sys.executable, "-m", "huikuan.web", *args], capture_output=True, text=True,
                          env=environment | env, check=False, timeout=120)


def test_check_deploy_is_clean_under_the_production_settings(tmp_path) -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING",
                     DJANGO_SETTINGS_MODULE="huikuan.web.settings.production",
                     HUIKUAN_SECRET_KEY=secrets.token_urlsafe(60),
                     HUIKUAN_ALLOWED_HOSTS="huikuan.example.com",
                     HUIKUAN_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret(tmp_path) -> None:
    result = _manage("check", DJANGO_SETTINGS_MODULE="huikuan.web.settings.production",
                     HUIKUAN_SECRET_KEY="", HUIKUAN_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "HUIKUAN_SECRET_KEY" in result.stderr


def test_a_database_url_selects_postgresql(tmp_path) -> None:
    config = database_from_url("postgres://huikuan:p%40ss@db.local:5433/books", tmp_path)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"], config["HOST"], config["PORT"]) == (
        "books", "huikuan", "p@ss", "db.local", "5433")
    assert database_from_url(None, tmp_path)["ENGINE"] == "django.db.backends.sqlite3"
    with pytest.raises(ValueError, match="postgres"):
        database_from_url("mysql://x@y/z", tmp_path)


@pytest.mark.django_db
def test_htmx_is_served_by_the_app_itself_with_debug_off(settings) -> None:
    from django.test import Client

    settings.DEBUG = False
    response = Client().get("/static/web/htmx.min.js")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"htmx" in body[:2000]
