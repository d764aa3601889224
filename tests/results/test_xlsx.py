"""The streaming .xlsx writer, read back by three independent readers: openpyxl, calamine and,
where it is installed, LibreOffice itself."""

from __future__ import annotations

import csv
import shutil
import subprocess
import zipfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from huikuan.results import xlsx
from huikuan.results.xlsx import Column, XlsxBook, money_format, safe_sheet_name, write_xlsx

TRICKY = ["350000000000000000001", "张三 & 李四 <店>", "a\x01b", "line\r\nnext", "  padded ",
          "_x0041_ stays", "'=1+1", "", None, "0012"]


def _table() -> pa.Table:
    n = len(TRICKY)
    return pa.table({
        "id": pa.array(TRICKY, pa.string()),
        "amount_minor": pa.array([12_345, -5, 100, 1_234, 0, 7, None, 99_999_999_999, 1, 2], pa.int64()),
        "currency": pa.array(["CNY", "CNY", "JPY", "KWD", "USD", "EUR", "CNY", "CNY", None, "XYZ"]),
        "day": pa.array([19_662 + i for i in range(n - 1)] + [None], pa.int32()),
        "paid_at": pa.array([datetime(2023, 11, 1, 16, 30, tzinfo=UTC) for _ in range(n)],
                            pa.timestamp("us", tz="UTC")),
        "count": pa.array([1, 2, 3, None, 5, 6, 7, 8, 9, 10], pa.int64()),
        "ratio": pa.array([0.5, float("nan"), 1e-5, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]),
        "ok": pa.array([True, False] * 5),
    })


COLUMNS = [
    Column("id", "记录号"),
    Column("amount_minor", "金额", "money", currency_column="currency"),
    Column("currency", "币种"),
    Column("day", "日期", "date"),
    Column("paid_at", "Paid at", "datetime"),
    Column("count", "笔数", "number"),
    Column("ratio", "Ratio", "number", number_format="0.00%"),
    Column("ok", "OK", "bool"),
]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "book.xlsx"
    names = write_xlsx(path, [("明细", _table(), COLUMNS), ("Plain", pa.table({"x": [1, 2]}), None)])
    assert names == ["明细", "Plain"]
    return path


def test_the_zip_is_sound_and_every_part_is_well_formed_xml(written: Path):
    with zipfile.ZipFile(written) as z:
        assert z.testzip() is None
        names = set(z.namelist())
        assert {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                "xl/styles.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"} <= names
        for name in names:
            ElementTree.fromstring(z.read(name))  # raises on anything a parser refuses


def test_openpyxl_reads_typed_values_formats_panes_and_filters(written: Path):
    book = openpyxl.load_workbook(written)
    assert book.sheetnames == ["明细", "Plain"]
    sheet = book["明细"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:H11"
    assert [c.value for c in sheet[1]] == [c.header for c in COLUMNS]
    assert sheet["A1"].font.b
    rows = list(sheet.iter_rows(min_row=2))
    ids = [r[0].value for r in rows]
    # text stays text, character for character (CR included); empty and missing are empty cells
    expected = ["350000000000000000001", "张三 & 李四 <店>", "a_x0001_b", "line\r\nnext", "  padded ",
                "_x005F_x0041_ stays", "'=1+1", None, None, "0012"]
    assert ids == expected  # openpyxl does not decode OOXML's _xHHHH_; Excel and calamine do
    assert all(r[0].data_type == "s" for r in rows if r[0].value is not None)
    # amounts: exact numbers, each in its currency's format and number of decimals
    amounts = [r[1].value for r in rows]
    assert [None if a is None else Decimal(str(a)) for a in amounts] == [
        Decimal("123.45"), Decimal("-0.05"), Decimal("100"), Decimal("1.234"), Decimal("0"),
        Decimal("0.07"), None, Decimal("999999999.99"), Decimal("0.01"), Decimal("0.02")]
    formats = [r[1].number_format for r in rows]
    assert formats[0] == '"¥"#,##0.00;[Red]-"¥"#,##0.00'
    assert formats[2] == '"¥"#,##0;[Red]-"¥"#,##0'         # JPY has no minor unit
    assert formats[3] == '#,##0.000 "KWD";[Red]-#,##0.000 "KWD"'
    assert formats[4].startswith('"$"')
    assert formats[5].startswith('"€"')
    assert formats[8] == "#,##0.00;[Red]-#,##0.00"          # no currency: a plain amount
    assert formats[9].startswith('#,##0.00 "XYZ"')
    # dates are dates, datetimes show the stored wall clock, numbers are numbers
    assert [r[3].value.date() if r[3].value else None for r in rows] == [
        date(2023, 11, 1) + timedelta(days=i) for i in range(9)] + [None]
    assert rows[0][3].is_date
    assert rows[0][3].number_format == "yyyy-mm-dd"
    assert rows[0][4].value == datetime(2023, 11, 1, 16, 30)
    assert rows[0][4].number_format == "yyyy-mm-dd hh:mm:ss"
    assert [r[5].value for r in rows] == [1, 2, 3, None, 5, 6, 7, 8, 9, 10]
    assert rows[1][6].value is None
    assert rows[0][6].number_format == "0.00%"
    assert [r[7].value for r in rows[:2]] == [True, False]
    # widths: the 21-digit id is wider than the two-character header; CJK counts double
    assert sheet.column_dimensions["A"].width >= 21
    plain = book["Plain"]
    assert [c.value for c in plain["A"]] == ["x", 1, 2]
    assert plain.freeze_panes == "A2"
    assert plain.auto_filter.ref == "A1:A3"


def test_calamine_reads_the_same_values(written: Path):
    book = CalamineWorkbook.from_path(str(written))
    assert book.sheet_names == ["明细", "Plain"]
    rows = book.get_sheet_by_name("明细").to_python()
    assert rows[0] == [c.header for c in COLUMNS]
    assert rows[1][0] == "350000000000000000001"
    assert rows[2][0] == "张三 & 李四 <店>"
    assert rows[3][0] == "a\x01b"            # the forbidden control character comes back
    assert rows[4][0] == "line\r\nnext"
    assert rows[6][0] == "_x0041_ stays"      # a literal escape-lookalike is not decoded
    assert rows[10][0] == "0012"
    assert rows[1][1] == pytest.approx(123.45)
    assert rows[2][1] == pytest.approx(-0.05)
    assert rows[1][3] == date(2023, 11, 1)


def test_a_sheet_continues_on_the_next_and_names_stay_legal(tmp_path: Path):
    table = pa.table({"n": pa.array(range(7), pa.int64())})
    batches = table.to_batches(max_chunksize=3)  # the boundary falls inside a batch
    long_name = "匹配/结果:" + "x" * 40
    with XlsxBook(tmp_path / "b.xlsx") as book:
        names = book.add_sheet(long_name, iter(batches), [Column("n", "n", "number")], max_rows=2)
        again = book.add_sheet(long_name, table.slice(0, 0))
    assert len(names) == 4
    assert all(len(name) <= 31 and "/" not in name and ":" not in name for name in [*names, *again])
    assert names[1].endswith(" 2")
    assert names[3].endswith(" 4")
    assert again[0] not in names
    read = openpyxl.load_workbook(tmp_path / "b.xlsx")
    assert read.sheetnames == [*names, *again]
    values = [row[0] for name in names for row in read[name].iter_rows(min_row=2, values_only=True)]
    assert values == list(range(7))
    assert [read[name].auto_filter.ref for name in names] == ["A1:A3", "A1:A3", "A1:A3", "A1:A2"]
    assert read[again[0]].max_row == 1  # the header alone


def test_a_sheet_whose_xml_would_pass_the_zip_entry_limit_continues(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(xlsx, "_MAX_ENTRY_BYTES", 2_000)
    monkeypatch.setattr(xlsx, "_CELLS_PER_BATCH", 10)
    table = pa.table({"t": [f"row {i} " + "字" * 20 for i in range(40)]})
    names = write_xlsx(tmp_path / "c.xlsx", [("Big", table, None)])
    assert len(names) > 1
    read = openpyxl.load_workbook(tmp_path / "c.xlsx")
    values = [row[0] for name in names for row in read[name].iter_rows(min_row=2, values_only=True)]
    assert values == table["t"].to_pylist()


def test_sheet_names_and_money_formats():
    assert safe_sheet_name("a[b]c*d?e/f\\g:h\x01i") == "a_b_c_d_e_f_g_h_i"
    assert safe_sheet_name("Summary", ["summary"]) == "Summary (2)"
    assert safe_sheet_name("'quoted'") == "quoted"
    assert len(safe_sheet_name("长" * 40, suffix=" 2")) == 31
    assert money_format("HKD").startswith('"HK$"#,##0.00')
    assert money_format("GBP").startswith('"£"#,##0.00')
    assert money_format("BHD").startswith('#,##0.000 "BHD"')


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_workbook(written: Path, tmp_path: Path):
    profile = tmp_path / "profile"
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1",
         "--outdir", str(tmp_path), str(written)],
        capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    # cells as shown (their number formats applied); the last option (-1): every sheet to its own file
    with (tmp_path / "book-明细.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == [c.header for c in COLUMNS]
    assert rows[1][0] == "350000000000000000001"     # text, not 3.5E+20
    assert rows[2][0] == "张三 & 李四 <店>"
    assert rows[1][1] == "¥123.45"
    assert rows[2][1] == "-¥0.05"
    assert rows[1][3] == "2023-11-01"
    assert rows[1][4] == "2023-11-01 16:30:00"
    with (tmp_path / "book-Plain.csv").open(encoding="utf-8", newline="") as f:
        assert list(csv.reader(f)) == [["x"], ["1"], ["2"]]


def test_a_failure_while_writing_leaves_no_half_workbook(tmp_path: Path):
    path = tmp_path / "half.xlsx"

    def write() -> None:
        with XlsxBook(path) as book:
            book.add_sheet("ok", pa.table({"x": [1]}))
            book.add_sheet("bad", pa.table({"x": [1]}), [Column("missing", "Missing")])

    with pytest.raises(KeyError, match="no column 'missing'"):
        write()
    assert not path.exists()


def guarded(text: str) -> str:
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")) else text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=12),
                      min_size=1, max_size=8),
       header=st.text(st.characters(blacklist_categories=["Cs"]), max_size=6))
def test_any_text_comes_back_from_calamine_character_for_character(tmp_path: Path, texts: list[str],
                                                                   header: str):
    path = tmp_path / "any.xlsx"
    write_xlsx(path, [("t", pa.table({"t": texts}), [Column("t", header)])])
    with zipfile.ZipFile(path) as z:
        ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("t").to_python(skip_empty_area=False)
    # every character comes back; a text that would run as a formula behind the guard's '
    assert [r[0] for r in rows] == [guarded(header), *map(guarded, texts)]


def test_a_report_frame_titles_above_a_frozen_header_bold_totals_and_notes(tmp_path: Path) -> None:
    rows = pa.table({"shop": ["A", "=cmd|x"], "amount": pa.array([1250, -99], pa.int64()),
                     "currency": ["CNY", "USD"], "rate": [0.25, None]})
    totals = pa.table({"shop": ["合计"], "amount": pa.array([1151], pa.int64()), "currency": ["CNY"],
                       "rate": [0.5]})
    columns = [Column("shop", "店铺"), Column("amount", "金额", "money", currency_column="currency"),
               Column("currency", "币种"), Column("rate", "回款率", "number", number_format="0.00%")]
    path = tmp_path / "framed.xlsx"
    with XlsxBook(path) as book:
        book.add_sheet("回款", rows, columns, title_rows=["暖冬　回款报表", "期间：2026-10"], footer=totals,
                       notes=["回款率 = 已回款 ÷ 应收"])
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A1"].value == "暖冬　回款报表"
    assert sheet["A1"].font.b
    assert sheet["A1"].font.sz == 14
    assert {str(r) for r in sheet.merged_cells.ranges} == {"A1:D1", "A2:D2"}
    assert [c.value for c in sheet[4]] == ["店铺", "金额", "币种", "回款率"]
    assert sheet.freeze_panes == "A5"
    assert sheet.auto_filter.ref == "A4:D6"
    assert (sheet["B5"].value, sheet["B5"].number_format) == (12.5, money_format("CNY"))
    assert sheet["B6"].number_format == money_format("USD")
    assert sheet["A6"].value == "'=cmd|x"      # text stays text, behind the formula guard
    assert sheet["A6"].data_type == "s"
    assert sheet["D5"].number_format == "0.00%"
    assert sheet["A7"].value == "合计"
    assert sheet["A7"].font.b
    assert sheet["B7"].font.b
    assert sheet["B7"].value == 11.51
    assert sheet["A9"].value == "回款率 = 已回款 ÷ 应收"
