"""Shopify Payments transactions export (Finances → Payouts → Export transactions,
``payment_transactions_export_*.csv``).

Columns: ``Transaction Date, Type, Order, Card Brand, Card Source, Payout Status, Payout Date,
Payout ID, Available On, Amount, Fee, Net, Checkout, Payment Method Name, Presentment Amount,
Presentment Currency, Currency`` and, for EU shops, ``VAT``. Dates carry their offset
(``2026-01-19 12:07:45 +0100``); Fee is written positive and Net = Amount − Fee.

One row gives a gross entry (charge → payment, refund → refund, dispute → refund, reserve →
deposit, payout → payout, adjustment → other) and, when the fee is not zero, a ``fee`` entry of
minus the fee. ``order_ref`` is the Order name without ``#``; ``batch_ref`` the Payout ID (empty
while the payout is pending). The export has no transaction id: entries are named ``file:line``
(the fee ``file:line/fee``). A row whose payout is not paid yet has status ``pending``.
"""

from __future__ import annotations

from huikuan.domain.entry import Kind, Status
from huikuan.domain.roles import Role
from huikuan.importers.base import ReadContext, Row, TableImporter
from huikuan.importers.columns import Amount, Id, Text, When, fields
from huikuan.importers.reader import RawRow
from huikuan.importers.sources._gross_fee import add_gross_and_fee, check_net, currency_code, tally_net

_KINDS = {
    "charge": Kind.PAYMENT, "refund": Kind.REFUND, "dispute": Kind.REFUND, "chargeback": Kind.REFUND,
    "reserve": Kind.DEPOSIT, "reserved_funds": Kind.DEPOSIT,
    "payout": Kind.PAYOUT, "payout_failure": Kind.PAYOUT, "payout_cancellation": Kind.PAYOUT,
    "shipping_label": Kind.FEE, "application_fee": Kind.FEE, "fee": Kind.FEE, "tax": Kind.FEE,
    "transfer": Kind.TRANSFER,
}
_NOT_PAID_OUT = {"pending", "scheduled", "in_transit"}


class ShopifyPayouts(TableImporter):
    id = "shopify_payouts"
    title = "Shopify Payments transactions export (payouts)"
    role = Role.PLATFORM
    currency = "USD"
    tz = "UTC"
    columns = fields(
        date=When("Transaction Date"),
        type=Text("Type"),
        order=Id("Order"),
        card_brand=Text("Card Brand"),
        card_source=Text("Card Source"),
        payout_status=Text("Payout Status"),
        payout_date=When("Payout Date"),
        payout_id=Id("Payout ID"),
        available=Text("Available On"),
        amount=Amount("Amount"),
        fee=Amount("Fee"),
        net=Amount("Net"),
        checkout=Text("Checkout"),
        method=Text("Payment Method Name", "Payment Method"),
        presentment_amount=Amount("Presentment Amount"),
        presentment_currency=Text("Presentment Currency"),
        currency=Text("Currency"),
    )
    required = ("date", "type", "order", "payout_status", "amount", "fee", "net")

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        currency = currency_code(row["currency"], self.currency)
        gross = self.money(row["amount"], currency)
        fee = -self.money(row["fee"], currency) if row["fee"] else 0
        net = self.money(row["net"], currency) if row["net"] else None
        category = row["type"]
        kind = _KINDS.get(category.strip().lower(), Kind.OTHER)
        foreign = row["presentment_currency"] and row["presentment_currency"].upper() != currency
        text = " ".join(p for p in (row["method"], row["card_brand"], row["card_source"]) if p)
        if foreign:
            text += f" (buyer paid {row['presentment_amount']} {row['presentment_currency']})"
        common = {
            "currency": currency,
            "ts": self.when(row["date"]),
            "order_ref": row.id("order").lstrip("#") if kind != Kind.PAYOUT else None,
            "batch_ref": row.id("payout_id"),
            "status": Status.PENDING if row["payout_status"].lower() in _NOT_PAID_OUT else None,
            "text": text,
        }
        tally_net(ctx, row, currency, gross=gross, fee=fee, net=net)
        add_gross_and_fee(ctx, row, kind=kind, gross=gross, fee=fee, record_id=None, category=category,
                          **common)

    def read_footer(self, rows: list[RawRow], ctx: ReadContext) -> None:
        check_net(ctx)
