"""Aging buckets and the overdue list, counted from the expected settlement date."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from huikuan.receivables import ResultSet, aging_summary, order_collections, overdue_orders
from tests.engine.entries import day, line, order
from tests.receivables.chains import left, right, write_result

AS_OF = day(80).date()


def _shop(tmp_path: Path) -> Path:
    """Unsettled Tmall orders (10 days to settle) whose expected dates fall 0, 8, 16, 31 and 61
    days before AS_OF, one not yet due, one refunded in part before settlement, one settled."""
    def paid_days_before(days_overdue: int) -> float:
        return 80 - 10 - days_overdue

    return write_result(tmp_path / "shop", [
        *left(order("O0", 1000, paid_days_before(0), status="shipped", reason="not_settled"),
              order("O7", 2000, paid_days_before(7), status="shipped", reason="not_settled"),
              order("O8", 3000, paid_days_before(8), status="shipped", reason="not_settled"),
              order("O16", 4000, paid_days_before(16), status="shipped", reason="not_settled"),
              order("O31", 5000, paid_days_before(31), status="shipped", reason="timing"),
              order("O61", 6000, paid_days_before(61), status="shipped", reason="not_settled"),
              order("NEW", 7000, 79, status="paid", reason="not_settled"),
              order("PART", 8000, paid_days_before(20), status="shipped", reason="not_settled"),
              line("PART-r", "order_refund", -3000, paid_days_before(19), order_ref="PART",
                   reason="not_settled"),
              order("DONE", 9000, 1, match="M1")),
        *right(line("d1", "payment", 9000, 9, order_ref="DONE", match="M1")),
    ])


def test_buckets_count_days_past_expected_settlement(tmp_path: Path) -> None:
    with ResultSet([_shop(tmp_path)]) as rs:
        rows = {r["bucket"]: r for r in aging_summary(rs, AS_OF).to_pylist()}
    assert (rows["d0_7"]["orders"], rows["d0_7"]["outstanding_minor"]) == (2, 3000)
    assert (rows["d8_15"]["orders"], rows["d8_15"]["outstanding_minor"]) == (1, 3000)
    # 16 days and the partly refunded order (20 days): only what is still owed counts
    assert (rows["d16_30"]["orders"], rows["d16_30"]["outstanding_minor"]) == (2, 4000 + 5000)
    assert (rows["d31_60"]["orders"], rows["d31_60"]["outstanding_minor"]) == (1, 5000)
    assert (rows["d60_plus"]["orders"], rows["d60_plus"]["outstanding_minor"]) == (1, 6000)
    assert (rows["not_due"]["orders"], rows["not_due"]["outstanding_minor"]) == (1, 7000)


def test_overdue_list_is_longest_first_with_what_the_export_says(tmp_path: Path) -> None:
    with ResultSet([_shop(tmp_path)]) as rs:
        rows = overdue_orders(rs, AS_OF).to_pylist()
    assert [r["order_ref"] for r in rows] == ["O61", "O31", "PART", "O16", "O8", "O7"]
    first = rows[0]
    assert first["days_overdue"] == 61
    assert first["expected_on"] == AS_OF - timedelta(days=61)
    assert (first["export_status"], first["export_reason"]) == ("shipped", "not_settled")
    assert rows[1]["export_reason"] == "timing"


def test_as_of_defaults_to_the_last_date_in_the_result(tmp_path: Path) -> None:
    with ResultSet([_shop(tmp_path)]) as rs:
        order_collections(rs)
        latest = overdue_orders(rs)
        explicit = overdue_orders(rs, day(79).date())
    assert latest.to_pylist() == explicit.to_pylist()
