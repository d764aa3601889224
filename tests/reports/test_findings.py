"""Analysis findings on hand-built results: each fires on its case and stays quiet just below
its threshold."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from huikuan.receivables import ResultSet
from huikuan.reports import ReportRequest, build_report
from huikuan.reports.finding_model import Finding, WrittenOffGroup
from huikuan.reports.findings import find_findings
from huikuan.reports.model import Report
from tests.engine.entries import day, line, order
from tests.receivables.chains import left, right, write_result


def _findings(folder: Path, **request: object) -> list[Finding]:
    with ResultSet([folder]) as rs:
        return find_findings(rs, ReportRequest([folder], **request))  # type: ignore[arg-type]


def _kinds(found: list[Finding]) -> list[str]:
    return [f.kind for f in found]


def test_fee_rate_above_contract_fires_with_the_lines_behind_it(month: Path) -> None:
    (found,) = _findings(month, contract_rates={"交易分账": 0.05})
    assert found.kind == "fee_above_contract"
    # 15.50 of fees on 250.00 of payments is 6.20 %: 3.00 more than 5 %
    assert "6.20%" in found.text_zh
    assert "¥3.00" in found.text_zh
    assert "5.00%" in found.text_en
    assert {r.record_id for r in found.records} == {"f1", "f2", "x1"}
    assert {r.tab for r in found.records} == {"auto", "unmatched_right"}


def test_fee_rate_within_the_tolerance_is_quiet(month: Path) -> None:
    # 6.20 % against 6.16 %: 0.04 points, under the 0.05-point tolerance
    assert _findings(month, contract_rates={"交易分账": 0.0616}) == []
    # a store's own contract comes before the general one
    assert _kinds(_findings(month, contract_rates={"2088:交易分账": 0.05, "交易分账": 0.07})) == [
        "fee_above_contract"
    ]


def _shop(tmp_path: Path, november_refund: int) -> Path:
    """Five orders of 100.00 in October (one refunded 10.00) and five in November."""
    rows = []
    for i in range(5):
        rows += left(
            order(f"O{i}", 10000, -10 + i, status="paid", reason="not_settled"),
            order(f"N{i}", 10000, 2 + i, status="paid", reason="not_settled"),
        )
    rows += left(
        line("O0-r", "order_refund", -1000, -5, order_ref="O0"),
        line("N0-r", "order_refund", -november_refund, 8, order_ref="N0"),
    )
    rows += right(line("p", "payment", 1, 1, account="shop-9"))
    return write_result(tmp_path / f"shop-{november_refund}", rows)


def test_refund_rate_spike_against_the_stores_earlier_months(tmp_path: Path) -> None:
    (found,) = _findings(_shop(tmp_path, 5000))
    assert found.kind == "refund_spike"
    # November 50.00 of 500.00 = 10.0 %, October 10.00 of 500.00 = 2.0 %
    assert "2023-11" in found.text_zh
    assert "10.0%" in found.text_zh
    assert "2.0%" in found.text_zh
    assert [r.record_id for r in found.records] == ["N0"]


def test_a_rise_just_under_five_points_is_not_a_spike(tmp_path: Path) -> None:
    # 34.00 of 500.00 = 6.8 %: over twice 2.0 % but only 4.8 points above it
    assert _findings(_shop(tmp_path, 3400)) == []


def _wallet(tmp_path: Path, last_day: int) -> Path:
    return write_result(
        tmp_path / f"wallet-{last_day}",
        right(
            line("w1", "payout", -5000, 1, account="2088"),
            line("p1", "payment", 3000, 2, account="2088"),
            line("p2", "payment", 4000, last_day, account="2088"),
            line("f2", "fee", -40, last_day, account="2088"),
            source="alipay_account",
        ),
    )


def test_a_wallet_that_stopped_paying_out(tmp_path: Path) -> None:
    (found,) = _findings(_wallet(tmp_path, 10))
    assert found.kind == "payouts_stopped"
    assert "9 天没有提现" in found.text_zh
    assert "2023-11-01" in found.text_zh
    assert "¥70.00" in found.text_zh
    assert [r.record_id for r in found.records] == ["p1", "p2"]


def test_seven_days_without_a_payout_is_normal(tmp_path: Path) -> None:
    assert _findings(_wallet(tmp_path, 8)) == []


def test_payouts_the_bank_never_credited(payouts: Path, tmp_path: Path) -> None:
    (found,) = _findings(payouts)
    assert found.kind == "payout_not_credited"
    assert "¥78.00" in found.text_zh
    assert [r.record_id for r in found.records] == ["w4"]
    credited = write_result(
        tmp_path / "credited",
        [
            *left(line("w1", "payout", -100000, 2, match="M1"), source="alipay_account"),
            *right(line("b1", "bank_credit", 100000, 3, match="M1"), source="cmb_corporate"),
        ],
    )
    assert _findings(credited) == []


@pytest.fixture
def slow(tmp_path: Path) -> Path:
    """Five orders settled four days after payment, and one still unsettled from day 1."""
    rows = []
    for i in range(5):
        rows += left(order(f"S{i}", 10000, 1, match=f"M{i}"))
        rows += right(line(f"p{i}", "payment", 10000, 5, order_ref=f"S{i}", match=f"M{i}", account="2088"))
    rows += left(order("LATE", 6600, 1, status="shipped", reason="not_settled"))
    return write_result(tmp_path / "slow", rows)


def test_an_order_unsettled_past_twice_the_runs_own_norm(slow: Path) -> None:
    (found,) = _findings(slow, as_of=day(10).date())
    assert found.kind == "slow_settlement"
    assert "最久 9 天" in found.text_zh
    assert "4 天" in found.text_zh
    assert "¥66.00" in found.text_zh
    assert [(r.record_id, r.tab) for r in found.records] == [("LATE", "unmatched_left")]


def test_an_order_at_exactly_twice_the_norm_is_quiet(slow: Path) -> None:
    assert _findings(slow, as_of=day(9).date()) == []


def _offs(n: int, amount: int, user: str = "lin") -> tuple[WrittenOffGroup, ...]:
    return tuple(
        WrittenOffGroup(f"M{i:06}", amount, "rounding", user, date(2023, 11, 1 + i)) for i in range(n)
    )


def test_many_or_large_manual_write_offs(month: Path) -> None:
    found = _findings(month, written_off_groups=_offs(10, 200))
    assert _kinds(found) == ["write_offs_many"]
    assert "lin 在 2023-11 手工核销 10 笔，共 ¥20.00" in found[0].text_zh
    assert len(found[0].records) == 10
    (large,) = _findings(month, written_off_groups=(*_offs(1, -50000, "wang"), *_offs(3, 100)))
    assert large.kind == "write_off_large"
    assert "¥500.00" in large.text_zh
    assert "wang" in large.text_en


def test_nine_write_offs_or_one_under_the_limit_are_quiet(month: Path) -> None:
    assert _findings(month, written_off_groups=(*_offs(9, 200), *_offs(1, 49999, "wang"))) == []


def test_findings_report_exports_with_severity_first(month: Path, tmp_path: Path) -> None:
    report: Report = build_report(
        "findings",
        ReportRequest([month], contract_rates={"交易分账": 0.05}, written_off_groups=_offs(10, 200)),
    )
    rows = report.rows.to_pylist()
    assert [r["kind"] for r in rows] == ["费率高于合同", "核销过多"]
    assert rows[0]["severity"] == "高"
    assert rows[0]["record_ids"] == "f1 f2 x1"
    assert report.totals.to_pylist()[0]["records"] == 13
