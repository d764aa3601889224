"""Bank of Communications (交通银行) account details CSV.

Header: 序号 (row number, not a bank serial), 交易日期, 交易时间, 交易类型, 借贷 (bilingual
``借 Dr`` = out, ``贷 Cr`` = in), 交易金额 (unsigned), 余额, 对方账号, 对方户名, 交易地点, 摘要
(often empty). The sign comes only from 借贷: a signed 交易金额 or an unknown 借贷 value is
reported, never guessed. No serial: entries are named ``file:line``.
"""

from __future__ import annotations

import re

from huikuan.domain.entry import bank_kind
from huikuan.domain.roles import Role
from huikuan.importers.base import ReadContext, Row, TableImporter
from huikuan.importers.columns import Amount, Text, When, fields
from huikuan.importers.sources._cn_bank import filled, joined
from huikuan.importers.sources.cmb_bank import reference_in

_DEBIT = re.compile(r"借|\bDr\b|\bD\b", re.IGNORECASE)
_CREDIT = re.compile(r"贷|\bCr\b|\bC\b", re.IGNORECASE)


def direction(text: str) -> int:
    """+1 for 贷/Cr (money in), -1 for 借/Dr (money out)."""
    debit, credit = bool(_DEBIT.search(text)), bool(_CREDIT.search(text))
    if debit == credit:
        raise ValueError(f"借贷 is {text!r}: expected 借 Dr or 贷 Cr")
    return -1 if debit else 1


class BocomDebit(TableImporter):
    id = "bocom_debit"
    title = "Bank of Communications account details (交通银行 交易明细)"
    role = Role.BANK
    columns = fields(
        seq=Text("序号"),
        date=When("交易日期"),
        time=When("交易时间"),
        type=Text("交易类型"),
        direction=Text("借贷", "借贷标志"),
        amount=Amount("交易金额"),
        balance=Amount("余额"),
        counterparty_account=Text("对方账号"),
        counterparty=Text("对方户名"),
        place=Text("交易地点"),
        summary=Text("摘要"),
    )
    required = ("date", "type", "direction", "amount", "counterparty")

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        sign = direction(row["direction"])
        unsigned = self.money(row["amount"])
        if unsigned < 0 or row["amount"].lstrip().startswith(("-", "+")):
            raise ValueError(f"交易金额 {row['amount']!r} is signed although 借贷 gives the direction")
        amount = sign * unsigned
        summary = filled(row["summary"])
        ctx.add(
            row,
            kind=bank_kind(amount, "-" if sign < 0 else "+"),
            amount_minor=amount,
            ts=self.when(f"{row['date']} {filled(row['time'])}".strip()),
            counterparty=filled(row["counterparty"]),
            batch_ref=reference_in(summary),
            text=joined(summary, row["place"]),
            category=filled(row["type"]),
        )
