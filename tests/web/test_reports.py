"""Reports pages: built-in downloads for a run, the custom builder (viewers read, accountants
save), and the findings linked to the workbench."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from huikuan.domain.money import parse_amount
from huikuan.web.models import Membership, SavedReport
from tests.web.conftest import Shop, make_shop
from tests.web.helpers import reconcile_month

pytestmark = [pytest.mark.web, pytest.mark.django_db]


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reconciled(shop: Shop, month):  # type: ignore[no-untyped-def]
    return reconcile_month(shop, month)


@pytest.fixture
def viewer(shop: Shop):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import User

    user = User.objects.create_user("vera", password="x")
    Membership.objects.create(user=user, company=shop.company, role="viewer")
    return user


def _rows(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_reports_page_lists_every_built_in_report_with_downloads(shop, reconciled, viewer) -> None:
    page = _client(viewer).get(reverse("reports", args=[shop.company.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    for title in ("回款报表", "应收账龄", "费用分析", "分析发现"):
        assert title in text
    download = reverse("report_download", args=[shop.company.pk])
    assert f"{download}?run={reconciled.pk}&name=collection&format=xlsx" in text


def test_a_viewer_downloads_a_report_as_csv_and_xlsx(shop, reconciled, viewer) -> None:
    client, url = _client(viewer), reverse("report_download", args=[shop.company.pk])
    got = client.get(url, {"run": reconciled.pk, "name": "collection", "format": "csv"})
    assert got.status_code == 200
    rows = _rows(b"".join(got.streaming_content))
    assert rows[-1]["店铺"] == "合计"
    assert int(rows[-1]["订单数"]) > 0
    got = client.get(url, {"run": reconciled.pk, "name": "overdue", "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(got.streaming_content))).active
    assert sheet["A2"].value.startswith("期间")
    assert client.get(url, {"run": reconciled.pk, "name": "nope", "format": "csv"}).status_code == 404


def test_the_builder_shows_the_table_and_chart_and_a_viewer_cannot_save(shop, reconciled, viewer) -> None:
    client = _client(viewer)
    url = reverse("custom_report", args=[shop.company.pk])
    page = client.get(url, {"run": reconciled.pk, "dims": ["status"], "measures": ["count", "amount"]})
    assert page.status_code == 200
    text = page.content.decode()
    assert "<svg" in text
    assert "已结算" in text
    assert "合计" in text
    assert 'id="save"' not in text      # no save button for a viewer
    saved = client.post(reverse("save_custom_report", args=[shop.company.pk]),
                        {"run": reconciled.pk, "dims": "status", "measures": "count", "name": "mine"})
    assert saved.status_code == 404
    assert not SavedReport.objects.exists()


def test_an_accountant_saves_by_name_and_reopens_it(shop, reconciled) -> None:
    client = _client(shop.user)
    form = {"run": reconciled.pk, "dims": ["month", "status"], "measures": ["count", "collection_rate"],
            "f_status": ["settled"], "name": "已结算按月"}
    done = client.post(reverse("save_custom_report", args=[shop.company.pk]), form)
    assert done.status_code == 302
    saved = SavedReport.objects.get(company=shop.company, name="已结算按月")
    assert saved.spec["dimensions"] == ["month", "status"]
    assert saved.spec["filters"] == [{"field": "status", "op": "equals", "values": ["settled"]}]
    page = client.get(done["Location"])
    assert page.status_code == 200
    assert 'value="settled" selected' in page.content.decode()
    # the saved report downloads with the numbers the builder shows: only settled orders
    got = client.get(reverse("report_download", args=[shop.company.pk]),
                     {"run": reconciled.pk, "saved": saved.pk, "format": "csv"})
    rows = _rows(b"".join(got.streaming_content))
    assert {r["回款状态"] for r in rows[:-1]} == {"已结算"}
    # saving the same name again replaces it
    client.post(reverse("save_custom_report", args=[shop.company.pk]), form | {"measures": ["count"]})
    assert SavedReport.objects.get(name="已结算按月").spec["measures"] == ["count"]
    # both saves are in the audit log, by whom, with what was saved (issue 18 §5)
    from huikuan.web.models import AuditLog

    logged = list(AuditLog.objects.filter(company=shop.company, action="report.save").order_by("id"))
    assert [(a.user, a.details["name"], a.details["replaced"]) for a in logged] == \
        [(shop.user, "已结算按月", False), (shop.user, "已结算按月", True)]
    assert logged[-1].details["spec"]["measures"] == ["count"]


def test_a_bad_definition_says_why(shop, reconciled) -> None:
    page = _client(shop.user).get(reverse("custom_report", args=[shop.company.pk]),
                                  {"run": reconciled.pk, "dims": ["status", "fee_type"],
                                   "measures": ["count"]})
    assert page.status_code == 400
    assert "fee_type" in page.content.decode()
    assert "is a field of entries" in page.content.decode()


def test_saved_reports_of_another_company_are_not_found(shop, reconciled) -> None:
    other = make_shop("别家", "carol")
    theirs = SavedReport.objects.create(company=other.company, name="x", spec={"measures": ["count"]})
    client = _client(shop.user)
    url = reverse("custom_report", args=[shop.company.pk])
    assert client.get(url, {"saved": theirs.pk}).status_code == 404
    download = reverse("report_download", args=[shop.company.pk])
    assert client.get(download, {"saved": theirs.pk, "format": "csv"}).status_code == 404


def test_findings_link_to_the_records_in_the_workbench(shop, reconciled, viewer) -> None:
    client = _client(viewer)
    page = client.get(reverse("findings", args=[shop.company.pk]), {"run": reconciled.pk})
    assert page.status_code == 200
    text = page.content.decode()
    # the simulated month has a payout the bank never credited and an order long unsettled
    assert "未见银行到账" in text
    assert "付款后仍未结算" in text
    run_url = reverse("run", args=[shop.company.pk, reconciled.pk])
    pattern = rf'href="({re.escape(run_url)}\?flow=payout-bank&tab=unmatched_left&text=[^"]+)"'
    links = re.findall(pattern, text)
    assert links
    workbench = client.get(links[0].replace("&amp;", "&"))
    record = links[0].rsplit("text=", 1)[1]
    assert workbench.status_code == 200
    assert record in workbench.content.decode()


def test_findings_use_the_store_contract_and_the_runs_write_offs(shop, reconciled) -> None:
    """The web app feeds what the merchant set up and decided: a commission above the store's
    contract is a finding, and the run's write-offs reach the write-off checks."""
    from huikuan.web import workbench
    from huikuan.web.effective import effective_folder
    from huikuan.web.services import decisions, setup

    client = _client(shop.user)
    url = reverse("findings", args=[shop.company.pk])
    assert "高于合同" not in client.get(url, {"run": reconciled.pk}).content.decode()  # no contract yet
    setup.add_contract(shop.company, store=shop.store, commission_bp=100, payment_fee_bp=0,
                       settlement_days=7)
    assert "高于合同" in client.get(url, {"run": reconciled.pk}).content.decode()

    flow = "orders-settlement"
    rounding = workbench.page(effective_folder(reconciled, flow), "differences", workbench.Filters()).rows[0]
    written = decisions.write_off(shop.user, reconciled, flow,
                                  decisions.group(reconciled, flow, rounding["match_id"]), "rounding")
    [group] = decisions.written_off_groups(reconciled)
    assert (group.amount_minor, group.reason, group.user, group.result) == (
        written.decision.amount_minor, "rounding", shop.user.username, flow)
    assert abs(group.amount_minor) == abs(parse_amount(rounding["difference"])) > 0


def test_reports_page_ages_orders_by_the_stores_settlement_days_like_the_dashboard(shop, reconciled) -> None:
    """An overdue list downloaded from the reports page equals the dashboard's: both take the
    store's contract settlement days, and a longer contract makes fewer orders overdue."""
    from huikuan.web.services import setup

    client = _client(shop.user)
    reports_url = reverse("report_download", args=[shop.company.pk])
    dashboard_url = reverse("dashboard_report", args=[shop.company.pk])

    def overdue(url: str, **query: object) -> list[dict[str, str]]:
        got = client.get(url, {"name": "overdue", "format": "csv", **query})
        assert got.status_code == 200
        return _rows(b"".join(got.streaming_content))

    setup.add_contract(shop.company, store=shop.store, commission_bp=500, payment_fee_bp=60,
                       settlement_days=1)
    short = overdue(reports_url, run=reconciled.pk)
    assert short == overdue(dashboard_url, store=shop.store.pk)
    setup.add_contract(shop.company, store=shop.store, commission_bp=500, payment_fee_bp=60,
                       settlement_days=20)
    assert len(overdue(reports_url, run=reconciled.pk)) < len(short)
