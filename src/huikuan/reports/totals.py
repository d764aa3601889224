"""Totals rows: one per currency, money and counts summed, rates recomputed by the report."""

from __future__ import annotations

import pyarrow as pa

from huikuan.receivables import ResultSet
from huikuan.reports.model import Column


def totals_by_currency(rs: ResultSet, rows: pa.Table, columns: list[Column], *, label_key: str,
                       rates: dict[str, tuple[str, str]] | None = None) -> pa.Table:
    """Sum every money and count column of ``rows`` per currency; ``label_key`` says 合计; each
    ``rates`` entry ``key: (numerator, denominator)`` is the ratio of two summed columns (a
    rate of sums, never a sum of rates). Other columns are empty."""
    rs.con.register("report_rows", rows)
    sums = [f'sum("{c.key}")::BIGINT AS "{c.key}"' for c in columns if c.kind in ("money", "count")]
    by = "currency" in rows.column_names
    table = rs.query(f"SELECT {'currency, ' if by else ''}{', '.join(sums)} FROM report_rows"
                     + (" GROUP BY currency ORDER BY currency" if by else ""))
    rs.con.unregister("report_rows")
    out: dict[str, pa.Array | list[object]] = {}
    for c in columns:
        if c.key in table.column_names:
            out[c.key] = table[c.key]
        elif c.key == label_key:
            out[c.key] = ["合计"] * table.num_rows
        elif c.kind == "rate" and rates and c.key in rates:
            num, den = rates[c.key]
            out[c.key] = [n / d if d else None for n, d in
                          zip(table[num].to_pylist(), table[den].to_pylist(), strict=True)]
        else:
            out[c.key] = pa.nulls(table.num_rows, rows.schema.field(c.key).type)
    return pa.table(out)
