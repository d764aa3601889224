"""The wallet walk (钱包余额勾稽) for pooled wallets: Alipay 账务明细, PDD 货款, WeChat fund flow.

A pooled wallet holds the money of many orders and pays out round sums, so instead of a chain per
order the check is the walk: opening balance + settled − fees − refunds ± other − payouts =
closing balance.

Where the bill has a balance column (账户余额, 账户结余), every entry carries it as
``balance_minor`` and the walk is checked against the bill itself: the lines are put in the
order the bill states its running balance (file by file, each file in line order, or reversed
where the file is newest first), the opening is the first line's balance minus its amount, the
closing the last line's balance, and every line must satisfy previous balance + amount =
balance. The first line where it does not is the finding a clerk can act on (a line missing from
the export, another export of the same days, a wrong sign): it is named by file and line with the
balance expected and the one stated. Balances the caller gives (typed from the bill's footer, or
last period's closing) override the bill's opening and closing.

Without balances, the walk checks what the lines alone can show: the running balance from the
opening (or from zero) must never go below zero before a payout, since a wallet cannot pay out
money it does not hold.
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
class BalanceBreak:
    """The first line whose stated balance does not follow from the line before it."""

    file: str
    line: int
    expected_minor: int        # previous stated balance + the amounts since
    stated_minor: int          # the bill's balance on this line

    @property
    def gap_minor(self) -> int:
        return self.stated_minor - self.expected_minor

    @property
    def place(self) -> str:
        """``file:line``, as a clerk looks the line up in the export."""
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class BillBalances:
    """What the bill's own balance column says about one wallet's lines."""

    opening_minor: int
    closing_minor: int
    lines: int                 # lines that state a balance
    breaks: int                # lines whose balance does not follow from the one before
    first_break: BalanceBreak | None


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
    closing_minor: int | None          # the balance the caller states, else the bill's
    steps: list[PayoutStep] = field(default_factory=list)
    #: the bill's balance column, where its lines carry one (None: no balance column)
    bill: BillBalances | None = None
    #: where opening and closing come from: "caller", "bill" or "" (not known)
    balances_from: str = ""

    @property
    def first_break(self) -> BalanceBreak | None:
        return self.bill.first_break if self.bill is not None else None

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
        if self.overdrawn or self.first_break is not None:
            return False
        if self.gap_minor is not None:
            return self.gap_minor == 0
        return None


def wallet_walks(rs: ResultSet, *, balances: Mapping[str, tuple[int | None, int | None]] | None = None
                 ) -> list[WalletWalk]:
    """A walk per wallet found on either side of the result folders (duplicates left out).
    ``balances`` maps a wallet name (the entries' ``account``, else the file name) to its
    (opening, closing) balance in minor units, either may be None; a balance given overrides the
    bill's own, the other still comes from the bill."""
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
    with_balances = "balance_minor" in rs.query("SELECT * FROM entries LIMIT 0").column_names
    walks = []
    for t in totals:
        given = known.get(t["wallet"], (None, None))
        bill = (bill_balances(rs, t["result"], t["wallet"], t["currency"]) if with_balances
                else None)
        stated = (bill.opening_minor, bill.closing_minor) if bill is not None else (None, None)
        opening = given[0] if given[0] is not None else stated[0]
        closing = given[1] if given[1] is not None else stated[1]
        origin = "caller" if given != (None, None) else "bill" if bill is not None else ""
        steps = _payout_steps(rs, t["result"], t["wallet"], t["currency"], opening or 0)
        walks.append(WalletWalk(
            result=t["result"], wallet=t["wallet"], source=t["source"], currency=t["currency"],
            first_day=t["first_day"] or "", last_day=t["last_day"] or "",
            settled_minor=int(t["settled"]), fees_minor=int(t["fees"]), refunds_minor=int(t["refunds"]),
            other_minor=int(t["other"]), payouts_minor=int(t["payouts"]),
            opening_minor=opening, closing_minor=closing, steps=steps, bill=bill,
            balances_from=origin))
    return walks


def bill_balances(rs: ResultSet, result: str, wallet: str, currency: str) -> BillBalances | None:
    """The wallet's lines checked against the bill's running balance; None when no line states one.

    A line (file + line) may give several entries (a payment and its fee): its amount is their
    sum, its balance the one stated. Files follow each other by their first time; within a file
    the lines go in line order, or in reverse where the balances follow from the line *below*
    (an export newest first) — never by time, since lines of the same second are in the order
    the bill computed its balance, which only the line order keeps. Each stated balance implies
    an opening (balance − every amount up to and including its line); where the implied opening
    changes from one stated line to the next, the chain breaks there. All of it runs in DuckDB:
    only the summary and the first break come back."""
    row = rs.query(f"""
        WITH lines AS (
          SELECT file, line, sum(amount_minor) AS amount, max(balance_minor) AS balance, min(ts) AS ts
          FROM entries
          WHERE result = ? AND coalesce(account, file) = ? AND currency = ?
            AND source IN ({", ".join(f"'{s}'" for s in WALLET_SOURCES)})
            AND coalesce(reason, '') <> 'duplicate'
          GROUP BY file, line
        ),
        neighbours AS (
          SELECT *, lag(balance) OVER (PARTITION BY file ORDER BY line) AS above,
                    lead(balance) OVER (PARTITION BY file ORDER BY line) AS below
          FROM lines
        ),
        files AS (
          SELECT file, min(ts) AS first_ts,
                 count(*) FILTER (WHERE balance = below + amount)
                   > count(*) FILTER (WHERE balance = above + amount) AS newest_first
          FROM neighbours GROUP BY file
        ),
        walked AS (
          SELECT l.file, l.line, l.amount, l.balance,
                 sum(l.amount) OVER w AS moved, row_number() OVER w AS position
          FROM lines l JOIN files f USING (file)
          WINDOW w AS (ORDER BY f.first_ts NULLS LAST, l.file,
                       CASE WHEN f.newest_first THEN -l.line ELSE l.line END
                       ROWS UNBOUNDED PRECEDING)
        ),
        stated AS (
          SELECT *, balance - moved AS implied,
                 lag(balance - moved) OVER (ORDER BY position) AS implied_before
          FROM walked WHERE balance IS NOT NULL
        )
        SELECT
          (SELECT implied FROM stated ORDER BY position LIMIT 1) AS opening,
          (SELECT implied FROM stated ORDER BY position DESC LIMIT 1)
            + (SELECT sum(amount) FROM walked) AS closing,
          (SELECT count(*) FROM stated) AS stated_lines,
          (SELECT count(*) FROM stated WHERE implied <> implied_before) AS breaks,
          (SELECT struct_pack(file := file, line := line, expected := implied_before + moved,
                              stated := balance)
           FROM stated WHERE implied <> implied_before ORDER BY position LIMIT 1) AS first_break
        """, [result, wallet, currency]).to_pylist()[0]
    if not row["stated_lines"]:
        return None
    found = row["first_break"]
    first = None if found is None else BalanceBreak(
        file=found["file"], line=int(found["line"]), expected_minor=int(found["expected"]),
        stated_minor=int(found["stated"]))
    return BillBalances(opening_minor=int(row["opening"]), closing_minor=int(row["closing"]),
                        lines=int(row["stated_lines"]), breaks=int(row["breaks"]), first_break=first)


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
