"""The canonical entry: what every importer produces and the engine consumes.

An entry is one line of money (or one order) as a row of an Arrow table with
:data:`ENTRY_SCHEMA`. Money is ``amount_minor`` (int64, signed, minor units) plus ``currency``.
Signs follow the account the file describes: money coming into the merchant's wallet or bank
account is positive, money leaving it negative; an order is positive (what the buyer owes).
"""

from __future__ import annotations

from enum import StrEnum

import pyarrow as pa


class Kind(StrEnum):
    """What an entry is. Matching templates select entries by kind."""

    ORDER = "order"               # the merchant's own order (order export, ERP)
    ORDER_REFUND = "order_refund"  # a refund the order export says was granted
    PAYMENT = "payment"           # buyer's payment arriving in the platform wallet
    REFUND = "refund"             # money returned to the buyer
    FEE = "fee"                   # commission, service fee, marketing fee, transfer fee
    SUBSIDY = "subsidy"           # platform subsidy, coupon settlement paid to the merchant
    PENALTY = "penalty"           # 罚款 / 扣款 / 违约金
    DEPOSIT = "deposit"           # 保证金 frozen or released, reserves
    PAYOUT = "payout"             # 提现: wallet to the merchant's bank account
    TRANSFER = "transfer"         # other movements between the merchant's own accounts
    SETTLEMENT = "settlement"     # a settled order line that nets payment and fees in one row
    BANK_CREDIT = "bank_credit"   # money into a bank account
    BANK_DEBIT = "bank_debit"     # money out of a bank account
    SHIPMENT = "shipment"         # a courier waybill charge
    OTHER = "other"


def bank_kind(amount_minor: int, written: str = "") -> Kind:
    """A bank line's kind from its sign: money in is a credit, out a debit; a zero follows the
    sign it was written with (``-0.00`` is a debit), else it is a credit."""
    if amount_minor == 0:
        return Kind.BANK_DEBIT if written.strip().startswith("-") else Kind.BANK_CREDIT
    return Kind.BANK_CREDIT if amount_minor > 0 else Kind.BANK_DEBIT


class Status(StrEnum):
    """Normalised order or line status, where the source gives one."""

    UNPAID = "unpaid"
    PAID = "paid"
    SHIPPED = "shipped"
    COMPLETED = "completed"
    CLOSED = "closed"          # cancelled or closed without payment
    REFUNDED = "refunded"
    REVERSED = "reversed"      # a bank entry that was reversed (冲账)
    PENDING = "pending"


#: Columns of a canonical entry table, in order. ``raw`` keeps the original row for provenance.
ENTRY_SCHEMA = pa.schema(
    [
        pa.field("source", pa.string(), nullable=False),       # format id, e.g. "alipay_account"
        pa.field("file", pa.string(), nullable=False),         # file name (basename)
        pa.field("line", pa.int64(), nullable=False),          # physical line, 1-based
        pa.field("record_id", pa.string(), nullable=False),    # natural id, else "file:line"
        pa.field("kind", pa.string(), nullable=False),         # a Kind value
        pa.field("order_ref", pa.string()),                    # normalised order number
        pa.field("amount_minor", pa.int64(), nullable=False),  # signed minor units
        pa.field("currency", pa.string(), nullable=False),     # ISO 4217
        pa.field("ts", pa.timestamp("us", tz="UTC")),          # when it happened
        pa.field("counterparty", pa.string()),
        pa.field("batch_ref", pa.string()),                    # payout / settlement / trade id
        pa.field("text", pa.string()),                         # memo as written
        pa.field("status", pa.string()),                       # a Status value
        pa.field("category", pa.string()),                     # source business type, fee type
        pa.field("account", pa.string()),                      # wallet or bank account number
        pa.field("dedupe_key", pa.string(), nullable=False),   # equal keys = the same record
        pa.field("raw", pa.string(), nullable=False),          # the original row
        # the bill's running balance after the row, as written (every entry of the row carries
        # it); null where the file has no balance column. Last, so older tables keep their order
        pa.field("balance_minor", pa.int64()),
    ]
)


def conform(entries: pa.Table) -> pa.Table:
    """``entries`` as :data:`ENTRY_SCHEMA`: a table written before a nullable field was appended
    (an import Parquet file from before ``balance_minor``) gains it as nulls, so stored imports
    stay readable without rewriting them."""
    names = set(entries.column_names)
    columns = [entries[f.name].cast(f.type) if f.name in names
               else pa.nulls(entries.num_rows, f.type) for f in ENTRY_SCHEMA]
    return pa.table(columns, schema=ENTRY_SCHEMA)
