"""Agricultural Bank of China (农业银行) personal account details, as CSV or Excel.

Header: 交易日期 (YYYYMMDD), 交易时间 (HHMMSS, may be empty), 交易摘要, 交易金额 (signed with an
explicit ``+``/``-``), 本次余额, 对手信息, ``日 志 号`` (spaced; the bank's log number), 交易渠道,
交易附言. No preamble in the public sample, but the header is found by content anyway.

Pitfalls:
- ``--`` placeholders (对手信息); they become empty.
- Ragged rows: a row may stop after 日志号, without 交易渠道/交易附言 columns; that is not an error.
- 日志号 is the record id, except ``0000000000`` (interest and interest-tax lines share it):
  those entries are named ``file:line``.
- ``+0.00`` lines exist (利息税 of zero); the written sign decides the kind of a zero.
"""

from __future__ import annotations

import re

from huikuan.domain.entry import bank_kind
from huikuan.domain.roles import Role
from huikuan.importers.base import ReadContext, Row, TableImporter
from huikuan.importers.columns import Amount, Id, Text, When, fields
from huikuan.importers.sources._cn_bank import filled, joined
from huikuan.importers.sources.cmb_bank import reference_in


class AbcDebit(TableImporter):
    id = "abc_debit"
    title = "Agricultural Bank of China account details (农业银行 账户明细)"
    role = Role.BANK
    columns = fields(
        date=When("交易日期"),
        time=When("交易时间"),
        summary=Text("交易摘要"),
        amount=Amount("交易金额"),
        balance=Amount("本次余额"),
        counterparty=Text("对手信息"),
        log_no=Id("日志号"),
        channel=Text("交易渠道"),
        note=Text("交易附言"),
    )
    required = ("date", "summary", "amount", "balance", "log_no")

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        written = filled(row["amount"])
        amount = self.money(written)
        time = filled(row["time"])
        log_no = row.id("log_no")
        summary, note = filled(row["summary"]), filled(row["note"])
        ctx.add(
            row,
            kind=bank_kind(amount, written),
            amount_minor=amount,
            ts=self.when(f"{row['date']} {time}".strip()),
            record_id=None if re.fullmatch(r"0*", log_no) else log_no,
            counterparty=filled(row["counterparty"]),
            batch_ref=reference_in(note, summary),
            text=joined(summary, note),
            category=summary,
        )
