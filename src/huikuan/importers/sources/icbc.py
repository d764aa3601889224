"""ICBC (工商银行) 明细查询 downloads: debit card and credit card, as CSV or Excel.

Layout: a title ``明细查询文件下载``, preamble lines (``卡号: 1234****9876``, ``卡别名:``,
``子账户序号/类别/别名``), the header, data rows, a line holding one space, then a total line
(``人民币合计`` for a debit card, ``合计金额`` for a credit card).

Pitfalls:
- Every field is right-padded with spaces and ends with a TAB, often *inside* the quotes
  (``"消费          \\t",``). The shared delimiter sniffer counts those TABs and splits on TAB,
  so these importers read with a comma and detect on comma-split rows.
- Money is split into 收入/支出 twice: 交易金额 in the transaction currency (``-`` placeholders
  on a debit card) and 记账金额 in the account currency. The entry takes 记账金额 and 记账币种,
  falling back to 交易金额/交易币种 when the booked side is empty.
- The debit balance may be masked (``xx,yyyy.zz``); it is not read, so it is never an error.
- No transaction serial: entries are named ``file:line``.
- Credit card (``icbc_credit``, has 记账日期, no 钞/汇): 收入 (repayments, refunds) is positive,
  支出 (spending) negative — the card account's point of view, like a bank account.
- The total line gives 记账 收入/支出 totals as its last two amounts; they are checked against the
  rows (the public samples are anonymised and their totals disagree: that shows as a warning).
"""

from __future__ import annotations

import re

from huikuan.domain.entry import bank_kind
from huikuan.domain.errors import MoneyError
from huikuan.domain.roles import Role
from huikuan.importers.base import ReadContext, Row, TableImporter
from huikuan.importers.columns import Amount, Text, When, fields
from huikuan.importers.reader import RawRow, SourceFile
from huikuan.importers.sources._cn_bank import (
    check_in_out,
    detect_with_title,
    filled,
    head_rows_split_by,
    joined,
)
from huikuan.importers.sources.cmb_bank import currency_code, reference_in

_TITLE = "明细查询文件下载"
_TOTAL = re.compile(r"^(.*?)合计")
_PREAMBLE = (("卡号", "account"), ("卡别名", "card_alias"), ("子账户序号", "sub_account"),
             ("子账户类别", "sub_account_type"))
_COLUMNS = fields(
    date=When("交易日期"),
    summary=Text("摘要"),
    place=Text("交易场所"),
    country=Text("交易国家或地区简称"),
    tx_in=Amount("交易金额(收入)", "交易金额(存入)"),
    tx_out=Amount("交易金额(支出)"),
    tx_currency=Text("交易币种"),
    book_in=Amount("记账金额(收入)", "记账金额(存入)"),
    book_out=Amount("记账金额(支出)"),
    book_currency=Text("记账币种"),
    balance=Amount("余额"),
    counterparty=Text("对方户名"),
)


class _IcbcStatement(TableImporter):
    """What the ICBC debit and credit downloads share; the subclasses differ in columns only."""

    role = Role.BANK
    delimiter = ","

    def detect(self, source: SourceFile) -> float:
        return detect_with_title(self, head_rows_split_by(source, ","), (_TITLE,))

    def is_footer(self, row: RawRow) -> bool:
        return bool(row.cells) and "合计" in row.cells[0]

    def read_preamble(self, rows: list[RawRow], ctx: ReadContext) -> None:
        for cell in (c for row in rows for c in row.cells):
            for label, key in _PREAMBLE:
                m = re.match(rf"{label}[:：]\s*(\S.*)?$", cell)
                if m and m.group(1):
                    ctx.meta[key] = m.group(1).strip()

    def read_footer(self, rows: list[RawRow], ctx: ReadContext) -> None:
        for row in rows:
            m = _TOTAL.match(row.cells[0] if row.cells else "")
            if not m:
                continue
            amounts = [c for c in row.cells[1:] if filled(c)]
            if len(amounts) < 2:
                ctx.warnings.append(f"{ctx.file}: line {row.line}: total line {row.cells[0]} "
                                    "has no 收入/支出 totals; they were not checked")
                continue
            currency = currency_code(m.group(1), "") if m.group(1) else None
            try:
                money_in, money_out = self.money(amounts[-2]), self.money(amounts[-1])
            except MoneyError as exc:
                ctx.warnings.append(f"{ctx.file}: line {row.line}: total line unreadable ({exc})")
                continue
            check_in_out(ctx, row.cells[0], money_in, money_out, currency or None)

    def amount_and_currency(self, row: Row) -> tuple[int, str]:
        """记账金额 in 记账币种, or 交易金额 in 交易币种 when nothing was booked."""
        if filled(row["book_in"]) or filled(row["book_out"]):
            currency = currency_code(filled(row["book_currency"]))
            return row.in_minus_out("book_in", "book_out", currency), currency
        currency = currency_code(filled(row["tx_currency"]))
        return row.in_minus_out("tx_in", "tx_out", currency), currency

    def counterparty(self, row: Row) -> str:
        return filled(row["counterparty"])

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        amount, currency = self.amount_and_currency(row)
        ctx.add(
            row,
            kind=bank_kind(amount),
            amount_minor=amount,
            currency=currency,
            ts=self.when(row["date"]),
            counterparty=self.counterparty(row),
            batch_ref=reference_in(filled(row["summary"]), filled(row["place"])),
            text=joined(row["summary"], row["place"]),
            category=filled(row["summary"]),
        )


class IcbcDebit(_IcbcStatement):
    id = "icbc_debit"
    title = "ICBC debit card statement (工商银行 借记卡 明细查询)"
    columns = fields(**_COLUMNS, cash=Text("钞/汇"))
    required = ("date", "summary", "place", "book_in", "book_out", "counterparty")
    excluded = ("记账日期",)


class IcbcCredit(_IcbcStatement):
    """The credit card download: same columns plus 记账日期, without 钞/汇. The merchant is in
    交易场所 and 对方户名 is usually empty, so the merchant stands in as counterparty."""

    id = "icbc_credit"
    title = "ICBC credit card statement (工商银行 信用卡 明细查询)"
    columns = fields(**_COLUMNS, post_date=When("记账日期"))
    required = ("date", "post_date", "summary", "place", "book_in", "book_out")
    excluded = ("钞/汇",)

    def counterparty(self, row: Row) -> str:
        return filled(row["counterparty"]) or filled(row["place"])
