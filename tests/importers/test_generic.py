"""The generic reader: statements no module knows, read by header words and content.

Each fixture in ``tests/fixtures/generic`` was written for these tests from public descriptions of
the layout (a Chinese card statement each way round, a 美团 bill, Revolut, Wise, N26 in English
and German, Japanese, Italian, French, Portuguese and Dutch banks, a headerless US bank CSV).
"""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from huikuan.domain.errors import HuikuanError, UnknownFormatError
from huikuan.importers import detect, import_file
from huikuan.importers.base import ImportResult
from tests.conftest import FIXTURES
from tests.importers.golden import assert_golden

GENERIC = FIXTURES / "generic"
ALL = sorted(GENERIC.glob("*.csv"))


def amounts(result: ImportResult) -> list[tuple[int, str, int]]:
    """(line, kind, amount in minor units) of every entry, in file order."""
    return [(e["line"], e["kind"], e["amount_minor"]) for e in result.entries.to_pylist()]


def total(result: ImportResult) -> int:
    return sum(e["amount_minor"] for e in result.entries.to_pylist())


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_golden(path: Path):
    result = import_file(path)
    assert result.format_id == "generic"
    assert_golden(result, f"generic-{path.stem}")


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_the_guess_is_shown_with_its_confidence(path: Path):
    importer, confidence, _ = detect(path)
    assert importer.id == "generic"
    assert 0.5 <= confidence <= 0.95
    result = import_file(path)
    shown = [w for w in result.warnings if "generic reader:" in w]
    assert len(shown) == 1
    assert f"confidence {confidence:.2f}" in shown[0]
    assert "date=" in shown[0]
    assert "amount=" in shown[0] or "debit=" in shown[0]


def test_card_statement_with_purchases_positive_is_turned_to_the_cardholders_side():
    result = import_file(GENERIC / "cn_card_purchases_positive.csv")
    assert result.meta["columns"].startswith("date=交易日, post_date=记账日, amount=入账金额")
    assert amounts(result) == [
        (4, "bank_debit", -5850),      # 消费 written +58.50
        (5, "bank_debit", -129900),
        (6, "bank_credit", 200000),    # 还款 written -2000.00
        (7, "bank_credit", 9900),      # 退货 written -99.00
        (8, "bank_debit", -4120),      # 入账金额 (CNY), not the 交易金额 of 45.00 in HKD
    ]
    assert {e["account"] for e in result.entries.to_pylist()} == {"6789"}
    [error] = result.errors
    assert (error.line, error.file) == (9, "cn_card_purchases_positive.csv")
    assert "二十元" in error.reason
    assert any("line 10" in w and "合计" in w for w in result.warnings)  # the footer is shown, not read


def test_card_statement_with_purchases_negative_is_read_as_written():
    result = import_file(GENERIC / "cn_card_purchases_negative.csv")
    assert amounts(result) == [(2, "bank_debit", -8800), (3, "bank_debit", -3590), (4, "bank_credit", 300000),
                               (5, "bank_debit", -14460), (6, "bank_credit", 8800)]
    assert {e["currency"] for e in result.entries.to_pylist()} == {"CNY"}  # 人民币 in 记账币种
    assert "记账金额" in result.meta["columns"]
    assert not result.errors


def test_food_delivery_bill_uses_its_in_out_column_and_is_a_personal_bill():
    result = import_file(GENERIC / "meituan_personal.csv")
    assert result.role == "personal"
    assert "direction=收/支" in result.meta["columns"]
    rows = {e["record_id"]: e for e in result.entries.to_pylist()}
    assert rows["240301120311001"]["amount_minor"] == -2580
    assert rows["240302184002002"]["amount_minor"] == 2580  # the refund comes back
    assert rows["240312073000005"]["amount_minor"] == 10000  # 转入: a top-up, money in
    assert rows["240309192205004"]["text"] == "麻辣香锅"
    assert total(result) == -2580 + 2580 - 990 - 4650 + 10000 - 1800


def test_revolut_fee_is_booked_because_the_balance_moves_by_amount_minus_fee():
    result = import_file(GENERIC / "revolut_en.csv")
    fee = [e for e in result.entries.to_pylist() if e["kind"] == "fee"]
    assert [(e["line"], e["amount_minor"], e["record_id"]) for e in fee] == [(4, -50, "revolut_en.csv:4/fee")]
    assert {e["currency"] for e in result.entries.to_pylist()} == {"EUR"}
    assert [c.ok for c in result.checks] == [True]
    pending = [e for e in result.entries.to_pylist() if e["line"] == 6]
    assert pending[0]["status"] == "pending"


def test_wise_amount_already_includes_its_fees():
    result = import_file(GENERIC / "wise_en.csv")
    assert not any(e["kind"] == "fee" for e in result.entries.to_pylist())
    rows = {e["record_id"]: e for e in result.entries.to_pylist()}
    assert rows["TRANSFER-1003"]["amount_minor"] == -50375
    assert rows["TRANSFER-1001"]["counterparty"] == "ACME LTD"  # Payer Name when Merchant is empty
    assert rows["CARD-2002"]["counterparty"] == "Tesco"
    assert {e["currency"] for e in rows.values()} == {"GBP"}
    assert result.entries.to_pylist()[0]["ts"].day == 15  # 15-01-2024: day first


@pytest.mark.parametrize(("name", "currency", "credits", "debits"), [
    ("n26_en", "EUR", 250000, -6114),
    ("n26_de", "EUR", 250000, -11315),
    ("jp_bank", "JPY", 300000, -18560),
    ("it_bank", "EUR", 125000, -13345),
    ("fr_bank", "EUR", 210000, -12555),
    ("pt_bank", "EUR", 15000, -7397),
    ("nl_bank", "EUR", 230000, -4205),
    ("us_bank_headerless", "USD", 150000, -6749),
])
def test_bank_statements_in_many_languages(name: str, currency: str, credits: int, debits: int):
    result = import_file(GENERIC / f"{name}.csv")
    assert not result.errors
    entries = result.entries.to_pylist()
    assert {e["currency"] for e in entries} == {currency}
    assert sum(e["amount_minor"] for e in entries if e["kind"] == "bank_credit") == credits
    assert sum(e["amount_minor"] for e in entries if e["kind"] == "bank_debit") == debits


def test_headerless_csv_is_typed_by_content():
    result = import_file(GENERIC / "us_bank_headerless.csv")
    assert result.meta["columns"] == "date=column 1, amount=column 2, description=column 5"
    first = result.entries.to_pylist()[0]
    assert (first["line"], first["amount_minor"], first["text"]) == (1, -1250, "GROCERY STORE #123")
    assert (first["ts"].month, first["ts"].day) == (1, 15)


def test_one_day_above_twelve_settles_the_date_order_of_the_column():
    result = import_file(GENERIC / "it_bank.csv")  # 02/01/2024, 05/01/2024, 15/01/2024
    rome = ZoneInfo("Europe/Rome")
    days = [e["ts"].astimezone(rome).date() for e in result.entries.to_pylist()]
    assert days == [date(2024, 1, 2), date(2024, 1, 5), date(2024, 1, 15)]
    assert result.meta["date_order"] == "dmy"


STATEMENT = ("Date,Description,Amount,Balance\n"
             "2024-03-01,Opening transfer,100.00,100.00\n"
             "2024-03-02,Coffee,4.50,95.50\n"
             "2024-03-03,Books,20.00,75.50\n"
             "2024-03-04,Refund,5.00,80.50\n")


def test_running_balance_turns_a_statement_written_the_other_way_round(tmp_path: Path):
    path = tmp_path / "unsigned.csv"
    # spending written positive and income negative: only the balance tells the sign
    path.write_text(STATEMENT.replace("100.00,100", "-100.00,100").replace(",5.00,", ",-5.00,"))
    result = import_file(path)
    assert [a for _, _, a in amounts(result)] == [10000, -450, -2000, 500]
    assert "other way round" in result.meta["sign"]
    assert [c.ok for c in result.checks] == [True]


def test_running_balance_catches_a_row_with_the_wrong_sign(tmp_path: Path):
    path = tmp_path / "one-wrong.csv"
    path.write_text(STATEMENT.replace("-100.00", "100.00").replace(",4.50,", ",-4.50,").replace(
        ",20.00,", ",-20.00,").replace("Refund,5.00,80.50", "Refund,-5.00,80.50"))
    result = import_file(path)
    [check] = result.checks
    assert not check.ok
    assert (check.expected, check.actual) == ("3", "2")
    assert any("line 5" in w and "balance does not follow" in w for w in result.warnings)


def test_newest_first_statement_is_checked_in_its_own_order(tmp_path: Path):
    path = tmp_path / "newest-first.csv"
    lines = STATEMENT.replace(",4.50,", ",-4.50,").replace(",20.00,", ",-20.00,").splitlines()
    path.write_text("\n".join([lines[0], *reversed(lines[1:])]) + "\n")
    result = import_file(path)
    assert [c.ok for c in result.checks] == [True]
    assert total(result) == 10000 - 450 - 2000 + 500


def test_xlsx_from_a_bank_with_no_module(tmp_path: Path):
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Movimientos de la cuenta"])
    sheet.append(["Cuenta: ES91 2100 0418 4502 0005 1332"])
    sheet.append([])
    sheet.append(["Fecha operación", "Fecha valor", "Concepto", "Importe", "Saldo"])
    sheet.append([datetime(2024, 6, 3), datetime(2024, 6, 3), "Transferencia recibida", 1200.5, 3200.5])
    sheet.append([datetime(2024, 6, 7), datetime(2024, 6, 8), "Compra Mercadona", -56.25, 3144.25])
    sheet.append([datetime(2024, 6, 9), datetime(2024, 6, 9), "Recibo Iberdrola", -80, 3064.25])
    path = tmp_path / "movimientos.xlsx"
    book.save(path)
    result = import_file(path)
    assert result.format_id == "generic"
    assert amounts(result) == [(5, "bank_credit", 120050), (6, "bank_debit", -5625), (7, "bank_debit", -8000)]
    assert {e["currency"] for e in result.entries.to_pylist()} == {"EUR"}
    assert [c.ok for c in result.checks] == [True]
    assert result.meta["header"] == "row 4"


def test_every_row_is_accounted_for():
    for path in ALL:
        result = import_file(path)
        lines = Counter(e["line"] for e in result.entries.to_pylist() if e["kind"] != "fee")
        assert len(lines) + len(result.errors) == result.rows_read, path.name


def test_a_file_with_no_usable_columns_is_still_an_unknown_format(tmp_path: Path):
    strange = tmp_path / "notes.csv"
    strange.write_text("账务流水号,名称,备注\n1,甲,乙\n2,丙,丁\n3,戊,己\n", encoding="utf-8")
    with pytest.raises(UnknownFormatError) as caught:
        detect(strange)
    message = str(caught.value)
    assert "notes.csv" in message
    assert "alipay_account" in message  # shares 账务流水号
    assert "huikuan profile create" in message


def test_a_single_row_is_too_little_to_guess_from(tmp_path: Path):
    single = tmp_path / "single.csv"
    single.write_text("日期,摘要,金额\n2024-01-02,午饭,-12.00\n", encoding="utf-8")
    with pytest.raises(UnknownFormatError):
        detect(single)


_CELLS = st.one_of(
    st.sampled_from(["日期", "金额", "余额", "摘要", "Date", "Amount", "Balance", "借贷标志", "借", "贷",
                     "Af", "2024-01-05", "05/01/2024", "13/01/2024", "-12.50", "1.234,56", "¥3", "合计", "",
                     "x"]),
    st.text(alphabet="0123456789.,-/ 年月日abc", max_size=12),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=st.lists(st.lists(_CELLS, min_size=1, max_size=6), min_size=1, max_size=12))
def test_any_table_gives_a_read_or_a_clear_refusal(tmp_path: Path, table: list[list[str]]):
    path = tmp_path / "fuzz.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(table)
    assume(path.stat().st_size > 0)
    try:
        result = import_file(path)
    except HuikuanError as exc:
        message = str(exc)
    else:
        message = ""
    if message:
        assert "fuzz.csv" in message
        return
    lines = {e["line"] for e in result.entries.to_pylist()}
    assert len(lines) + len(result.errors) == result.rows_read


def test_headerless_csv_with_a_title_line_skips_it(tmp_path: Path):
    path = tmp_path / "titled.csv"
    rows = (GENERIC / "us_bank_headerless.csv").read_text("utf-8")
    path.write_text("Account 12345678 checking\r\n" + rows, encoding="utf-8")
    result = import_file(path)
    assert result.format_id == "generic"
    assert not result.errors
    assert [line for line, _, _ in amounts(result)] == [2, 3, 4, 5]
