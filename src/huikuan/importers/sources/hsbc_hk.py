"""HSBC Hong Kong savings/current account transactions CSV (personal internet banking).

Header: Date (DD/MM/YYYY), Description, Billing amount (signed), Billing currency, Balance,
Balance currency. One file may mix currencies (an HKD and a CNY sub-account): every entry takes
its own Billing currency. Amounts are quoted with a TAB after the closing quote (``"-1.00"\\t``)
and thousands separators come and go (``-1000.00`` next to ``12,500.00``). Description is
fixed-width: the transaction type padded to 25 characters, then the details; the type becomes
``category`` and the whole description, spaces folded, ``text``. Times are Hong Kong local.
No serial: entries are named ``file:line``.
"""

from __future__ import annotations

import re

from huikuan.domain.entry import bank_kind
from huikuan.domain.roles import Role
from huikuan.importers.base import ReadContext, Row, TableImporter
from huikuan.importers.columns import Amount, Text, When, fields
from huikuan.importers.sources.cmb_bank import currency_code, reference_in


class HsbcHkDebit(TableImporter):
    id = "hsbc_hk_debit"
    title = "HSBC Hong Kong account transactions"
    role = Role.BANK
    currency = "HKD"
    tz = "Asia/Hong_Kong"
    date_order = "dmy"
    columns = fields(
        date=When("Date"),
        description=Text("Description"),
        amount=Amount("Billing amount"),
        currency=Text("Billing currency"),
        balance=Amount("Balance"),
        balance_currency=Text("Balance currency"),
    )
    required = ("date", "description", "amount", "currency", "balance", "balance_currency")

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        currency = currency_code(row["currency"], self.currency)
        amount = self.money(row["amount"], currency)
        description = row["description"]
        category = re.split(r"\s{2,}", description, maxsplit=1)[0]
        ctx.add(
            row,
            kind=bank_kind(amount, row["amount"]),
            amount_minor=amount,
            currency=currency,
            ts=self.when(row["date"]),
            batch_ref=reference_in(description),
            text=" ".join(description.split()),
            category=category,
        )
