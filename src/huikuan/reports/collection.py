"""The 回款 report: per store, platform and month of payment, what was sold and what came back.

回款率 (collection rate) = collected ÷ receivable, where receivable is sales less refunds and
collected is what the bill paid for those orders less the refunds it took back. Fees are a cost
of collecting, not money still owed, so they do not lower the rate; they are shown by type.
Orders never paid (unpaid, closed) are not sales.
"""

from __future__ import annotations

from huikuan.receivables import PLATFORM_NAMES_ZH, ResultSet, order_collections, order_fees
from huikuan.reports.chart import money_chart
from huikuan.reports.model import Column, Report, ReportRequest
from huikuan.reports.period import period_label, period_sql
from huikuan.reports.totals import totals_by_currency


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _platform_case() -> str:
    cases = " ".join(f"WHEN {_sql_text(k)} THEN {_sql_text(v)}" for k, v in PLATFORM_NAMES_ZH.items())
    return f"CASE platform {cases} ELSE platform END"


def collection_report(rs: ResultSet, request: ReportRequest) -> Report:
    """Sales, collected, fees by type, refunds, outstanding and 回款率 per store/platform/month."""
    order_collections(rs, timing=request.timing, write_offs=request.write_offs)
    rs.con.register("order_fee_lines", order_fees(rs))
    where = f"status <> 'unpaid' AND {period_sql('paid_on', request.period)}"
    categories = rs.query(f"""SELECT category, sum(amount_minor) AS total FROM order_fee_lines
        JOIN collections USING (result, order_ref) WHERE {where}
        GROUP BY category ORDER BY total, category""")["category"].to_pylist()
    fee_sums = "".join(
        f', coalesce(sum(f.amount_minor) FILTER (WHERE f.category = {_sql_text(c)}), 0)::BIGINT AS "fee_{i}"'
        for i, c in enumerate(categories))
    rows = rs.query(f"""
        WITH paid AS (SELECT * FROM collections WHERE {where}),
        fees AS (SELECT result, order_ref, category, sum(amount_minor) AS amount_minor
                 FROM order_fee_lines GROUP BY ALL),
        per_order AS (
          SELECT p.result, p.order_ref, any_value(p.store) AS store, any_value(p.platform) AS platform,
                 any_value(strftime(p.paid_on, '%Y-%m')) AS month, any_value(p.currency) AS currency,
                 any_value(p.ordered_minor) AS ordered_minor, any_value(p.settled_minor) AS settled_minor,
                 any_value(p.bill_refunds_minor) AS bill_refunds_minor,
                 any_value(p.refunds_minor) AS refunds_minor, any_value(p.fees_minor) AS fees_minor,
                 any_value(p.net_received_minor) AS net_received_minor,
                 any_value(p.outstanding_minor) AS outstanding_minor,
                 any_value(p.status) AS status {fee_sums}
          FROM paid p LEFT JOIN fees f USING (result, order_ref) GROUP BY p.result, p.order_ref
        )
        SELECT store, {_platform_case()} AS platform, month, currency, count(*)::BIGINT AS orders,
          sum(ordered_minor)::BIGINT AS sales, sum(refunds_minor)::BIGINT AS refunds,
          (sum(ordered_minor) - sum(refunds_minor))::BIGINT AS receivable,
          (sum(settled_minor) - sum(bill_refunds_minor))::BIGINT AS collected,
          {"".join(f'sum("fee_{i}")::BIGINT AS "fee_{i}", ' for i in range(len(categories)))}
          sum(fees_minor)::BIGINT AS fees, sum(net_received_minor)::BIGINT AS net_received,
          sum(outstanding_minor)::BIGINT AS outstanding,
          count(*) FILTER (WHERE status = 'disputed')::BIGINT AS disputed,
          count(*) FILTER (WHERE status = 'written_off')::BIGINT AS written_off,
          CASE WHEN sum(ordered_minor) - sum(refunds_minor) <> 0 THEN
            (sum(settled_minor) - sum(bill_refunds_minor)) / (sum(ordered_minor) - sum(refunds_minor))
          END AS rate
        FROM per_order GROUP BY ALL ORDER BY store, platform, month, currency""")
    columns = [
        Column("store", "店铺"), Column("platform", "平台"), Column("month", "期间"),
        Column("currency", "币种"), Column("orders", "订单数", "count"), Column("sales", "销售额", "money"),
        Column("refunds", "退款", "money"), Column("receivable", "应收", "money"),
        Column("collected", "已回款", "money"),
        *[Column(f"fee_{i}", f"费用·{c or '未分类'}", "money") for i, c in enumerate(categories)],
        Column("fees", "费用合计", "money"), Column("net_received", "实收净额", "money"),
        Column("outstanding", "未回款", "money"), Column("disputed", "争议单数", "count"),
        Column("written_off", "核销单数", "count"), Column("rate", "回款率", "rate"),
    ]
    totals = totals_by_currency(rs, rows, columns, label_key="store",
                                rates={"rate": ("collected", "receivable")})
    span = rs.query(f"SELECT min(paid_on) AS a, max(paid_on) AS b FROM collections WHERE {where}")
    chart = money_chart(rs, rows, "month", "collected", "已回款（按月）") if rows.num_rows else None
    return Report(
        name="collection", title="回款报表", columns=columns, rows=rows, totals=totals, chart=chart,
        period=period_label(request.period, span["a"][0].as_py(), span["b"][0].as_py()),
        company=request.company,
        notes=["回款率 = 已回款 ÷ 应收；应收 = 销售额 − 退款；已回款 = 平台结算的货款 − 平台扣回的退款。",
               "费用为负数（平台扣除），不计入回款率。期间按订单付款日。"])
