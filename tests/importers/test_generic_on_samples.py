"""The generic reader, run alone on public bank, card and wallet samples that have a module, must
read the same money as the module: the same credits and debits per currency. This measures the
fallback on real layouts it was not written for (the registry never uses it for these files)."""

from __future__ import annotations

from collections import Counter

import pytest

from huikuan.importers import import_file
from huikuan.importers.base import ImportResult
from huikuan.importers.generic import GenericReader
from huikuan.importers.reader import SourceFile
from tests.conftest import sample

SAMPLES = (
    "abc-debit/example-abc_debit-records.csv",  # 交易日期 + 交易时间 (HHMMSS) joined
    # not alipay-personal: its module books a closed 不计收支 row at 0.00, which only a reader that
    # knows Alipay's 交易状态 can do; the generic reader books the amount written
    "boc-debit/example-boc-records.csv",
    "bocom-debit/example-bocom_debit-records.csv",  # amount + 借贷 (借 Dr / 贷 Cr)
    "ccb-debit/ccb-debit-2025.xls",
    "cgb-credit/example-cgb_credit-records.csv",  # card, purchases written positive
    "citic-credit-xls/example-citic-records.xls",
    "cmb-debit/example-cmb-records.csv",
    "dcu-us-checking/dcu-checking-2021-12.csv",
    "hsbc-hk-debit/example-hsbchk-debit-records.csv",  # two currencies, per row
    "icbc-credit/example-icbc-credit-records.csv",  # preamble, 记账金额(收入)/(支出)
    "icbc-debit/example-icbc-debit-v1-records.csv",
    "uob-sg-account/uob-sg-account-2023.xls",  # SGD named above the header
    "venmo/venmo-transactions.csv",
    "wechat-personal/example-wechat-records.csv",  # 收/支 with neutral rows
)


def money(result: ImportResult) -> Counter[tuple[str, bool]]:
    """Credits and debits per currency."""
    found: Counter[tuple[str, bool]] = Counter()
    for e in result.entries.to_pylist():
        found[(e["currency"], e["amount_minor"] > 0)] += e["amount_minor"]
    return found


@pytest.mark.parametrize("relative", SAMPLES, ids=lambda r: r.split("/")[0])
def test_generic_reader_reads_the_same_money_as_the_module(relative: str):
    path = sample(relative)
    module = import_file(path)
    source = SourceFile(path)
    reader = GenericReader()
    assert reader.detect(source) >= 0.5
    guessed = reader.read(source)
    assert money(guessed) == money(module)
    assert not guessed.errors
    if not relative.startswith("venmo/"):  # Venmo's times are UTC; the generic reader takes USD as New York
        times = [e["ts"] for e in module.entries.to_pylist() if e["kind"] != "fee"]
        assert [e["ts"] for e in guessed.entries.to_pylist()] == times


def test_paypal_net_column_is_chosen_by_the_balance():
    """PayPal writes Gross, Fee and Net; the module books gross and fee apart, the generic reader
    books Net (the balance moves by it): the same total per currency."""
    path = sample("paypal-statement/paypal-statement-en.csv")
    reader = GenericReader()
    guessed = reader.read(SourceFile(path))
    assert guessed.meta["columns"].split(", ")[1] == "amount=Net"
    totals: Counter[str] = Counter()
    for e in import_file(path).entries.to_pylist():
        totals[e["currency"]] += e["amount_minor"]
    for e in guessed.entries.to_pylist():
        totals[e["currency"]] -= e["amount_minor"]
    assert not any(totals.values())
    assert all(c.ok for c in guessed.checks)
