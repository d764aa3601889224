"""Every answer carries the Content-Security-Policy, and no template relies on what it forbids."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from huikuan.web.security import DEFAULT_POLICY

pytestmark = [pytest.mark.web, pytest.mark.django_db]
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "huikuan" / "web" / "templates"


def test_pages_and_refusals_carry_the_policy(shop) -> None:
    client = Client()
    assert client.get(reverse("login"))["Content-Security-Policy"] == DEFAULT_POLICY
    client.force_login(shop.user)
    for response in (client.get(reverse("company", args=[shop.company.pk])),
                     client.get("/c/999999/")):  # a 404 as well
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "'unsafe-inline'" not in policy
        assert "'unsafe-eval'" not in policy


def test_no_template_has_inline_script_style_or_handlers() -> None:
    """What the policy would silently block: the browser tests also fail on any refusal."""
    offending = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text("utf-8")
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"\son[a-z]+=", r"\sstyle=", r"<style\b",
                        r"javascript:"):
            offending += [f"{path.name}: {m.group(0)}" for m in re.finditer(pattern, text)]
    assert offending == []


@pytest.mark.parametrize("text", ["备注\x00", "\x00", "名\x1b[31m", "a\x7f"])
def test_control_characters_are_refused_with_a_message_not_stored(shop, text) -> None:
    """PostgreSQL refuses NUL in text and JSON (an HTTP 500 for a report saved under such a
    name); every field of every request is checked once, before any view stores it."""
    from huikuan.web.models import AuditLog, SavedReport

    client = Client()
    client.force_login(shop.user)
    url = reverse("save_custom_report", args=[shop.company.pk])
    response = client.post(url, {"name": text, "dims": "store", "measures": "count"})
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert client.get(reverse("custom_report", args=[shop.company.pk]), {"title": text}).status_code == 400
    assert not SavedReport.objects.exists()
    assert not AuditLog.objects.filter(action="report.save").exists()
    # what people do type passes: tabs, new lines, Chinese, emoji
    typed = client.post(url, {"name": "回款\t按月\n📈", "dims": "store", "measures": "count"})
    assert typed.status_code in (200, 302)
