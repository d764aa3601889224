"""Custom reports: the numbers of every dimension and measure against a computation by hand over
the same hand-built rows, and the one-line errors of bad definitions."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from huikuan.receivables import ResultSet
from huikuan.reports import ReportError, ReportRequest
from huikuan.reports.custom import run_custom
from huikuan.reports.custom_spec import CustomSpec, Filter, spec_from_json, spec_from_words
from tests.engine.entries import at, line, order
from tests.receivables.chains import left, right, write_result

#: two stores' months: Tmall in CNY (November and December) and a Shopify shop in USD
TMALL = [
    *left(
        order("A1", 10000, 1, match="M1"),
        order("A2", 20000, 2, match="M2"),
        line("A2-r", "order_refund", -5000, 3, order_ref="A2", match="M2"),
        order("A3", 3000, 3, status="shipped", reason="not_settled"),
        order("A4", 900, 4, status="unpaid", reason="unpaid"),
        order("A5", 7000, 0, ts=at("2023-12-02 10:00"), match="M5"),
    ),
    *right(
        line("p1", "payment", 10000, 9, order_ref="A1", match="M1", account="2088"),
        line("f1", "fee", -500, 9, order_ref="A1", match="M1", category="交易分账", account="2088"),
        line("p2", "payment", 15000, 12, order_ref="A2", match="M2", account="2088"),
        line("f2", "fee", -750, 12, order_ref="A2", match="M2", category="交易分账", account="2088"),
        line("f2b", "fee", -60, 12, order_ref="A2", match="M2", category="淘宝客佣金", account="2088"),
        line("p5", "payment", 7000, 0, ts=at("2023-12-09 10:00"), order_ref="A5", match="M5", account="2088"),
        line(
            "r5",
            "refund",
            -1000,
            0,
            ts=at("2023-12-12 10:00"),
            order_ref="A5",
            account="2088",
            reason="refund_after_settlement",
        ),
        line("x1", "fee", -300, 12, category="交易分账", reason="fee_without_order", account="2088"),
    ),
]
SHOP = [
    *left(
        order("S1", 5000, 5, currency="USD", match="M1"),
        order("S2", 8000, 6, currency="USD"),
        source="shopify_orders",
    ),
    *right(
        line("sp1", "payment", 5000, 8, currency="USD", order_ref="S1", match="M1", account="acct_9"),
        line(
            "sf1",
            "fee",
            -175,
            8,
            currency="USD",
            order_ref="S1",
            match="M1",
            category="processing",
            account="acct_9",
        ),
        source="shopify_payouts",
    ),
]


@pytest.fixture
def folders(tmp_path: Path) -> list[Path]:
    return [write_result(tmp_path / "tmall", TMALL), write_result(tmp_path / "shop", SHOP)]


def _run(
    folders: list[Path], spec: CustomSpec, period: str | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    with ResultSet(folders) as rs:
        report = run_custom(rs, spec, ReportRequest(folders, period=period))
    return report.rows.to_pylist(), report.totals.to_pylist()


def _by_hand(rows: list[dict[str, Any]], key: Any, value: Any) -> dict[Any, int]:
    """Sums of ``value(row)`` per ``key(row)`` over the hand-built rows, in plain Python."""
    out: dict[Any, int] = defaultdict(int)
    for r in rows:
        if (k := key(r)) is not None:
            out[k] += value(r)
    return dict(out)


def _month(r: dict[str, Any]) -> str:
    stamp = r.get("ts")
    return stamp.strftime("%Y-%m") if stamp else "2023-11"


def test_entry_lines_by_kind_side_and_currency_match_a_sum_by_hand(folders: list[Path]) -> None:
    rows, totals = _run(folders, spec_from_words("kind,side,currency", "count,amount"))
    every = TMALL + SHOP
    amounts = _by_hand(
        every, lambda r: (r["kind"], r["side"], r.get("currency", "CNY")), lambda r: r["amount"]
    )
    counts = _by_hand(every, lambda r: (r["kind"], r["side"], r.get("currency", "CNY")), lambda r: 1)
    got = {(r["kind"], r["side"], r["currency"]): (r["count"], r["amount"]) for r in rows}
    assert got == {k: (counts[k], amounts[k]) for k in amounts}
    # totals per currency: ¥ and $ never added up
    assert {t["currency"]: t["amount"] for t in totals} == _by_hand(
        every, lambda r: r.get("currency", "CNY"), lambda r: r["amount"]
    )


def test_fees_by_type_store_and_platform_with_a_rate_of_sales(folders: list[Path]) -> None:
    rows, totals = _run(folders, spec_from_words("store,platform,fee_type", "fees"))
    fees = _by_hand(
        TMALL + SHOP, lambda r: r.get("category") if r["kind"] == "fee" else None, lambda r: r["amount"]
    )
    got = {(r["store"], r["platform"], r["fee_type"]): r["fees"] for r in rows if r["fees"]}
    assert got == {
        ("2088", "淘宝/天猫", "交易分账"): fees["交易分账"],
        ("2088", "淘宝/天猫", "淘宝客佣金"): fees["淘宝客佣金"],
        ("acct_9", "Shopify", "processing"): fees["processing"],
    }
    ((_, cny),) = [
        (t["currency"], t)
        for t in _run(folders, spec_from_words("", "fees,sales,fee_rate,fees/sales", grain="entries"))[1]
        if t["currency"] == "CNY"
    ]
    sales = sum(r["amount"] for r in TMALL if r["kind"] == "payment")
    assert cny["sales"] == sales == 32000
    assert cny["fee_rate"] == pytest.approx(1610 / 32000)
    assert cny["fees_per_sales"] == pytest.approx(-1610 / 32000)
    assert len(totals) == 2


def test_orders_by_status_and_month_with_collection_measures(folders: list[Path]) -> None:
    spec = spec_from_words(
        "month,status",
        "count,amount,sales,receivable,collected,refunds,outstanding,"
        "net_received,collection_rate,refund_rate",
    )
    assert spec.grain == "orders"
    rows, totals = _run(folders[:1], spec)
    got = {(r["month"], r["status"]): r for r in rows}
    assert set(got) == {
        ("2023-11", "已结算"),
        ("2023-11", "部分退款"),
        ("2023-11", "已付款未结算"),
        ("2023-11", "未付款"),
        ("2023-12", "部分退款"),
    }
    # A2: 200.00 ordered, 50.00 refunded before settlement, 150.00 paid out less fees
    a2 = got[("2023-11", "部分退款")]
    assert (a2["amount"], a2["refunds"], a2["collected"], a2["net_received"]) == (20000, 5000, 15000, 14190)
    # A5 (December): settled 70.00, the bill took back 10.00 after settlement
    a5 = got[("2023-12", "部分退款")]
    assert (a5["collected"], a5["receivable"], a5["collection_rate"]) == (6000, 6000, 1.0)
    unpaid = got[("2023-11", "未付款")]
    assert (unpaid["count"], unpaid["sales"], unpaid["receivable"]) == (1, 0, 0)
    assert got[("2023-11", "已付款未结算")]["outstanding"] == 3000
    (total,) = totals
    paid = [r for r in TMALL if r["kind"] == "order" and r.get("status") != "unpaid"]
    assert total["sales"] == sum(r["amount"] for r in paid) == 40000
    assert total["receivable"] == 40000 - 5000 - 1000
    assert total["collected"] == 10000 + 15000 + 6000
    assert total["collection_rate"] == pytest.approx(31000 / 34000)
    assert total["refund_rate"] == pytest.approx(6000 / 40000)
    assert total["month"] == "合计"


def test_filters_equals_in_date_and_amount_ranges(folders: list[Path]) -> None:
    settled = spec_from_words("day", "count,amount", ["status=settled,partly_refunded"])
    rows, _ = _run(folders[:1], settled)
    assert sorted(r["amount"] for r in rows) == [7000, 10000, 20000]
    ranged = spec_from_words(
        "reason,rule", "count", ["date=2023-11-09..2023-11-12", "amount=..-3", "kind=fee"]
    )
    rows, totals = _run(folders[:1], ranged)
    expected = [
        r
        for r in TMALL
        if r["kind"] == "fee" and r["amount"] <= -300 and r.get("ts") is None and 9 <= r["day"] <= 12
    ]
    assert totals[0]["count"] == len(expected) == 3
    assert {(r["reason"], r["rule"]): r["count"] for r in rows} == {
        (None, "test-rule"): 2,
        ("fee_without_order", None): 1,
    }
    platform = spec_from_words("currency", "count", ["platform=shopify"])
    assert _run(folders, platform)[1] == [{"currency": "USD", "count": 2}]


def test_the_period_limits_the_rows(folders: list[Path]) -> None:
    rows, _ = _run(folders[:1], spec_from_words("month", "count"), period="2023-12")
    assert rows == [{"month": "2023-12", "count": 1}]


def test_a_saved_definition_reads_back_the_same(folders: list[Path], tmp_path: Path) -> None:
    spec = spec_from_words("store,month", "count,collected/receivable", ["status=settled"])
    again = spec_from_json(spec.to_json())
    assert again == spec
    assert _run(folders, again) == _run(folders, spec)


def test_the_chart_shows_the_first_money_measure_by_the_first_dimension(folders: list[Path]) -> None:
    with ResultSet(folders[:1]) as rs:
        report = run_custom(rs, spec_from_words("month", "count,sales"), ReportRequest(folders[:1]))
    assert report.chart is not None
    assert dict(zip(report.chart.labels, report.chart.values, strict=True)) == {
        "2023-11": 33000,
        "2023-12": 7000,
    }


@pytest.mark.parametrize(
    ("dims", "measures", "filters", "message"),
    [
        ("shop", "count", [], "dimension 'shop' is not one of: store, platform"),
        ("store", "total", [], "measure 'total' is not one of: count, amount"),
        ("store", "fees/total", [], "measure 'fees/total' is not one of"),
        ("store", "", [], "needs at least one measure"),
        ("status,fee_type", "count", [], "'fee_type' is a field of entries, not of orders"),
        ("store", "count", ["colour=red"], "filter on 'colour': filter on one of store"),
        ("store", "count", ["status"], "--filter status: give FIELD=VALUE"),
        ("store", "count", ["date=2023-13-01.."], "filter on 'date': '2023-13-01' is not a date"),
        ("store", "count", ["amount=abc.."], "filter on 'amount': 'abc' is not a amount"),
        (
            "store",
            "count",
            ["status=settled..x"],
            "filter on 'status': a range is FROM..TO on date or amount",
        ),
        ("store", "count", ["amount=100"], "filter on 'amount': give a value"),
    ],
)
def test_bad_definitions_say_which_field_and_the_words_allowed(
    dims: str, measures: str, filters: list[str], message: str
) -> None:
    with pytest.raises(ReportError, match=message.replace("(", r"\(").replace(".", r"\.")) as caught:
        spec_from_words(dims, measures, filters)
    assert "\n" not in str(caught.value)


def test_bad_json_names_the_file_and_the_key() -> None:
    with pytest.raises(ReportError, match=r"mine\.json: not JSON \(line 1"):
        spec_from_json("{", "mine.json")
    with pytest.raises(ReportError, match=r"mine\.json: unknown key 'sql'"):
        spec_from_json(json.dumps({"measures": ["count"], "sql": "DROP"}), "mine.json")
    with pytest.raises(ReportError, match=r"mine\.json: filter on 'x'"):
        spec_from_json(
            json.dumps({"measures": ["count"], "filters": [{"field": "x", "values": ["1"]}]}), "mine.json"
        )
    with pytest.raises(ReportError, match="operator 'like' is not one of"):
        spec_from_json(
            json.dumps(
                {"measures": ["count"], "filters": [{"field": "store", "op": "like", "values": ["%"]}]}
            )
        )


def test_filter_values_are_data_not_sql(folders: list[Path]) -> None:
    spec = CustomSpec(
        dimensions=("store",), measures=("count",), filters=(Filter("store", "equals", ("x' OR '1'='1",)),)
    )
    assert _run(folders, spec)[0] == []
