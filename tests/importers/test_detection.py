"""Every public sample is recognised by content, by exactly one format."""

from __future__ import annotations

from pathlib import Path

import pytest

from huikuan.domain.errors import UnknownFormatError
from huikuan.importers import detect, importers
from huikuan.importers.reader import SourceFile
from tests.conftest import FIXTURES, SAMPLES

ALL_SAMPLES = sorted(p for p in SAMPLES.rglob("*") if p.is_file() and p.suffix.lower() != ".md")


def test_samples_are_there():
    assert len(ALL_SAMPLES) >= 58, f"expected the 58 public samples in {SAMPLES}"


@pytest.mark.parametrize("path", ALL_SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_sample_is_recognised_without_doubt(path: Path):
    importer, confidence, _ = detect(path)
    source = SourceFile(path)
    others = sorted(((imp.detect(source), imp.id) for imp in importers() if imp is not importer),
                    reverse=True)
    runner_up = others[0] if others else (0.0, "")
    assert confidence > runner_up[0], (
        f"{path.name}: {importer.id} ({confidence:.2f}) ties with {runner_up[1]} ({runner_up[0]:.2f})")


def test_unknown_layout_names_closest_formats_and_how_to_make_a_profile(tmp_path: Path):
    strange = tmp_path / "ledger.csv"
    strange.write_text("账务流水号,金额,时间\n1,2.00,2023-01-01\n", encoding="utf-8")
    with pytest.raises(UnknownFormatError) as caught:
        detect(strange)
    message = str(caught.value)
    assert "ledger.csv" in message
    assert "alipay_account" in message  # shares 账务流水号
    assert "huikuan profile create" in message


#: every fixture and the format it is written in (a new fixture must be added here)
FIXTURE_FORMATS = {
    "alipay_account_2023-11.csv": "alipay_account",
    "alipay_business/alipay_business_2023-11.csv": "alipay_business",
    "amazon_settlement_v2/amazon-settlement-de-2024-03.txt": "amazon_settlement_v2",
    "ccb_corporate/ccb_corporate_2024-03.csv": "ccb_corporate",
    "cmb_corporate_2023-11.csv": "cmb_corporate",
    "courier_bill/courier_generic_2023-11.csv": "courier_bill",
    "courier_bill/zto_bill_2023-11.csv": "courier_bill",
    "douyin_settlement/douyin_fund_flow_2023-11.csv": "douyin_settlement",
    "jd_settlement/jd_settlement_2023-11.csv": "jd_settlement",
    "generic/cn_card_purchases_negative.csv": "generic",  # no module: the generic reader
    "generic/cn_card_purchases_positive.csv": "generic",  # no module: the generic reader
    "generic/fr_bank.csv": "generic",  # no module: the generic reader
    "generic/it_bank.csv": "generic",  # no module: the generic reader
    "generic/jp_bank.csv": "generic",  # no module: the generic reader
    "generic/meituan_personal.csv": "generic",  # no module: the generic reader
    "generic/n26_de.csv": "generic",  # no module: the generic reader
    "generic/n26_en.csv": "generic",  # no module: the generic reader
    "generic/nl_bank.csv": "generic",  # no module: the generic reader
    "generic/pt_bank.csv": "generic",  # no module: the generic reader
    "generic/revolut_en.csv": "generic",  # no module: the generic reader
    "generic/us_bank_headerless.csv": "generic",  # no module: the generic reader
    "generic/wise_en.csv": "generic",  # no module: the generic reader
    "mt940/edge-dates-amounts.sta": "mt940",
    "own_orders/jushuitan_like_orders_2023-11.csv": "own_orders",
    "own_orders/youzan_like_orders_2023-11.csv": "own_orders",
    "paypal/paypal-activity-de.csv": "paypal_activity",
    "paypal/paypal-activity-fr.csv": "paypal_activity",
    "paypal/paypal-activity-zh.csv": "paypal_activity",
    "pdd_account/pdd_account_2023-11.csv": "pdd_account",
    "pdd_orders/pdd_orders_2023-11.csv": "pdd_orders",
    "shopify_payouts/payment_transactions_export_1.csv": "shopify_payouts",
    "stripe_balance/stripe-balance-history-2026-09.csv": "stripe_balance",
    "taobao_orders_2023-11.csv": "taobao_orders",
    "venmo/venmo-statement-2024-03.csv": "venmo",
    "wechat_fundflow/wechat_fundflow_2023-11.csv": "wechat_fundflow",
    "wechat_trade/wechat_trade_2023-11.csv": "wechat_trade",
}


def test_every_fixture_is_listed_with_its_format():
    found = {str(p.relative_to(FIXTURES)) for p in FIXTURES.rglob("*")
             if p.is_file() and "broken" not in p.name}
    assert found == set(FIXTURE_FORMATS)


@pytest.mark.parametrize(("relative", "format_id"), sorted(FIXTURE_FORMATS.items()))
def test_every_fixture_is_recognised(relative: str, format_id: str):
    importer, _, _ = detect(FIXTURES / relative)
    assert importer.id == format_id
