"""China CITIC Bank (中信银行) credit card statement, as .xls (also read as CSV/.xlsx).

A title row ``本期账单明细(人民币)`` (kept in ``meta["statement"]``), then the header: 交易日期,
入账日期, 交易描述, 卡末四位, 交易币种, 结算币种, 交易金额, 结算金额.

Pitfalls: amounts are stored as TEXT cells (``'5.90'``, ``'-0.20'``); 卡末四位 is a float cell
(``6688.0``) and becomes ``account`` ``6688``. Sign convention as for every card here: the bank's
positive (spending) is money out of the cardholder's account (negative, ``bank_debit``); its
negative (cash-back, repayment, refund) is money in (positive, ``bank_credit``). The entry uses
结算金额/结算币种. No serial: entries are named ``file:line``.
"""

from __future__ import annotations

import re

from huikuan.domain.entry import bank_kind
from huikuan.domain.roles import Role
from huikuan.importers.base import ReadContext, Row, TableImporter
from huikuan.importers.columns import Amount, Text, When, fields
from huikuan.importers.reader import RawRow, SourceFile
from huikuan.importers.sources._cn_bank import detect_with_title, filled
from huikuan.importers.sources.cgb import negate_written
from huikuan.importers.sources.cmb_bank import currency_code

_TITLE = "本期账单明细"


def card_last_four(text: str) -> str:
    """``6688.0`` (a number cell) → ``6688``; leading zeros of ``0123`` survive only as text."""
    text = text.strip()
    return re.sub(r"^(\d{1,4})\.0+$", r"\1", text)


class CiticCredit(TableImporter):
    id = "citic_credit"
    title = "China CITIC Bank credit card statement (中信银行 信用卡 本期账单明细)"
    role = Role.BANK
    columns = fields(
        date=When("交易日期"),
        post_date=When("入账日期"),
        description=Text("交易描述"),
        card=Text("卡末四位"),
        tx_currency=Text("交易币种"),
        currency=Text("结算币种"),
        tx_amount=Amount("交易金额"),
        amount=Amount("结算金额"),
    )
    required = ("date", "description", "card", "currency", "amount")

    def detect(self, source: SourceFile) -> float:
        return detect_with_title(self, source.head_rows(), (_TITLE,))

    def read_preamble(self, rows: list[RawRow], ctx: ReadContext) -> None:
        for row in rows:
            title = next((c for c in row.cells if _TITLE in c), None)
            if title:
                ctx.meta["statement"] = title

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        currency = currency_code(filled(row["currency"]))
        amount = -self.money(row["amount"], currency)
        ctx.add(
            row,
            kind=bank_kind(amount, negate_written(row["amount"])),
            amount_minor=amount,
            currency=currency,
            ts=self.when(row["date"] or row["post_date"]),
            text=filled(row["description"]),
            account=card_last_four(row["card"]),
        )
