"""Where a company's files live: ``DATA_DIR/companies/<id>/imports/<hash>.<ext>`` (the original),
``…/imports/<hash>.parquet`` (its entries), ``…/staging/<token>/`` (an upload not yet accepted,
under a generated token) and ``…/runs/<run id>/<flow>/`` (results). Every path is built here
from a company object, never from a name in a request."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from huikuan.web.models import Company


def company_dir(company: Company) -> Path:
    """The company's own folder; nothing of another company is ever under it."""
    return Path(settings.DATA_DIR) / "companies" / str(int(company.pk))


def original_path(company: Company, content_hash: str, suffix: str) -> Path:
    return company_dir(company) / "imports" / f"{_safe_hash(content_hash)}{safe_suffix(suffix)}"


def entries_path(company: Company, content_hash: str) -> Path:
    return company_dir(company) / "imports" / f"{_safe_hash(content_hash)}.parquet"


def staging_dir(company: Company) -> Path:
    """Where uploads wait to be accepted, one folder per upload."""
    return company_dir(company) / "staging"


def staged_upload_dir(company: Company, token: str) -> Path:
    """The folder of one staged upload, named by its generated token (never by the file's name)."""
    return staging_dir(company) / _safe_token(token)


def run_dir(company: Company, run_id: int) -> Path:
    return company_dir(company) / "runs" / str(int(run_id))


def resolve(company: Company, relative: str) -> Path:
    """A stored relative path back to an absolute one, refusing anything that leaves the
    company's folder (a hand-edited row must not reach another company's files)."""
    root = company_dir(company).resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root):
        raise ValueError(f"{relative!r} is outside the company's data folder")
    return path


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Let ``write`` fill a temporary file beside ``path``, then rename it into place: a reader
    sees the whole file or none of it."""
    temporary = temporary_beside(path)
    try:
        write(temporary)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def temporary_beside(path: Path) -> Path:
    """A new empty file of a unique name in ``path``'s folder, to be renamed onto ``path`` once
    it is complete (the caller removes it if it is not)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    return Path(temporary)


def _safe_hash(content_hash: str) -> str:
    if len(content_hash) != 64 or any(c not in "0123456789abcdef" for c in content_hash):
        raise ValueError("not a sha256 content hash")
    return content_hash


def is_token(text: str) -> bool:
    """Whether ``text`` has the form of a staged upload's generated token (32 hex digits)."""
    return len(text) == 32 and all(c in "0123456789abcdef" for c in text)


def _safe_token(token: str) -> str:
    if not is_token(token):
        raise ValueError("not a staged upload token")
    return token


def safe_suffix(suffix: str) -> str:
    """A file name's suffix reduced to ASCII letters and digits (``.csv``), or ``.bin``."""
    clean = "".join(c for c in suffix.lower() if c.isascii() and c.isalnum())[:8]
    return f".{clean}" if clean else ".bin"
