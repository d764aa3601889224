"""Every POST of the app needs the CSRF token: a page of another site cannot make a logged-in
clerk's browser decide, lock, upload, cancel or change the setup (and GETs change nothing:
tests/web/test_paths.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from huikuan.web.models import AuditLog, Decision, Period
from tests.web.helpers import reconcile_month
from tests.web.test_isolation import company_patterns

pytestmark = [pytest.mark.web, pytest.mark.django_db]


def test_every_post_without_the_csrf_token_is_refused(shop, month) -> None:
    run = reconcile_month(shop, month)
    admin = User.objects.get(username=f"{shop.user.username}-admin")
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)  # the most powerful user, logged in: only the token is missing
    audit_rows = AuditLog.objects.count()
    values = {"company_id": shop.company.pk, "run_id": run.pk, "import_id": shop.company.imports.first().pk,
              "decision_id": 1, "token": "0" * 32}
    checked = 0
    for pattern in company_patterns():
        kwargs = {k: values[k] for k in ("company_id", *pattern.pattern.converters)}
        url = reverse(pattern.name, kwargs=kwargs)
        response = client.post(url, {"action": "note", "flow": "orders-settlement", "note": "x",
                                     "name": "x", "platform": "pdd", "limit": "1.00"})
        assert response.status_code in (403, 405), (pattern.name, response.status_code)
        checked += response.status_code == 403
    assert checked >= 15  # every action URL, not only the pages that take no POST
    assert client.post(reverse("login"), {"username": "alice", "password": "x"}).status_code == 403
    assert AuditLog.objects.count() == audit_rows
    assert not Decision.objects.exists()
    assert not Period.objects.exclude(locked_at=None).exists()
