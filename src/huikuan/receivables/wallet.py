"""The wallet walk (钱包余额勾稽) for pooled wallets: Alipay 账务明细, PDD 货款, WeChat fund flow.

A pooled wallet holds the money of many orders and pays out round sums, so instead of a chain per
order the check is the walk: opening balance + settled − fees − refunds ± other − payouts =
closing balance. The canonical entries do not carry the bill's 账户余额 column (importers keep
only the amount; ``raw`` holds the row text without its header), so the walk is checked against
balances the caller knows — the bill's first and last 账户余额, or last period's closing — and,
without them, by what the lines alone can show: the running balance from the opening (or from
zero) must never go below zero before a payout, since a wallet cannot pay out money it does not
hold. A walk that does not close, or a payout larger than the wallet held, is reported with the
gap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from huikuan.receivables.source import ResultSet

#: importers whose file is a pooled wallet's statement
WALLET_SOURCES = ("alipay_account", "pdd_account", "wechat_fundflow", "douyin_settlement", "jd_settlement")


@dataclass(frozen=True)
class PayoutStep:
    """One payout and what the wallet received since the one before it."""

    record_id: str
    day: str
    payout_minor: int          # negative, as in the bill
    inflow_minor: int          # net of every other line since the previous payout
    balance_after_minor: int   # running balance after the payout, from the opening (or zero)


@dataclass(frozen=True)
class WalletWalk:
    """One wallet (importer + account, or file) over one result folder's lines, in minor units."""

    result: str
    wallet: str
    source: str
    currency: str
    first_day: str
    last_day: str
    settled_minor: int
    fees_minor: int
    refunds_minor: int
    other_minor: int
    payouts_minor: int
    opening_minor: int | None
    closing_minor: int | None          # the balance the caller states, if any
    steps: list[PayoutStep] = field(default_factory=list)

    @property
    def movement_minor(self) -> int:
        return self.settled_minor + self.fees_minor + self.refunds_minor + self.other_minor \
            + self.payouts_minor

    @property
    def computed_closing_minor(self) -> int | None:
        return None if self.opening_minor is None else self.opening_minor + self.movement_minor

    @property
    def gap_minor(self) -> int | None:
        """Stated closing minus computed closing; None when either balance is not known."""
        if self.closing_minor is None or self.computed_closing_minor is None:
            return None
        return self.closing_minor - self.computed_closing_minor

    @property
    def overdrawn(self) -> list[PayoutStep]:
        """With a known opening balance, the payouts after which the running balance is below
        zero: lines are missing before them (another export) or the opening given is wrong.
        Without one, nothing can be overdrawn: see :attr:`least_opening_minor`."""
        if self.opening_minor is None:
            return []
        return [s for s in self.steps if s.balance_after_minor < 0]

    @property
    def least_opening_minor(self) -> int:
        """The smallest opening balance under which no payout overdraws the wallet: what the
        wallet must have held when the lines begin (compare it with last period's closing)."""
        lowest = min((s.balance_after_minor - (self.opening_minor or 0) for s in self.steps), default=0)
        return max(0, -lowest)

    @property
    def closes(self) -> bool | None:
        """True when the walk closes, False when it does not, None when nothing can be checked."""
        if self.overdrawn:
            return False
        if self.gap_minor is not None:
            return self.gap_minor == 0
        return None


def wallet_walks(rs: ResultSet, *, balances: Mapping[str, tuple[int | None, int | None]] | None = None
                 ) -> list[WalletWalk]:
    """A walk per wallet found on either side of the result folders (duplicates left out).
    ``balances`` maps a wallet name (the entries' ``account``, else the file name) to its
    (opening, closing) balance in minor units, either may be None."""
    known = balances or {}
    sources = ", ".join(f"'{s}'" for s in WALLET_SOURCES)
    totals = rs.query(f"""
        SELECT result, coalesce(account, file) AS wallet, min(source) AS source, currency,
          CAST(min(ts) AS DATE)::VARCHAR AS first_day, CAST(max(ts) AS DATE)::VARCHAR AS last_day,
          coalesce(sum(amount_minor) FILTER (WHERE kind IN ('payment', 'settlement')), 0) AS settled,
          coalesce(sum(amount_minor) FILTER (WHERE kind = 'fee'), 0) AS fees,
          coalesce(sum(amount_minor) FILTER (WHERE kind = 'refund'), 0) AS refunds,
          coalesce(sum(amount_minor) FILTER (WHERE kind = 'payout'), 0) AS payouts,
          coalesce(sum(amount_minor) FILTER (WHERE kind NOT IN ('payment', 'settlement', 'fee', 'refund',
            'payout')), 0) AS other
        FROM entries WHERE source IN ({sources}) AND coalesce(reason, '') <> 'duplicate'
        GROUP BY ALL ORDER BY ALL""").to_pylist()
    walks = []
    for t in totals:
        opening, closing = known.get(t["wallet"], (None, None))
        steps = _payout_steps(rs, t["result"], t["wallet"], t["currency"], opening or 0)
        walks.append(WalletWalk(
            result=t["result"], wallet=t["wallet"], source=t["source"], currency=t["currency"],
            first_day=t["first_day"] or "", last_day=t["last_day"] or "",
            settled_minor=int(t["settled"]), fees_minor=int(t["fees"]), refunds_minor=int(t["refunds"]),
            other_minor=int(t["other"]), payouts_minor=int(t["payouts"]),
            opening_minor=opening, closing_minor=closing, steps=steps))
    return walks


def _payout_steps(rs: ResultSet, result: str, wallet: str, currency: str, opening: int) -> list[PayoutStep]:
    """The wallet's lines in time order (file line breaking ties), cut at each payout. Only the
    payouts come back to Python; the running sums are DuckDB's."""
    rows = rs.query(f"""
        WITH wallet AS (
          SELECT record_id, kind, amount_minor, ts, file, line,
                 sum(amount_minor) OVER (ORDER BY ts, file, line ROWS UNBOUNDED PRECEDING) AS running,
                 count(*) FILTER (WHERE kind = 'payout')
                   OVER (ORDER BY ts, file, line ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
          FROM entries
          WHERE result = ? AND coalesce(account, file) = ? AND currency = ?
            AND source IN ({", ".join(f"'{s}'" for s in WALLET_SOURCES)})
            AND coalesce(reason, '') <> 'duplicate'
        ),
        inflow AS (
          SELECT coalesce(before, 0) AS step, sum(amount_minor) AS inflow FROM wallet
          WHERE kind <> 'payout' GROUP BY ALL
        )
        SELECT w.record_id, CAST(w.ts AS DATE)::VARCHAR AS day, w.amount_minor AS payout,
               coalesce(i.inflow, 0) AS inflow, w.running
        FROM wallet w LEFT JOIN inflow i ON i.step = coalesce(w.before, 0)
        WHERE w.kind = 'payout' ORDER BY w.ts, w.file, w.line""", [result, wallet, currency]).to_pylist()
    return [PayoutStep(record_id=r["record_id"], day=r["day"] or "", payout_minor=int(r["payout"]),
                       inflow_minor=int(r["inflow"]), balance_after_minor=opening + int(r["running"]))
            for r in rows]
