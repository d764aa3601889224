"""Payouts against bank credits (平台总账), from a ``payout-bank`` result: each withdrawal, the
credit it arrived as, how many days later, and the ones that never arrived."""

from __future__ import annotations

import pyarrow as pa

from huikuan.receivables import ResultSet
from huikuan.reports.chart import money_chart
from huikuan.reports.model import Column, Report, ReportRequest
from huikuan.reports.period import period_label, period_sql
from huikuan.reports.totals import totals_by_currency


def payouts_report(rs: ResultSet, request: ReportRequest) -> Report:
    """One row per payout on a result's left side; several payouts credited together share the
    credit (batched), and the credit amount is shown on the first of them only."""
    when = period_sql("CAST(p.ts AS DATE)", request.period)
    rows = rs.query(f"""
        WITH credits AS (
          SELECT result, match_id, string_agg(record_id, ' ' ORDER BY ts, record_id) AS credit_ids,
                 CAST(max(ts) AS DATE) AS credited_on, sum(amount_minor)::BIGINT AS credited
          FROM entries WHERE side = 'right' AND kind = 'bank_credit' AND match_id IS NOT NULL GROUP BY ALL
        )
        SELECT p.record_id AS payout_id, p.result, p.currency, CAST(p.ts AS DATE) AS paid_out_on,
               (-p.amount_minor)::BIGINT AS payout,
               CASE WHEN row_number() OVER (PARTITION BY p.result, p.match_id ORDER BY p.ts, p.record_id) = 1
                    THEN c.credited END AS credited,
               c.credit_ids, c.credited_on, (c.credited_on - CAST(p.ts AS DATE))::BIGINT AS lag_days,
               CASE WHEN p.match_id IS NULL THEN '未到账'
                    WHEN p.match_status = 'suggested' THEN '待确认' ELSE '已到账' END AS state,
               p.match_id
        FROM entries p LEFT JOIN credits c ON c.result = p.result AND c.match_id = p.match_id
        WHERE p.side = 'left' AND p.kind = 'payout' AND coalesce(p.reason, '') <> 'duplicate' AND {when}
        ORDER BY p.ts, p.record_id""")
    columns = [Column("payout_id", "提现流水号", "id"), Column("result", "结果"), Column("currency", "币种"),
               Column("paid_out_on", "提现日", "date"), Column("payout", "提现金额", "money"),
               Column("credited", "到账金额", "money"), Column("credit_ids", "银行流水号", "id"),
               Column("credited_on", "到账日", "date"), Column("lag_days", "间隔天数", "count"),
               Column("state", "状态"), Column("match_id", "匹配号", "id")]
    totals = totals_by_currency(rs, rows, columns, label_key="payout_id")
    # a sum of lags means nothing: the totals row leaves it empty
    totals = totals.set_column(totals.schema.get_field_index("lag_days"), "lag_days",
                               pa.nulls(totals.num_rows, pa.int64()))
    notes = []
    if rows.num_rows == 0:
        notes.append("结果中没有提现记录：请给出 payout-bank 模板的结果目录（提现 ↔ 银行流水）。")
    missing = rows["state"].to_pylist().count("未到账")
    if missing:
        notes.append(f"{missing} 笔提现在银行流水中未找到到账。")
    days = [d for d in rows["paid_out_on"].to_pylist() if d is not None]
    return Report(name="payouts", title="提现与银行到账", columns=columns, rows=rows, totals=totals,
                  notes=notes, company=request.company,
                  chart=money_chart(rs, rows, "paid_out_on", "payout", "提现金额（按日）") if days else None,
                  period=period_label(request.period, min(days, default=None), max(days, default=None)))
