"""Writes the China Merchants Bank personal account CSV (招商银行 个人账户 交易明细), the statement a
small seller's own card gives: UTF-8, no preamble, no footer, seven columns, and a booking date
(记账日期) with no time. Amounts are signed and grouped by thousands in quotes (``"1,234.00"``).

With no time of day, a payout credited the same day it was made carries a date that reads as
*before* the payout (00:00): the truth still says match, since the money did arrive that day.
The rows have no id, so the importer names them ``file:line``.
"""

from __future__ import annotations

from pathlib import Path

from huikuan.synth.bank import PAYOUT_CREDIT, BankRow
from huikuan.synth.period import Texts, yuan
from huikuan.synth.truth import BANK_LABELS, PAYOUT_BANK, TruthWriter

HEADER = "记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要"


def grouped(minor: int) -> str:
    """``123456789`` → ``"1,234,567.89"`` (quoted when it has a separator), as CMB writes it."""
    text = yuan(minor)
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, cents = digits.split(".")
    groups = f"{int(whole):,}"
    value = f"{sign}{groups}.{cents}"
    return f'"{value}"' if "," in groups else value


def write_cmb_personal(path: Path, rows: list[BankRow], *, balance: int, texts: Texts,
                       payout_serials: list[str], truth: TruthWriter) -> int:
    """Write ``rows``; ``balance`` is the balance before the first. Returns the balance after."""
    lines = [HEADER]
    records: list[tuple[str, str]] = []
    labels: list[int] = []
    for row in rows:
        balance += row.amount
        party = f"{row.name}{row.account}" if row.name else ""
        memo = row.biz_summary or row.purpose or row.summary
        lines.append(f"{texts.dash[texts.day_index(row.at)]},CNY,{grouped(row.amount)},{grouped(balance)},"
                     f"{row.tx_type},{party},{memo}")
        group = f"payout:{payout_serials[row.payout]}" if row.role == PAYOUT_CREDIT else ""
        records.append((f"{path.name}:{len(lines)}", group))
        labels.append(BANK_LABELS[row.role])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    truth.write(PAYOUT_BANK, "right", path.name, records, labels)
    return balance
