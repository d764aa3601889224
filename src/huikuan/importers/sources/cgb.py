"""China Guangfa Bank (广发银行) credit card transactions CSV.

Header: 交易日期, 入账日期 (YYYY/MM/DD), 交易摘要, 交易金额, 交易货币, 入账金额, 入账货币
(currencies named in Chinese: 人民币). 交易摘要 starts with the type in full-width brackets:
（消费）, （退款）, （分期）, （还款）.

Sign convention: the bank writes the statement from its side — positive = the cardholder spent
(owes more), negative = refund or repayment. huikuan takes the cardholder's account: spending is
money out (negative, ``bank_debit``), refunds and repayments money in (positive, ``bank_credit``).
The entry uses 入账金额/入账货币 (what was booked to the card). No serial: entries are named
``file:line``.
"""

from __future__ import annotations

import re

from huikuan.domain.entry import bank_kind
from huikuan.domain.roles import Role
from huikuan.importers.base import ReadContext, Row, TableImporter
from huikuan.importers.columns import Amount, Text, When, fields
from huikuan.importers.sources._cn_bank import filled
from huikuan.importers.sources.cmb_bank import currency_code

_TYPE = re.compile(r"^[（(]([^）)]{1,10})[）)]\s*(.*)$")
#: types whose remainder names the merchant
_MERCHANT_TYPES = ("消费", "退款")


def negate_written(text: str) -> str:
    """The sign a card amount has from the cardholder's side, for :func:`bank_kind` on zeros."""
    return "+" if text.strip().startswith("-") else "-"


class CgbCredit(TableImporter):
    id = "cgb_credit"
    title = "China Guangfa Bank credit card transactions (广发银行 信用卡 交易明细)"
    role = Role.BANK
    columns = fields(
        date=When("交易日期"),
        post_date=When("入账日期"),
        summary=Text("交易摘要"),
        tx_amount=Amount("交易金额"),
        tx_currency=Text("交易货币"),
        amount=Amount("入账金额"),
        currency=Text("入账货币"),
    )
    required = ("date", "post_date", "summary", "amount", "currency")

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        currency = currency_code(filled(row["currency"]))
        amount = -self.money(row["amount"], currency)
        summary = filled(row["summary"])
        m = _TYPE.match(summary)
        category, rest = (m.group(1), m.group(2)) if m else ("", summary)
        ctx.add(
            row,
            kind=bank_kind(amount, negate_written(row["amount"])),
            amount_minor=amount,
            currency=currency,
            ts=self.when(row["date"] or row["post_date"]),
            counterparty=rest if category in _MERCHANT_TYPES else None,
            text=summary,
            category=category,
        )
