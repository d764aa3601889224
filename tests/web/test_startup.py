"""A data folder the server cannot use is reported when it starts, by name, not as an HTTP 500
at the first login (issue 18 §5)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

pytestmark = [pytest.mark.web]
SRC = Path(__file__).resolve().parents[2] / "src"


def _check(data_dir: Path, *wrap: str) -> subprocess.CompletedProcess[str]:
    """``huikuan-web check`` as an administrator would start it, on its own data folder."""
    env = {**os.environ, "HUIKUAN_DATA_DIR": str(data_dir),
           "DJANGO_SETTINGS_MODULE": "huikuan.web.settings.dev",
           "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    env.pop("HUIKUAN_DATABASE_URL", None)
    env.pop("DATABASE_URL", None)
    command = [sys.executable, "-m", "huikuan.web", "check"]
    return subprocess.run([*wrap, *command], env=env, capture_output=True, text=True, timeout=120,
                          check=False)


def test_a_data_folder_that_is_a_file_is_named_at_start(tmp_path, settings) -> None:
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.write_text("not a folder")
    with pytest.raises(SystemCheckError, match="is a file, not a folder"):
        call_command("check")
    started = _check(settings.DATA_DIR)
    assert started.returncode != 0
    assert f"HUIKUAN_DATA_DIR {settings.DATA_DIR} is a file" in started.stderr
    assert "Traceback" not in started.stderr


def test_a_data_folder_that_cannot_be_created_is_named_at_start(tmp_path, settings) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    settings.DATA_DIR = blocker / "data"
    with pytest.raises(SystemCheckError, match="does not exist and cannot be created"):
        call_command("check")
    started = _check(blocker / "data")
    assert started.returncode != 0
    assert "cannot be created" in started.stderr
    assert "Traceback" not in started.stderr


def test_a_usable_data_folder_passes(tmp_path, settings) -> None:
    settings.DATA_DIR = tmp_path / "fresh" / "data"
    call_command("check")  # raises on any problem
    assert settings.DATA_DIR.is_dir()


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("unshare"),
                    reason="mounting a read-only folder needs root and unshare")
def test_a_read_only_data_folder_is_named_at_start(tmp_path) -> None:
    """A read-only mount (a real one: root may write anywhere else, whatever the mode bits say)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    probe = subprocess.run(["unshare", "--mount", "mount", "-t", "tmpfs", "-o", "ro", "tmpfs", str(folder)],
                           capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"this machine refuses a private mount: {probe.stderr.decode().strip()}")
    mounted = ["unshare", "--mount", "sh", "-c", f'mount -t tmpfs -o ro tmpfs "{folder}" && exec "$0" "$@"']
    started = _check(folder, *mounted)
    assert started.returncode != 0
    assert f"HUIKUAN_DATA_DIR {folder} cannot be written" in started.stderr
    assert "Read-only file system" in started.stderr
