"""Bank of Communications account details (public sample): direction from 借贷."""

from __future__ import annotations

from pathlib import Path

from huikuan.importers import import_file
from tests.conftest import sample
from tests.importers.golden import assert_golden

SAMPLE = "bocom-debit/example-bocom_debit-records.csv"


def by_line(result, line):
    return next(e for e in result.entries.to_pylist() if e["line"] == line)


def test_golden_sample():
    assert_golden(import_file(sample(SAMPLE)), "bocom-debit")


def test_direction_comes_from_the_bilingual_debit_credit_column():
    result = import_file(sample(SAMPLE))
    assert result.format_id == "bocom_debit"
    assert not result.errors
    assert result.entries["amount_minor"].to_pylist() == [123, -321, 2, 1000, -1000, -10079]
    purchase = by_line(result, 7)
    assert purchase["kind"] == "bank_debit"
    assert purchase["counterparty"] == "京东肯特瑞基金销售有限公司"
    assert purchase["batch_ref"] == "20250123123213213131321313131"  # from 摘要


def test_unknown_direction_or_signed_amount_is_reported(tmp_path: Path):
    text = sample(SAMPLE).read_text(encoding="utf-8")
    text = text.replace("信用卡转账还款,借 Dr,3.21", "信用卡转账还款,,3.21")
    text = text.replace("异地跨行消费,借 Dr,10.00", "异地跨行消费,借 Dr,-10.00")
    broken = tmp_path / "bocom.csv"
    broken.write_text(text, encoding="utf-8")
    result = import_file(broken)
    assert [e.line for e in result.errors] == [3, 6]
    assert "借贷" in result.errors[0].reason
    assert "signed" in result.errors[1].reason
