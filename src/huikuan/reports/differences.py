"""Differences by reason: what needs a person, grouped by why — unmatched records (each side) and
amount differences inside matches, with counts and amounts per currency."""

from __future__ import annotations

import pyarrow as pa

from huikuan.domain.money import parse_amount
from huikuan.receivables import ResultSet
from huikuan.reports.model import Column, Report, ReportRequest
from huikuan.reports.period import period_label, period_sql
from huikuan.reports.totals import totals_by_currency
from huikuan.results import reason_label


def differences_report(rs: ResultSet, request: ReportRequest) -> Report:
    """Rows: where (未匹配·左/右 or 匹配内差异), reason, label, currency, count, amount."""
    when = period_sql("CAST(ts AS DATE)", request.period)
    unmatched = rs.query(f"""
        SELECT CASE side WHEN 'left' THEN '未匹配·左' ELSE '未匹配·右' END AS place, reason, currency,
               count(*)::BIGINT AS records, sum(amount_minor)::BIGINT AS amount
        FROM entries WHERE match_id IS NULL AND in_scope AND reason IS NOT NULL AND {when}
        GROUP BY ALL ORDER BY place, reason, currency""")
    # differences.csv holds decimal strings; the match's dates come from its entries
    inside = rs.query(f"""
        WITH dated AS (SELECT result, match_id, CAST(min(ts) AS DATE) AS d FROM entries
                       WHERE match_id IS NOT NULL GROUP BY ALL)
        SELECT '匹配内差异' AS place, reason, currency, count(*)::BIGINT AS records,
               sum(difference) AS difference
        FROM differences JOIN dated USING (result, match_id)
        WHERE {period_sql('d', request.period)} GROUP BY ALL ORDER BY reason, currency""")
    amounts = [parse_amount(str(d), c) if d is not None else 0
               for d, c in zip(inside["difference"].to_pylist(), inside["currency"].to_pylist(), strict=True)]
    inside = inside.drop_columns(["difference"]).append_column("amount", pa.array(amounts, pa.int64()))
    rows = pa.concat_tables([unmatched, inside.cast(unmatched.schema)])
    rows = rows.add_column(2, "label", pa.array([reason_label(r) for r in rows["reason"].to_pylist()],
                                                pa.string()))
    columns = [Column("place", "类别"), Column("reason", "原因代码"), Column("label", "原因"),
               Column("currency", "币种"), Column("records", "笔数", "count"),
               Column("amount", "金额", "money")]
    span = rs.query("SELECT CAST(min(ts) AS DATE) AS a, CAST(max(ts) AS DATE) AS b FROM entries")
    return Report(name="differences", title="差异分析（按原因）", columns=columns, rows=rows,
                  totals=totals_by_currency(rs, rows, columns, label_key="place"),
                  period=period_label(request.period, span["a"][0].as_py(), span["b"][0].as_py()),
                  company=request.company,
                  notes=["金额：未匹配记录为其金额之和；匹配内差异为差额之和（左 − 应有）。"])
