"""Uploads: what the preview shows, keeping the original by hash, and never counting twice."""

from __future__ import annotations

import hashlib

import pyarrow.parquet as pq
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from huikuan.web.services import imports as import_service
from huikuan.web.storage import entries_path, original_path
from tests.web.helpers import upload

pytestmark = [pytest.mark.web, pytest.mark.django_db]


def test_an_accepted_file_is_kept_by_hash_with_its_entries(shop, month) -> None:
    path = month.orders[0]
    record = upload(shop, path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert record.content_hash == digest
    assert original_path(shop.company, digest, path.suffix).read_bytes() == path.read_bytes()
    entries = pq.read_table(entries_path(shop.company, digest))
    assert entries.num_rows == record.entries > 0
    assert set(entries["file"].to_pylist()) == {path.name}  # each entry names the file and line
    assert record.format_id == "taobao_orders"
    assert record.role == "orders"
    assert record.period_start.year == 2023
    kinds = {t["kind"]: t for t in record.totals}
    assert isinstance(kinds["order"]["amount_minor"], int)
    assert kinds["order"]["amount_minor"] == sum(
        a for a, k in zip(entries["amount_minor"].to_pylist(), entries["kind"].to_pylist(), strict=True)
        if k == "order")
    assert shop.company.audit_log.filter(action="import.accept").count() == 1


def test_the_same_file_twice_is_refused_and_adds_nothing(shop, month) -> None:
    upload(shop, month.orders[0])
    with translation.override("en"), pytest.raises(import_service.UploadRefused, match="already imported"):
        upload(shop, month.orders[0])
    assert shop.company.imports.count() == 1


def test_an_overlapping_re_export_is_flagged_and_counted_once_in_a_run(shop, month) -> None:
    first, again = month.alipay[0], month.alipay[-1]  # the month, then the overlapping re-export
    assert first != again
    upload(shop, first)
    record = upload(shop, again)
    assert record.duplicates > 0  # rows the first statement already holds
    from huikuan.web.services.runs import side

    both = side(shop.company, list(shop.company.imports.order_by("created", "id")))
    assert both.duplicates.num_rows == record.duplicates
    assert len(set(both.entries["dedupe_key"].to_pylist())) == both.entries.num_rows


def test_the_preview_says_what_inspect_knows_before_anything_is_accepted(shop, month) -> None:
    client = Client()
    client.force_login(shop.user)
    with month.alipay[0].open("rb") as a, month.bank[0].open("rb") as b:
        response = client.post(reverse("upload", args=[shop.company.pk]), {"files": [a, b]})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('class="card preview"') == 2
    assert "alipay" in page
    assert "cmb" in page.lower()
    assert "¥" in page  # totals as money
    assert shop.company.imports.count() == 0  # nothing accepted yet


def test_a_file_that_is_not_a_table_gets_one_clear_line(shop, tmp_path) -> None:
    junk = tmp_path / "photo.csv"
    junk.write_bytes(bytes(range(256)) * 40)
    client = Client()
    client.force_login(shop.user)
    with junk.open("rb") as fh:
        page = client.post(reverse("upload", args=[shop.company.pk]), {"files": [fh]}).content.decode()
    assert "photo.csv" in page
    assert 'class="error"' in page
    assert shop.company.imports.count() == 0


def test_a_file_over_the_size_limit_is_refused_with_the_limit_named(shop, settings, month) -> None:
    settings.HUIKUAN_MAX_UPLOAD_BYTES = 1024 * 1024
    client = Client()
    client.force_login(shop.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    big = month.orders[0].parent / "big.csv"
    big.write_bytes(b"x" * (settings.HUIKUAN_MAX_UPLOAD_BYTES + 1))
    with big.open("rb") as fh:
        page = client.post(reverse("upload", args=[shop.company.pk]), {"files": [fh]}).content.decode()
    assert "larger than 1 MB" in page
    assert not list(shop.company.imports.model.objects.all())


def test_a_bank_statement_is_accepted_through_the_page_for_a_bank_account(shop, month) -> None:
    client = Client()
    client.force_login(shop.user)
    with month.bank[0].open("rb") as fh:
        staged, _ = import_service.stage_upload(shop.company, month.bank[0].name, [fh.read()])
    response = client.post(reverse("accept_import", args=[shop.company.pk, staged]),
                           {"bank_account": shop.bank.pk})
    assert response.status_code == 200
    record = shop.company.imports.get()
    assert record.role == "bank"
    assert record.bank_account == shop.bank
    assert record.store is None


def test_a_file_accepted_without_its_owner_is_told_in_the_clerks_language(shop, month) -> None:
    client = Client()
    client.force_login(shop.user)
    for path, says in ((month.orders[0], "属于某个店铺：请选择店铺"),
                       (month.bank[0], "是银行流水：请选择它所属的银行账户")):
        staged, _ = import_service.stage_upload(shop.company, path.name, [path.read_bytes()])
        response = client.post(reverse("accept_import", args=[shop.company.pk, staged]))
        assert response.status_code == 400
        assert f"{path.name} {says}" in response.content.decode()
    assert not shop.company.imports.exists()
