"""Adyen "Settlement details report" (one settlement batch), CSV or XLSX.

Columns: ``Company Account, Merchant Account, Psp Reference, Merchant Reference, Payment Method,
Creation Date, TimeZone, Type, Modification Reference, Gross Currency, Gross Debit (GC), Gross Credit
(GC), Exchange Rate, Net Currency, Net Debit (NC), Net Credit (NC), Commission (NC), Markup (NC),
Scheme Fees (NC), Interchange (NC), Payment Method Variant, Batch Number, Reserved4…10, Modification
Merchant Reference, Booking Date, Booking Date TimeZone`` (order differs between versions).

One row gives a gross entry (Settled → payment, Refunded/Chargeback → refund, MerchantPayout →
payout, Fee → fee) and, when the row carries commission, markup, scheme fees or interchange, one
``fee`` entry ``<id>/fee`` of minus their sum. Amounts are in the net (account) currency; a gross in
another currency is named in the text. ``record_id`` is the Psp Reference of a payment and the
Modification Reference of a refund or chargeback (Fee and payout rows have neither: ``file:line``);
``order_ref`` is the Merchant Reference; ``batch_ref`` the Batch Number. When the batch ends in its
MerchantPayout, the report must net to zero: checked.

Pitfall: in the XLSX variant (three blank rows, an empty first column) the 16-digit references are
stored as NUMBERS. Excel keeps 15 significant digits and replaces the rest with zeros, so such a
reference ending in 0, or above 2**53, cannot be trusted: the shared reader hands it over in
scientific form; the row is imported under ``file:line`` (its money counts) with a warning,
never imported under a wrong id. One ending in another digit was never cut and is kept.
"""

from __future__ import annotations

from collections import Counter

from huikuan.domain.entry import Kind
from huikuan.domain.money import format_minor
from huikuan.domain.roles import Role
from huikuan.importers.base import ReadContext, Row, TableImporter
from huikuan.importers.columns import Amount, Id, Text, When, fields
from huikuan.importers.reader import RawRow
from huikuan.importers.sources._gross_fee import currency_code, totals

_KINDS = {
    "settled": Kind.PAYMENT, "settledexternallywithinfo": Kind.PAYMENT,
    "refunded": Kind.REFUND, "refundedexternallywithinfo": Kind.REFUND, "chargeback": Kind.REFUND,
    "secondchargeback": Kind.REFUND, "chargebackreversed": Kind.REFUND,
    "refundedreversed": Kind.REFUND,
    "merchantpayout": Kind.PAYOUT, "fee": Kind.FEE, "invoicededuction": Kind.FEE,
    "misccosts": Kind.FEE, "paymentcost": Kind.FEE, "depositcorrection": Kind.DEPOSIT,
    "balancetransfer": Kind.TRANSFER,
}
_FEES = (("commission", "Commission"), ("markup", "Markup"), ("scheme", "Scheme Fees"),
         ("interchange", "Interchange"))


class AdyenSettlement(TableImporter):
    id = "adyen_settlement"
    title = "Adyen settlement details report (CSV/XLSX)"
    role = Role.PLATFORM
    currency = "EUR"
    tz = "Europe/Amsterdam"
    columns = fields(
        company=Text("Company Account"),
        merchant=Text("Merchant Account"),
        psp=Id("Psp Reference"),
        merchant_ref=Id("Merchant Reference"),
        method=Text("Payment Method"),
        created=When("Creation Date"),
        zone=When("TimeZone"),
        type=Text("Type"),
        modification=Id("Modification Reference"),
        gross_currency=Text("Gross Currency"),
        gross_debit=Amount("Gross Debit (GC)"),
        gross_credit=Amount("Gross Credit (GC)"),
        rate=Text("Exchange Rate"),
        net_currency=Text("Net Currency"),
        net_debit=Amount("Net Debit (NC)"),
        net_credit=Amount("Net Credit (NC)"),
        commission=Text("Commission (NC)"),
        markup=Text("Markup (NC)"),
        scheme=Text("Scheme Fees (NC)"),
        interchange=Text("Interchange (NC)"),
        batch=Id("Batch Number"),
    )
    required = ("psp", "created", "type", "net_currency", "net_debit", "net_credit", "batch")

    def _amount(self, row: Row, field: str, currency: str) -> int:
        return self.money(row[field], currency) if row[field] else 0

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        nc = currency_code(row["net_currency"], self.currency)
        net = self._amount(row, "net_credit", nc) - self._amount(row, "net_debit", nc)
        parts = [(label, self._amount(row, f, nc)) for f, label in _FEES]
        fees = sum(v for _, v in parts)
        category = row["type"]
        kind = _KINDS.get(category.strip().lower(), Kind.OTHER)
        psp = row.id("psp")  # "" when Excel cut it: the row keeps its money under file:line
        has_psp = bool(row["psp"])
        text = row["modification"] if not has_psp else ""
        gross = net + fees
        gc = currency_code(row["gross_currency"], nc) if row["gross_currency"] else nc
        if has_psp and gc == nc:
            gross = self._amount(row, "gross_credit", gc) - self._amount(row, "gross_debit", gc)
            if gross - fees != net:
                ctx.warnings.append(f"{ctx.file}:{row.line}: net {format_minor(net, nc)} is not gross "
                                    f"{format_minor(gross, nc)} less fees {format_minor(fees, nc)}")
        elif has_psp:
            gc_amount = self._amount(row, "gross_credit", gc) - self._amount(row, "gross_debit", gc)
            text = f"gross {format_minor(gc_amount, gc)} {gc} at {row['rate']}"
        record_id = self._record_id(row, ctx, kind, psp)
        batch = row.id("batch")
        sums = totals(ctx)
        sums[f"net {batch} {nc}"] += net
        if kind == Kind.PAYOUT:
            sums[f"payout {batch} {nc}"] += net
        common = {
            "currency": nc,
            "ts": self.when(f"{row['created']} {row['zone']}".strip()),
            "order_ref": row.id("merchant_ref") if has_psp else None,
            "counterparty": row["method"],
            "batch_ref": batch,
        }
        ctx.add(row, kind=kind, amount_minor=gross, record_id=record_id, category=category,
                text=text, **common)
        if fees:
            detail = " + ".join(f"{label} {format_minor(v, nc)}" for label, v in parts if v)
            fee_id = f"{record_id}/fee" if record_id else f"{ctx.file}:{row.line}/fee"
            ctx.add(row, kind=Kind.FEE, amount_minor=-fees, record_id=fee_id,
                    category=f"{category} fee", text=detail, **common)

    def _record_id(self, row: Row, ctx: ReadContext, kind: Kind, psp: str) -> str | None:
        """Psp Reference for a payment, the Modification Reference for anything done to one."""
        if not psp:
            return None
        record = psp if kind == Kind.PAYMENT else row.id("modification") or psp
        seen: Counter[str] = totals(ctx)
        seen[f"id {record}"] += 1
        if seen[f"id {record}"] > 1:  # a second capture of one payment
            record = f"{record}/{row.id('modification')}"
        return record

    def read_footer(self, rows: list[RawRow], ctx: ReadContext) -> None:
        sums = totals(ctx)
        for key in sorted(k for k in sums if k.startswith("payout ")):
            _, batch, currency = key.split(" ")
            ctx.check(f"batch {batch} paid out in full ({currency})", -sums[key],
                      sums[f"net {batch} {currency}"] - sums[key], currency)
