"""China CITIC Bank credit card statement .xls (public sample)."""

from __future__ import annotations

from huikuan.importers import import_file
from tests.conftest import sample
from tests.importers.golden import assert_golden

SAMPLE = "citic-credit-xls/example-citic-records.xls"


def by_line(result, line):
    return next(e for e in result.entries.to_pylist() if e["line"] == line)


def test_golden_sample():
    assert_golden(import_file(sample(SAMPLE)), "citic-credit-xls")


def test_text_amounts_and_float_card_number():
    result = import_file(sample(SAMPLE))
    assert result.format_id == "citic_credit"
    assert result.meta["statement"] == "本期账单明细(人民币)"
    assert not result.errors
    assert result.rows_read == result.entries.num_rows == 13
    assert set(result.entries["account"].to_pylist()) == {"6688"}  # stored as 6688.0
    jd = by_line(result, 5)
    assert (jd["kind"], jd["amount_minor"]) == ("bank_debit", -80789)
    assert jd["text"] == "财付通－京东商城平台商户"
    cashback = by_line(result, 4)  # the bank writes -0.20
    assert (cashback["kind"], cashback["amount_minor"]) == ("bank_credit", 20)
