"""Response headers Django 5.2 does not set itself: a Content-Security-Policy. The app vendors
every script and style (``static/web/``) and no template carries inline script, inline style or
``on…=`` handlers (``static/web/app.js`` reads ``data-`` attributes instead), so the policy
allows the app's own origin only: an injected ``<script>`` or ``style=`` does nothing, and no
page can be framed or post a form elsewhere. ``HUIKUAN_CSP`` replaces the policy (settings)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

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
