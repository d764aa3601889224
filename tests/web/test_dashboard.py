"""The dashboard, 回款 and overdue pages show what the receivables and reports functions compute
on a real run's result folder; viewers read but cannot chase; chase notes survive a re-run."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pyarrow.compute as pc
import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from huikuan.importers import import_file
from huikuan.receivables import STATUSES, ResultSet, SettlementTiming, order_collections, overdue_orders
from huikuan.reports import ReportRequest
from huikuan.reports.aging import aging_report
from huikuan.reports.collection import collection_report
from huikuan.reports.fees import fees_report
from huikuan.web.jobs import work_once
from huikuan.web.models import AuditLog, ChaseNote, Membership
from huikuan.web.services import runs as run_service
from huikuan.web.services import setup
from huikuan.web.storage import resolve
from huikuan.web.templatetags.huikuan_format import money, rate
from tests.web.helpers import reconcile_month

pytestmark = [pytest.mark.web, pytest.mark.django_db]


def folder_of(shop, run):
    return resolve(shop.company, run.result_path) / "orders-settlement"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_dashboard_shows_the_collection_reports_totals_and_aging(shop, month) -> None:
    run = reconcile_month(shop, month)
    folder = folder_of(shop, run)
    request = ReportRequest(results=[folder], timing=SettlementTiming())
    with ResultSet([folder]) as rs:
        totals = collection_report(rs, request).totals.to_pylist()
        aging = aging_report(rs, request).rows.to_pylist()
        overdue = overdue_orders(rs).num_rows
    assert totals
    assert totals[0]["sales"] > 0

    response = client_for(shop.user).get(reverse("dashboard", args=[shop.company.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    t = totals[0]
    for key in ("sales", "collected", "outstanding"):
        assert f'class="kpi-{key}">{money(t[key], t["currency"])}<' in html, key
    assert f'class="kpi-rate">{rate(t["rate"])}<' in html
    for bucket in aging:
        label = escape(bucket["label"])
        row = f'<tr data-bucket="{label}"><td>{label}</td><td class="num">{bucket["orders"]}</td>'
        assert row in html, bucket
        assert money(bucket["outstanding_minor"], bucket["currency"]) in html
    assert f"{overdue} " in html
    assert overdue > 0
    # the charts' data is in the page, as JSON, in minor units
    data = response.context["charts"]
    assert data["aging"]["values"] == [b["outstanding_minor"] for b in aging]
    assert sum(data["trend"]["sales"]) == t["sales"]
    assert 'id="dashboard-data" type="application/json"' in html
    assert "vendor/chart.umd.min.js" in html


def test_fees_are_compared_with_the_stores_contract(shop, month) -> None:
    """A contract of 3 % commission against a bill charging more: the 交易分账 row is flagged."""
    setup.add_contract(shop.company, store=shop.store, commission_bp=300, payment_fee_bp=0, settlement_days=0)
    run = reconcile_month(shop, month)
    folder = folder_of(shop, run)
    with ResultSet([folder]) as rs:
        expected = fees_report(rs, ReportRequest(results=[folder], contract_rates={"交易分账": 0.03})
                               ).rows.to_pylist()
    commission = next(r for r in expected if r["category"] == "交易分账")
    assert commission["flag"] == "高于合同"

    response = client_for(shop.user).get(reverse("dashboard", args=[shop.company.pk]))
    shown = {r["category"]: r for r in response.context["fees"]}
    assert shown["交易分账"]["contract_rate"] == pytest.approx(0.03)
    assert shown["交易分账"]["flag"] == commission["flag"]
    assert shown["交易分账"]["amount"] == commission["amount"]
    assert f"高于合同 {rate(commission['deviation'])}" in response.content.decode()


def test_collection_page_counts_orders_by_status_as_order_collections_does(shop, month) -> None:
    run = reconcile_month(shop, month)
    with ResultSet([folder_of(shop, run)]) as rs:
        rows = order_collections(rs).to_pylist()
    expected = {s: sum(1 for r in rows if r["status"] == s) for s in STATUSES}
    outstanding = sum(r["outstanding_minor"] for r in rows)

    client = client_for(shop.user)
    response = client.get(reverse("collection", args=[shop.company.pk]))
    assert response.status_code == 200
    shown = {s["status"]: s for s in response.context["statuses"]}
    assert {s: shown[s]["orders"] for s in STATUSES} == expected
    assert sum(s.get("outstanding_minor") or 0 for s in shown.values()) == outstanding
    assert response.context["page"].total == len(rows)
    assert len(response.context["page"].rows) == min(50, len(rows))
    # the wallet walk of the Alipay account is there, with its payouts
    walks = response.context["walks"]
    assert walks
    assert walks[0].payouts_minor < 0

    settled = client.get(reverse("collection", args=[shop.company.pk]), {"status": "settled"})
    assert settled.context["page"].total == expected["settled"]
    assert all(r["status"] == "settled" for r in settled.context["page"].rows)


def test_a_wallet_walk_checked_against_the_bills_balances_says_by_how_much_it_does_not_close(
        shop, month) -> None:
    reconcile_month(shop, month)
    client = client_for(shop.user)
    first = client.get(reverse("collection", args=[shop.company.pk])).context["walks"][0]
    closing = first.movement_minor + 100_00  # one hundred yuan more than the lines explain
    response = client.get(reverse("collection", args=[shop.company.pk]),
                          {"wallet": first.wallet, "opening": "0", "closing": f"{closing / 100:.2f}"})
    walk = next(w for w in response.context["walks"] if w.wallet == first.wallet)
    assert walk.gap_minor == 100_00
    assert walk.closes is False
    assert "¥100.00" in response.content.decode()


def test_the_wallet_walk_closes_from_the_bills_own_balances_without_typing(shop, month) -> None:
    """The month's 账务明细 states 账户余额 on every line: the page checks the walk against it
    with nothing typed, and a typed closing still overrides the bill's."""
    reconcile_month(shop, month)
    client = client_for(shop.user)
    response = client.get(reverse("collection", args=[shop.company.pk]))
    walk = response.context["walks"][0]
    assert walk.balances_from == "bill"
    assert walk.first_break is None
    assert walk.closes is True
    assert walk.computed_closing_minor == walk.closing_minor
    html = response.content.decode()
    assert "walk-break" not in html
    typed = client.get(reverse("collection", args=[shop.company.pk]),
                       {"wallet": walk.wallet, "closing": f"{(walk.closing_minor + 1) / 100:.2f}"})
    overridden = next(w for w in typed.context["walks"] if w.wallet == walk.wallet)
    assert overridden.balances_from == "caller"
    assert overridden.opening_minor == walk.opening_minor
    assert overridden.gap_minor == 1


def test_a_bill_with_a_line_cut_out_names_the_line_where_its_balance_breaks(shop, month, tmp_path) -> None:
    """The 账务明细 with one data line removed (as a clerk's copy-paste loses one): the walk
    no longer closes and the page names the line after the gap with the balances either side."""
    main = month.alipay[0]
    lines = main.read_bytes().split(b"\r\n")
    header = next(i for i, text in enumerate(lines) if text.startswith("账务流水号".encode("gbk")))
    cut = header + 20  # 0-based index of the line removed; its successor takes its number
    kept = tmp_path / main.name
    kept.write_bytes(b"\r\n".join(lines[:cut] + lines[cut + 1:]))
    reconcile_month(shop, dataclasses.replace(month, alipay=(kept, *month.alipay[1:])))
    response = client_for(shop.user).get(reverse("collection", args=[shop.company.pk]))
    walk = response.context["walks"][0]
    assert walk.closes is False
    brk = walk.first_break
    assert brk is not None
    assert brk.place == f"{main.name}:{cut + 1}"
    lost = import_file(main).entries.filter(pc.equal(pc.field("line"), cut + 1))
    assert brk.gap_minor == sum(lost["amount_minor"].to_pylist())  # the money of the lost line
    html = response.content.decode()
    assert "walk-break" in html
    assert brk.place in html


def test_order_chain_page_follows_an_order_to_its_bill(shop, month) -> None:
    run = reconcile_month(shop, month)
    with ResultSet([folder_of(shop, run)]) as rs:
        settled = next(r for r in order_collections(rs).to_pylist() if r["status"] == "settled")
    client = client_for(shop.user)
    response = client.get(reverse("order_chain", args=[shop.company.pk]), {"order": settled["order_ref"]})
    assert response.status_code == 200
    steps = [s["step"] for s in response.context["steps"]]
    assert steps[0] == "order"
    assert "bill" in steps
    assert client.get(reverse("order_chain", args=[shop.company.pk]),
                      {"order": "no-such-order"}).status_code == 404


def test_overdue_list_is_the_overdue_report_and_an_accountant_sets_a_chase_status(shop, month) -> None:
    run = reconcile_month(shop, month)
    with ResultSet([folder_of(shop, run)]) as rs:
        expected = overdue_orders(rs).to_pylist()
    assert expected, "the synthetic month has orders past their expected settlement"
    client = client_for(shop.user)
    url = reverse("overdue", args=[shop.company.pk])
    page = client.get(url).context["page"]
    assert page.total == len(expected)
    assert [r["order_ref"] for r in page.rows] == [r["order_ref"] for r in expected[:50]]
    assert [r["outstanding_minor"] for r in page.rows] == [r["outstanding_minor"] for r in expected[:50]]

    target = expected[0]["order_ref"]
    response = client.post(reverse("set_chase", args=[shop.company.pk]),
                           {"store": shop.store.pk, "order_ref": target, "status": "promised",
                            "note": "客服说周五付款", "next": url})
    assert response.status_code == 302
    note = ChaseNote.objects.get(store=shop.store, order_ref=target)
    assert (note.status, note.note, note.updated_by) == ("promised", "客服说周五付款", shop.user)
    log = AuditLog.objects.filter(company=shop.company, action="chase.set").get()
    assert log.user == shop.user
    assert log.details["status"] == "promised"
    assert log.details["before"] is None

    html = client.get(url).content.decode()
    assert "客服说周五付款" in html
    promised = client.get(url, {"chase": "promised"}).context["page"]
    assert [r["order_ref"] for r in promised.rows] == [target]
    not_yet = client.get(url, {"chase": "none"}).context["page"]
    assert not_yet.total == len(expected) - 1

    # a second change keeps one row and logs the state before it
    client.post(reverse("set_chase", args=[shop.company.pk]),
                {"store": shop.store.pk, "order_ref": target, "status": "escalated", "note": "升级给平台"})
    assert ChaseNote.objects.filter(store=shop.store, order_ref=target).count() == 1
    last = AuditLog.objects.filter(action="chase.set").order_by("-id").first()
    assert last.details["before"] == {"status": "promised", "note": "客服说周五付款"}


def test_overdue_list_filters_by_age_bucket(shop, month) -> None:
    run = reconcile_month(shop, month)
    with ResultSet([folder_of(shop, run)]) as rs:
        expected = overdue_orders(rs).to_pylist()
    buckets = {r["bucket"] for r in expected}
    client = client_for(shop.user)
    for bucket in buckets:
        page = client.get(reverse("overdue", args=[shop.company.pk]), {"bucket": bucket}).context["page"]
        assert page.total == sum(1 for r in expected if r["bucket"] == bucket)


def test_a_chase_note_survives_a_re_run(shop, month) -> None:
    run = reconcile_month(shop, month)
    with ResultSet([folder_of(shop, run)]) as rs:
        target = overdue_orders(rs).to_pylist()[0]["order_ref"]
    client = client_for(shop.user)
    client.post(reverse("set_chase", args=[shop.company.pk]),
                {"store": shop.store.pk, "order_ref": target, "status": "chased", "note": "已电话联系"})
    again = run_service.start_run(shop.company, shop.store, shop.bank, dt.date(2023, 11, 1),
                                  dt.date(2023, 11, 30), user=shop.user)
    assert work_once()
    again.refresh_from_db()
    assert again.status == "done"
    assert again.pk != run.pk
    page = client.get(reverse("overdue", args=[shop.company.pk]), {"chase": "chased"}).context["page"]
    assert [r["order_ref"] for r in page.rows] == [target]
    assert page.rows[0]["chase"].note == "已电话联系"


def test_a_viewer_reads_every_page_but_cannot_set_a_chase_status(shop, month) -> None:
    from django.contrib.auth.models import User

    run = reconcile_month(shop, month)
    viewer = User.objects.create_user("vera", password="x")
    Membership.objects.create(user=viewer, company=shop.company, role="viewer")
    client = client_for(viewer)
    for name in ("dashboard", "collection", "overdue"):
        assert client.get(reverse(name, args=[shop.company.pk])).status_code == 200, name
    page = client.get(reverse("overdue", args=[shop.company.pk]))
    assert 'class="chase-form"' not in page.content.decode()
    with ResultSet([folder_of(shop, run)]) as rs:
        target = overdue_orders(rs).to_pylist()[0]["order_ref"]
    response = client.post(reverse("set_chase", args=[shop.company.pk]),
                           {"store": shop.store.pk, "order_ref": target, "status": "chased"})
    assert response.status_code == 404
    assert not ChaseNote.objects.exists()
    assert not AuditLog.objects.filter(action="chase.set").exists()


def test_a_chase_with_a_bad_status_or_another_companys_store_is_refused(shop, other_shop, month) -> None:
    reconcile_month(shop, month)
    client = client_for(shop.user)
    url = reverse("set_chase", args=[shop.company.pk])
    assert client.post(url, {"store": shop.store.pk, "order_ref": "1", "status": "paid"}).status_code == 400
    assert client.post(url, {"store": other_shop.store.pk, "order_ref": "1",
                             "status": "chased"}).status_code == 404
    assert not ChaseNote.objects.exists()


def test_the_overdue_list_exports_to_xlsx_with_the_chase_status(shop, month) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    run = reconcile_month(shop, month)
    with ResultSet([folder_of(shop, run)]) as rs:
        expected = overdue_orders(rs).to_pylist()
    client = client_for(shop.user)
    client.post(reverse("set_chase", args=[shop.company.pk]),
                {"store": shop.store.pk, "order_ref": expected[0]["order_ref"], "status": "escalated",
                 "note": "投诉到平台"})
    response = client.get(reverse("overdue_export", args=[shop.company.pk]), {"format": "xlsx"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = [cell for row in book.active.iter_rows(values_only=True) for cell in row if cell is not None]
    assert all(r["order_ref"] in values for r in expected)
    assert "已升级" in values
    assert "投诉到平台" in values
    only_chased = client.get(reverse("overdue_export", args=[shop.company.pk]),
                             {"format": "xlsx", "chase": "escalated"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(only_chased.streaming_content)))
    refs = [c for row in book.active.iter_rows(values_only=True) for c in row if c in
            {r["order_ref"] for r in expected}]
    assert refs == [expected[0]["order_ref"]]


def test_the_overdue_list_exports_to_pdf(shop, month) -> None:
    reconcile_month(shop, month)
    response = client_for(shop.user).get(reverse("overdue_export", args=[shop.company.pk]), {"format": "pdf"})
    if response.status_code == 503:
        pytest.skip(response.content.decode())
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_pages_without_a_finished_run_show_the_next_step(shop) -> None:
    client = client_for(shop.user)
    for name in ("dashboard", "collection", "overdue"):
        response = client.get(reverse(name, args=[shop.company.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        assert reverse("imports", args=[shop.company.pk]) in html  # stores exist, no files: import next
        assert 'class="kpis"' not in html
        assert "dashboard-data" not in html
    assert client.get(reverse("overdue_export", args=[shop.company.pk])).status_code == 404


def test_with_two_stores_each_stores_fees_are_its_own_share_against_its_own_contract(
        shop, month, tmp_path) -> None:
    """All stores: Tmall's 交易分账 against Tmall's 5 %, PDD's 技术服务费 against PDD's 0.6 %, each
    rate over that store's own sales (as the fees report computes it on that store's run)."""
    from huikuan.synth import generate_files
    from tests.web.helpers import upload

    setup.add_contract(shop.company, store=shop.store, commission_bp=500, payment_fee_bp=0,
                       settlement_days=0)
    tmall_run = reconcile_month(shop, month)
    pdd = setup.add_store(shop.company, name="拼多多店", platform="pdd")
    setup.add_contract(shop.company, store=pdd, commission_bp=60, payment_fee_bp=0, settlement_days=0)
    pdd_month = generate_files(tmp_path / "pdd", orders=60, seed=7, platform="pdd")
    pdd_shop = type(shop)(shop.company, pdd, shop.bank, shop.user)
    for path in (*pdd_month.orders, *pdd_month.bills):
        upload(pdd_shop, path)
    pdd_run = run_service.start_run(shop.company, pdd, None, dt.date(2023, 11, 1), dt.date(2023, 11, 30),
                                    user=shop.user)
    assert work_once()
    pdd_run.refresh_from_db()
    assert pdd_run.status == "done"

    expected = {}
    for store, run, rates in ((shop.store, tmall_run, {"交易分账": 0.05}),
                              (pdd, pdd_run, {"0050001|技术服务费-技术服务费": 0.006})):
        folder = folder_of(shop, run)
        with ResultSet([folder]) as rs:
            report = fees_report(rs, ReportRequest(results=[folder], contract_rates=rates))
        for r in report.rows.to_pylist():
            expected[(store.name, r["category"])] = (r["amount"], r["rate"], r["contract_rate"], r["flag"])

    response = client_for(shop.user).get(reverse("dashboard", args=[shop.company.pk]))
    shown = {(r["store"], r["category"]): (r["amount"], r["rate"], r["contract_rate"], r["flag"])
             for r in response.context["fees"]}
    assert shown == expected
    assert response.context["fees_by_store"] is True
    assert expected[(pdd.name, "0050001|技术服务费-技术服务费")][2] == pytest.approx(0.006)
