"""The one way to write an importer (docs/IMPORTERS.md): typed columns, the money in / money out
rule, per-file state and the finish hook, on the doc's own example module."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from huikuan.importers.columns import Text, fields, in_minus_out
from huikuan.importers.reader import SourceFile
from tests.importers.example_wallet import ExampleWallet

DOC = Path(__file__).parents[2] / "docs" / "IMPORTERS.md"
STATEMENT = """\
钱包账单,导出时间 2024-03-31
流水号,时间,收入,支出,备注
W001,2024-03-01 10:00:00,128.00,,订单 1001
W002,2024-03-01 10:00:05,,3.84,技术服务费
W003,2024-03-02 09:00:00,0.00,-,
W004,2024-03-03 09:00:00,10.00,2.00,冲正
W005,2024-03-04 18:30:00,,1000.00,提现到银行卡
"""


def read(tmp_path: Path, text: str = STATEMENT):
    path = tmp_path / "wallet.csv"
    path.write_text(text, encoding="utf-8")
    return ExampleWallet().read(SourceFile(path))


def test_the_doc_shows_the_tested_example_module_verbatim():
    code = re.search(r"```python\n(.*?)```", DOC.read_text("utf-8"), re.S)
    assert code is not None
    module = (Path(__file__).parent / "example_wallet.py").read_text("utf-8")
    assert code.group(1) == module[module.index("from __future__"):]


def test_example_reads_payments_fees_and_payouts_with_their_lines(tmp_path):
    result = read(tmp_path)
    rows = result.entries.select(["line", "record_id", "kind", "amount_minor"]).to_pylist()
    assert [tuple(r.values()) for r in rows] == [
        (3, "W001", "payment", 12800), (4, "W002", "fee", -384), (7, "W005", "payout", -100000)]
    assert str(result.entries["ts"][0].as_py().date()) == "2024-03-01"


def test_a_row_with_neither_or_both_sides_is_a_row_error_naming_the_columns(tmp_path):
    errors = {e.line: e.reason for e in read(tmp_path).errors}
    assert errors == {5: "neither 收入 nor 支出 is filled",
                      6: "both 收入 (10.00) and 支出 (2.00) are filled"}


def test_finish_reports_what_the_rows_kept_in_state(tmp_path):
    assert read(tmp_path).warnings == ["wallet.csv: 1 withdrawal(s); match them with payout-bank"]
    again = read(tmp_path, STATEMENT.replace("提现到银行卡", "转出"))
    assert again.warnings == []  # state is per file, and this file has no withdrawal


@pytest.mark.parametrize(("money_in", "money_out", "amount"), [
    ("12.50", "", 1250), ("", "12.50", -1250), ("0", "-3.00", -300), ("--", "7", -700),
    ("——", "0.00", None), ("", "", None), ("1", "1", None), ("-2.00", "0", -200),
])
def test_one_rule_for_money_in_and_out(money_in, money_out, amount):
    def read_amount(text: str) -> int:
        return round(float(text) * 100)  # ok-float: a test double of the money parser

    if amount is None:
        with pytest.raises(ValueError, match=r"both|neither"):
            in_minus_out(money_in, money_out, read_amount)
    else:
        assert in_minus_out(money_in, money_out, read_amount) == amount


def test_a_cell_read_as_another_kind_than_declared_is_a_bug_not_a_row_error(tmp_path):
    class Mislabelled(ExampleWallet):
        columns = fields(**{**ExampleWallet.columns, "income": Text("收入")})

    result = None
    with pytest.raises(TypeError, match="not declared Amount"):
        result = Mislabelled().read(SourceFile(_write(tmp_path)))
    assert result is None


def _write(tmp_path: Path) -> Path:
    path = tmp_path / "wallet.csv"
    path.write_text(STATEMENT, encoding="utf-8")
    return path
