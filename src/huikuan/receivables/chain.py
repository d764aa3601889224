"""One order's money from end to end, for a user to click through: the order, its bill lines,
the batch payout that carried them (Amazon settlement, Shopify payout — same ``batch_ref``) and
the bank credit that payout was matched to in a payout-bank result given alongside.

Pooled wallets (Alipay, PDD, WeChat) pay out round sums that no line points to: there the chain
stops at the bill, and the wallet walk answers the rest.
"""

from __future__ import annotations

import pyarrow as pa

from huikuan.receivables.source import ResultSet

_COLUMNS = ("result, side, kind, record_id, file, line, ts, amount_minor, currency, order_ref, batch_ref, "
            "match_id, match_status, reason")


def order_chain(rs: ResultSet, order_ref: str, result: str | None = None) -> pa.Table:
    """Rows in chain order with ``step`` = order, bill, payout or bank; empty when the order is not
    in the results. ``result`` limits the order to one folder when the number recurs."""
    return rs.query(f"""
        WITH orders AS (
          SELECT {_COLUMNS} FROM entries
          WHERE side = 'left' AND kind IN ('order', 'order_refund') AND coalesce(order_ref, record_id) = $ref
            AND ($result IS NULL OR result = $result) AND coalesce(reason, '') <> 'duplicate'
        ),
        bill AS (
          SELECT {', '.join(f'e.{c.strip()}' for c in _COLUMNS.split(','))} FROM entries e
          WHERE e.side = 'right' AND coalesce(e.reason, '') <> 'duplicate' AND (
            (e.result, e.match_id) IN (SELECT result, match_id FROM orders WHERE match_id IS NOT NULL)
            OR (e.match_id IS NULL AND e.order_ref = $ref AND e.result IN (SELECT result FROM orders)))
        ),
        payouts AS (
          -- the same payout is in the order run's bill and in the payout run: keep the matched copy
          SELECT * EXCLUDE (dedupe_key, rank) FROM (
            SELECT {_COLUMNS}, dedupe_key,
                   row_number() OVER (PARTITION BY dedupe_key ORDER BY match_id NULLS LAST, result) AS rank
            FROM entries
            WHERE kind = 'payout' AND batch_ref IN (SELECT batch_ref FROM bill WHERE batch_ref IS NOT NULL)
              AND coalesce(reason, '') <> 'duplicate')
          WHERE rank = 1
        ),
        bank AS (
          SELECT {_COLUMNS} FROM entries
          WHERE kind = 'bank_credit'
            AND (result, match_id) IN (SELECT result, match_id FROM payouts WHERE match_id IS NOT NULL)
        )
        SELECT 'order' AS step, * FROM orders
        UNION ALL SELECT 'bill', * FROM bill
        UNION ALL SELECT 'payout', * FROM payouts
        UNION ALL SELECT 'bank', * FROM bank
        ORDER BY CASE step WHEN 'order' THEN 0 WHEN 'bill' THEN 1 WHEN 'payout' THEN 2 ELSE 3 END, ts,
                 record_id""", {"ref": order_ref, "result": result})
