"""Reports written as xlsx, PDF and CSV, opened back the way a user's tools open them."""

from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from huikuan.reports import ReportError, ReportRequest, build_report, write_report
from huikuan.reports.xlsx import HEADER_ROW
from tests.engine.entries import order
from tests.receivables.chains import left, write_result
from tests.reports.conftest import LONG_ID


def _collection(month: Path):  # type: ignore[no-untyped-def]
    return build_report("collection", ReportRequest([month], period="2023-11", company="暖冬羊毛旗舰店"))


def test_xlsx_amounts_are_numbers_in_yuan_ids_are_text_header_frozen(month: Path, tmp_path: Path) -> None:
    out = tmp_path / "overdue.xlsx"
    write_report(build_report("overdue", ReportRequest([month])), out, "xlsx")
    sheet = openpyxl.load_workbook(out).active
    header = [c.value for c in sheet[HEADER_ROW + 1]]
    assert header[:3] == ["订单号", "店铺", "平台"]
    assert sheet.freeze_panes == f"A{HEADER_ROW + 2}"
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=HEADER_ROW + 2) if r[0].value}
    row = rows["'=HYPERLINK(1)"]      # formula-like text is escaped, never run
    amount = row[header.index("未回款")]
    assert amount.value == 30
    assert isinstance(amount.value, int | float)
    assert "¥" in amount.number_format
    assert isinstance(row[header.index("付款日")].value, datetime)
    assert row[header.index("逾期天数")].value >= 1
    total = rows["合计"]
    # the December order (paid 2 Dec, due 12 Dec) is not overdue on 2 Dec, the results' last day
    assert total[header.index("未回款")].value == 30
    assert total[header.index("未回款")].font.b


def test_xlsx_keeps_an_18_digit_order_number_as_text(tmp_path: Path) -> None:
    folder = write_result(tmp_path / "r", left(
        order(LONG_ID, 12345, 1, status="shipped", reason="not_settled"),
        order("A", 100, 40, status="paid", reason="not_settled")))
    out = tmp_path / "overdue.xlsx"
    write_report(build_report("overdue", ReportRequest([folder])), out, "xlsx")
    sheet = openpyxl.load_workbook(out).active
    cell = sheet.cell(HEADER_ROW + 2, 1)
    assert cell.value == LONG_ID
    assert cell.data_type == "s"
    assert sheet.cell(HEADER_ROW + 2, 6).value == 123.45


def test_xlsx_rates_are_percent_cells(month: Path, tmp_path: Path) -> None:
    out = tmp_path / "collection.xlsx"
    write_report(build_report("collection", ReportRequest([month])), out, "xlsx")
    sheet = openpyxl.load_workbook(out).active
    header = [c.value for c in sheet[HEADER_ROW + 1]]
    rate = sheet.cell(HEADER_ROW + 2, header.index("回款率") + 1)
    assert rate.number_format == "0.00%"
    assert rate.value == pytest.approx(25000 / 28000)


def test_csv_has_a_bom_chinese_headers_and_plain_decimals(month: Path, tmp_path: Path) -> None:
    out = tmp_path / "collection.csv"
    write_report(_collection(month), out, "csv")
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    total = rows[-1]
    assert total["店铺"] == "合计"
    assert (total["销售额"], total["已回款"], total["未回款"]) == ("330.00", "250.00", "30.00")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing: run .ci/pdf-deps")
def test_pdf_has_chinese_headings_period_and_totals(month: Path, tmp_path: Path) -> None:
    out = tmp_path / "collection.pdf"
    write_report(_collection(month), out, "pdf")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    for words in ("暖冬羊毛旗舰店", "回款报表", "期间：2023-11", "销售额", "已回款", "回款率", "合计",
                  "¥330.00", "¥250.00", "89.29%"):
        assert words in text, words


def test_write_refuses_unknown_formats_and_missing_folders(month: Path, tmp_path: Path) -> None:
    report = _collection(month)
    with pytest.raises(ReportError, match="--format docx"):
        write_report(report, tmp_path / "x.docx", "docx")
    with pytest.raises(ReportError, match="does not exist"):
        write_report(report, tmp_path / "no" / "x.csv", "csv")
    assert not list(tmp_path.glob("*.partial"))


def test_xlsx_frame_title_merged_totals_bold_notes_below(month: Path, tmp_path: Path) -> None:
    from huikuan.reports.custom_spec import spec_from_words

    report = build_report("custom", ReportRequest([month], company="暖冬羊毛旗舰店", custom=spec_from_words(
        "month,status", "count,amount,collection_rate", title="按月回款")))
    out = tmp_path / "custom.xlsx"
    write_report(report, out, "xlsx")
    sheet = openpyxl.load_workbook(out).active
    assert sheet.title == "按月回款"
    assert sheet["A1"].value == "暖冬羊毛旗舰店　按月回款"
    assert sheet["A1"].font.b
    assert "A1:F1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A2"].value.startswith("期间：2023-11-")
    assert sheet.freeze_panes == f"A{HEADER_ROW + 2}"
    header = [c.value for c in sheet[HEADER_ROW + 1]]
    assert header == ["月份", "回款状态", "币种", "笔数", "金额", "回款率"]
    body = list(sheet.iter_rows(min_row=HEADER_ROW + 2, values_only=False))
    data = [r for r in body if r[0].value and r[0].value.startswith("2023")]
    assert len(data) == report.rows.num_rows
    assert data[0][3].number_format == "#,##0"
    assert data[0][5].number_format == "0.00%"
    total = next(r for r in body if r[0].value == "合计")
    assert total[4].value == sum(report.rows["amount"].to_pylist()) / 100
    assert total[4].font.b
    assert "¥" in total[4].number_format
    notes = [r[0].value for r in body if r[0].value and r[0].value.startswith("口径")]
    assert notes
