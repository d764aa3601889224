"""US bank and wallet CSVs: Venmo transaction history, DCU checking, Charles Schwab Bank checking.

All in USD, dates month first. Money into the account is positive (``bank_credit``), out negative
(``bank_debit``).

- **Venmo**: ``ID, Datetime, Type, Status, Note, From, To, Amount (total), Amount (fee), Funding
  Source, Destination`` (the old download writes the header `` ID`` with a leading space; the
  statement download has an empty first column, the preamble ``Account Statement - (@user)`` /
  ``Account Activity``, a beginning-balance row under the header and an ending-balance row at the
  bottom; those two go to ``meta``). Amounts look like ``- $220.00`` / ``+ $1,150.00``. A
  ``Standard``/``Instant Transfer`` moves the balance to the user's bank: ``payout``. ``Amount
  (total)`` is what the Venmo balance moved and already includes the fee of ``Amount (fee)`` (a 3 %
  card fee: ``- $25.75`` with ``$0.75``; an instant transfer: ``- $200.00`` with ``- $3.50``, of which
  196.50 reach the bank): the row gives the amount without the fee and a ``fee`` entry
  ``<ID>/fee``, together equal to the total. Datetimes are taken as UTC.
- **DCU**: ``DATE, TRANSACTION TYPE, DESCRIPTION, AMOUNT, ID, MEMO, CURRENT BALANCE``; amounts
  ``-$7,971.39``; the long ID is the record id.
- **Schwab**: ``Date, Status, Type, CheckNumber, Description, Withdrawal, Deposit, RunningBalance``;
  split withdrawal/deposit columns with ``$``; no transaction id (``file:line``).
"""

from __future__ import annotations

import re

from huikuan.domain.entry import Kind, Status, bank_kind
from huikuan.domain.roles import Role
from huikuan.importers.base import ReadContext, Row, TableImporter
from huikuan.importers.columns import Amount, Id, Text, When, fields
from huikuan.importers.reader import RawRow

_STATUS = {"complete": Status.COMPLETED, "completed": Status.COMPLETED, "issued": Status.COMPLETED,
           "posted": Status.COMPLETED, "pending": Status.PENDING, "canceled": Status.CLOSED,
           "cancelled": Status.CLOSED, "failed": Status.CLOSED}
_VENMO_USER = re.compile(r"\(\s*(@[^)\s]+)\s*\)")


class Venmo(TableImporter):
    id = "venmo"
    title = "Venmo transaction history / statement (CSV)"
    role = Role.BANK
    multiline_cells = True  # the statement's closing disclaimer is a quoted cell over several lines
    currency = "USD"
    tz = "UTC"
    date_order = "mdy"
    columns = fields(
        id=Id("ID"),
        datetime=When("Datetime"),
        type=Text("Type"),
        status=Text("Status"),
        note=Text("Note"),
        payer=Text("From"),
        payee=Text("To"),
        amount=Amount("Amount (total)"),
        fee=Amount("Amount (fee)"),
        funding=Text("Funding Source"),
        destination=Text("Destination"),
        beginning=Text("Beginning Balance"),
        ending=Text("Ending Balance"),
        period_fees=Amount("Statement Period Venmo Fees"),
    )
    required = ("id", "datetime", "type", "amount")

    def read_preamble(self, rows: list[RawRow], ctx: ReadContext) -> None:
        for row in rows:
            if m := _VENMO_USER.search(" ".join(row.cells)):
                ctx.meta["account"] = m.group(1)

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        record = row.id("id")
        if not record and not row["amount"]:
            self._balance_row(row, ctx)
            return
        if not record:
            raise ValueError("the transaction has no ID")
        total = self.money(row["amount"])
        fee = abs(self.money(row["fee"])) if row["fee"] else 0
        amount = total + fee  # Amount (total) already has the fee taken off: split it out
        category = row["type"]
        kind = Kind.PAYOUT if "transfer" in category.lower() else bank_kind(amount)
        counterparty = row["payee"] if amount < 0 else row["payer"]
        if category.strip().lower() == "charge":
            # a charge is written from the person who asked for the money to the one who paid:
            # paying a charge (money out) is to From, being paid one (money in) is from To
            counterparty = row["payer"] if amount < 0 else row["payee"]
        if kind == Kind.PAYOUT:
            counterparty = row["destination"]
        via = row["funding"] if amount < 0 else row["destination"]
        common = {
            "ts": self.when(row["datetime"]), "counterparty": counterparty,
            "status": _STATUS.get(row["status"].strip().lower()),
            "text": " ".join(p for p in (row["note"], f"({via})" if via else "") if p),
        }
        ctx.add(row, kind=kind, amount_minor=amount, record_id=record, category=category, **common)
        if fee:
            ctx.add(row, kind=Kind.FEE, amount_minor=-fee, record_id=f"{record}/fee",
                    category=f"{category} fee", **common)

    def _balance_row(self, row: Row, ctx: ReadContext) -> None:
        """The statement's beginning- or ending-balance line: kept in meta, not an entry."""
        found = False
        for field in ("beginning", "ending", "period_fees"):
            if row[field]:
                self.money(row[field])  # refuse a balance that is not an amount
                ctx.meta[f"{field}_balance" if field != "period_fees" else field] = row[field]
                found = True
        if not found:
            raise ValueError("a row with neither an ID nor an amount nor a balance")
        ctx.name_lines(row.line, row.raw.last_line, "balance")


class DcuChecking(TableImporter):
    id = "dcu_checking"
    title = "Digital Federal Credit Union (DCU) checking CSV"
    role = Role.BANK
    currency = "USD"
    tz = "America/New_York"
    date_order = "mdy"
    columns = fields(
        date=When("DATE"),
        type=Text("TRANSACTION TYPE"),
        description=Text("DESCRIPTION"),
        amount=Amount("AMOUNT"),
        id=Id("ID"),
        memo=Text("MEMO"),
        balance=Amount("CURRENT BALANCE"),
    )
    required = ("date", "type", "description", "amount", "id", "balance")

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        amount = self.money(row["amount"])
        ctx.add(row, kind=bank_kind(amount), amount_minor=amount, ts=self.when(row["date"]),
                record_id=row.id("id"), category=row["type"],
                text=" ".join(p for p in (row["description"], row["memo"]) if p))


class SchwabChecking(TableImporter):
    id = "schwab_checking"
    title = "Charles Schwab Bank checking CSV"
    role = Role.BANK
    currency = "USD"
    tz = "America/New_York"
    date_order = "mdy"
    columns = fields(
        date=When("Date"),
        status=Text("Status"),
        type=Text("Type"),
        check=Id("CheckNumber"),
        description=Text("Description"),
        withdrawal=Amount("Withdrawal"),
        deposit=Amount("Deposit"),
        balance=Amount("RunningBalance"),
    )
    required = ("date", "type", "check", "description", "withdrawal", "deposit", "balance")

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        amount = row.in_minus_out("deposit", "withdrawal")
        check = row.id("check")
        ctx.add(row, kind=bank_kind(amount), amount_minor=amount, ts=self.when(row["date"]),
                status=_STATUS.get(row["status"].strip().lower()), category=row["type"],
                text=" ".join(p for p in (row["description"], f"check {check}" if check else "") if p))
