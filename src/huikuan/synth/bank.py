"""The merchant's China Merchants Bank account: payout credits and the unrelated traffic.

Bank rows are few (a handful a day whatever the order volume), so they are plain tuples.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from huikuan.synth.catalogue import (
    ALIPAY_BANK_ACCOUNT,
    ALIPAY_COMPANY,
    ALIPAY_COMPANY_HALF,
    OTHER_PAYERS,
    SUPPLIERS,
)
from huikuan.synth.ledger import PAYOUT_UNIT, Payouts
from huikuan.synth.noise import Noise, pick_count
from huikuan.synth.period import DAY, HOUR, Period

#: what a bank row is, for the truth file
PAYOUT_CREDIT, CARRY_IN_CREDIT, UNKNOWN_CREDIT, SUPPLIER_DEBIT, BANK_FEE = range(5)


class BankRow(NamedTuple):
    """One line of the statement; ``amount`` is signed (credit positive)."""

    at: int
    amount: int
    role: int           # PAYOUT_CREDIT … BANK_FEE
    payout: int         # payout index for PAYOUT_CREDIT, else -1
    tx_type: str        # 交易类型
    summary: str        # 摘要
    purpose: str        # 用途
    biz_summary: str    # 业务摘要
    name: str           # 收/付方名称
    account: str        # 收/付方帐号


def build_bank(
    rng: np.random.Generator, payouts: Payouts, serials: list[str], period: Period, noise: Noise,
) -> tuple[list[BankRow], int]:
    """Every bank row inside the period in time order, and the opening balance."""
    end = period.end
    rows: list[BankRow] = []
    half_width = rng.random(len(payouts)) < 0.1
    for i in np.flatnonzero(payouts.received & (payouts.credit_at < end)).tolist():
        name = ALIPAY_COMPANY_HALF if half_width[i] else ALIPAY_COMPANY
        biz = f"提现 {serials[i]}" if payouts.reference[i] else ""
        rows.append(BankRow(int(payouts.credit_at[i]), int(payouts.amount[i]), PAYOUT_CREDIT, i,
                            "汇入汇款", "支付宝提现", "", biz, name, ALIPAY_BANK_ACCOUNT))
    typical = int(np.median(payouts.amount)) if len(payouts) else 100 * PAYOUT_UNIT
    if noise.carry_in > 0:
        # last month's last payout, booked before the first payout of the period can be (09:00),
        # with an amount no payout of the first days has: it can only be "timing"
        early = set(payouts.amount[payouts.at < 3 * DAY].tolist())
        amount = typical
        while amount in early:
            amount += PAYOUT_UNIT
        rows.append(BankRow(int(rng.integers(8 * HOUR, 9 * HOUR)), amount, CARRY_IN_CREDIT, -1,
                            "汇入汇款", "支付宝提现", "", "", ALIPAY_COMPANY, ALIPAY_BANK_ACCOUNT))
    for _ in range(pick_count(noise.unknown_credit, len(rows))):
        payer, account, summary = OTHER_PAYERS[int(rng.integers(len(OTHER_PAYERS)))]
        at = int(rng.integers(3 * DAY, end - DAY)) if end > 4 * DAY else int(rng.integers(end))
        amount = int(rng.integers(max(100, typical // 20), max(200, typical)))
        if amount % PAYOUT_UNIT == 0:  # never a round payout amount: no payout could explain it
            amount += 1
        rows.append(BankRow(at, amount, UNKNOWN_CREDIT, -1, "汇入汇款", summary, "", "",
                            payer, account))

    opening = 20 * typical + int(rng.integers(0, 1_000_000))
    debits: list[BankRow] = []
    for day in range(2, period.days, 3):  # a supplier or the courier is paid every few days
        supplier, account = SUPPLIERS[int(rng.integers(len(SUPPLIERS)))]
        at = day * DAY + int(rng.integers(9 * HOUR, 18 * HOUR))
        month = period.date_of(at).month
        debits.append(BankRow(at, 0, SUPPLIER_DEBIT, -1, "网银转账", "货款", f"{month}月货款", "",
                              supplier, account))
    rows.extend(debits)
    rows.sort(key=lambda r: (r.at, r.role))
    return _settle_debits(rng, rows, opening), opening


def _settle_debits(rng: np.random.Generator, rows: list[BankRow], opening: int) -> list[BankRow]:
    """Size each supplier payment from the balance at the time (never overdrawn) and add its fee."""
    settled: list[BankRow] = []
    balance = opening
    for row in rows:
        if row.role != SUPPLIER_DEBIT:
            settled.append(row)
            balance += row.amount
            continue
        share_bp = int(rng.integers(1_000, 5_000))
        amount = balance * share_bp // 10_000 // 100 * 100
        fee = int(rng.integers(5, 16)) * 100
        if amount < 100 or balance - amount - fee < 0:
            continue
        settled.append(row._replace(amount=-amount))
        settled.append(BankRow(row.at + 1, -fee, BANK_FEE, -1, "收费", "汇款手续费", "", "", "", ""))
        balance -= amount + fee
    settled.sort(key=lambda r: r.at)  # stable: a fee stays right after its payment
    return settled
