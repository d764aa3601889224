"""Fees by type against the contract: is the platform charging what was agreed?

The rate is the fees of a type over the gross payments (payment and settlement lines) of the
same result and currency: the base a platform's commission is quoted on. A contract rate passed
in per fee type is compared; a deviation above the tolerance is flagged (费率不符).
"""

from __future__ import annotations

import pyarrow as pa

from huikuan.receivables import ResultSet
from huikuan.reports.model import Column, Report, ReportRequest
from huikuan.reports.period import period_label, period_sql

#: a deviation smaller than this (0.05 percentage points) is rounding, not a finding
RATE_TOLERANCE = 0.0005


def fees_report(rs: ResultSet, request: ReportRequest) -> Report:
    """One row per fee type and currency: lines, amount, rate of sales, contract rate, flag."""
    where = f"coalesce(reason, '') <> 'duplicate' AND {period_sql('CAST(ts AS DATE)', request.period)}"
    rows = rs.query(f"""
        WITH base AS (SELECT currency, sum(amount_minor) AS gross FROM entries
                      WHERE kind IN ('payment', 'settlement') AND {where} GROUP BY ALL)
        SELECT coalesce(category, '未分类') AS category, e.currency, count(*)::BIGINT AS lines,
               sum(e.amount_minor)::BIGINT AS amount, any_value(b.gross)::BIGINT AS gross,
               CASE WHEN any_value(b.gross) > 0 THEN -sum(e.amount_minor) / any_value(b.gross) END AS rate
        FROM entries e LEFT JOIN base b USING (currency)
        WHERE kind = 'fee' AND {where} GROUP BY ALL ORDER BY e.currency, amount, category""")
    contract = [request.contract_rates.get(c) for c in rows["category"].to_pylist()]
    actual = rows["rate"].to_pylist()
    deviation = [a - c if a is not None and c is not None else None
                 for a, c in zip(actual, contract, strict=True)]
    flag = ["" if d is None or abs(d) <= RATE_TOLERANCE else ("高于合同" if d > 0 else "低于合同")
            for d in deviation]
    rows = rows.append_column("contract_rate", pa.array(contract, pa.float64())) \
        .append_column("deviation", pa.array(deviation, pa.float64())) \
        .append_column("flag", pa.array(flag, pa.string()))
    columns = [Column("category", "费用类型"), Column("currency", "币种"), Column("lines", "笔数", "count"),
               Column("amount", "金额", "money"), Column("gross", "货款（基数）", "money"),
               Column("rate", "实际费率", "rate"), Column("contract_rate", "合同费率", "rate"),
               Column("deviation", "偏差", "rate"), Column("flag", "提示")]
    totals = rs.query(f"""
        WITH base AS (SELECT currency, sum(amount_minor) AS gross FROM entries
                      WHERE kind IN ('payment', 'settlement') AND {where} GROUP BY ALL)
        SELECT '合计' AS category, e.currency, count(*)::BIGINT AS lines,
               sum(e.amount_minor)::BIGINT AS amount,
               any_value(b.gross)::BIGINT AS gross,
               CASE WHEN any_value(b.gross) > 0 THEN -sum(e.amount_minor) / any_value(b.gross) END AS rate,
               NULL::DOUBLE AS contract_rate,  -- # ok-float: a rate, not money
               NULL::DOUBLE AS deviation,  -- # ok-float: a rate, not money
               NULL::VARCHAR AS flag
        FROM entries e LEFT JOIN base b USING (currency)
        WHERE kind = 'fee' AND {where} GROUP BY ALL ORDER BY e.currency""")
    span = rs.query(f"SELECT CAST(min(ts) AS DATE) AS a, CAST(max(ts) AS DATE) AS b FROM entries "
                    f"WHERE kind = 'fee' AND {where}")
    notes = ["实际费率 = 该类费用 ÷ 同币种货款（付款与结算行）。"]
    if not request.contract_rates:
        notes.append("未提供合同费率（--contract-rate 类型=费率），不做偏差比较。")
    flagged = sum(1 for f in flag if f)
    if flagged:
        notes.append(f"{flagged} 类费用的费率与合同不符（偏差超过 {RATE_TOLERANCE:.2%}）。")
    return Report(name="fees", title="费用分析", columns=columns, rows=rows, totals=totals, notes=notes,
                  period=period_label(request.period, span["a"][0].as_py(), span["b"][0].as_py()),
                  company=request.company)
