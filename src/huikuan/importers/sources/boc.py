"""Bank of China (中国银行) 交易流水明细单, as CSV or Excel.

A title line ``中国银行交易流水明细单``, then the header: 记账日期, 记账时间, 币别, 金额 (signed,
quoted with thousands separators), 余额, 交易名称, 渠道, 网点名称, 附言, 对方账户名,
对方卡号/账号 (masked), 对方开户行, 借记卡号 (the last four digits of the own card → ``account``).

Pitfalls: empty fields are written as ``-------------------`` or ``----------`` (sometimes in front
of real text: ``------------------- 张三``); they are cleaned. No serial: entries are named
``file:line``. An Alipay withdrawal arrives as 网上快捷提现 with 附言 ``支付宝-…余额提现-…``.
"""

from __future__ import annotations

from huikuan.domain.entry import bank_kind
from huikuan.domain.roles import Role
from huikuan.importers.base import ReadContext, Row, TableImporter
from huikuan.importers.columns import Amount, Id, Text, When, fields
from huikuan.importers.reader import SourceFile
from huikuan.importers.sources._cn_bank import detect_with_title, filled, joined
from huikuan.importers.sources.cmb_bank import currency_code, reference_in


class BocDebit(TableImporter):
    id = "boc_debit"
    title = "Bank of China account statement (中国银行 交易流水明细单)"
    role = Role.BANK
    columns = fields(
        date=When("记账日期"),
        time=When("记账时间"),
        currency=Text("币别"),
        amount=Amount("金额"),
        balance=Amount("余额"),
        name=Text("交易名称"),
        channel=Text("渠道"),
        branch=Text("网点名称"),
        note=Text("附言"),
        counterparty=Text("对方账户名"),
        counterparty_account=Text("对方卡号/账号"),
        counterparty_bank=Text("对方开户行"),
        card=Id("借记卡号"),
    )
    required = ("date", "currency", "amount", "name", "counterparty")

    def detect(self, source: SourceFile) -> float:
        return detect_with_title(self, source.head_rows(), ("中国银行交易流水明细单",))

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        currency = currency_code(filled(row["currency"]))
        written = filled(row["amount"])
        amount = self.money(written, currency)
        name, note = filled(row["name"]), filled(row["note"])
        ctx.add(
            row,
            kind=bank_kind(amount, written),
            amount_minor=amount,
            currency=currency,
            ts=self.when(f"{row['date']} {filled(row['time'])}".strip()),
            counterparty=filled(row["counterparty"]),
            batch_ref=reference_in(note),
            text=joined(name, note),
            category=name,
            account=row.id("card") or ctx.meta.get("account"),
        )
