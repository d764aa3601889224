"""JD: the personal 交易流水 and the merchant settlement detail (结算明细)."""

from __future__ import annotations

from pathlib import Path

from huikuan.importers import import_file
from tests.conftest import FIXTURES, sample
from tests.importers.entries import entry as by_id
from tests.importers.golden import assert_golden

PERSONAL = "jd-personal/example-jd-records.csv"
SETTLEMENT = FIXTURES / "jd_settlement" / "jd_settlement_2023-11.csv"



def by_line(result, line):
    return [e for e in result.entries.to_pylist() if e["line"] == line]


# ---- personal --------------------------------------------------------------------------------

def test_personal_golden():
    assert_golden(import_file(sample(PERSONAL)), "jd-personal")


def test_personal_preamble_totals_all_agree():
    result = import_file(sample(PERSONAL))
    assert (result.format_id, result.encoding, result.errors) == ("jd_personal", "utf-8-sig", [])
    assert result.rows_read == result.entries.num_rows == 26
    assert result.meta["account"] == "jd_55370d18d5bb4"
    assert (result.meta["period_start"], result.meta["period_end"]) == ("2024-12-01", "2024-12-31")
    assert [c.name for c in result.checks] == ["共…笔记录", "收入笔数", "收入金额", "支出笔数", "支出金额",
                                               "不计收支笔数"]
    assert all(c.ok for c in result.checks)  # 支出 1648.43 is net of the partial refunds


def test_partly_refunded_payment_keeps_what_was_paid_and_the_refund_is_its_own_row():
    result = import_file(sample(PERSONAL))
    [paid] = by_line(result, 26)  # 131.77(已退款89.84)
    assert (paid["kind"], paid["amount_minor"], paid["status"]) == ("payment", -13177, "refunded")
    assert paid["text"].endswith("已退款 89.84")
    [refund] = by_line(result, 25)  # 退款-JEEP …, 不计收支
    assert (refund["kind"], refund["amount_minor"]) == ("refund", 8984)


def test_fully_refunded_payment_stays_a_payment():
    [row] = by_line(import_file(sample(PERSONAL)), 36)  # 468.32(已全额退款), 不计收支
    assert (row["kind"], row["amount_minor"], row["status"]) == ("payment", -46832, "refunded")


def test_unreadable_refund_note_is_a_row_error(tmp_path: Path):
    text = sample(PERSONAL).read_text(encoding="utf-8-sig").replace("131.77(已退款89.84)", "131.77(退89.84)")
    path = tmp_path / "jd.csv"
    path.write_text(text, encoding="utf-8-sig")
    result = import_file(path)
    assert [(e.line, "131.77(退89.84)" in e.reason) for e in result.errors] == [(26, True)]


# ---- merchant settlement ---------------------------------------------------------------------

def test_settlement_golden():
    assert_golden(import_file(SETTLEMENT), "jd_settlement_2023-11")


def test_settlement_lines_of_one_order():
    result = import_file(SETTLEMENT)
    assert (result.format_id, result.encoding, result.errors) == ("jd_settlement", "gbk", [])
    lines = [e for e in result.entries.to_pylist() if e["order_ref"] == "289456712345"]
    assert [(e["kind"], e["category"], e["amount_minor"]) for e in lines] == [
        ("payment", "货款", 19900), ("fee", "佣金", -995), ("fee", "交易服务费", -119),
        ("fee", "京东配送费", -1200)]
    assert all(e["status"] == "completed" for e in lines)


def test_after_sale_refund_returns_commission_and_waits_for_settlement():
    result = import_file(SETTLEMENT)
    refund = by_id(result, "289456712399/100087654321/货款/1234567890")
    assert (refund["kind"], refund["amount_minor"], refund["status"]) == ("refund", -12800, "pending")
    commission = by_id(result, "289456712399/100087654321/佣金/1234567890")
    assert (commission["kind"], commission["amount_minor"]) == ("fee", 640)
    beans = by_id(result, "289456712399/100087654321/京豆")
    assert (beans["kind"], beans["amount_minor"]) == ("fee", -200)


def test_penalty_and_shop_fee_without_order():
    result = import_file(SETTLEMENT)
    penalty = by_id(result, "289456712500/违约金")
    assert (penalty["kind"], penalty["amount_minor"]) == ("penalty", -500)
    monthly = by_id(result, "平台使用费")
    assert (monthly["kind"], monthly["amount_minor"], monthly["order_ref"]) == ("fee", -100000, None)


def test_other_header_names_and_unsigned_amounts_give_the_same_entries(tmp_path: Path):
    text = SETTLEMENT.read_bytes().decode("gbk")
    header, *rows = text.split("\r\n")
    header = (header.replace("费用名称", "费用项").replace("应结金额", "金额")
              .replace("订单完成时间", "订单妥投时间").replace("到账时间", "费用结算时间"))
    rows = [r.replace(",-", ",") for r in rows]  # amounts unsigned, direction only in 收支方向
    path = tmp_path / "jd.csv"
    path.write_bytes("\r\n".join([header, *rows]).encode("gbk"))
    other = import_file(path)
    assert other.format_id == "jd_settlement"
    expected = import_file(SETTLEMENT).entries["amount_minor"].to_pylist()
    assert other.entries["amount_minor"].to_pylist() == expected


def test_total_row_is_checked_not_imported(tmp_path: Path):
    text = SETTLEMENT.read_bytes().decode("gbk").rstrip("\r\n")
    total = "合计,,,,,,,,,,,-622.81,,,,,,,,,"
    path = tmp_path / "jd.csv"
    path.write_bytes((text + "\r\n" + total + "\r\n").encode("gbk"))
    result = import_file(path)
    assert result.entries.num_rows == 15
    assert [(c.name, c.ok) for c in result.checks] == [("合计 应结金额", True)]


def test_negative_income_is_refused_with_its_line(tmp_path: Path):
    text = SETTLEMENT.read_bytes().decode("gbk").replace(",6.40,收入,", ",-6.40,收入,")
    path = tmp_path / "jd.csv"
    path.write_bytes(text.encode("gbk"))
    result = import_file(path)
    assert [(e.line, "收入" in e.reason) for e in result.errors] == [(11, True)]
