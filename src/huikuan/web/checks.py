"""Start-up checks: the data folder must be a folder the server can write, before anyone logs in.

A missing, read-only or misnamed ``HUIKUAN_DATA_DIR`` used to show up as an HTTP 500 at the
first login (the SQLite database and the sessions live there). Django runs these checks before
``runserver``, ``migrate`` and ``run_worker`` (and ``huikuan-web check``); ``wsgi.py`` runs them
before it serves a request. Each problem names the folder and what to do."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import Error, register


def data_dir_problems() -> list[str]:
    """What is wrong with the data folder (and the SQLite file in it), in words; [] when nothing."""
    folder = Path(settings.DATA_DIR)
    if folder.exists() and not folder.is_dir():
        return [f"HUIKUAN_DATA_DIR {folder} is a file, not a folder: point it at a folder"]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return [f"HUIKUAN_DATA_DIR {folder} does not exist and cannot be created ({exc.strerror}): "
                "create it, or point HUIKUAN_DATA_DIR at a folder the server may write"]
    try:  # a real write: os.access says yes to root on a read-only mount
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        return [f"HUIKUAN_DATA_DIR {folder} cannot be written ({exc.strerror}): give the user the "
                "server runs as write access to it"]
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        name = Path(str(database["NAME"]))
        if name.exists() and not os.access(name, os.W_OK):
            return [f"the database {name} is read-only: give the user the server runs as write access"]
    return []


@register()
def data_dir_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    return [Error(problem, id="huikuan.E001") for problem in data_dir_problems()]
