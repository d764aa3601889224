"""The Alipay account: settlement lines of the orders, payouts to the bank, the running balance.

Lines are kept as numpy columns in statement order (time, then a fixed order of kinds), which is
also the order of their 账务流水号. Payouts are decided day by day from the balance, as a
merchant would: withdraw what is there, keep a reserve, sometimes in two equal halves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from huikuan.synth.holidays import is_bank_day, next_bank_day
from huikuan.synth.noise import Noise, pick_count
from huikuan.synth.orders import I64, Mask, OrderBook, choose
from huikuan.synth.period import DAY, HOUR, Period

PAYMENT, COMMISSION, TAOBAOKE, REFUND, PAYOUT = 0, 1, 2, 3, 4
#: payouts are withdrawn in whole hundreds of yuan
PAYOUT_UNIT = 10_000
#: round amounts merchants like to withdraw (fen), largest first: 50 000 yuan … 1 000 yuan
ROUND_AMOUNTS = (5_000_000, 3_000_000, 1_000_000, 500_000, 300_000, 100_000)
#: how a payout's amount is chosen
_ALL, _TWIN, _REPEAT, _ROUND = 0, 1, 2, 3


@dataclass
class Payouts:
    """Withdrawals (提现) in time order and what the bank made of them."""

    at: I64
    amount: I64          # positive: what left the wallet and should reach the bank
    received: Mask       # False: the credit never arrives (payout_not_received)
    credit_at: I64       # bank credit time (only where received), in payout order (FIFO)
    reference: Mask      # the bank credit carries the payout serial in 业务摘要

    def __len__(self) -> int:
        return len(self.at)


@dataclass
class Ledger:
    """The Alipay account statement, every line in order."""

    at: I64
    kind: NDArray[np.int8]   # PAYMENT, COMMISSION, TAOBAOKE, REFUND or PAYOUT
    ref: I64                 # order index in the book, or payout index for PAYOUT
    amount: I64              # signed fen
    balance: I64             # 账户余额 after the line
    opening: int
    payouts: Payouts

    def __len__(self) -> int:
        return len(self.at)


def build_ledger(rng: np.random.Generator, book: OrderBook, period: Period, noise: Noise) -> Ledger:
    """All Alipay lines up to the end of the period, payouts included."""
    end = period.end
    rows = np.flatnonzero(book.has_lines)
    tbk = rows[book.taobaoke[rows] > 0]
    refunded = rows[(book.refund[rows] > 0) & ~book.refund_before[rows]]
    payment_at = book.payment_at[rows]
    # one 交易付款 line per payment: orders paid together share the line of their first order
    payers = rows[book.payment_of[rows] == rows]
    paid_by = np.zeros(len(book), dtype=np.int64)
    np.add.at(paid_by, book.payment_of[rows], book.payment_amount[rows])
    parts = (
        (book.payment_at[payers], PAYMENT, payers, paid_by[payers]),
        (payment_at + 1, COMMISSION, rows, -book.commission[rows]),
        (book.taobaoke_at[tbk], TAOBAOKE, tbk, -book.taobaoke[tbk]),
        (book.refund_at[refunded], REFUND, refunded, -book.refund[refunded]),
    )
    at = np.concatenate([p[0] for p in parts])
    kind = np.concatenate([np.full(len(p[2]), p[1], dtype=np.int8) for p in parts])
    ref = np.concatenate([p[2] for p in parts])
    amount = np.concatenate([p[3] for p in parts])
    inside = at < end
    at, kind, ref, amount = at[inside], kind[inside], ref[inside], amount[inside]
    order = np.argsort(at, kind="stable")
    at, kind, ref, amount = at[order], kind[order], ref[order], amount[order]

    reserve = _reserve(at, amount, period)
    opening = reserve + int(rng.integers(0, 500_000))
    payouts = plan_payouts(rng, at, amount, period, noise, opening=opening, reserve=reserve)
    where = np.searchsorted(at, payouts.at, side="right")
    at = np.insert(at, where, payouts.at)
    kind = np.insert(kind, where, np.int8(PAYOUT))
    ref = np.insert(ref, where, np.arange(len(payouts), dtype=np.int64))
    amount = np.insert(amount, where, -payouts.amount)
    balance = opening + np.cumsum(amount)
    return Ledger(at=at, kind=kind, ref=ref, amount=amount, balance=balance, opening=opening,
                  payouts=payouts)


def _reserve(at: I64, amount: I64, period: Period) -> int:
    """What the merchant leaves in the wallet: three days of the worst day's fees and refunds."""
    out = np.cumsum(np.where(amount < 0, -amount, 0))
    bounds = np.searchsorted(at, np.arange(period.days + 1) * DAY)
    totals = np.concatenate([[0], out])[bounds]
    worst = int(np.diff(totals).max()) if len(at) else 0
    return max(100_000, 3 * worst)


def plan_payouts(
    rng: np.random.Generator, at: I64, amount: I64, period: Period, noise: Noise, *,
    opening: int, reserve: int,
) -> Payouts:
    """Withdrawals: most days one (some none, some two), each taking the balance above the
    reserve in whole hundreds of yuan; some are split into two equal halves a few minutes apart,
    repeat the previous amount; in some weeks every payout is one round sum (10 000, 30 000,
    50 000 yuan, or 1 000 … 5 000 for a small shop: the largest not above a day's takings), so equal
    amounts recur all week; a few are made at night. Then when the bank credits each one
    (:func:`credit_times`)."""
    per_day = rng.choice(3, size=period.days, p=[0.1, 0.8, 0.1])
    days = np.repeat(np.arange(period.days, dtype=np.int64), per_day)
    clock = rng.integers(9 * HOUR, 17 * HOUR, len(days))
    night = rng.random(len(days)) < noise.night_payouts
    clock[night] = rng.integers(20 * HOUR, 23 * HOUR + 30 * 60, int(night.sum()))
    planned = np.sort(days * DAY + clock)
    mode = np.full(len(planned), _ALL, dtype=np.int8)
    # in some weeks the merchant withdraws one round sum a day, sized to what the shop takes in
    round_week = rng.random(period.days // 7 + 1) < noise.round_payouts
    mode[round_week[planned // DAY // 7]] = _ROUND
    daily = int(amount[amount > 0].sum()) // max(1, period.days)
    unit = next((r for r in ROUND_AMOUNTS if r <= daily), ROUND_AMOUNTS[-1])
    same = choose(rng, mode == _ALL, pick_count(noise.same_amount_payouts, len(planned)))
    mode[same] = np.where(np.arange(len(same)) % 2 == 0, _TWIN, _REPEAT)
    gap = rng.integers(60, 30 * 60, len(planned))
    income = np.concatenate([[0], np.cumsum(amount)])[np.searchsorted(at, planned, side="right")]

    out_at: list[int] = []
    out_amount: list[int] = []
    withdrawn = previous = 0
    for when, how, wait, earned in zip(planned.tolist(), mode.tolist(), gap.tolist(),
                                       income.tolist(), strict=True):
        available = opening + earned - withdrawn - reserve
        if how == _REPEAT and 0 < previous <= available:
            parts = [(when, previous)]
        elif how == _ROUND and unit <= available:
            parts = [(when, unit)]
        elif how == _TWIN and (half := available // 2 // PAYOUT_UNIT * PAYOUT_UNIT) >= PAYOUT_UNIT:
            parts = [(when, half), (when + wait, half)]
        elif (whole := available // PAYOUT_UNIT * PAYOUT_UNIT) >= PAYOUT_UNIT:
            parts = [(when, whole)]
        else:
            continue
        for t, a in parts:
            out_at.append(t)
            out_amount.append(a)
            withdrawn += a
        previous = parts[-1][1]

    times = np.array(out_at, dtype=np.int64)
    order = np.argsort(times, kind="stable")
    times, amounts = times[order], np.array(out_amount, dtype=np.int64)[order]
    n = len(times)
    received = np.ones(n, dtype=bool)
    # only a payout whose amount no other payout of the week has can be told lost: of two equal
    # payouts with one credit, nobody could say which one arrived
    before, after = _equal_neighbours(times, amounts)
    lost = choose(rng, (times < period.end - 3 * DAY) & ~before & ~after,
                  pick_count(noise.payout_not_received, n))
    received[lost] = False
    credit_at = credit_times(rng, times, amounts, received, period=period, noise=noise)
    reference = rng.random(n) < noise.payout_reference
    return Payouts(at=times, amount=amounts, received=received, credit_at=credit_at,
                   reference=reference)


def credit_times(rng: np.random.Generator, times: I64, amounts: I64, received: Mask, *,
                 period: Period, noise: Noise) -> I64:
    """When the bank credits each received payout (0 where not received).

    Most credits come the same day or within two days. A payout made at night is credited the
    next calendar day; one made on a weekend or a PRC holiday is often held to the next bank day
    (``holiday_hold``: 国庆 turns into a week); a few credits come 3 days and about 2 hours late
    (``late_credit``), always in the middle of a chain of equal amounts, where a matcher that
    pairs by amount and nearest date goes wrong. The bank books equal amounts in the order they
    were sent (FIFO), so a late credit holds back the equal ones behind it."""
    n = len(times)
    delay = rng.choice(3, size=n, p=[0.5, 0.35, 0.15]) * DAY + rng.integers(10 * 60, 4 * HOUR, n)
    credit = times + delay
    day = times // DAY
    night = times % DAY >= 20 * HOUR
    credit[night] = (day[night] + 1) * DAY + rng.integers(7 * HOUR, 10 * HOUR, int(night.sum()))
    held = rng.random(n) < noise.holiday_hold
    for i in np.flatnonzero(held).tolist():
        payout_day = period.date_of(int(times[i]))
        if not is_bank_day(payout_day):
            wait = (next_bank_day(payout_day) - payout_day).days
            credit[i] = (int(day[i]) + wait) * DAY + int(rng.integers(9 * HOUR, 11 * HOUR))
    late = choose(rng, received & _amid_equal_amounts(times, amounts),
                  pick_count(noise.late_credit, n))
    credit[late] = times[late] + 3 * DAY + rng.integers(HOUR + 30 * 60, 2 * HOUR + 30 * 60, len(late))
    credit_at = np.zeros(n, dtype=np.int64)
    last: dict[int, int] = {}
    for i in np.flatnonzero(received).tolist():  # equal amounts are booked in order (FIFO)
        a = int(amounts[i])
        booked = max(int(credit[i]), last.get(a, -DAY) + 60)
        credit_at[i] = last[a] = booked
    return credit_at


def _equal_neighbours(times: I64, amounts: I64) -> tuple[Mask, Mask]:
    """Payouts with an equal-amount payout less than a week before them, and less than a week
    after them."""
    order = np.lexsort((times, amounts))
    a, t = amounts[order], times[order]
    close = (a[1:] == a[:-1]) & (t[1:] - t[:-1] < 7 * DAY)
    before = np.zeros(len(a), dtype=bool)
    after = np.zeros(len(a), dtype=bool)
    before[order[1:]] = close
    after[order[:-1]] = close
    return before, after


def _amid_equal_amounts(times: I64, amounts: I64) -> Mask:
    """Payouts in the middle of a chain of equal amounts (one before and one after, each less than
    a week away)."""
    before, after = _equal_neighbours(times, amounts)
    middle: Mask = before & after
    return middle
