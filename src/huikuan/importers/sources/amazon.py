"""Amazon Seller Central settlement report, flat file V2 (GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2).

Tab-separated, 24 columns with English header names in every marketplace. The FIRST data row is
the settlement summary: settlement-id, period, deposit-date, total-amount and currency, every other
column empty. It is not a transaction: its values go to ``meta``, the total is checked against the
sum of the transaction rows, and the deposit it announces becomes one ``payout`` entry (money
leaving the Amazon balance for the seller's bank, ``<settlement-id>/deposit``) so that the bank
credit can be matched to it. Every other row is one amount of one order, refund, fee or transfer,
named by ``amount-type``/``amount-description`` (``ItemPrice/Principal``, ``ItemFees/Commission``…);
the rows carry no unique id, so each entry is named ``file:line``.

Pitfalls: EU marketplaces write decimal commas (``-19,50``) and dates as ``25.01.2023 03:02:06 UTC``;
the decimal mark is decided once per file from the amounts (``meta["decimal_separator"]``).
Times are UTC.
"""

from __future__ import annotations

import re
from datetime import datetime

from huikuan.domain.dates import DateOrder, parse_timestamp
from huikuan.domain.entry import Kind
from huikuan.domain.money import format_minor, parse_amount
from huikuan.domain.roles import Role
from huikuan.importers.base import ReadContext, Row, TableImporter
from huikuan.importers.columns import Amount, Id, Text, When, fields
from huikuan.importers.reader import RawRow, SourceFile
from huikuan.importers.sources._gross_fee import currency_code, totals

_COMMA_AMOUNT = re.compile(r"[+-]?[\d.]*\d,\d{1,2}")
_POINT_AMOUNT = re.compile(r"[+-]?[\d,]*\d\.\d{1,2}")
_SLASH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/\d{4}")
_TRANSACTIONS = "transactions "


def _classify(transaction_type: str, amount_type: str, description: str) -> Kind:
    """Kind of one settlement amount from its transaction-type and amount-type/description."""
    t, a, d = transaction_type.lower(), amount_type.lower(), description.lower()
    refund = "refund" in t or "chargeback" in t
    if "reserve" in d:
        return Kind.DEPOSIT
    if a.startswith("itemprice") or a == "promotion":
        return Kind.REFUND if refund else Kind.PAYMENT
    if "fee" in a or "fee" in d or "commission" in d:
        return Kind.FEE
    if refund:
        return Kind.REFUND
    return Kind.OTHER


class AmazonSettlementV2(TableImporter):
    id = "amazon_settlement_v2"
    title = "Amazon settlement report, flat file V2 (tab-separated)"
    role = Role.PLATFORM
    currency = "USD"
    tz = "UTC"
    delimiter = "\t"
    columns = fields(
        settlement_id=Id("settlement-id"),
        start=Text("settlement-start-date"),
        end=Text("settlement-end-date"),
        deposit=When("deposit-date"),
        total=Amount("total-amount"),
        currency=Text("currency"),
        type=Text("transaction-type"),
        order=Id("order-id"),
        merchant_order=Id("merchant-order-id"),
        adjustment=Text("adjustment-id"),
        shipment=Text("shipment-id"),
        marketplace=Text("marketplace-name"),
        amount_type=Text("amount-type"),
        description=Text("amount-description"),
        amount=Amount("amount"),
        posted=When("posted-date"),
        posted_time=When("posted-date-time"),
        sku=Text("sku"),
        quantity=Text("quantity-purchased"),
    )
    required = ("settlement_id", "total", "type", "amount_type", "description", "amount")

    def read_into(self, source: SourceFile, ctx: ReadContext) -> None:
        self._read_conventions(source, ctx)
        super().read_into(source, ctx)

    def _read_conventions(self, source: SourceFile, ctx: ReadContext) -> None:
        """Decimal mark and day/month order of this file, from its first rows."""
        head = source.head_rows()
        header = self.find_header(head)
        if header is None:
            return
        cols = [header.index[k] for k in ("amount", "total") if k in header.index]
        amounts = [r.cells[i] for r in head[header.position + 1:] for i in cols if i < len(r.cells)]
        comma = any(_COMMA_AMOUNT.fullmatch(a) for a in amounts)
        point = any(_POINT_AMOUNT.fullmatch(a) for a in amounts)
        ctx.meta["decimal_separator"] = "comma" if comma and not point else "point"
        dates = " ".join(" ".join(r.cells) for r in head[header.position + 1:])
        order: DateOrder = "dmy" if comma or re.search(r"\d\d\.\d\d\.\d{4}", dates) else "mdy"
        for first, second in _SLASH_DATE.findall(dates):
            order = "dmy" if int(first) > 12 else "mdy" if int(second) > 12 else order
        ctx.meta["date_order"] = order

    def _money(self, text: str, currency: str, ctx: ReadContext) -> int:
        comma = ctx.meta.get("decimal_separator") == "comma"
        return parse_amount(text, currency, decimal_comma=comma)

    def _when(self, text: str, ctx: ReadContext) -> datetime:
        order: DateOrder = "dmy" if ctx.meta.get("date_order") == "dmy" else "mdy"
        return parse_timestamp(text, self.tz, order=order)

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        currency = currency_code(row["currency"], ctx.meta.get("currency", self.currency))
        settlement = row.id("settlement_id")
        if not row["type"] and not row["amount_type"] and row["total"]:
            self._summary(row, ctx, settlement, currency)
            return
        amount = self._money(row["amount"], currency, ctx)
        totals(ctx)[_TRANSACTIONS + currency] += amount
        if row["marketplace"]:
            ctx.meta.setdefault("marketplace", row["marketplace"])
        category = "/".join(p for p in (row["amount_type"], row["description"]) if p)
        sku, quantity = row["sku"], row["quantity"]
        ctx.add(
            row,
            kind=_classify(row["type"], row["amount_type"], row["description"]),
            amount_minor=amount,
            currency=currency,
            ts=self._when(row["posted_time"] or row["posted"], ctx),
            order_ref=row.id("order") or row.id("merchant_order"),
            batch_ref=settlement,
            text=f"{sku} x{quantity}" if sku and quantity else sku or row["adjustment"],
            category=f"{row['type']}: {category}" if row["type"] else category,
        )

    def _summary(self, row: Row, ctx: ReadContext, settlement: str, currency: str) -> None:
        """The settlement's own row: period and deposit into meta, the deposit as a payout."""
        total = self._money(row["total"], currency, ctx)
        ctx.meta.update({
            "settlement_id": settlement, "currency": currency,
            "total_amount": format_minor(total, currency),
            "period_start": row["start"], "period_end": row["end"], "deposit_date": row["deposit"],
        })
        totals(ctx)["declared " + currency] += total
        deposit = row["deposit"] or row["end"]
        ctx.add(
            row,
            kind=Kind.PAYOUT,
            amount_minor=-total,
            currency=currency,
            ts=self._when(deposit, ctx) if deposit else None,
            record_id=f"{settlement}/deposit",
            batch_ref=settlement,
            text=f"settlement {settlement} deposit",
            category="settlement deposit (total-amount)",
        )

    def read_footer(self, rows: list[RawRow], ctx: ReadContext) -> None:
        sums = totals(ctx)
        if "settlement_id" not in ctx.meta:
            ctx.warnings.append(f"{ctx.file}: no settlement summary row (total-amount); "
                                "the total could not be checked")
        for key in sorted(k for k in sums if k.startswith("declared ")):
            currency = key.split(" ", 1)[1]
            ctx.check(f"total-amount ({currency})", sums[key], sums[_TRANSACTIONS + currency], currency)
