"""Stripe balance exports: the "Balance change from activity" report and the dashboard's
"Balance history" (balance transactions) export.

Report columns: ``balance_transaction_id, created_utc, available_on_utc, currency, gross, fee, net,
reporting_category, description`` (itemized versions add ``source_id``, ``customer_email``,
``automatic_payout_id``…). Dashboard export: ``id, Type, Source, Amount, Fee, Destination Platform
Fee, Net, Currency, Created (UTC), Available On (UTC), Description, Customer Facing Amount,
Transfer, Transfer Date (UTC), Transfer Group`` and ``… (metadata)`` columns.

One row gives a gross entry (charge → payment, refund → refund, payout → payout, adjustment →
other) named by the balance transaction id, and, when the fee is not zero, a ``fee`` entry
``<id>/fee`` of minus the fee (Stripe writes fees positive; net = gross − fee, checked per file).
Payouts take money out of the Stripe balance (negative). ``batch_ref`` is the payout id: the
``Transfer`` / ``automatic_payout_id`` a row was paid out in, or a payout row's own ``po_…`` source.
Pitfalls: currency in lower case (``usd``); times are UTC without a zone; the dashboard export
opened in Excel shows US dates (``8/6/2026 12:00``).
"""

from __future__ import annotations

from huikuan.domain.entry import Kind
from huikuan.domain.roles import Role
from huikuan.importers.base import ReadContext, Row, TableImporter
from huikuan.importers.columns import Amount, Id, Text, When, fields
from huikuan.importers.reader import RawRow
from huikuan.importers.sources._gross_fee import add_gross_and_fee, check_net, currency_code, tally_net

_KINDS = {
    "charge": Kind.PAYMENT, "payment": Kind.PAYMENT,
    "refund": Kind.REFUND, "payment_refund": Kind.REFUND, "refund_failure": Kind.REFUND,
    "dispute": Kind.REFUND, "dispute_reversal": Kind.REFUND, "payment_failure_refund": Kind.REFUND,
    "payout": Kind.PAYOUT, "payout_cancel": Kind.PAYOUT, "payout_failure": Kind.PAYOUT,
    "payout_reversal": Kind.PAYOUT,
    "fee": Kind.FEE, "stripe_fee": Kind.FEE, "application_fee": Kind.FEE, "network_cost": Kind.FEE,
    "tax": Kind.FEE,
    "transfer": Kind.TRANSFER, "topup": Kind.TRANSFER, "topup_reversal": Kind.TRANSFER,
    "connect_reserved_funds": Kind.DEPOSIT, "reserve_transaction": Kind.DEPOSIT,
    "reserved_funds": Kind.DEPOSIT, "risk_reserved_funds": Kind.DEPOSIT,
}


def stripe_kind(category: str) -> Kind:
    """Kind of a Stripe ``reporting_category`` or balance transaction ``type``."""
    return _KINDS.get(category.strip().lower(), Kind.OTHER)


class StripeBalance(TableImporter):
    id = "stripe_balance"
    title = "Stripe balance transactions (balance change from activity / balance history)"
    role = Role.PLATFORM
    currency = "USD"
    tz = "UTC"
    date_order = "mdy"
    columns = fields(
        id=Id("balance_transaction_id", "id"),
        created=When("created_utc", "Created (UTC)", "created"),
        available=Text("available_on_utc", "Available On (UTC)", "available_on"),
        currency=Text("currency", "Currency"),
        gross=Amount("gross", "Amount"),
        fee=Amount("fee", "Fee"),
        net=Amount("net", "Net"),
        type=Text("reporting_category", "Type", "type"),
        description=Text("description", "Description"),
        source=Id("source_id", "Source"),
        payout=Id("automatic_payout_id", "Transfer"),
        customer=Text("customer_name", "customer_email", "Customer Email"),
        order=Id("payment_metadata[order_id]", "order_id (metadata)", "Order ID (metadata)"),
    )
    required = ("id", "created", "gross", "fee", "net", "type")

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        txn = row.id("id")
        if not txn:
            raise ValueError("the balance transaction id is empty")
        currency = currency_code(row["currency"], self.currency)
        gross = self.money(row["gross"], currency)
        fee = -self.money(row["fee"], currency) if row["fee"] else 0
        net = self.money(row["net"], currency) if row["net"] else None
        category = row["type"]
        kind = stripe_kind(category)
        if category.strip().lower() == "payout" and gross > 0:  # a report that writes payouts unsigned
            gross, net = -gross, (-net if net is not None else None)
        source = row.id("source")
        payout = source if kind == Kind.PAYOUT and source.startswith("po_") else row.id("payout")
        common = {
            "currency": currency, "ts": self.when(row["created"]), "order_ref": row.id("order"),
            "counterparty": row["customer"], "batch_ref": payout, "text": row["description"],
        }
        tally_net(ctx, row, currency, gross=gross, fee=fee, net=net)
        add_gross_and_fee(ctx, row, kind=kind, gross=gross, fee=fee, record_id=txn, category=category,
                          **common)

    def read_footer(self, rows: list[RawRow], ctx: ReadContext) -> None:
        check_net(ctx)
