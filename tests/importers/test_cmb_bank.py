"""China Merchants Bank: corporate statement (fixture) and the personal export (public sample)."""

from __future__ import annotations

from pathlib import Path

from huikuan.importers import import_file
from tests.conftest import FIXTURES, sample
from tests.importers.golden import assert_golden

CORPORATE = FIXTURES / "cmb_corporate_2023-11.csv"


def test_golden_corporate():
    assert_golden(import_file(CORPORATE), "cmb_corporate_2023-11")


def test_golden_personal_sample():
    assert_golden(import_file(sample("cmb-debit/example-cmb-records.csv")), "cmb-debit")


def test_corporate_credit_debit_and_payout_reference():
    result = import_file(CORPORATE)
    assert result.meta["account"] == "755912345610801"
    entries = {e["record_id"]: e for e in result.entries.to_pylist()}
    alipay = entries["G0271300000123A"]
    assert (alipay["kind"], alipay["amount_minor"]) == ("bank_credit", 100000)
    assert alipay["counterparty"] == "支付宝（中国）网络技术有限公司"
    assert alipay["batch_ref"] == "20231106110070001506560012345683"
    supplier = entries["G0271300000124A"]
    assert (supplier["kind"], supplier["amount_minor"]) == ("bank_debit", -320000)


def test_corporate_footer_totals_agree():
    result = import_file(CORPORATE)
    assert {c.name for c in result.checks} == {"借方笔数", "借方金额", "贷方笔数", "贷方金额"}
    assert all(c.ok for c in result.checks)


def test_corporate_footer_disagreement_is_a_warning(tmp_path: Path):
    text = CORPORATE.read_bytes().decode("gbk").replace("贷方金额：3580.35", "贷方金额：3580.36")
    changed = tmp_path / "cmb.csv"
    changed.write_bytes(text.encode("gbk"))
    assert any("贷方金额" in w for w in import_file(changed).warnings)


def test_personal_signed_amounts_with_thousands_separators():
    result = import_file(sample("cmb-debit/example-cmb-records.csv"))
    assert result.format_id == "cmb_personal"
    assert result.entries["amount_minor"].to_pylist() == [123400, -100000, -300, -100000, -1014]
    assert result.entries["record_id"].to_pylist()[0] == "example-cmb-records.csv:2"
