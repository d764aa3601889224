"""No text a user types becomes a path on the server (issue 18 §1).

Every company URL is called, GET and POST, by a viewer and by an accountant of company B with
every field the views read set to a hostile name: ``../``, absolute paths, ``/``, NUL, very long,
Windows separators and Unicode lookalikes of dots and slashes. Company A's files must come out
byte for byte as they were, nothing may appear outside the folders the app owns, no created path
may carry the payload, and the temporary folder (watched: ``tempfile.tempdir`` points into the
test's folder) must be empty once each response has been read: a GET leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import unicodedata
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from huikuan.web.models import Membership
from huikuan.web.storage import company_dir
from tests.web.helpers import reconcile_month
from tests.web.test_isolation import company_patterns

pytestmark = [pytest.mark.web, pytest.mark.django_db]

MARK = "PWNx"
#: an absolute path outside every folder of the test: it must never come to exist
OUTSIDE = Path(tempfile.gettempdir()) / f"huikuan-{MARK}-{uuid.uuid4().hex}"
PAYLOADS = (
    f"../{MARK}", f"../../../../{MARK}", str(OUTSIDE), f"{MARK}/sub/name", f"{MARK}\x00nul",
    f"..\\..\\{MARK}", MARK * 80,                                  # Windows separators, 320 characters
    f"．．／{MARK}", f"..\u2215{MARK}", f"\u202e{MARK}\u202d.csv",  # fullwidth, division slash, bidi
    f"{MARK}\n../x", f"./{MARK}/", "..", "/",
)
#: every request field the views read (views/*.py), each set to the payload
FIELDS = ("title", "name", "file", "flow", "tab", "format", "run", "saved", "store", "period", "order",
          "order_ref", "note", "reason", "status", "action", "match_id", "record", "dims", "measures",
          "grain", "line", "page", "bucket", "chase", "wallet", "next", "partial", "bank_account",
          "platform", "wallet_account", "bank", "number", "limit", "start", "end", "text", "rule",
          "f_status", "f_store", "f_platform", "f_reason", "date_from", "date_to", "amount_from",
          "amount_to", "opening", "closing", "commission", "payment_fee", "settlement_days")
#: the fields whose text a user types freely; the others choose *what* is done and get valid values
#: here, so the hostile text reaches the writers (a custom report titled with the payload, a note,
#: a saved report's name, an upload's file name)
FREE_TEXT = ("title", "note", "order", "order_ref", "file", "next", "text", "reason", "wallet_account")
VALID = {"format": "csv", "dims": "store", "measures": "count", "flow": "orders-settlement", "tab": "auto",
         "action": "note", "status": "chased"}
#: every field hostile takes only these payloads (most are refused early); the free-text walks take all
EVERY_FIELD_PAYLOADS = PAYLOADS[:3]


def snapshot(root: Path) -> dict[str, str]:
    """Every file and folder under ``root`` → its content hash (folders: ``dir``)."""
    found = {}
    for path in sorted(root.rglob("*")):
        key = str(path.relative_to(root))
        found[key] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def carries_payload(text: str) -> bool:
    return MARK.lower() in unicodedata.normalize("NFKC", text).lower()


def test_no_field_of_any_view_becomes_a_server_path(shop, other_shop, month, tmp_path, monkeypatch) -> None:
    victim = shop
    reconcile_month(victim, month)
    attacker_run = reconcile_month(other_shop, month)
    from django.contrib.auth.models import User

    viewer = User.objects.create_user("mallory-viewer", password="x" * 20)
    Membership.objects.create(user=viewer, company=other_shop.company, role="viewer")
    watched_temp = tmp_path / "temp"
    watched_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(watched_temp))

    data = Path(settings.DATA_DIR)
    victim_files = snapshot(company_dir(victim.company))
    everything_before = snapshot(tmp_path)
    attacker_dir = company_dir(other_shop.company)
    values = {"company_id": other_shop.company.pk, "run_id": attacker_run.pk,
              "import_id": other_shop.company.imports.first().pk, "decision_id": 1}
    statuses: dict[int, int] = {}
    upload_bytes = month.orders[0].read_bytes()
    errors: list[tuple[str, str, str]] = []
    # a viewer reads (GET), an accountant acts (POST): each method as the user it is meant for
    for user, method_name in ((viewer, "get"), (other_shop.user, "post")):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        method = getattr(client, method_name)
        for pattern in company_patterns():
            for payload in PAYLOADS:
                kwargs = {k: values.get(k, payload) for k in ("company_id", *pattern.pattern.converters)}
                if "token" in kwargs and "/" in payload:
                    continue  # a slash cannot be part of that URL segment
                url = reverse(pattern.name, kwargs=kwargs)
                free = dict.fromkeys(FREE_TEXT, payload) | VALID
                walks = [free | {"name": "custom"}, free | {"name": payload}]
                if payload in EVERY_FIELD_PAYLOADS:
                    walks.append(dict.fromkeys(FIELDS, payload))
                for fields in walks:
                    extra = {}
                    # (Django's test client itself refuses to send a file named "/" or "..")
                    if method_name == "post" and pattern.name == "upload" and \
                            os.path.basename(payload) not in ("", ".", ".."):
                        extra = {"files": [SimpleUploadedFile(payload, upload_bytes)]}
                    response = method(url, fields | extra)
                    # reading a download to its end closes it, as the server does
                    b"".join(response.streaming_content) if response.streaming else response.content
                    statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                    if response.status_code == 500:
                        errors.append((pattern.name, method_name, payload))
                    left = list(watched_temp.iterdir())
                    assert not left, (pattern.name, payload, left)  # nothing outlives the response

    # a hostile value is refused with a message, never a crash
    assert not errors, sorted({e[:2] for e in errors})
    # company A: byte for byte as it was
    assert snapshot(company_dir(victim.company)) == victim_files
    # nothing new anywhere but company B's own folder; nothing there is named after the payload
    after = snapshot(tmp_path)
    created = sorted(set(after) - set(everything_before))
    b_prefix = str(attacker_dir.relative_to(tmp_path))
    assert [c for c in created if not c.startswith(b_prefix)] == []
    assert [c for c in created if carries_payload(c)] == []
    assert not OUTSIDE.exists()
    assert not any(p.name.startswith(f"huikuan-{MARK}") for p in OUTSIDE.parent.iterdir())
    assert not any(carries_payload(str(p)) for p in data.parent.parent.iterdir())
    # the walk reached the views: pages and downloads answered, not only refusals
    assert statuses.get(200, 0) > 100, statuses


def test_pages_read_and_never_write_after_a_decision(shop, month, tmp_path, monkeypatch) -> None:
    """A decision's POST prepares what the pages read; the GETs after it write nothing, not
    even their own cache, and leave nothing in the temporary folder."""
    run = reconcile_month(shop, month)
    client = Client()
    client.force_login(shop.user)
    company = shop.company.pk
    posted = client.post(reverse("decide", args=[company, run.pk]),
                         {"action": "note", "flow": "orders-settlement", "note": "核对过",
                          "record": [f"left|{month.orders[0].name}|{_an_order(run)}"]})
    assert posted.status_code == 302
    watched_temp = tmp_path / "temp"
    watched_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(watched_temp))
    before = snapshot(Path(settings.DATA_DIR))
    pages = [(reverse("run", args=[company, run.pk]), {"flow": flow, "tab": tab})
             for flow in run.flows for tab in ("auto", "unmatched_left", "differences")]
    pages += [(reverse(name, args=[company]), {}) for name in ("dashboard", "collection", "overdue",
                                                               "reports", "findings", "custom_report")]
    pages += [(reverse("export_tab", args=[company, run.pk]), {"flow": "orders-settlement", "tab": "auto"}),
              (reverse("report_download", args=[company]), {"name": "collection", "format": "xlsx"})]
    for url, query in pages:
        response = client.get(url, query)
        assert response.status_code == 200, url
        b"".join(response.streaming_content) if response.streaming else response.content
    assert snapshot(Path(settings.DATA_DIR)) == before
    assert list(watched_temp.iterdir()) == []


def _an_order(run) -> str:
    from huikuan.receivables import ResultSet
    from huikuan.web.storage import resolve

    with ResultSet([resolve(run.company, run.result_path) / "orders-settlement"]) as rs:
        return str(rs.query("SELECT record_id FROM entries WHERE side = 'left' LIMIT 1")["record_id"][0])
