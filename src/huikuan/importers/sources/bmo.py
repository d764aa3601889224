"""BMO (Bank of Montreal) downloads: the credit-card CSV and the bank-account CSV. Amounts in CAD.

Both open with ``Following data is valid as of <timestamp>`` and blank lines, put the card number in
single quotes (``'5191230567984561'``), write dates as ``YYYYMMDD`` and amounts with one decimal
(``6.0``). Neither has a transaction id: entries are named ``file:line``; the card number of each row
is its ``account``.

- **Credit card**: ``Item #, Card #, Transaction Date, Posting Date, Transaction Amount,
  Description``. Purchases are written positive; on the card they are money spent, so they become
  negative ``bank_debit`` and payments to the card positive ``bank_credit``.
- **Bank account**: ``First Bank Card, Transaction Type, Date Posted, Transaction Amount,
  Description`` (`` Transaction Amount`` with a leading space), signed; descriptions padded with
  spaces.
"""

from __future__ import annotations

import re

from huikuan.domain.entry import bank_kind
from huikuan.domain.roles import Role
from huikuan.importers.base import ReadContext, Row, TableImporter
from huikuan.importers.cells import clean_id
from huikuan.importers.columns import Amount, Text, When, fields
from huikuan.importers.reader import RawRow

_VALID_AS_OF = re.compile(r"valid as of\s+(\d+)", re.IGNORECASE)


def _card(text: str) -> str:
    return clean_id(text.strip().strip("'"))


class _Bmo(TableImporter):
    role = Role.BANK
    currency = "CAD"
    tz = "America/Toronto"

    def read_preamble(self, rows: list[RawRow], ctx: ReadContext) -> None:
        for row in rows:
            if m := _VALID_AS_OF.search(" ".join(row.cells)):
                ctx.meta["valid_as_of"] = m.group(1)


class BmoCredit(_Bmo):
    id = "bmo_credit"
    title = "BMO credit card transactions (CSV)"
    columns = fields(
        item=Text("Item #"),
        card=When("Card #"),
        date=When("Transaction Date"),
        posted=When("Posting Date"),
        amount=Amount("Transaction Amount"),
        description=Text("Description"),
    )
    required = ("item", "card", "date", "posted", "amount", "description")

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        amount = -self.money(row["amount"])  # the card's view: a purchase is money out
        ctx.add(row, kind=bank_kind(amount), amount_minor=amount,
                ts=self.when(row["date"] or row["posted"]), account=_card(row["card"]),
                text=row["description"], category="purchase" if amount < 0 else "payment/credit")


class BmoDebit(_Bmo):
    id = "bmo_debit"
    title = "BMO bank account transactions (CSV)"
    columns = fields(
        card=When("First Bank Card"),
        type=Text("Transaction Type"),
        date=When("Date Posted"),
        amount=Amount("Transaction Amount"),
        description=Text("Description"),
    )
    required = ("card", "type", "date", "amount", "description")

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        amount = self.money(row["amount"])
        ctx.add(row, kind=bank_kind(amount), amount_minor=amount, ts=self.when(row["date"]),
                account=_card(row["card"]), text=re.sub(r"\s{2,}", " ", row["description"]),
                category=row["type"])
