"""A run from stored imports to results; progress; paging and filters over entries.parquet."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from huikuan.web import workbench
from huikuan.web.jobs import work_once
from huikuan.web.models import AuditLog, Job
from huikuan.web.services import runs
from huikuan.web.storage import entries_path, resolve
from tests.web.helpers import reconcile_month, upload_month

pytestmark = [pytest.mark.web, pytest.mark.django_db]


def _matches_csv(folder) -> list[dict[str, str]]:
    with (folder / "matches.csv").open(encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def test_a_run_produces_both_flows_with_the_files_the_cli_writes(shop, month) -> None:
    run = reconcile_month(shop, month)
    assert (run.status, run.progress, run.error) == ("done", 100, "")
    assert run.flows == ["orders-settlement", "payout-bank"]
    assert run.engine_version
    assert all(len(t["hash"]) == 64 for t in run.templates.values())
    root = resolve(shop.company, run.result_path)
    for flow in run.templates:
        assert {"matches.csv", "unmatched.csv", "entries.parquet", "summary.json"} <= {
            p.name for p in (root / flow).iterdir()}
    summary = workbench.summary(root / "orders-settlement")
    assert summary["left"]["matched"] > summary["left"]["records"] / 2  # most orders find their settlement
    assert summary["duplicates_dropped"]["right"] > 0  # the overlapping re-export, counted once


def test_imports_stored_before_balances_existed_still_run(shop, month) -> None:
    """An import's entries Parquet written before ``balance_minor`` was added to the entries
    reads with the column null: the run completes and matches as before."""
    for record in upload_month(shop, month):
        path = entries_path(shop.company, record.content_hash)
        pq.write_table(pq.read_table(path).drop_columns(["balance_minor"]), path)
    run = runs.start_run(shop.company, shop.store, shop.bank, dt.date(2023, 11, 1), dt.date(2023, 11, 30),
                         user=shop.user)
    assert work_once()
    run.refresh_from_db()
    assert (run.status, run.error) == ("done", "")
    folder = resolve(shop.company, run.result_path) / "orders-settlement"
    entries = pq.read_table(folder / "entries.parquet")
    assert entries["balance_minor"].null_count == entries.num_rows
    assert workbench.summary(folder)["left"]["matched"] > 0


def test_the_workbench_pages_agree_with_the_result_files(shop, month) -> None:
    run = reconcile_month(shop, month)
    folder = resolve(shop.company, run.result_path) / "orders-settlement"
    auto_rows = [r for r in _matches_csv(folder) if r["status"] == "auto"]
    first = workbench.page(folder, "auto", workbench.Filters(), 1, size=20)
    assert first.total == len(auto_rows)
    assert len(first.rows) == 20
    assert first.pages == -(-len(auto_rows) // 20)
    seen = []
    for number in range(1, first.pages + 1):
        seen += [(r["match_id"], r["record_id"]) for r in workbench.page(
            folder, "auto", workbench.Filters(), number, size=20).rows]
    assert sorted(seen) == sorted((r["match_id"], r["record_id"]) for r in auto_rows)
    # a filter by order number finds exactly that order's match
    order = next(r for r in auto_rows if r["side"] == "left")
    found = workbench.page(folder, "auto", workbench.Filters(text=order["record_id"]))
    assert order["match_id"] in {r["match_id"] for r in found.rows}
    assert all(order["record_id"] in (r["record_id"], r["order_ref"]) for r in found.rows)
    # by amount, as a person types it
    amount = order["amount"]
    by_amount = workbench.page(folder, "auto", workbench.Filters(amount=amount))
    assert by_amount.total >= 1
    assert all(abs(r["amount_minor"]) == round(abs(float(amount)) * 100)
                                        for r in by_amount.rows)
    bad = workbench.page(folder, "auto", workbench.Filters(amount="lots"))
    assert bad.error
    assert bad.total == 0


def test_the_results_page_shows_the_summary_tabs_and_links_to_the_raw_line(shop, month) -> None:
    run = reconcile_month(shop, month)
    client = Client()
    client.force_login(shop.user)
    url = reverse("run", args=[shop.company.pk, run.pk])
    page = client.get(url).content.decode()
    assert "M000001" in page
    assert "¥" in page
    unmatched = client.get(url, {"tab": "unmatched_left"}).content.decode()
    folder = resolve(shop.company, run.result_path) / "orders-settlement"
    expected = workbench.tab_counts(folder)["unmatched_left"]
    assert f"{expected} " in unmatched
    line = client.get(reverse("raw_line", args=[shop.company.pk, run.pk]),
                      {"flow": "orders-settlement", "file": month.orders[0].name, "line": 2})
    assert line.status_code == 200
    raw = month.orders[0].read_text("utf-8-sig", errors="replace").splitlines()[1].split(",")[0].strip('="')
    assert raw in line.content.decode()


def test_progress_is_polled_until_done_and_the_page_survives_a_reload(shop, month) -> None:
    upload_month(shop, month)
    run = runs.start_run(shop.company, shop.store, shop.bank, dt.date(2023, 11, 1), dt.date(2023, 11, 30))
    client = Client()
    client.force_login(shop.user)
    progress = reverse("run_progress", args=[shop.company.pk, run.pk])
    waiting = client.get(progress, HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in waiting.content.decode()
    assert "HX-Refresh" not in waiting
    call_command("run_worker", "--once")  # the worker command itself, as `make demo` runs it
    done = client.get(progress, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    assert "100%" in done.content.decode()
    assert Job.objects.get().status == "done"


def test_a_failing_run_is_marked_failed_with_its_reason(shop, month, settings) -> None:
    upload_month(shop, month)
    run = runs.start_run(shop.company, shop.store, shop.bank, dt.date(2023, 11, 1), dt.date(2023, 11, 30))
    for parquet in (settings.DATA_DIR / "companies").rglob("*.parquet"):
        parquet.unlink()  # the stored entries vanished
    call_command("run_worker", "--once")
    run.refresh_from_db()
    assert run.status == "failed"
    assert run.error
    assert Job.objects.get().status == "failed"
    end = AuditLog.objects.get(action="run.end", target=f"run:{run.pk}")
    assert (end.details["status"], end.details["error"]) == ("failed", run.error)


def test_a_failed_run_names_files_never_the_server_folders_they_are_in(shop, month, settings) -> None:
    """The run's message names the file it could not read, not where the server keeps it."""
    upload_month(shop, month)
    run = runs.start_run(shop.company, shop.store, shop.bank, dt.date(2023, 11, 1), dt.date(2023, 11, 30))
    gone = next((settings.DATA_DIR / "companies").rglob("*.parquet"))
    gone.unlink()
    call_command("run_worker", "--once")
    client = Client()
    client.force_login(shop.user)
    page = client.get(reverse("run", args=[shop.company.pk, run.pk])).content.decode()
    run.refresh_from_db()
    job = Job.objects.get()
    assert run.status == "failed"
    assert gone.name in run.error
    assert gone.name in page
    for text in (run.error, job.error, page):
        for folder in (settings.DATA_DIR, gone.parent, Path(tempfile.gettempdir())):
            assert f"{folder}/" not in text


def test_a_run_without_the_platform_bill_is_refused_with_what_is_missing(shop, month) -> None:
    from django.utils import translation

    from tests.web.helpers import upload

    upload(shop, month.orders[0])
    for language, words in (("en", "platform bill"), ("zh-hans", "平台账单"), ("zh-hant", "平台帳單")):
        with translation.override(language), pytest.raises(runs.RunRefused, match=words):
            runs.start_run(shop.company, shop.store, shop.bank, dt.date(2023, 11, 1), dt.date(2023, 11, 30))
    assert not Job.objects.exists()
    # and the page says it in the clerk's language
    client = Client()
    client.force_login(shop.user)
    page = client.post(reverse("start_run", args=[shop.company.pk]),
                       {"store": shop.store.pk, "bank_account": shop.bank.pk, "period_start": "2023-11-01",
                        "period_end": "2023-11-30"}, follow=True)
    assert "请先导入该店铺本期间的订单和平台账单" in page.content.decode()
