"""The answer key: what a perfect reconciliation of the generated files would say.

``truth.csv`` (UTF-8) has one row per record per flow the record takes part in::

    flow,group,side,file,record_id,expected

- ``orders-settlement`` (Tmall): left = the order exports (every entry, including
  ``<订单编号>/refund``), right = every Alipay file. ``payout-bank``: left = every Alipay file,
  right = the CMB files (corporate, or the date-only personal layout). So each Alipay line has two
  rows, order and bank rows one.
- ``orders-settlement:pdd``: left = the PDD order exports, right = the 货款明细 files (rows named
  ``file:line``). ``orders-settlement:wechat``: left = the shop's own order lists (named by the
  ERP's 系统订单号), right = the WeChat Pay trade bills (``<微信订单号>``, ``<微信退款单号>`` and
  the ``/fee`` part of each). Both are reconciled with the ``orders-settlement`` template
  (:data:`TEMPLATE_OF`).
- ``expected`` is ``match`` for a record in a group; ``group`` then names it:
  ``order:<order number>`` (the order, its refund entry, its payment line, its fees and refund
  lines: 天猫佣金, 淘宝客, 交易退款; PDD 交易收入, 技术服务费, 多多进宝, 交易退款; WeChat SUCCESS and
  REFUND rows with their ``/fee`` parts), ``payment:<支付单号>`` (Tmall orders paid together, 合并付款:
  all the orders and their refund entries, the one payment line, and every fee and refund line of
  those orders) or ``payout:<业务流水号>`` (a 提现 line and its bank credit). Otherwise ``group`` is
  empty and ``expected`` is a :class:`~huikuan.domain.reasons.Reason` code:

  ============================  =====================================================================
  orders-settlement, left       ``unpaid`` (等待买家付款 / 待支付 / 待付款), ``order_closed`` (closed
                                before payment, or 售中 refunded in full: 交易关闭 / 已取消, with the
                                ``/refund`` entry), ``not_settled`` (paid more than 10 days before
                                the end, no line at all), ``timing`` (paid in the last 10 days,
                                settles after the last file; WeChat: paid after the last bill)
  orders-settlement, right      ``no_order`` (payment or refund of an order missing from the export),
                                ``fee_without_order`` (its fees), ``timing`` (all lines of orders paid
                                before the first period: carry-in, settled in its first 9 days;
                                WeChat: refunds of last month's orders), ``out_of_scope`` (提现 lines)
  payout-bank, left             ``payout_not_received``, ``timing`` (credit after the last bank file),
                                ``out_of_scope`` (every line that is not a 提现)
  payout-bank, right            ``unknown_credit``, ``timing`` (previous period's payout, booked before
                                09:00 of the first day), ``out_of_scope`` (debits and bank fees)
  both flows                    ``duplicate``: every row of the ``*_overlap.csv`` re-export (the copy
                                read second; the original keeps its own label). PDD has none: its rows
                                have no id to find a copy by.
  ============================  =====================================================================

Situations in the files, each a :class:`~huikuan.synth.noise.Noise` rate (on by default):

  ============================  =====================================================================
  ``refund``                    售后退款: a 交易退款 line with the order number after settlement
  ``refund_before_settlement``  售中退款: the payment line is paid − refunded, no 交易退款 line, the
                                order's 退款金额 filled; ``full_before_share`` of them close the trade
  ``combined_payment``          合并付款: 2–4 orders of one buyer share a 支付单号; one payment line
                                (业务流水号 = 支付单号, no 商户订单号); fees name the order in 备注 only
  ``round_payouts``             提现 of 10 000 / 30 000 / 50 000 yuan, repeated within a week
  ``late_credit``               a credit 3 days ~2 hours late, amid a chain of equal amounts (FIFO)
  ``night_payouts``             提现 after 20:00, credited the next calendar day
  ``holiday_hold``              提现 on a weekend or PRC holiday (国庆) credited the next bank day
  others                        unpaid, closed, not_settled, no_order, carry_in, cent, duplicates,
                                same_amount_payouts, payout_not_received, unknown_credit
  ============================  =====================================================================

``differences.csv`` lists the matched groups whose amounts differ on purpose:
``group,kind,left_amount,right_amount`` (decimal yuan), ``kind`` ``cent`` or ``refund``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

import numpy as np
from numpy.typing import NDArray

from huikuan.domain.reasons import Reason
from huikuan.synth import ids
from huikuan.synth.bank import BANK_FEE, CARRY_IN_CREDIT, PAYOUT_CREDIT, SUPPLIER_DEBIT, UNKNOWN_CREDIT
from huikuan.synth.ledger import COMMISSION, PAYOUT, TAOBAOKE, Ledger
from huikuan.synth.orders import CLOSED, UNPAID, OrderBook, take
from huikuan.synth.period import Period, Texts, yuan

ORDERS_SETTLEMENT = "orders-settlement"
PAYOUT_BANK = "payout-bank"
#: the orders-settlement flow of a Pinduoduo shop and of a shop paid through WeChat Pay
PDD_SETTLEMENT = "orders-settlement:pdd"
WECHAT_SETTLEMENT = "orders-settlement:wechat"
#: flow name -> the matching template that reconciles it
TEMPLATE_OF = {ORDERS_SETTLEMENT: ORDERS_SETTLEMENT, PAYOUT_BANK: PAYOUT_BANK,
               PDD_SETTLEMENT: ORDERS_SETTLEMENT, WECHAT_SETTLEMENT: ORDERS_SETTLEMENT}
MATCH = "match"
HEADER = "flow,group,side,file,record_id,expected\n"

#: label codes used in numpy arrays; ``LABELS[code]`` is the text written to the truth file
LABELS: tuple[str, ...] = (
    MATCH, Reason.UNPAID.value, Reason.ORDER_CLOSED.value, Reason.NOT_SETTLED.value,
    Reason.TIMING.value, Reason.NO_ORDER.value, Reason.FEE_WITHOUT_ORDER.value,
    Reason.OUT_OF_SCOPE.value, Reason.PAYOUT_NOT_RECEIVED.value, Reason.UNKNOWN_CREDIT.value,
    Reason.DUPLICATE.value,
)
(L_MATCH, L_UNPAID, L_CLOSED, L_NOT_SETTLED, L_TIMING, L_NO_ORDER, L_FEE_WITHOUT_ORDER,
 L_OUT_OF_SCOPE, L_NOT_RECEIVED, L_UNKNOWN_CREDIT, L_DUPLICATE) = range(len(LABELS))

Codes = NDArray[np.int8]


def order_labels(book: OrderBook, period: Period) -> Codes:
    """Label of every order's row in the order export (orders-settlement, left)."""
    label = np.full(len(book), L_MATCH, dtype=np.int8)
    label[book.payment_at >= period.end] = L_TIMING
    label[book.not_settled] = L_NOT_SETTLED
    label[book.state == CLOSED] = L_CLOSED
    label[book.state == UNPAID] = L_UNPAID
    return label


def payout_labels(ledger: Ledger, period: Period) -> Codes:
    """Label of every payout (payout-bank, left)."""
    p = ledger.payouts
    label = np.full(len(p), L_MATCH, dtype=np.int8)
    label[p.credit_at >= period.end] = L_TIMING
    label[~p.received] = L_NOT_RECEIVED
    return label


def settlement_labels(book: OrderBook, kind: NDArray[np.int8], ref: NDArray[np.int64]) -> Codes:
    """Labels of Alipay lines in orders-settlement (right side)."""
    is_payout = kind == PAYOUT
    order = np.where(is_payout, 0, ref)
    fee = (kind == COMMISSION) | (kind == TAOBAOKE)
    orphan = np.where(fee, L_FEE_WITHOUT_ORDER, L_NO_ORDER)
    label = np.where(take(book.exported, order), L_MATCH, orphan)
    label = np.where(take(book.carry_in, order), L_TIMING, label)
    return np.where(is_payout, L_OUT_OF_SCOPE, label).astype(np.int8)


def payout_bank_labels(payout_label: Codes, kind: NDArray[np.int8], ref: NDArray[np.int64]) -> Codes:
    """Labels of Alipay lines in payout-bank (left side): only payouts are in scope."""
    is_payout = kind == PAYOUT
    return np.where(is_payout, payout_label[np.where(is_payout, ref, 0)], L_OUT_OF_SCOPE).astype(np.int8)


#: bank row role -> label in payout-bank (right side); payout credits are matches
BANK_LABELS = {PAYOUT_CREDIT: L_MATCH, CARRY_IN_CREDIT: L_TIMING, UNKNOWN_CREDIT: L_UNKNOWN_CREDIT,
               SUPPLIER_DEBIT: L_OUT_OF_SCOPE, BANK_FEE: L_OUT_OF_SCOPE}


class TruthWriter:
    """Writes ``truth.csv`` as the data files are written, and counts labels per flow."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh = path.open("w", encoding="utf-8", newline="")
        self._fh.write(HEADER)
        self.counts: Counter[tuple[str, str]] = Counter()

    def write(self, flow: str, side: str, file: str, records: Iterable[tuple[str, str]],
              labels: Iterable[int]) -> None:
        """One truth row per ``(record_id, group)`` with its label code; group is used only for
        matches."""
        head = f"{flow},"
        tail = f",{side},{file},"
        names = LABELS
        lines = []
        seen = [0] * len(LABELS)
        for (record_id, group), code in zip(records, labels, strict=True):
            seen[code] += 1
            lines.append(f"{head}{group if code == L_MATCH else ''}{tail}{record_id},{names[code]}\n")
        self._fh.write("".join(lines))
        for code, n in enumerate(seen):
            if n:
                self.counts[flow, names[code]] += n

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> TruthWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def write_differences(path: Path, book: OrderBook, order_label: Codes, texts: Texts) -> int:
    """``differences.csv``: matched groups with a cent difference or a refund; returns the count.

    ``cent``: left = the order's 买家实际支付金额, right = its payment line.
    ``refund``: left = what the group's orders say was paid (买家实际支付金额), right = what the
    buyer paid net on Alipay (payment line plus 交易退款 lines; a 售中 refund is already taken off
    the payment line); the orders' ``<订单编号>/refund`` entries explain the gap. Orders paid
    together (合并付款) are one ``payment:<支付单号>`` group.
    """
    matched = book.exported & (order_label == L_MATCH)
    rows: list[str] = ["group,kind,left_amount,right_amount\n"]
    cent = np.flatnonzero(matched & (book.cent != 0))
    for no, left, c in zip(book.order_no[cent].tolist(), book.paid[cent].tolist(),
                           book.cent[cent].tolist(), strict=True):
        rows.append(f"order:{no},cent,{yuan(left)},{yuan(left + c)}\n")
    single = np.flatnonzero(matched & (book.refund > 0) & ~book.combined)
    for no, left, c, r in zip(book.order_no[single].tolist(), book.paid[single].tolist(),
                              book.cent[single].tolist(), book.refund[single].tolist(), strict=True):
        rows.append(f"order:{no},refund,{yuan(left)},{yuan(left + c - r)}\n")
    together = np.flatnonzero(matched & book.combined)
    payer = book.payment_of[together]
    paid = np.zeros(len(book), dtype=np.int64)
    refunded = np.zeros(len(book), dtype=np.int64)
    np.add.at(paid, payer, book.paid[together])
    np.add.at(refunded, payer, book.refund[together])
    for lead in np.unique(payer[refunded[payer] > 0]).tolist():
        trade = trade_number(book, lead, texts)
        rows.append(f"payment:{trade},refund,{yuan(int(paid[lead]))},"
                    f"{yuan(int(paid[lead] - refunded[lead]))}\n")
    path.write_text("".join(rows), encoding="utf-8")
    return len(rows) - 1


def trade_number(book: OrderBook, order: int, texts: Texts) -> str:
    """The Alipay trade number (支付单号) that paid order ``order``."""
    payer = int(book.payment_of[order])
    return ids.trade_no(texts.compact[texts.day_index(int(book.paid_at[payer]))], payer)
