"""PayPal exports: the account "Activity download" CSV and the monthly balance statement CSV.

Activity: ``Date, Time, TimeZone, Name, Type, Status, Currency, Gross, Fee, Net, From Email Address,
To Email Address, Transaction ID, …, Reference Txn ID, Invoice Number, …, Balance, …, Subject, Note``
(newer downloads add ``Balance Impact``). Statement: ``Date, Time, Time Zone, Description, Currency,
Gross, Fee, Net, Balance, Transaction ID, From Email Address, Name, Bank Name, Bank Account, …,
Invoice ID, Reference Txn ID``.

One row gives a gross entry (payment received → payment, refund/reversal → refund, withdrawal →
payout, currency conversion → transfer, hold/release → deposit) named by its Transaction ID and,
when the fee is not zero, a ``fee`` entry ``<id>/fee`` (PayPal writes fees negative; net = gross +
fee is checked). A currency conversion is two rows, one per currency, tied by ``Reference Txn ID``
(→ ``batch_ref``) to the withdrawal or payment they funded: both are kept. ``Invoice Number`` /
``Invoice ID`` is the order. Pending rows get status ``pending``.

Pitfalls: the date order follows the account's locale (``29/12/2015`` in one file, ``9/4/2018`` in
another): it is decided per file from dates whose day is above 12; PayPal writes the zone beside
the time, as an abbreviation (``PST``/``PDT``) or an IANA name (``America/Los_Angeles``).
"""

from __future__ import annotations

import re
from datetime import datetime

from huikuan.domain.dates import DateOrder, parse_timestamp, zone
from huikuan.domain.entry import Kind, Status
from huikuan.importers.base import ReadContext, Row, TableImporter
from huikuan.importers.reader import RawRow, SourceFile
from huikuan.importers.sources._gross_fee import add_gross_and_fee, check_net, currency_code, tally_net

_DATE = re.compile(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}")
_STATUS = {
    "completed": Status.COMPLETED, "cleared": Status.COMPLETED, "pending": Status.PENDING,
    "held": Status.PENDING, "unclaimed": Status.PENDING, "refunded": Status.REFUNDED,
    "partially refunded": Status.REFUNDED, "reversed": Status.REVERSED, "denied": Status.CLOSED,
    "canceled": Status.CLOSED, "cancelled": Status.CLOSED, "failed": Status.CLOSED,
}


def paypal_kind(transaction_type: str, gross: int) -> Kind:
    """Kind of a PayPal row from its Type (or statement Description) and the sign of Gross."""
    t = transaction_type.lower()
    if "withdrawal" in t:
        return Kind.PAYOUT
    if "currency conversion" in t:
        return Kind.TRANSFER
    if "hold" in t or "release" in t or "reserve" in t:
        return Kind.DEPOSIT
    if "fee" in t:  # before refunds: "Chargeback Fee" is a fee
        return Kind.FEE
    if "refund" in t or "reversal" in t or "chargeback" in t:
        return Kind.REFUND
    if "deposit" in t or "transfer" in t or "top up" in t:
        return Kind.TRANSFER
    if "payment" in t and gross > 0:
        return Kind.PAYMENT
    return Kind.OTHER  # e.g. a payment the merchant sent: money out, not a sale


class _PayPal(TableImporter):
    role = "platform"
    currency = "USD"
    tz = "America/Los_Angeles"
    #: True where the zone column holds IANA names (statement), False for abbreviations (activity)
    iana_zones = False

    def read_into(self, source: SourceFile, ctx: ReadContext) -> None:
        ctx.meta["date_order"] = self._date_order(source)
        super().read_into(source, ctx)

    def _date_order(self, source: SourceFile) -> DateOrder:
        """``dmy`` or ``mdy`` from the first date whose day is above 12; ``mdy`` when none is."""
        header = None
        for row in source.rows(self.delimiter):
            if header is None:
                header = self.find_header([row])
                continue
            i = header.index["date"]
            m = _DATE.match(row.cells[i]) if i < len(row.cells) else None
            if m and int(m.group(1)) > 12:
                return "dmy"
            if m and int(m.group(2)) > 12:
                return "mdy"
        return "mdy"

    def _when(self, row: Row, ctx: ReadContext) -> datetime:
        order: DateOrder = "dmy" if ctx.meta.get("date_order") == "dmy" else "mdy"
        text = f"{row['date']} {row['time']}".strip()
        name = row["zone"].strip()
        if not name:
            return parse_timestamp(text, self.tz, order=order)
        if "/" in name or self.iana_zones:
            try:
                return parse_timestamp(text, zone(name), order=order)
            except (KeyError, ValueError):
                if "/" in name:
                    raise ValueError(f"unknown time zone {name!r}") from None
        return parse_timestamp(f"{text} {name}", self.tz, order=order)

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        txn = row.id("txn")
        if not txn:
            raise ValueError("the Transaction ID is empty")
        currency = currency_code(row["currency"], self.currency)
        gross = self.money(row["gross"], currency)
        fee = self.money(row["fee"], currency) if row["fee"] else 0
        net = self.money(row["net"], currency) if row["net"] else None
        if fee and net is not None and gross - fee == net != gross + fee:
            fee = -fee  # an export that writes the fee unsigned
        category = row["type"]
        kind = paypal_kind(category, gross)
        if row["impact"].lower() == "memo":
            kind, category = Kind.OTHER, f"{category} (memo: no balance change)"
        email = row["from_email"] if gross > 0 else row["to_email"]
        bank = " ".join(p for p in (row["bank"], row["bank_account"]) if p)
        common = {
            "currency": currency,
            "ts": self._when(row, ctx),
            "order_ref": row.id("invoice") if kind in (Kind.PAYMENT, Kind.REFUND, Kind.OTHER) else None,
            "counterparty": row["name"] or bank or email,
            "batch_ref": row.id("reference"),
            "status": _STATUS.get(row["status"].strip().lower()),
            "text": " ".join(p for p in (row["subject"], row["note"]) if p),
        }
        tally_net(ctx, row, currency, gross=gross, fee=fee, net=net)
        add_gross_and_fee(ctx, row, kind=kind, gross=gross, fee=fee, record_id=txn, category=category,
                          **common)

    def read_footer(self, rows: list[RawRow], ctx: ReadContext) -> None:
        check_net(ctx)


class PayPalActivity(_PayPal):
    id = "paypal_activity"
    title = "PayPal activity download (CSV)"
    columns = {  # noqa: RUF012 - class-level declaration read by the base class
        "date": ("Date",),
        "time": ("Time",),
        "zone": ("TimeZone", "Time Zone"),
        "name": ("Name",),
        "type": ("Type",),
        "status": ("Status",),
        "currency": ("Currency",),
        "gross": ("Gross",),
        "fee": ("Fee",),
        "net": ("Net",),
        "from_email": ("From Email Address",),
        "to_email": ("To Email Address",),
        "txn": ("Transaction ID",),
        "reference": ("Reference Txn ID",),
        "invoice": ("Invoice Number",),
        "subject": ("Subject", "Item Title"),
        "note": ("Note",),
        "impact": ("Balance Impact",),
    }
    required = ("date", "time", "type", "status", "currency", "gross", "fee", "net", "txn")


class PayPalStatement(_PayPal):
    id = "paypal_statement"
    title = "PayPal monthly balance statement (CSV)"
    iana_zones = True
    columns = {  # noqa: RUF012 - class-level declaration read by the base class
        "date": ("Date",),
        "time": ("Time",),
        "zone": ("Time Zone", "TimeZone"),
        "type": ("Description",),
        "currency": ("Currency",),
        "gross": ("Gross",),
        "fee": ("Fee",),
        "net": ("Net",),
        "balance": ("Balance",),
        "txn": ("Transaction ID",),
        "from_email": ("From Email Address",),
        "name": ("Name",),
        "bank": ("Bank Name",),
        "bank_account": ("Bank Account",),
        "invoice": ("Invoice ID", "Invoice Number"),
        "reference": ("Reference Txn ID",),
    }
    required = ("date", "time", "type", "currency", "gross", "fee", "net", "balance", "txn")
    excluded = ("Type", "Status")
