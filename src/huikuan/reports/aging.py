"""The aging (账龄) and overdue (催收) reports, over receivables' buckets and overdue list."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from huikuan.domain.reasons import Reason
from huikuan.receivables import (
    PLATFORM_NAMES_ZH,
    STATUS_ZH,
    ResultSet,
    aging_summary,
    order_collections,
    overdue_orders,
)
from huikuan.receivables.aging import AGING_BUCKETS, default_as_of
from huikuan.reports.model import Chart, Column, Report, ReportRequest
from huikuan.reports.period import period_sql
from huikuan.reports.totals import totals_by_currency
from huikuan.results import reason_label


def _collections_in_period(rs: ResultSet, request: ReportRequest) -> None:
    """Orders paid in the period only: aging of October's sales, as of a date."""
    order_collections(rs, timing=request.timing, write_offs=request.write_offs)
    rs.con.execute(f"DELETE FROM collections WHERE NOT {period_sql('paid_on', request.period)}")


def aging_report(rs: ResultSet, request: ReportRequest) -> Report:
    """Outstanding by days past the expected settlement date, every bucket shown."""
    _collections_in_period(rs, request)
    as_of = request.as_of or default_as_of(rs)
    rows = aging_summary(rs, as_of)
    columns = [Column("label", "账龄（逾期天数）"), Column("currency", "币种"),
               Column("orders", "订单数", "count"), Column("outstanding_minor", "未回款", "money")]
    main = rows.filter(pc.equal(rows["currency"], rows["currency"][0])) if rows.num_rows else rows
    chart = Chart("未回款账龄", [b[1] for b in AGING_BUCKETS],
                  [int(v) for v in main["outstanding_minor"].to_pylist()],
                  main["currency"][0].as_py() if main.num_rows else "CNY") if main.num_rows else None
    return Report(name="aging", title="应收账龄",
                  period=f"{request.period or '全部'}，截至 {as_of.isoformat()}",
                  columns=columns, rows=rows.select([c.key for c in columns]), chart=chart,
                  totals=totals_by_currency(rs, rows.select([c.key for c in columns]), columns,
                                            label_key="label"),
                  company=request.company,
                  notes=["账龄从预计结算日起算（付款日 + 平台结算周期，见 docs/RECEIVABLES.md）。"])


def _labels(values: pa.ChunkedArray, names: dict[str, str]) -> pa.Array:
    return pa.array([names.get(v, v) if v else v for v in values.to_pylist()], pa.string())


def overdue_report(rs: ResultSet, request: ReportRequest) -> Report:
    """Orders past their expected settlement, longest first, for chasing (催收)."""
    _collections_in_period(rs, request)
    as_of = request.as_of or default_as_of(rs)
    found = overdue_orders(rs, as_of)
    buckets = {b[0]: b[1] for b in AGING_BUCKETS}
    reasons = {r.value: reason_label(r.value) for r in Reason}
    chase = request.chase
    refs = found["order_ref"].to_pylist()
    rows = pa.table({
        "order_ref": found["order_ref"], "store": found["store"],
        "platform": _labels(found["platform"], dict(PLATFORM_NAMES_ZH)), "currency": found["currency"],
        "ordered_minor": found["ordered_minor"], "outstanding_minor": found["outstanding_minor"],
        "paid_on": found["paid_on"], "expected_on": found["expected_on"],
        "days_overdue": pc.cast(found["days_overdue"], pa.int64()),
        "bucket": _labels(found["bucket"], buckets), "status": _labels(found["status"], STATUS_ZH),
        "export_status": found["export_status"], "export_reason": _labels(found["export_reason"], reasons),
        "chase_status": pa.array([chase.get(r, ("", ""))[0] for r in refs], pa.string()),
        "chase_note": pa.array([chase.get(r, ("", ""))[1] for r in refs], pa.string()),
    })
    columns = [Column("order_ref", "订单号", "id"), Column("store", "店铺"), Column("platform", "平台"),
               Column("currency", "币种"), Column("ordered_minor", "订单金额", "money"),
               Column("outstanding_minor", "未回款", "money"), Column("paid_on", "付款日", "date"),
               Column("expected_on", "预计结算日", "date"), Column("days_overdue", "逾期天数", "count"),
               Column("bucket", "账龄"), Column("status", "回款状态"),
               Column("export_status", "导出文件中的订单状态"), Column("export_reason", "未匹配原因"),
               Column("chase_status", "催收状态"), Column("chase_note", "备注")]
    totals = totals_by_currency(rs, rows, columns, label_key="order_ref")
    totals = totals.set_column(totals.schema.get_field_index("days_overdue"), "days_overdue",
                               pa.nulls(totals.num_rows, pa.int64()))
    return Report(name="overdue", title="逾期未回款清单（催收）",
                  period=f"{request.period or '全部'}，截至 {as_of.isoformat()}", columns=columns,
                  rows=rows, totals=totals, company=request.company,
                  notes=["逾期 = 截至日 − 预计结算日 ≥ 1 天；催收状态与备注由用户维护。"])
