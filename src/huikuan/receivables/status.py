"""Each order's collection status (回款状态) from its group, in one DuckDB query.

An order's group is its match: the order on the left, the platform lines on the right (payment,
fees, refunds, subsidies), plus any right line still unmatched that carries the order's number
(an after-sale refund that arrived later). Where one match holds several orders (paid together
under one trade number) a line goes to the order whose number it carries; a line carrying none
(the combined payment) is shared in proportion to the orders' amounts, in whole minor units with
the remainder on the first order, so every line counts once and the shares add up to the line.

Status, first that applies:
- ``written_off``: a person wrote the order off (decisions passed in; the web app keeps them);
- ``disputed``: a suggested match, a difference with a problem reason, or an unmatched order
  whose reason says the evidence disagreed (amount, ambiguous, currency);
- ``unpaid``: the buyer never paid or the order was closed, and no money moved;
- ``refunded``: refunds reach what was ordered;
- ``paid_not_settled``: paid, no payment or settlement line yet;
- ``partly_refunded``: settled with some refund;
- ``settled``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyarrow as pa

from huikuan.domain.reasons import Reason
from huikuan.receivables.source import ResultSet
from huikuan.receivables.timing import SOURCE_PLATFORM, SettlementTiming

STATUSES = ("unpaid", "paid_not_settled", "settled", "partly_refunded", "refunded", "written_off",
            "disputed")
STATUS_ZH = {"unpaid": "未付款", "paid_not_settled": "已付款未结算", "settled": "已结算",
             "partly_refunded": "部分退款", "refunded": "已退款", "written_off": "已核销",
             "disputed": "有争议"}

#: differences that are information, not a problem with the order's money
INFO_REASONS = (Reason.ROUNDING, Reason.REFUND_AFTER_SETTLEMENT, Reason.SUBSIDY, Reason.BATCHED_PAYOUT)
#: unmatched reasons meaning the evidence exists but disagrees
DISPUTE_REASONS = (Reason.AMOUNT_MISMATCH, Reason.AMBIGUOUS, Reason.CURRENCY_MISMATCH)
MONEY_IN = ("payment", "settlement")


@dataclass(frozen=True)
class WriteOff:
    """A person's decision that an order's receivable is closed (核销) although the money differs:
    ``result`` limits it to one folder's order (None: the order number in any folder)."""

    order_ref: str
    reason: str = ""
    result: str | None = None


def _quoted(values: Iterable[str]) -> str:
    return ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)


def _register(rs: ResultSet, timing: SettlementTiming, write_offs: Iterable[WriteOff]) -> None:
    platforms = rs.query("SELECT DISTINCT source FROM entries")["source"].to_pylist()
    rows = timing.as_rows([SOURCE_PLATFORM.get(s or "", "other") for s in platforms])
    rs.con.register("timing_days", pa.table({"platform": [p for p, _ in rows],
                                             "days": pa.array([d for _, d in rows], pa.int32())}))
    offs = list(write_offs)
    rs.con.register("write_offs", pa.table({
        "order_ref": pa.array([w.order_ref for w in offs], pa.string()),
        "result": pa.array([w.result for w in offs], pa.string()),
        "reason": pa.array([w.reason for w in offs], pa.string())}))
    mapping = pa.table({"source": list(SOURCE_PLATFORM), "platform": list(SOURCE_PLATFORM.values())})
    rs.con.register("source_platform", mapping)


_ORDER_LINES = """
orders AS (
  SELECT result, coalesce(order_ref, record_id) AS order_ref, min(record_id) AS record_id,
         min(file) AS file, min(source) AS source, sum(amount_minor) AS ordered_minor,
         min(currency) AS currency, min(ts) AS ts, min(status) AS order_status,
         min(match_id) AS match_id, min(match_status) AS match_status, min(reason) AS reason
  FROM entries
  WHERE side = 'left' AND kind = 'order' AND coalesce(reason, '') <> 'duplicate'
  GROUP BY result, coalesce(order_ref, record_id)
),
stated_refunds AS (
  SELECT result, order_ref, -sum(amount_minor) AS refund_minor
  FROM entries WHERE side = 'left' AND kind = 'order_refund' AND coalesce(reason, '') <> 'duplicate'
  GROUP BY ALL
),
match_orders AS (
  SELECT result, match_id, order_ref, ordered_minor FROM orders WHERE match_id IS NOT NULL
),
in_match AS (
  SELECT r.*, concat_ws(':', r.file, r.line, r.record_id) AS line_key,
         EXISTS (SELECT 1 FROM match_orders m WHERE m.result = r.result AND m.match_id = r.match_id
                 AND m.order_ref = r.order_ref) AS own
  FROM entries r WHERE r.side = 'right' AND r.match_id IS NOT NULL
),
shares AS (
  SELECT r.result, o.order_ref, r.kind, r.category, r.amount_minor AS whole, r.ts, r.source, r.batch_ref,
         r.line_key,
         coalesce(CAST(r.amount_minor::HUGEINT * o.ordered_minor
                       // nullif(sum(o.ordered_minor) OVER (PARTITION BY r.result, r.line_key), 0) AS BIGINT),
                  0) AS share,
         row_number() OVER (PARTITION BY r.result, r.line_key ORDER BY o.order_ref) AS n
  FROM in_match r JOIN match_orders o ON o.result = r.result AND o.match_id = r.match_id
  WHERE NOT r.own
),
lines AS (
  SELECT result, order_ref, kind, category, amount_minor, ts, source, batch_ref
  FROM in_match WHERE own
  UNION ALL
  SELECT result, order_ref, kind, category,
         CASE WHEN n = 1 THEN whole - (sum(share) OVER (PARTITION BY result, line_key) - share)
              ELSE share END,
         ts, source, batch_ref
  FROM shares
  UNION ALL
  SELECT r.result, r.order_ref, r.kind, r.category, r.amount_minor, r.ts, r.source, r.batch_ref
  FROM entries r JOIN (SELECT DISTINCT result, order_ref FROM orders) o
    ON o.result = r.result AND o.order_ref = r.order_ref
  WHERE r.side = 'right' AND r.match_id IS NULL AND coalesce(r.reason, '') <> 'duplicate'
)"""

_QUERY = f"""
WITH {_ORDER_LINES},
grouped AS (
  SELECT result, order_ref,
         sum(amount_minor) FILTER (WHERE kind IN ('payment', 'settlement')) AS settled_minor,
         sum(amount_minor) FILTER (WHERE kind = 'fee') AS fees_minor,
         sum(amount_minor) FILTER (WHERE kind = 'refund') AS bill_refund_minor,
         sum(amount_minor) FILTER (WHERE kind NOT IN ('payment', 'settlement', 'fee', 'refund'))
           AS other_minor,
         sum(amount_minor) AS net_received_minor,
         count(*) FILTER (WHERE kind IN ('payment', 'settlement')) AS money_lines,
         CAST(max(ts) FILTER (WHERE kind IN ('payment', 'settlement')) AS DATE) AS received_on,
         mode(source) AS line_source,
         string_agg(DISTINCT batch_ref, ' ' ORDER BY batch_ref)
           FILTER (WHERE kind IN ('payment', 'settlement')) AS batch_refs
  FROM lines GROUP BY ALL
),
run_platform AS (
  SELECT result, mode(source) AS source FROM entries
  WHERE side = 'right' AND kind IN ('payment', 'settlement') GROUP BY ALL
),
run_store AS (
  SELECT result, mode(account) AS account FROM entries WHERE side = 'right' AND account IS NOT NULL
  GROUP BY ALL
),
problems AS (
  SELECT DISTINCT result, match_id FROM differences
  WHERE reason NOT IN ({_quoted(INFO_REASONS)})
),
joined AS (
  SELECT o.*, g.settled_minor, g.fees_minor, g.other_minor, g.received_on, g.batch_refs,
         coalesce(g.net_received_minor, 0) AS net_received_minor,
         coalesce(g.money_lines, 0) AS money_lines,
         greatest(coalesce(-g.bill_refund_minor, 0), coalesce(s.refund_minor, 0)) AS refunds_minor,
         coalesce(-g.bill_refund_minor, 0) AS bill_refunds_minor,
         coalesce(sp.platform, rp_map.platform, op.platform, 'other') AS platform,
         coalesce(st.account, o.result) AS store,
         w.reason AS write_off_reason,
         p.match_id IS NOT NULL AS has_problem,
         CAST(o.ts AS DATE) AS paid_on
  FROM orders o
  LEFT JOIN grouped g USING (result, order_ref)
  LEFT JOIN stated_refunds s USING (result, order_ref)
  LEFT JOIN source_platform sp ON sp.source = g.line_source
  LEFT JOIN run_platform rp ON rp.result = o.result
  LEFT JOIN source_platform rp_map ON rp_map.source = rp.source
  LEFT JOIN source_platform op ON op.source = o.source
  LEFT JOIN run_store st ON st.result = o.result
  LEFT JOIN (SELECT order_ref, result, min(reason) AS reason FROM write_offs GROUP BY ALL) w
    ON w.order_ref = o.order_ref AND (w.result IS NULL OR w.result = o.result)
  LEFT JOIN problems p ON p.result = o.result AND p.match_id = o.match_id
)
SELECT result, store, platform, file, order_ref, record_id, currency, ordered_minor, paid_on,
  order_status,
  CASE
    WHEN write_off_reason IS NOT NULL OR match_status = 'written_off' THEN 'written_off'
    WHEN match_status = 'suggested' OR has_problem OR reason IN ({_quoted(DISPUTE_REASONS)})
      THEN 'disputed'
    WHEN money_lines = 0 AND refunds_minor = 0
         AND (order_status IN ('unpaid', 'closed') OR reason IN ('unpaid', 'order_closed')) THEN 'unpaid'
    WHEN refunds_minor > 0 AND refunds_minor >= ordered_minor THEN 'refunded'
    WHEN order_status = 'refunded' AND money_lines = 0 THEN 'refunded'
    WHEN money_lines = 0 THEN 'paid_not_settled'
    WHEN refunds_minor > 0 THEN 'partly_refunded'
    ELSE 'settled'
  END AS status,
  coalesce(settled_minor, 0) AS settled_minor, coalesce(fees_minor, 0) AS fees_minor,
  refunds_minor, bill_refunds_minor, coalesce(other_minor, 0) AS other_minor, net_received_minor, received_on,
  paid_on + CAST(days AS INTEGER) AS expected_on,
  match_id, match_status, reason, batch_refs, write_off_reason
FROM joined LEFT JOIN timing_days USING (platform)
"""


def order_collections(rs: ResultSet, *, timing: SettlementTiming | None = None,
                      write_offs: Iterable[WriteOff] = ()) -> pa.Table:
    """One row per order of the result folders' left sides with its 回款 status and money
    (minor units, signed as in the bill: fees negative; ``refunds_minor`` positive, the larger of
    the bill's refund lines (``bill_refunds_minor``) and the refund the order list states), the date
    received (the group's latest payment or settlement line) and the date expected. Also
    registers the view ``collections`` on ``rs`` for reports to query further."""
    _register(rs, timing or SettlementTiming(), write_offs)
    rs.con.execute("CREATE OR REPLACE TEMP TABLE collections AS " + _QUERY
                   + " ORDER BY result, paid_on, order_ref")
    # outstanding: what is still to come for an order that was paid and not settled
    rs.con.execute("""ALTER TABLE collections ADD COLUMN outstanding_minor BIGINT""")
    rs.con.execute("""UPDATE collections SET outstanding_minor = CASE
        WHEN status IN ('paid_not_settled', 'disputed') THEN greatest(ordered_minor - refunds_minor
             - CASE WHEN status = 'disputed' THEN greatest(net_received_minor - fees_minor, 0) ELSE 0 END, 0)
        ELSE 0 END""")
    return rs.query("SELECT * FROM collections")


def order_fees(rs: ResultSet) -> pa.Table:
    """Fees of each order by type (the bill's ``category``): result, order_ref, category,
    currency, amount_minor (negative), lines."""
    return rs.query(f"""WITH {_ORDER_LINES}
        SELECT l.result, l.order_ref, coalesce(l.category, '') AS category, e.currency,
               sum(l.amount_minor) AS amount_minor, count(*) AS lines
        FROM lines l JOIN (SELECT DISTINCT result, order_ref, currency FROM orders) e
          USING (result, order_ref)
        WHERE l.kind = 'fee' GROUP BY ALL ORDER BY ALL""")
