"""Login with throttling; logout is Django's own (POST only)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext as _

from huikuan.web import throttle


class ThrottledLoginForm(AuthenticationForm):
    """Refuses a username+address pair after repeated failures, even with the right password."""

    def clean(self) -> dict[str, object]:
        username = str(self.data.get("username", ""))
        address = throttle.client_address(self.request)
        if throttle.is_locked(username, address):
            raise self.get_throttled_error()
        try:
            cleaned = super().clean()
        except Exception:
            throttle.record_failure(username, address)
            raise
        throttle.clear(username, address)
        return cleaned

    def get_throttled_error(self) -> Exception:
        from django.core.exceptions import ValidationError

        return ValidationError(_("Too many failed attempts. Please wait 15 minutes and try again."),
                               code="throttled")


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = ThrottledLoginForm
    redirect_authenticated_user = True


#: POST only (Django 5): a link cannot log anyone out
logout_view = auth_views.LogoutView.as_view()
