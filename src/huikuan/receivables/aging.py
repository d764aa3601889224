"""Aging (账龄) of what is still to be collected, and the overdue list for chasing (催收).

Age counts from the expected settlement date, not the order date: an order paid three days ago
on a platform that pays after ten is not late at all. Only orders still owed count: paid and not
settled, or disputed with money outstanding. ``as_of`` defaults to the last date any entry of the
result carries, so a report on last month's files reads the same tomorrow as today.
"""

from __future__ import annotations

from datetime import date

import pyarrow as pa

from huikuan.receivables.source import ResultSet
from huikuan.receivables.status import order_collections

#: (key, label, first day past expected, last day or None)
AGING_BUCKETS: tuple[tuple[str, str, int, int | None], ...] = (
    ("not_due", "未到期", -100_000, -1),
    ("d0_7", "0–7天", 0, 7),
    ("d8_15", "8–15天", 8, 15),
    ("d16_30", "16–30天", 16, 30),
    ("d31_60", "31–60天", 31, 60),
    ("d60_plus", ">60天", 61, None),
)


def _ensure_collections(rs: ResultSet) -> None:
    exists = rs.query("SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'collections'")
    if not exists["n"][0].as_py():
        order_collections(rs)


def default_as_of(rs: ResultSet) -> date:
    """The last local date any entry of the result folders carries (today when none has one)."""
    last = rs.query("SELECT CAST(max(ts) AS DATE) AS d FROM entries")["d"][0].as_py()
    return last or date.today()


def _bucket_sql() -> str:
    cases = " ".join(
        f"WHEN days_overdue BETWEEN {low} AND {high} THEN '{key}'" if high is not None
        else f"WHEN days_overdue >= {low} THEN '{key}'" for key, _, low, high in AGING_BUCKETS)
    return f"CASE {cases} END"


def _owed(as_of: date) -> str:
    return f"""SELECT *, (DATE '{as_of.isoformat()}' - expected_on) AS days_overdue
               FROM collections WHERE outstanding_minor > 0 AND expected_on IS NOT NULL"""


def aging_summary(rs: ResultSet, as_of: date | None = None) -> pa.Table:
    """Outstanding by age bucket: bucket, label, currency, orders, outstanding_minor — every
    bucket listed even when empty (a boss reads "0 over 60 days" as good news)."""
    _ensure_collections(rs)
    day = as_of or default_as_of(rs)
    buckets = pa.table({"bucket": [b[0] for b in AGING_BUCKETS], "label": [b[1] for b in AGING_BUCKETS],
                        "position": list(range(len(AGING_BUCKETS)))})
    rs.con.register("aging_buckets", buckets)
    return rs.query(f"""
        WITH owed AS (SELECT {_bucket_sql()} AS bucket, currency, outstanding_minor FROM ({_owed(day)})),
        currencies AS (SELECT DISTINCT currency FROM collections)
        SELECT b.bucket, b.label, c.currency, count(o.bucket) AS orders,
               coalesce(sum(o.outstanding_minor), 0)::BIGINT AS outstanding_minor
        FROM aging_buckets b CROSS JOIN currencies c
        LEFT JOIN owed o ON o.bucket = b.bucket AND o.currency = c.currency
        GROUP BY b.bucket, b.label, b.position, c.currency ORDER BY c.currency, b.position""")


def overdue_orders(rs: ResultSet, as_of: date | None = None, *, min_days: int = 1) -> pa.Table:
    """Orders past their expected settlement date by ``min_days`` or more, longest first: what to
    chase, with what the export says (the order's status there and why it is unmatched)."""
    _ensure_collections(rs)
    day = as_of or default_as_of(rs)
    return rs.query(f"""
        SELECT result, store, platform, order_ref, currency, ordered_minor, outstanding_minor,
               paid_on, expected_on, days_overdue, {_bucket_sql()} AS bucket, status,
               order_status AS export_status, reason AS export_reason, match_id, file
        FROM ({_owed(day)}) WHERE days_overdue >= ?
        ORDER BY days_overdue DESC, order_ref""", [min_days])
