"""Analysis findings (發現業務機會與風險): the few things in a month's results a boss should act on.

Each check is one DuckDB query that returns already-grouped rows (one per store, fee type or
month), and Python only words them: the results' lines never come into Python. Every finding
names the records behind it so the web app can open them in the workbench.

- fee rate above the store's contract (rates passed in; ``store:type`` before ``type``);
- a refund-rate spike: a month against the same store's earlier months;
- payouts that stopped: a pooled wallet taking settlements with no payout for days, and payouts
  the bank never credited;
- orders unsettled far beyond the platform's norm, the norm measured from this run's own delays;
- unusual manual write-offs (many by one user in a month, or large), from the decisions given.

The export carries no product or SKU column, so the refund spike is per store. Wallet and fee
checks read the bill side (``right``) only: a run's payout-bank flow has the same wallet lines on
its left, and reading both flows together must not count them twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import pyarrow as pa

from huikuan.receivables import ResultSet, order_collections
from huikuan.receivables.wallet import WALLET_SOURCES
from huikuan.reports.cells import cell_text
from huikuan.reports.finding_model import (
    KINDS_ZH,
    MAX_RECORDS,
    SEVERITIES,
    SEVERITY_ZH,
    Finding,
    RecordRef,
    Thresholds,
    WrittenOffGroup,
)
from huikuan.reports.model import Column, Report, ReportRequest

_MONEY_IN = "('payment', 'settlement')"
_RECORDS = (
    f"list(struct_pack(result := result, record_id := record_id, tab := tab) "
    f"ORDER BY ts, record_id)[1:{MAX_RECORDS}]"
)
_LINES = """CREATE OR REPLACE TEMP VIEW finding_lines AS
  SELECT e.*, coalesce(st.account, e.result) AS store,
         CASE WHEN e.match_id IS NULL THEN 'unmatched_' || e.side
              WHEN e.match_status = 'suggested' THEN 'suggested' ELSE 'auto' END AS tab
  FROM entries e
  LEFT JOIN (SELECT result, mode(account) AS account FROM entries
             WHERE side = 'right' AND account IS NOT NULL GROUP BY ALL) st USING (result)
  WHERE coalesce(e.reason, '') <> 'duplicate'"""


def _money(minor: int, currency: str) -> str:
    return cell_text(Column("m", "", "money"), minor, {"currency": currency}, symbol=True)


def _refs(items: list[dict[str, Any]] | None) -> tuple[RecordRef, ...]:
    return tuple(RecordRef(i["result"], i["record_id"], i["tab"]) for i in items or [])


def fee_findings(rs: ResultSet, rates: Mapping[str, float], t: Thresholds) -> list[Finding]:
    """Fee types charged above the contract rate, per store and currency."""
    if not rates:
        return []
    rows = rs.query(f"""
        WITH gross AS (SELECT store, currency, sum(amount_minor) AS gross FROM finding_lines
                       WHERE side = 'right' AND kind IN {_MONEY_IN} GROUP BY ALL)
        SELECT store, currency, coalesce(category, '') AS category, -sum(amount_minor)::BIGINT AS fees,
               count(*) AS lines, any_value(g.gross)::BIGINT AS gross, {_RECORDS} AS records
        FROM finding_lines JOIN gross g USING (store, currency)
        WHERE side = 'right' AND kind = 'fee' AND g.gross > 0 GROUP BY ALL ORDER BY ALL""").to_pylist()
    out = []
    for r in rows:
        contract = rates.get(f"{r['store']}:{r['category']}", rates.get(r["category"]))
        if contract is None:
            continue
        rate = r["fees"] / r["gross"]
        if rate - contract <= t.fee_tolerance:
            continue
        excess = r["fees"] - int((Decimal(str(contract)) * r["gross"]).to_integral_value())
        money = _money(excess, r["currency"])
        out.append(
            Finding(
                "fee_above_contract",
                "high" if rate - contract > 0.005 else "medium",
                r["store"],
                f"店铺 {r['store']} 的「{r['category'] or '未分类'}」费率 {rate:.2%}，"
                f"高于合同 {contract:.2%}："
                f"{r['lines']} 笔共多扣 {money}。",
                f"Store {r['store']}: {r['category'] or 'uncategorised'} fees are {rate:.2%} of sales, "
                "above the "
                f"contract's {contract:.2%}: {money} too much over {r['lines']} lines.",
                _refs(r["records"]),
            )
        )
    return out


def refund_spikes(rs: ResultSet, t: Thresholds) -> list[Finding]:
    """Months whose refund rate jumped against the same store's earlier months."""
    rows = rs.query(f"""
        WITH months AS (
          SELECT store, currency, strftime(paid_on, '%Y-%m') AS month, count(*) AS orders,
                 sum(ordered_minor)::BIGINT AS sales, sum(refunds_minor)::BIGINT AS refunds,
                 list(struct_pack(result := result, record_id := record_id,
                                  tab := CASE WHEN match_id IS NULL THEN 'unmatched_left'
                                              WHEN match_status = 'suggested' THEN 'suggested'
                                              ELSE 'auto' END)
                      ORDER BY paid_on, order_ref) FILTER (WHERE refunds_minor > 0)[1:{MAX_RECORDS}]
                   AS records,
                 count(*) FILTER (WHERE refunds_minor > 0) AS refunded
          FROM collections WHERE status <> 'unpaid' AND paid_on IS NOT NULL GROUP BY ALL),
        running AS (
          SELECT *, (sum(sales) OVER earlier)::BIGINT AS prior_sales,
                 (sum(refunds) OVER earlier)::BIGINT AS prior_refunds
          FROM months WINDOW earlier AS (PARTITION BY store, currency ORDER BY month
                                         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))
        SELECT * FROM running WHERE prior_sales > 0 AND sales > 0
        ORDER BY store, currency, month""").to_pylist()
    out = []
    for r in rows:
        rate, before = r["refunds"] / r["sales"], r["prior_refunds"] / r["prior_sales"]
        if (
            r["orders"] < t.spike_min_orders
            or rate < before * t.spike_factor
            or rate - before < t.spike_points
        ):
            continue
        out.append(
            Finding(
                "refund_spike",
                "high" if rate - before >= 2 * t.spike_points else "medium",
                r["store"],
                f"店铺 {r['store']} {r['month']} 退款率 {rate:.1%}（{r['refunded']}/{r['orders']} 单退款，"
                f"{_money(r['refunds'], r['currency'])}），此前各月合计为 {before:.1%}。",
                f"Store {r['store']}: refunds were {rate:.1%} of sales in {r['month']} ({r['refunded']} of "
                f"{r['orders']} orders, {_money(r['refunds'], r['currency'])}) against {before:.1%} before.",
                _refs(r["records"]),
            )
        )
    return out


def payout_findings(rs: ResultSet, t: Thresholds) -> list[Finding]:
    """Pooled wallets whose payouts stopped while money came in; payouts the bank never credited."""
    sources = ", ".join(f"'{s}'" for s in WALLET_SOURCES)
    stalled = rs.query(f"""
        WITH wallet AS (
          SELECT store, currency, max(ts) FILTER (WHERE kind = 'payout') AS last_payout,
                 min(ts) FILTER (WHERE kind IN {_MONEY_IN}) AS first_in, max(ts) AS last_seen
          FROM finding_lines WHERE side = 'right' AND source IN ({sources}) GROUP BY ALL)
        SELECT w.store, w.currency, CAST(w.last_payout AS DATE) AS last_payout,
               date_diff('day', CAST(coalesce(w.last_payout, w.first_in) AS DATE),
                         CAST(w.last_seen AS DATE)) AS gap,
               CAST(w.last_seen AS DATE) AS last_seen, sum(l.amount_minor)::BIGINT AS since,
               count(*) AS lines,
               list(struct_pack(result := l.result, record_id := l.record_id, tab := l.tab)
                    ORDER BY l.ts, l.record_id)[1:{MAX_RECORDS}] AS records
        FROM wallet w JOIN finding_lines l USING (store, currency)
        WHERE l.side = 'right' AND l.source IN ({sources}) AND l.kind IN {_MONEY_IN}
          AND (w.last_payout IS NULL OR l.ts > w.last_payout)
        GROUP BY ALL HAVING sum(l.amount_minor) > 0 ORDER BY ALL""").to_pylist()
    out = []
    for r in stalled:
        if r["gap"] <= t.payout_gap_days:
            continue
        since = _money(r["since"], r["currency"])
        last_zh = f"最后一次提现在 {r['last_payout']}" if r["last_payout"] else "期内没有任何提现"
        last_en = f"the last payout was on {r['last_payout']}" if r["last_payout"] else "no payout at all"
        out.append(
            Finding(
                "payouts_stopped",
                "high" if r["gap"] > 2 * t.payout_gap_days else "medium",
                r["store"],
                f"钱包 {r['store']} {r['gap']} 天没有提现（{last_zh}，截至 {r['last_seen']}），"
                f"其间入账 {since}"
                f"（{r['lines']} 笔）。",
                f"Wallet {r['store']}: no payout for {r['gap']} days ({last_en}, up to {r['last_seen']}) "
                "while "
                f"{since} came in over {r['lines']} lines.",
                _refs(r["records"]),
            )
        )
    missing = rs.query(f"""SELECT coalesce(account, store) AS store, currency, count(*) AS n,
            -sum(amount_minor)::BIGINT AS amount,
            {_RECORDS} AS records FROM finding_lines
        WHERE kind = 'payout' AND reason = 'payout_not_received' GROUP BY ALL ORDER BY ALL""").to_pylist()
    for r in missing:
        money = _money(r["amount"], r["currency"])
        out.append(
            Finding(
                "payout_not_credited",
                "high",
                r["store"],
                f"{r['n']} 笔提现共 {money} 未见银行到账（{r['store']}）。",
                f"{r['n']} payouts of {money} in total never reached the bank ({r['store']}).",
                _refs(r["records"]),
            )
        )
    return out


def slow_settlements(rs: ResultSet, as_of: date, t: Thresholds) -> list[Finding]:
    """Orders still unsettled long after the platform's usual delay, measured in this run."""
    rows = rs.query(
        f"""
        WITH norm AS (
          SELECT platform, quantile_cont(date_diff('day', paid_on, received_on), $p) AS norm, count(*) AS n
          FROM collections WHERE received_on IS NOT NULL AND status IN ('settled', 'partly_refunded')
          GROUP BY platform HAVING count(*) >= $n),
        late AS (
          SELECT c.*, date_diff('day', c.paid_on, $as_of) AS age, n.norm, n.n FROM collections c
          JOIN norm n USING (platform)
          WHERE c.status = 'paid_not_settled'
            AND date_diff('day', c.paid_on, $as_of) > $f * greatest(n.norm, 1))
        SELECT store, platform, currency, count(*) AS orders, sum(outstanding_minor)::BIGINT AS outstanding,
               max(age) AS oldest, any_value(norm) AS norm, any_value(n) AS sample,
               list(struct_pack(result := result, record_id := record_id,
                                tab := CASE WHEN match_id IS NULL THEN 'unmatched_left' ELSE 'auto' END)
                    ORDER BY age DESC, order_ref)[1:{MAX_RECORDS}] AS records
        FROM late GROUP BY ALL ORDER BY ALL""",
        {"p": t.norm_percentile, "n": t.norm_min_sample, "as_of": as_of, "f": t.norm_factor},
    ).to_pylist()
    out = []
    for r in rows:
        money = _money(r["outstanding"], r["currency"])
        pct = f"P{round(t.norm_percentile * 100)}"
        out.append(
            Finding(
                "slow_settlement",
                "high" if r["oldest"] > 2 * t.norm_factor * max(r["norm"], 1) else "medium",
                r["store"],
                f"{r['orders']} 单（{money}）付款后仍未结算，最久 {r['oldest']} 天；"
                f"本次已结算订单的 {pct} 为 "
                f"{r['norm']:.0f} 天（{r['sample']} 单，截至 {as_of}）。",
                f"{r['orders']} orders ({money}) are still unsettled, the oldest after {r['oldest']} days; "
                "this "
                f"run's settled orders took {r['norm']:.0f} days at {pct} "
                f"({r['sample']} orders, as of {as_of}).",
                _refs(r["records"]),
            )
        )
    return out


def write_off_findings(groups: Iterable[WrittenOffGroup], t: Thresholds) -> list[Finding]:
    """Many write-offs by one user in a month, and large ones (decisions, a short list)."""
    by_user_month: dict[tuple[str, str], list[WrittenOffGroup]] = defaultdict(list)
    large: dict[str, list[WrittenOffGroup]] = defaultdict(list)
    for g in groups:
        by_user_month[(g.user, g.when.strftime("%Y-%m"))].append(g)
        if abs(g.amount_minor) >= t.large_write_off_minor:
            large[g.user].append(g)
    out = []
    for (user, month), items in sorted(by_user_month.items()):
        if len(items) < t.write_offs_per_user:
            continue
        total = _money(sum(abs(i.amount_minor) for i in items), items[0].currency)
        out.append(
            Finding(
                "write_offs_many",
                "medium",
                "",
                f"{user} 在 {month} 手工核销 {len(items)} 笔，共 {total}。",
                f"{user} wrote off {len(items)} groups in {month}, {total} in total.",
                tuple(RecordRef(i.result, i.group, "") for i in items[:MAX_RECORDS]),
            )
        )
    for user, items in sorted(large.items()):
        biggest = max(items, key=lambda i: abs(i.amount_minor))
        limit = _money(t.large_write_off_minor, biggest.currency)
        out.append(
            Finding(
                "write_off_large",
                "high",
                "",
                f"{user} 核销了 {len(items)} 笔 {limit} 以上的差额，"
                f"最大 {_money(abs(biggest.amount_minor), biggest.currency)}"
                f"（{biggest.group}，{biggest.reason or '未填原因'}）。",
                f"{user} wrote off {len(items)} differences of {limit} or more, the largest "
                f"{_money(abs(biggest.amount_minor), biggest.currency)} "
                f"({biggest.group}: {biggest.reason or 'no reason'}).",
                tuple(RecordRef(i.result, i.group, "") for i in items[:MAX_RECORDS]),
            )
        )
    return out


def find_findings(rs: ResultSet, request: ReportRequest) -> list[Finding]:
    """Every finding over ``rs``, most severe first."""
    rs.con.execute(_LINES)
    order_collections(rs, timing=request.timing, write_offs=request.write_offs)
    as_of = request.as_of or rs.query("SELECT max(CAST(ts AS DATE)) AS d FROM entries")["d"][0].as_py()
    t = request.thresholds
    found = [
        *fee_findings(rs, request.contract_rates, t),
        *refund_spikes(rs, t),
        *payout_findings(rs, t),
        *(slow_settlements(rs, as_of, t) if as_of else []),
        *write_off_findings(request.written_off_groups, t),
    ]
    return sorted(found, key=lambda f: SEVERITIES.index(f.severity))


def findings_report(rs: ResultSet, request: ReportRequest) -> Report:
    """The findings as a report: one row each, the record ids behind it as text."""
    found = find_findings(rs, request)
    rows = pa.table(
        {
            "severity": pa.array([SEVERITY_ZH[f.severity] for f in found], pa.string()),
            "kind": pa.array([KINDS_ZH[f.kind] for f in found], pa.string()),
            "store": pa.array([f.store for f in found], pa.string()),
            "text_zh": pa.array([f.text_zh for f in found], pa.string()),
            "text_en": pa.array([f.text_en for f in found], pa.string()),
            "records": pa.array([len(f.records) for f in found], pa.int64()),
            "record_ids": pa.array(
                [" ".join(r.record_id for r in f.records[:20]) for f in found], pa.string()
            ),
        }
    )
    columns = [
        Column("severity", "严重程度"),
        Column("kind", "类型"),
        Column("store", "店铺"),
        Column("text_zh", "发现"),
        Column("text_en", "Finding"),
        Column("records", "相关记录数", "count"),
        Column("record_ids", "相关记录（前 20）", "id"),
    ]
    totals = pa.table(
        {
            "severity": ["合计"],
            "kind": [None],
            "store": [None],
            "text_zh": [None],
            "text_en": [None],
            "records": pa.array([sum(len(f.records) for f in found)], pa.int64()),
            "record_ids": [None],
        },
        schema=rows.schema,
    )
    t = request.thresholds
    notes = [
        f"阈值：费率高于合同 {t.fee_tolerance * 100:.2f} 个百分点；退款率为此前各月的 {t.spike_factor:g} 倍且"
        f"高出 {t.spike_points * 100:g} 个百分点（≥ {t.spike_min_orders} 单）；"
        f"钱包 {t.payout_gap_days} 天无提现；"
        f"未结算超过本次已结算订单 P{round(t.norm_percentile * 100)} 天数的 {t.norm_factor:g} 倍；"
        f"同一用户每月核销 ≥ {t.write_offs_per_user} 笔或单笔 ≥ {_money(t.large_write_off_minor, 'CNY')}。"
    ]
    if not request.contract_rates:
        notes.append("未提供合同费率（--contract 文件或 --contract-rate），未检查费率。")
    if not request.written_off_groups:
        notes.append("未提供核销记录，未检查手工核销。")
    span = rs.query("SELECT min(CAST(ts AS DATE)) AS a, max(CAST(ts AS DATE)) AS b FROM entries")
    first, last = span["a"][0].as_py(), span["b"][0].as_py()
    return Report(
        name="findings",
        title="分析发现",
        columns=columns,
        rows=rows,
        totals=totals,
        notes=notes,
        period=f"{first} – {last}" if first else "全部",
        company=request.company,
    )
