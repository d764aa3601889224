"""What every request and response goes through: a Content-Security-Policy on the way out, and
on the way in a refusal of control characters in any field (below).

Response headers Django 5.2 does not set itself: a Content-Security-Policy. The app vendors
every script and style (``static/web/``) and no template carries inline script, inline style or
``on…=`` handlers (``static/web/app.js`` reads ``data-`` attributes instead), so the policy
allows the app's own origin only: an injected ``<script>`` or ``style=`` does nothing, and no
page can be framed or post a form elsewhere. ``HUIKUAN_CSP`` replaces the policy (settings)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

#: images include data: URIs (Chart.js draws to canvas and exports as data:); nothing else is lifted
DEFAULT_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                  "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                  "form-action 'self'; frame-ancestors 'none'")


class ContentSecurityPolicyMiddleware:
    """Adds the policy to every response that has none yet."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = getattr(settings, "HUIKUAN_CSP", "") or DEFAULT_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


#: C0 control characters and DEL, except tab, newline and carriage return, which people type
_CONTROL = frozenset(chr(c) for c in (*range(0x20), 0x7F)) - {"\t", "\n", "\r"}


def has_control_characters(text: str) -> bool:
    return not _CONTROL.isdisjoint(text)


class RefuseControlCharactersMiddleware:
    """HTTP 400 for a request whose query or form fields (names or values) hold a NUL or another
    control character nobody types. Django's forms refuse NUL already; the views that read
    ``request.POST`` themselves (notes, report titles and names, chase notes) stored it, and
    PostgreSQL refuses NUL in text and JSON: an HTTP 500 there. One refusal here covers every
    view, with a message instead. Runs after the upload size guard, so a body too large is never
    parsed for this."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for query in (request.GET, request.POST if request.method == "POST" else None):
            if query is None:
                continue
            for key, values in query.lists():
                if has_control_characters(key) or any(has_control_characters(v) for v in values):
                    return HttpResponse(_("A field holds a control character (such as NUL) that cannot be "
                                          "stored: remove it and try again."),
                                        status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
