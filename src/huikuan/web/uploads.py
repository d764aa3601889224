"""The upload size limit, kept before a byte lands on disk.

Two guards, both answering with the upload page's own words rather than Django's error page:

- :class:`UploadSizeMiddleware` refuses a multipart request whose ``Content-Length`` is above
  ``HUIKUAN_MAX_UPLOAD_REQUEST_BYTES`` (default: the file limit plus 1 MB of form) with HTTP 413,
  before the body is read, before CSRF or the session look at it;
- :class:`SizeLimitUploadHandler`, first of ``FILE_UPLOAD_HANDLERS``, counts each file's bytes as
  they stream in and skips the file once it passes ``HUIKUAN_MAX_UPLOAD_BYTES``: the handlers
  after it (memory, temporary file) stop receiving it and its temporary file is closed and
  removed, so at most the limit and one chunk of it are ever written. The view reads the names
  refused so with :func:`refused_files`.

:class:`NeutralTemporaryFileUploadHandler` replaces Django's temporary-file handler so that no part
of the client's file name reaches the temporary file's path either."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, TemporaryFileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

#: room for the form fields and multipart boundaries around the files
FORM_ALLOWANCE = 1024 * 1024


def request_limit() -> int:
    """The largest upload request body accepted, in bytes."""
    return settings.HUIKUAN_MAX_UPLOAD_REQUEST_BYTES or settings.HUIKUAN_MAX_UPLOAD_BYTES + FORM_ALLOWANCE


class UploadSizeMiddleware:
    """413 for a multipart body announced larger than the limit, before anything reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.content_type == "multipart/form-data":
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > request_limit():
                return too_large_response(request, length)
        return self.get_response(request)


def too_large_response(request: HttpRequest, length: int) -> HttpResponse:
    message = _("This upload is %(size)s MB; at most %(limit)s MB can be sent at once (each file at "
                "most %(file_limit)s MB). Nothing was kept: send fewer or smaller files.") % {
        "size": f"{length / (1024 * 1024):,.0f}", "limit": f"{request_limit() / (1024 * 1024):,.0f}",
        "file_limit": f"{settings.HUIKUAN_MAX_UPLOAD_BYTES / (1024 * 1024):,.0f}"}
    page = render_to_string("web/_previews.html", {"previews": [], "refused": [message]}, request=request)
    return HttpResponse(page, status=413)  # the rest of the body is never read: the server drops it


class SizeLimitUploadHandler(FileUploadHandler):
    """Passes each file's chunks on to the next handler until the file passes the limit, then
    skips it (nothing more of it is written) and notes its name on the request."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > settings.HUIKUAN_MAX_UPLOAD_BYTES:
            if self.request is not None:
                refused = getattr(self.request, "_huikuan_refused_files", [])
                refused.append(self.file_name or "upload")
                self.request._huikuan_refused_files = refused
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the memory or temporary-file handler after this one holds the file


class NeutralTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Django's temporary-file handler, except that the temporary file's name takes nothing from
    the client's file name (Django's keeps its extension: ``tmpab12.upload.<ext>``, and an
    extension of 200 Chinese characters made that name too long: HTTP 500)."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        FileUploadHandler.new_file(self, *args, **kwargs)
        self.file = _NeutralTemporaryUploadedFile(self.file_name or "upload", self.content_type, 0,
                                                  self.charset, self.content_type_extra)


class _NeutralTemporaryUploadedFile(TemporaryUploadedFile):
    def __init__(self, name: str, content_type: str | None, size: int, charset: str | None,
                 content_type_extra: dict[str, Any] | None = None) -> None:
        file = tempfile.NamedTemporaryFile(suffix=".upload", dir=settings.FILE_UPLOAD_TEMP_DIR)  # noqa: SIM115
        UploadedFile.__init__(self, file, name, content_type, size, charset, content_type_extra)


def refused_files(request: HttpRequest) -> list[str]:
    """Names of the files of ``request`` skipped while streaming for passing the size limit."""
    return list(getattr(request, "_huikuan_refused_files", []))
