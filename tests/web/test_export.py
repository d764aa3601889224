"""A workbench tab exported to Excel: every row under the filters, not just the page shown;
order numbers and record ids as text, amounts as numbers in ¥, a frozen Chinese header."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from huikuan.web import workbench
from huikuan.web.effective import effective_folder
from tests.web.helpers import reconcile_month

pytestmark = [pytest.mark.web, pytest.mark.django_db]


def _sheet(response) -> tuple[list[str], list[tuple], openpyxl.worksheet.worksheet.Worksheet]:  # type: ignore[no-untyped-def]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "匹配号")
    return list(rows[header_at]), rows[header_at + 1:], sheet


def test_a_tab_exports_every_row_under_its_filters(shop, month) -> None:
    run = reconcile_month(shop, month)
    client = Client()
    client.force_login(shop.user)
    url = reverse("export_tab", args=[shop.company.pk, run.pk])
    folder = effective_folder(run, "orders-settlement")
    expected = workbench.page(folder, "auto", workbench.Filters(), size=100_000).rows
    assert len(expected) > workbench.PAGE_SIZE  # more than one page: the export is not the page

    response = client.get(url, {"flow": "orders-settlement", "tab": "auto"})
    assert response.status_code == 200
    header, rows, sheet = _sheet(response)
    assert header[:8] == ["匹配号", "状态", "方", "时间", "类型", "订单号", "流水号", "金额"]
    assert len(rows) == len(expected)
    by_record = {(r[2], r[6]): r for r in rows}
    for entry in expected[:200]:
        row = by_record[(entry["side"], entry["record_id"])]
        assert row[5] == entry["order_ref"]          # the order number as text, all its digits
        assert row[7] * 100 == pytest.approx(entry["amount_minor"])  # ok-float: Excel holds numbers
    assert "¥" in sheet.cell(row=sheet.max_row, column=8).number_format
    assert sheet.freeze_panes is not None

    order = expected[0]["order_ref"]
    filtered = client.get(url, {"flow": "orders-settlement", "tab": "auto", "text": order})
    _, rows, _ = _sheet(filtered)
    assert rows
    assert all(order in (r[5] or "") or order in r[6] for r in rows)
    assert len(rows) == workbench.page(folder, "auto", workbench.Filters(text=order)).total


def test_a_viewer_exports_and_a_stranger_gets_404(shop, other_shop, month) -> None:
    from django.contrib.auth.models import User

    from huikuan.web.models import Membership

    run = reconcile_month(shop, month)
    viewer = User.objects.create_user("viv", password="x")
    Membership.objects.create(user=viewer, company=shop.company, role="viewer")
    url = reverse("export_tab", args=[shop.company.pk, run.pk])
    query = {"flow": "orders-settlement", "tab": "unmatched_left"}
    client = Client()
    client.force_login(viewer)
    assert client.get(url, query).status_code == 200
    client.force_login(other_shop.user)
    assert client.get(url, query).status_code == 404
    client.force_login(shop.user)
    assert client.get(url, {**query, "tab": "nonsense"}).status_code == 404


def test_the_differences_tab_exports_its_amounts_as_money(shop, month) -> None:
    run = reconcile_month(shop, month)
    client = Client()
    client.force_login(shop.user)
    folder = effective_folder(run, "orders-settlement")
    expected = workbench.page(folder, "differences", workbench.Filters()).rows
    assert expected
    response = client.get(reverse("export_tab", args=[shop.company.pk, run.pk]),
                          {"flow": "orders-settlement", "tab": "differences"})
    header, rows, sheet = _sheet(response)
    assert header[:7] == ["匹配号", "规则", "核对项", "左方", "右方", "差额", "币种"]
    assert len(rows) == len(expected)
    for row, difference in zip(rows, expected, strict=True):
        # a negative difference is a number the clerk can sum, not the text "-0.01"
        assert [row[0], row[3], row[4], row[5]] == [
            difference["match_id"], *(pytest.approx(float(difference[k]))  # ok-float: Excel holds numbers
                                      for k in ("left_amount", "right_amount", "difference"))]
    assert "¥" in sheet.cell(row=sheet.max_row, column=6).number_format
