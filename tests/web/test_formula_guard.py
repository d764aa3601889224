"""Every spreadsheet the web app hands out, from a company where every text a user or an export
controls is an attack: the workbench's tab exports, the report downloads (built-in, custom, saved),
the dashboard's reports and the overdue list. No cell may run as a formula, and every attack must
still be there as text behind one ' (docs/RESULTS.md, formula guard)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from huikuan.receivables import ResultSet, overdue_orders
from huikuan.reports import REPORTS
from huikuan.web import workbench
from huikuan.web.effective import effective_folder
from huikuan.web.jobs import work_once
from huikuan.web.models import Membership, SavedReport
from huikuan.web.services import chase, decisions, runs, setup
from huikuan.web.views.dashboard import DASHBOARD_REPORTS
from tests.hostile import BODY, STARTS, Scan, hostile_month, payload, scan_csv, scan_xlsx
from tests.web.conftest import PASSWORD, Shop
from tests.web.helpers import upload

pytestmark = [pytest.mark.web, pytest.mark.django_db]

COMPANY, STORE, BANK = payload(0, "暖冬羊毛"), payload(1, "天猫旗舰店"), payload(2, "招商银行")
TITLE, SAVED = payload(3, "按店铺"), payload(6, "每月看一眼")


def _hostile_shop() -> Shop:
    admin = User.objects.create_user("mallory-admin", password=PASSWORD)
    company = setup.create_company(COMPANY, admin=admin)
    user = User.objects.create_user("mallory", password=PASSWORD)
    Membership.objects.create(user=user, company=company, role="accountant")
    store = setup.add_store(company, name=STORE, platform="tmall", wallet_account="2088000000000001")
    bank = setup.add_bank_account(company, bank=BANK, number="6214830000001234")
    return Shop(company, store, bank, user)


def _notes(shop: Shop, run, flow: str) -> list[str]:  # type: ignore[no-untyped-def]
    """A note with each attack on records of the tabs, as a clerk types it."""
    folder = effective_folder(run, flow)
    rows = [r for tab in ("auto", "unmatched_left", "unmatched_right")
            for r in workbench.page(folder, tab, workbench.Filters(), size=4).rows]
    notes = []
    for n, row in enumerate(rows[: len(STARTS)]):
        note = payload(n, "买家说已付款")
        decisions.add_note(shop.user, run, flow, decisions.refs(run, [(row["file"], row["record_id"],
                                                                         row["side"])]), note)
        notes.append(note)
    return notes


def _get(client: Client, url: str, query: dict[str, object]) -> tuple[str, bytes]:
    response = client.get(url, query)
    assert response.status_code == 200, (url, query, response.status_code)
    return response["Content-Disposition"], b"".join(response.streaming_content)


def test_every_spreadsheet_the_web_app_hands_out_holds_no_formula(tmp_path: Path) -> None:
    month = hostile_month(tmp_path, orders=40)
    shop = _hostile_shop()
    for path in (*month.left, *month.alipay, *month.bank):
        upload(shop, path)
    run = runs.start_run(shop.company, shop.store, shop.bank, dt.date(2023, 11, 1), dt.date(2023, 11, 30),
                         user=shop.user)
    assert work_once()
    run.refresh_from_db()
    assert run.status == "done", run.message
    notes = {flow: _notes(shop, run, flow) for flow in run.flows}
    with ResultSet([effective_folder(run, "orders-settlement")]) as rs:
        overdue = overdue_orders(rs).to_pylist()[: len(STARTS)]
    assert overdue
    chase_notes = [payload(n, "周五回复") for n in range(len(overdue))]
    for row, note in zip(overdue, chase_notes, strict=True):
        chase.set_chase(shop.company, shop.store, row["order_ref"], "chased", note, user=shop.user)

    client = Client()
    client.force_login(shop.user)
    company = shop.company.pk
    scans: dict[str, Scan] = {}

    def keep(name: str, fmt: str, data: bytes) -> Scan:
        scans[name] = scan_xlsx(data, name) if fmt == "xlsx" else scan_csv(data, name)
        return scans[name]

    # the workbench: every tab of every flow
    for flow in run.flows:
        for tab in workbench.TABS:
            _, data = _get(client, reverse("export_tab", args=[company, run.pk]), {"flow": flow, "tab": tab})
            keep(f"{flow}-{tab}.xlsx", "xlsx", data)
    # the reports page: every built-in report, a custom one with its title, a saved one
    url = reverse("report_download", args=[company])
    for fmt in ("csv", "xlsx"):
        for name in REPORTS:
            if name != "custom":
                keep(f"report-{name}.{fmt}", fmt, _get(client, url, {"run": run.pk, "name": name,
                                                                      "format": fmt})[1])
        keep(f"report-custom.{fmt}", fmt, _get(client, url, {
            "run": run.pk, "dims": ["store", "reason"], "measures": ["count", "amount"], "title": TITLE,
            "format": fmt})[1])
    saved = client.post(reverse("save_custom_report", args=[company]),
                        {"run": run.pk, "dims": ["store"], "measures": ["count", "amount"], "name": SAVED,
                         "title": SAVED})
    assert saved.status_code == 302
    pk = SavedReport.objects.get(company=shop.company).pk
    for fmt in ("csv", "xlsx"):
        keep(f"report-saved.{fmt}", fmt, _get(client, url, {"run": run.pk, "saved": pk, "format": fmt})[1])
    # the dashboard's reports and the overdue list (with the chase notes)
    for fmt in ("csv", "xlsx"):
        for name in DASHBOARD_REPORTS:
            keep(f"dashboard-{name}.{fmt}", fmt, _get(client, reverse("dashboard_report", args=[company]),
                                                      {"name": name, "format": fmt})[1])
    keep("overdue.xlsx", "xlsx", _get(client, reverse("overdue_export", args=[company]),
                                      {"store": shop.store.pk, "format": "xlsx"})[1])

    armed = {name: scan.armed for name, scan in scans.items() if scan.armed}
    assert not armed, (f"cells that would run as formulas: {({n: len(a) for n, a in armed.items()})}, "
                       f"e.g. {[a[0] for a in armed.values()][:5]}")

    # the attacks are all there, as text behind one '
    def guarded(names: list[str]) -> set[str]:
        return {c[1:] for name in names for c in scans[name].guarded()}

    for flow in run.flows:
        tabs = [f"{flow}-{tab}.xlsx" for tab in workbench.TABS]
        shown = guarded(tabs)
        # the decision notes (a leading tab or CR is trimmed when the note is saved)
        assert {n for n in notes[flow] if n[0] not in "\t\r"} <= shown, notes[flow]
        # the title row: the store's name
        assert all(scans[t].cells[0].startswith("'" + STORE) for t in tabs)
        # counterparties, memos and file names from the uploaded exports
        assert sum(BODY in c for c in shown) > 20
        assert any(c.endswith(".csv") for c in shown)
    # reports: the company's name heads every xlsx, the custom title and the saved name are kept
    for name, scan in scans.items():
        if name.startswith(("report-", "dashboard-")) and name.endswith(".xlsx"):
            assert scan.cells[0].startswith("'" + COMPANY), (name, scan.cells[:1])
    assert any(TITLE in c for c in scans["report-custom.xlsx"].cells)
    assert any(SAVED in c for c in scans["report-saved.xlsx"].cells)
    overdue_cells = guarded(["overdue.xlsx"])
    assert {n for n in chase_notes if n[0] not in "\t\r"} <= overdue_cells
