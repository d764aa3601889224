"""China Guangfa Bank credit card (public sample): the bank's signs turned to the cardholder's."""

from __future__ import annotations

from huikuan.importers import import_file
from tests.conftest import sample
from tests.importers.golden import assert_golden

SAMPLE = "cgb-credit/example-cgb_credit-records.csv"


def by_line(result, line):
    return next(e for e in result.entries.to_pylist() if e["line"] == line)


def test_golden_sample():
    assert_golden(import_file(sample(SAMPLE)), "cgb-credit")


def test_spending_is_money_out_refund_and_repayment_money_in():
    result = import_file(sample(SAMPLE))
    assert result.format_id == "cgb_credit"
    assert not result.errors
    spend = by_line(result, 2)  # the bank writes +15.90
    assert (spend["kind"], spend["amount_minor"], spend["category"]) == ("bank_debit", -1590, "消费")
    assert spend["counterparty"] == "示例商户A"
    refund = by_line(result, 3)  # the bank writes -97.20
    assert (refund["kind"], refund["amount_minor"], refund["category"]) == ("bank_credit", 9720, "退款")
    repayment = by_line(result, 5)
    assert (repayment["kind"], repayment["amount_minor"]) == ("bank_credit", 113068)
    assert repayment["category"] == "还款"
    assert by_line(result, 4)["category"] == "分期"
