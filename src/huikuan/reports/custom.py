"""Run a custom report (``custom_spec.CustomSpec``) in DuckDB over the result folders.

The definition's words map to SQL fragments written here and nowhere else; filter values reach
DuckDB as bound parameters, never spliced into the text. Only the grouped rows come back to
Python, so a definition over millions of lines returns as many rows as it has groups.

Money is summed per currency: every report with an amount groups by ``currency`` even when the
user did not pick it, because ¥ and $ never add up. A rate is a ratio of sums per group (never a
mean of per-order rates), and the totals recompute it from the totals.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyarrow as pa

from huikuan.receivables import PLATFORM_NAMES_ZH, STATUS_ZH, ResultSet, order_collections
from huikuan.receivables.timing import SOURCE_PLATFORM
from huikuan.reports.chart import money_chart
from huikuan.reports.custom_spec import (
    DIMENSIONS,
    MEASURES,
    CustomSpec,
    Filter,
    bound_value,
    measure_label,
    rate_parts,
    validated,
)
from huikuan.reports.model import Column, ColumnKind, Report, ReportRequest
from huikuan.reports.period import period_label, period_range

_ORDERS = """SELECT store, platform, paid_on AS day, status, reason, currency,
    ordered_minor AS amount_minor, NULL::VARCHAR AS kind, NULL::VARCHAR AS side, NULL::VARCHAR AS rule,
    NULL::VARCHAR AS fee_type, ordered_minor, settled_minor, bill_refunds_minor, refunds_minor, fees_minor,
    outstanding_minor, net_received_minor FROM collections"""

_ENTRIES = """SELECT coalesce(st.account, e.result) AS store, coalesce(sp.platform, 'other') AS platform,
    CAST(e.ts AS DATE) AS day, NULL::VARCHAR AS status, e.reason, e.currency, e.amount_minor, e.kind,
    e.side, e.rule, coalesce(e.category, '') AS fee_type
  FROM entries e
  LEFT JOIN (SELECT result, mode(account) AS account FROM entries
             WHERE side = 'right' AND account IS NOT NULL GROUP BY ALL) st USING (result)
  LEFT JOIN custom_source_platform sp ON sp.source = e.source
  WHERE coalesce(e.reason, '') <> 'duplicate'"""

_MEASURE_SQL: dict[str, dict[str, str]] = {
    "orders": {
        "count": "count(*)",
        "amount": "sum(ordered_minor)",
        "sales": "sum(ordered_minor) FILTER (WHERE status <> 'unpaid')",
        "fees": "sum(fees_minor)",
        "refunds": "sum(refunds_minor)",
        "collected": "sum(settled_minor - bill_refunds_minor)",
        "receivable": "sum(ordered_minor - refunds_minor) FILTER (WHERE status <> 'unpaid')",
        "outstanding": "sum(outstanding_minor)",
        "net_received": "sum(net_received_minor)",
    },
    "entries": {
        "count": "count(*)",
        "amount": "sum(amount_minor)",
        "sales": "sum(amount_minor) FILTER (WHERE kind IN ('payment', 'settlement'))",
        "fees": "sum(amount_minor) FILTER (WHERE kind = 'fee')",
        "refunds": "-sum(amount_minor) FILTER (WHERE kind = 'refund')",
    },
}


def _case(column: str, names: Mapping[str, str]) -> str:
    def q(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    return (
        f"CASE {column} "
        + " ".join(f"WHEN {q(k)} THEN {q(v)}" for k, v in names.items())
        + f" ELSE {column} END"
    )


#: how a dimension shows: codes become the words a clerk reads
_SHOWN = {
    "platform": _case("platform", PLATFORM_NAMES_ZH),
    "status": _case("status", STATUS_ZH),
    "month": "strftime(day, '%Y-%m')",
}


def measure_key(measure: str) -> str:
    return measure.replace("/", "_per_").replace(" ", "")


def _where(spec: CustomSpec, request: ReportRequest) -> tuple[str, dict[str, object]]:
    parts: list[str] = ["true"]
    params: dict[str, object] = {}
    bounds = period_range(request.period)
    if bounds:
        params["p_from"], params["p_to"] = bounds
        parts.append("day >= $p_from AND day < $p_to")
    for i, f in enumerate(spec.filters):
        parts.append(_filter_sql(f, i, params))
    return " AND ".join(parts), params


def _filter_sql(f: Filter, i: int, params: dict[str, object]) -> str:
    column = {"date": "day", "amount": "amount_minor"}.get(f.field, f.field)
    if f.field == "month":
        column = "strftime(day, '%Y-%m')"
    if f.op == "between":
        sql = []
        for end, text, cmp in (("lo", f.values[0], ">="), ("hi", f.values[1], "<=")):
            if text.strip():
                params[f"f{i}{end}"] = bound_value(f.field, text)
                sql.append(f"{column} {cmp} $f{i}{end}")
        return "(" + " AND ".join(sql) + ")"
    names = []
    for j, value in enumerate(f.values):
        params[f"f{i}_{j}"] = value
        names.append(f"$f{i}_{j}")
    return f"CAST({column} AS VARCHAR) IN ({', '.join(names)})"


def _select(spec: CustomSpec, dims: list[str], money: bool) -> str:
    grain = spec.grain or "orders"
    sql = _MEASURE_SQL[grain]
    keys = [f'{_SHOWN.get(d, d)} AS "{d}"' for d in dims]
    if money and "currency" not in dims:
        keys.append("currency")
    cols = []
    for m in spec.measures:
        parts = rate_parts(m)
        if parts:
            num, den, sign = parts
            cols.append(
                f"CASE WHEN coalesce({sql[den]}, 0) <> 0 THEN {sign} * coalesce({sql[num]}, 0) "
                f'/ {sql[den]} END AS "{measure_key(m)}"'
            )
        else:
            cols.append(f'coalesce({sql[m]}, 0)::BIGINT AS "{measure_key(m)}"')
    return ", ".join([*keys, *cols])


def _columns(spec: CustomSpec, money: bool) -> list[Column]:
    columns = [Column(d, DIMENSIONS[d][0], "date" if d == "day" else "text") for d in spec.dimensions]
    if money and "currency" not in spec.dimensions:
        columns.append(Column("currency", DIMENSIONS["currency"][0]))
    for m in spec.measures:
        kind: ColumnKind = "rate" if rate_parts(m) else MEASURES[m][1]  # type: ignore[assignment]
        columns.append(Column(measure_key(m), measure_label(m), kind))
    return columns


def run_custom(rs: ResultSet, spec: CustomSpec, request: ReportRequest) -> Report:
    """The report ``spec`` defines over ``rs``; ``request`` gives the period, timing and write-offs."""
    spec = validated(spec)
    if spec.grain == "orders":
        order_collections(rs, timing=request.timing, write_offs=request.write_offs)
        facts = _ORDERS
    else:
        rs.con.register(
            "custom_source_platform",
            pa.table({"source": list(SOURCE_PLATFORM), "platform": list(SOURCE_PLATFORM.values())}),
        )
        facts = _ENTRIES
    money = any(rate_parts(m) or MEASURES[m][1] == "money" for m in spec.measures)
    where, params = _where(spec, request)
    dims = list(spec.dimensions)
    order = (
        f"ORDER BY {', '.join(str(i + 1) for i in range(len(dims) + (money and 'currency' not in dims)))}"
        if dims or money
        else ""
    )
    rows = rs.query(
        f"WITH facts AS ({facts}) SELECT {_select(spec, dims, money)} FROM facts "
        f"WHERE {where} {'GROUP BY ALL' if dims or money else ''} {order}",
        params,
    )
    # totals: the same measures over every row, per currency
    total_dims = ["currency"] if "currency" in dims else []
    totals = rs.query(
        f"WITH facts AS ({facts}) SELECT {_select(spec, total_dims, money)} FROM facts "
        f"WHERE {where} {'GROUP BY ALL ORDER BY 1' if money or total_dims else ''}",
        params,
    )
    columns = _columns(spec, money)
    totals = _shaped_totals(totals, columns, rows.schema, label=spec.dimensions[0] if dims else None)
    span = rs.query(
        f"WITH facts AS ({facts}) SELECT min(day) AS a, max(day) AS b FROM facts WHERE {where}", params
    )
    chart = None
    first_money = next((m for m in spec.measures if not rate_parts(m) and MEASURES[m][1] == "money"), None)
    if spec.chart and dims and first_money and rows.num_rows:
        chart = money_chart(
            rs,
            rows,
            dims[0],
            measure_key(first_money),
            f"{measure_label(first_money)}（按{DIMENSIONS[dims[0]][0]}）",
        )
    notes = [
        "口径："
        + ("订单（每单一行，按付款日）" if spec.grain == "orders" else "账单明细（每行一笔，按发生日）")
        + "；"
        "金额按币种分别合计；比率 = 分组合计之比。"
    ]
    if spec.filters:
        notes.append(
            "筛选："
            + "；".join(
                f"{f.field} {'=' if f.op != 'between' else '∈'} "
                f"{'..'.join(f.values) if f.op == 'between' else ','.join(f.values)}"
                for f in spec.filters
            )
        )
    return Report(
        name="custom",
        title=spec.title,
        columns=columns,
        rows=rows,
        totals=totals,
        chart=chart,
        period=period_label(request.period, span["a"][0].as_py(), span["b"][0].as_py()),
        notes=notes,
        company=request.company,
    )


def _shaped_totals(totals: pa.Table, columns: list[Column], schema: pa.Schema, label: str | None) -> pa.Table:
    """The totals with every column of the rows: 合计 under the first dimension, others empty."""
    out: dict[str, pa.Array | list[object]] = {}
    for c in columns:
        if c.key in totals.column_names:
            out[c.key] = totals[c.key].cast(schema.field(c.key).type)
        elif c.key == label and c.kind == "text":
            out[c.key] = ["合计"] * totals.num_rows
        else:
            out[c.key] = pa.nulls(totals.num_rows, schema.field(c.key).type)
    return pa.table(out)
