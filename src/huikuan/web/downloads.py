"""Every file the web app hands out is built here: in a fresh private temporary folder (mode 0700)
under a name this module makes up, read back and removed before the response leaves, then
streamed from memory. What a user typed (a report title, a store name, a saved report's name)
reaches the browser only as the ``Content-Disposition`` file name, cleaned by
:func:`attachment_name`; it is never part of a path on the server, so no title can write outside
the folder, overwrite another company's files or fail on a missing folder (issue 18 §1)."""

from __future__ import annotations

import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from django.http import FileResponse

from huikuan.reports import Report, write_report

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "pdf": "application/pdf",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
#: longest download name offered to the browser, extension included (file systems take 255 bytes)
MAX_NAME = 120
#: characters no download name keeps: path separators, and what Windows refuses in a name
_REFUSED = set('/\\:*?"<>|')


def attachment_name(title: str, fmt: str, fallback: str = "report") -> str:
    """``title`` as a file name a browser can save: control characters (NUL, newlines, tabs,
    bidi overrides), path separators and Windows' reserved characters become ``_``, leading dots
    and spaces go (no hidden or parent-folder names), and it is cut to ``MAX_NAME`` characters
    with the extension kept. A title with nothing left becomes ``fallback``."""
    cleaned = "".join("_" if (ch in _REFUSED or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"))
                      else ch for ch in unicodedata.normalize("NFC", title))
    cleaned = " ".join(cleaned.split()).lstrip(". ").rstrip(". ")
    if not cleaned.strip("_"):
        cleaned = fallback
    suffix = f".{fmt}"
    return cleaned[: MAX_NAME - len(suffix)].rstrip(". ") + suffix


def built_file(write: Callable[[Path], None], suffix: str) -> BinaryIO:
    """What ``write`` puts in a file of a fresh private temporary folder, as an open handle of
    that file. The folder is removed before this returns, whatever happened: the open handle
    keeps the bytes until the response has sent them and closes it, and nothing stays on disk.
    The file's name is ours (``download.<suffix>``)."""
    folder = Path(tempfile.mkdtemp(prefix="huikuan-download-"))  # 0700: no other user sees it
    try:
        path = folder / f"download.{suffix}"
        write(path)
        return path.open("rb")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def file_response(handle: BinaryIO, title: str, fmt: str) -> FileResponse:
    """``handle`` as an attachment named after ``title`` (cleaned); Django encodes the name per
    RFC 6266 (``filename*=utf-8''…``) for the Chinese in it, and closes the handle when sent."""
    return FileResponse(handle, as_attachment=True, filename=attachment_name(title, fmt),
                        content_type=CONTENT_TYPES.get(fmt, "application/octet-stream"))


def report_response(report: Report, fmt: str, title: str | None = None) -> FileResponse:
    """A report written by the report writers (``write_report``: csv, xlsx or pdf) as a download."""
    handle = built_file(lambda path: write_report(report, path, fmt), fmt)
    return file_response(handle, report.title if title is None else title, fmt)
