"""United Overseas Bank (Singapore) account transaction history, legacy .xls (SGD).

Seven preamble rows: the bank's name with its company registration number, ``Account Statement
Details``, ``Account Number:`` (stored as a number in the sheet) with the currency beside it,
``Account Type:``, ``Statement Period: 02 May 2023 To 01 Jul 2023``; then ``Transaction Date,
Transaction Description, Withdrawal, Deposit, Available Balance``. Dates ``DD Mon YYYY``; the unused
side of Withdrawal/Deposit is ``0``; descriptions hold line breaks inside the cell (joined with a
space here). No transaction id: entries are named ``file:line``.
"""

from __future__ import annotations

from huikuan.domain.entry import bank_kind
from huikuan.domain.roles import Role
from huikuan.importers.base import ReadContext, Row, TableImporter
from huikuan.importers.cells import clean_id
from huikuan.importers.columns import Amount, When, fields
from huikuan.importers.reader import RawRow
from huikuan.importers.sources._gross_fee import currency_code

_LABELS = {"accountnumber": "account", "accounttype": "account_type",
           "statementperiod": "period"}


class UobAccount(TableImporter):
    id = "uob_sg"
    title = "UOB Singapore account transaction history (XLS)"
    role = Role.BANK
    currency = "SGD"
    tz = "Asia/Singapore"
    date_order = "dmy"
    marker = "United Overseas Bank"
    columns = fields(
        date=When("Transaction Date"),
        description=When("Transaction Description"),
        withdrawal=Amount("Withdrawal"),
        deposit=Amount("Deposit"),
        balance=Amount("Available Balance", "Ledger Balance"),
    )
    required = ("date", "description", "withdrawal", "deposit")

    def read_preamble(self, rows: list[RawRow], ctx: ReadContext) -> None:
        for row in rows:
            cells = [c for c in row.cells if c]
            if len(cells) < 2:
                continue
            key = _LABELS.get("".join(cells[0].lower().rstrip(":").split()))
            if key == "account":
                ctx.meta["account"] = clean_id(cells[1])
                if len(cells) > 2:
                    ctx.meta["currency"] = currency_code(cells[2], self.currency)
            elif key:
                ctx.meta[key] = cells[1]

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        currency = ctx.meta.get("currency", self.currency)
        amount = row.in_minus_out("deposit", "withdrawal", currency)
        ctx.add(row, kind=bank_kind(amount), amount_minor=amount, currency=currency,
                ts=self.when(row["date"]), text=" ".join(row["description"].split()))
