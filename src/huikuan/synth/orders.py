"""The orders of the simulated shop: who paid what, when it settled, what was refunded.

Refunds come two ways (DOMAIN.md §2): after settlement (售后, a 交易退款 line of its own) or before
the buyer confirms receipt (售中, taken off the payment line; refunding everything closes the
trade). Some orders of one buyer are paid together (合并付款) and share one trade number.

All orders live in one :class:`OrderBook` of numpy columns (int64 fen, int64 seconds), never as
Python objects, so ten million orders fit comfortably in memory and are drawn in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from huikuan.synth.catalogue import ITEMS, POSTAGE, POSTAGE_SHARE
from huikuan.synth.noise import Noise, pick_count
from huikuan.synth.period import DAY, HOUR, Period

I64 = NDArray[np.int64]
Mask = NDArray[np.bool_]

PAID, UNPAID, CLOSED = 0, 1, 2
#: settlement (buyer confirms receipt) happens this many days after payment, at most
SETTLE_DAYS_MAX = 10
#: refunds come at most this long after settlement
REFUND_DAYS_MAX = 5
#: share of orders created in each hour of the day (evening peak, as shops see it)
_HOURLY = np.array([3, 2, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 7, 6, 6, 6, 6, 6, 7, 8, 10, 11, 10, 6], float)
_PRICES = np.array([item.price for item in ITEMS], dtype=np.int64)
_COMMISSION_BP = np.array([item.commission_bp for item in ITEMS], dtype=np.int64)
_ITEM_SHARE = np.array([item.weight for item in ITEMS], float)
#: order numbers rise by random gaps (mean 5e9) from these bases; the ranges never meet for any
#: realistic run (main orders stay below 3.5e18 + orders * 1e10, carry-in ones below 3.5e18)
_FIRST_ORDER_NO = 3_500_000_000_000_000_000
_FIRST_CARRY_IN_NO = 3_300_000_000_000_000_000
_MAX_GAP = 10_000_000_000


@dataclass
class OrderBook:
    """Every order of the story as columns, in order of creation; carry-in orders come last.

    Times are seconds from the start of the period; amounts are fen. Columns that only make
    sense for some orders (``refund_at`` …) hold 0 elsewhere.
    """

    order_no: I64       # 订单编号 (19 digits)
    created: I64        # 订单创建时间
    paid_at: I64        # 订单付款时间 (state PAID)
    settled_at: I64     # 确认收货时间; the Alipay payment line follows 2 s later
    state: NDArray[np.int8]
    item: I64           # index into catalogue.ITEMS
    postage: I64        # 买家应付邮费
    total: I64          # 总金额
    paid: I64           # 买家实际支付金额 (0 unless PAID)
    cent: I64           # the payment line minus ``paid``: -1, 0 or +1 fen
    commission: I64     # 天猫佣金 on the payment line (positive)
    taobaoke: I64       # 淘宝客佣金 (positive, 0 if none)
    taobaoke_at: I64
    refund: I64         # refund (positive, 0 if none); also the export's 退款金额
    refund_at: I64      # after-sale refunds: time of the 交易退款 line
    refund_before: Mask  # 售中退款: refunded before settlement, deducted from the payment line
    payment_of: I64     # the order whose 支付单号 paid this one (itself unless paid together)
    combined: Mask      # paid together with other orders (合并付款): one payment line for all
    buyer: I64          # a number the buyer's (masked) names are derived from
    not_settled: Mask   # paid but never settled: no Alipay line at all
    exported: Mask      # present in the order export
    carry_in: Mask      # paid before the period (never exported)
    shop_orders: int    # orders created in the period (the first rows)

    @property
    def payment_at(self) -> I64:
        """Time of the Alipay payment line (交易付款)."""
        return self.settled_at + 2

    @property
    def payment_amount(self) -> I64:
        """What the order adds to its 交易付款 line: paid, off by a cent, less a 售中 refund."""
        amount: I64 = self.paid + self.cent - np.where(self.refund_before, self.refund, 0)
        return amount

    @property
    def has_lines(self) -> Mask:
        """Orders that produce Alipay lines (if their times fall inside the files)."""
        lines: Mask = (self.state == PAID) & ~self.not_settled
        return lines

    def __len__(self) -> int:
        return len(self.order_no)


def take(values: NDArray[Any], index: I64) -> NDArray[Any]:
    """``values[index]``; zeros when there are no orders at all (a statement of payouts only)."""
    if len(values) == 0:
        return np.zeros(len(index), dtype=values.dtype)
    return values[index]


def choose(rng: np.random.Generator, eligible: Mask, count: int) -> I64:
    """``count`` distinct indices where ``eligible`` is true (fewer if there are not enough)."""
    pool = np.flatnonzero(eligible)
    count = min(count, len(pool))
    if count == 0:
        return np.empty(0, dtype=np.int64)
    return np.sort(rng.choice(pool, size=count, replace=False))


def simulate_orders(rng: np.random.Generator, orders: int, period: Period, noise: Noise) -> OrderBook:
    """Draw ``orders`` orders created in ``period`` plus the carry-in orders paid before it."""
    n, end = orders, period.end
    day = rng.integers(0, period.days, n)
    hour = rng.choice(24, size=n, p=_HOURLY / _HOURLY.sum())
    created_main = np.sort(day * DAY + hour * HOUR + rng.integers(0, HOUR, n))
    paid_main = np.minimum(created_main + rng.integers(3, 600, n), end - 1)  # paid by export time
    settled_main = paid_main + rng.integers(DAY, SETTLE_DAYS_MAX * DAY, n)

    m = pick_count(noise.carry_in, n)  # settled in the first days, paid before the period
    settled_carry = np.sort(rng.integers(0, (SETTLE_DAYS_MAX - 1) * DAY, m))
    paid_carry = np.minimum(settled_carry - rng.integers(DAY, SETTLE_DAYS_MAX * DAY, m), -60)
    created_carry = paid_carry - rng.integers(3, 600, m)

    total_n = n + m
    gaps = rng.integers(1, _MAX_GAP, total_n)
    order_no = np.concatenate([_FIRST_ORDER_NO + np.cumsum(gaps[:n]),
                               _FIRST_CARRY_IN_NO + np.cumsum(gaps[n:])])
    created = np.concatenate([created_main, created_carry])
    paid_at = np.concatenate([paid_main, paid_carry])
    settled_at = np.concatenate([settled_main, settled_carry])
    carry_in = np.zeros(total_n, dtype=bool)
    carry_in[n:] = True
    main = ~carry_in

    item = rng.choice(len(ITEMS), size=total_n, p=_ITEM_SHARE / _ITEM_SHARE.sum()).astype(np.int64)
    postage = np.where(rng.random(total_n) < POSTAGE_SHARE, POSTAGE, 0).astype(np.int64)
    total = _PRICES[item] + postage

    state = np.full(total_n, PAID, dtype=np.int8)
    state[choose(rng, main & (created >= end - 2 * DAY), pick_count(noise.unpaid, n))] = UNPAID
    state[choose(rng, main & (state == PAID), pick_count(noise.closed, n))] = CLOSED
    buyer = rng.integers(0, 10**9, total_n)
    payment_of = np.arange(total_n, dtype=np.int64)
    _combine(rng, main & (state == PAID) & (created < end - DAY), pick_count(noise.combined_payment, n),
             payment_of=payment_of, created=created, paid_at=paid_at, settled_at=settled_at, buyer=buyer)
    combined = payment_of != np.arange(total_n)
    combined[payment_of[combined]] = True
    paid = np.where(state == PAID, total, 0)

    not_settled = np.zeros(total_n, dtype=bool)
    early = main & (state == PAID) & ~combined & (paid_at < end - SETTLE_DAYS_MAX * DAY)
    not_settled[choose(rng, early, pick_count(noise.not_settled, n))] = True
    has_lines = (state == PAID) & ~not_settled
    in_files = has_lines & (settled_at + 3 < end)

    exported = main.copy()
    late_enough = settled_at >= SETTLE_DAYS_MAX * DAY  # no_order lines cannot pass for carry-in
    exported[choose(rng, main & in_files & late_enough & ~combined,
                    pick_count(noise.no_order, n))] = False

    cent = np.zeros(total_n, dtype=np.int64)
    cent_rows = choose(rng, exported & in_files & ~combined, pick_count(noise.cent, n))
    cent[cent_rows] = rng.choice(np.array([-1, 1]), size=len(cent_rows))
    payment = paid + cent
    commission = np.where(has_lines, (payment * _COMMISSION_BP[item] + 5_000) // 10_000, 0)

    taobaoke = np.zeros(total_n, dtype=np.int64)
    taobaoke_at = np.zeros(total_n, dtype=np.int64)
    tbk_rows = choose(rng, has_lines, pick_count(noise.taobaoke, int(has_lines.sum())))
    tbk_bp = rng.integers(300, 1_001, len(tbk_rows))
    taobaoke[tbk_rows] = (payment[tbk_rows] * tbk_bp + 5_000) // 10_000
    taobaoke_at[tbk_rows] = settled_at[tbk_rows] + rng.integers(HOUR, DAY, len(tbk_rows))

    refund = np.zeros(total_n, dtype=np.int64)
    refund_at = np.zeros(total_n, dtype=np.int64)
    refundable = exported & has_lines & (settled_at < end - REFUND_DAYS_MAX * DAY - HOUR)
    ref_rows = choose(rng, refundable, pick_count(noise.refund, n))
    full = rng.random(len(ref_rows)) < noise.full_refund_share
    refund[ref_rows] = np.where(full, paid[ref_rows], _partial(rng, paid[ref_rows]))
    refund_at[ref_rows] = settled_at[ref_rows] + rng.integers(HOUR, REFUND_DAYS_MAX * DAY, len(ref_rows))

    # 售中退款: the buyer got money back out of escrow before confirming receipt; a full refund
    # closes the trade (交易关闭), so the wallet never sees the order
    refund_before = np.zeros(total_n, dtype=bool)
    before = choose(rng, exported & has_lines & ~combined & (refund == 0) & (cent == 0),
                    pick_count(noise.refund_before_settlement, n))
    whole = rng.random(len(before)) < noise.full_before_share
    refund[before] = np.where(whole, paid[before], _partial(rng, paid[before]))
    refund_before[before] = True
    closed_after_payment = before[whole]
    state[closed_after_payment] = CLOSED
    commission[closed_after_payment] = 0
    taobaoke[closed_after_payment] = 0
    partial_rows = before[~whole]
    commission[partial_rows] = (
        (paid[partial_rows] - refund[partial_rows]) * _COMMISSION_BP[item[partial_rows]] + 5_000) // 10_000

    return OrderBook(
        order_no=order_no, created=created, paid_at=paid_at, settled_at=settled_at, state=state,
        item=item, postage=postage, total=total, paid=paid, cent=cent, commission=commission,
        taobaoke=taobaoke, taobaoke_at=taobaoke_at, refund=refund, refund_at=refund_at,
        refund_before=refund_before, payment_of=payment_of, combined=combined,
        buyer=buyer, not_settled=not_settled, exported=exported,
        carry_in=carry_in, shop_orders=n,
    )


def _partial(rng: np.random.Generator, paid: I64) -> I64:
    """A partial refund: 10–70 % of what was paid, in whole yuan, at least one."""
    share_bp = rng.integers(1_000, 7_001, len(paid))
    partial: I64 = np.maximum(paid * share_bp // 10_000 // 100 * 100, 100)
    return partial


def _combine(rng: np.random.Generator, eligible: Mask, wanted: int, *, payment_of: I64, created: I64,
             paid_at: I64, settled_at: I64, buyer: I64) -> None:
    """Make about ``wanted`` orders into combined payments (合并付款) of 2–4 neighbouring orders:
    one buyer, created minutes apart, paid in one go and confirmed together. The first order of
    each run is the one whose trade number (支付单号) the whole run shares."""
    n = len(eligible)
    size = rng.integers(2, 5, n)
    starts = np.flatnonzero(eligible)
    starts = starts[rng.random(len(starts)) < min(1.0, wanted / max(1, len(starts)) / 2.5)]
    taken = np.zeros(n + 4, dtype=bool)
    for lead in starts.tolist():
        k = int(size[lead])
        members = np.arange(lead, min(n, lead + k))
        if len(members) < 2 or taken[members].any() or not eligible[members].all():
            continue
        taken[members] = True
        created[members] = created[lead] + 40 * np.arange(len(members))
        paid_at[members] = max(int(paid_at[lead]), int(created[members[-1]]) + 20)
        settled_at[members] = settled_at[lead]
        buyer[members] = buyer[lead]
        payment_of[members] = lead
