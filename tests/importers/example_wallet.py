"""The example module of docs/IMPORTERS.md: a wallet statement with money in and out apart."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from huikuan.domain.entry import Kind
from huikuan.domain.roles import Role
from huikuan.importers.base import ReadContext, Row, TableImporter
from huikuan.importers.columns import Amount, Id, Text, When, fields


@dataclass
class Payouts:
    """Kept per file (``ctx.state(Payouts)``): how many rows were withdrawals."""

    count: int = 0


class ExampleWallet(TableImporter):
    id = "example_wallet"
    title = "Example wallet statement (流水号, 时间, 收入, 支出)"
    role = Role.PLATFORM
    columns = fields(serial=Id("流水号"), time=When("时间", "交易时间"), income=Amount("收入"),
                     expense=Amount("支出"), memo=Text("备注"))
    required = ("serial", "time", "income", "expense")

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        amount = row.in_minus_out("income", "expense")  # one side filled, or a row error
        payout = "提现" in row["memo"]
        ctx.state(Payouts).count += payout
        ctx.add(row, kind=Kind.PAYOUT if payout else Kind.PAYMENT if amount > 0 else Kind.FEE,
                amount_minor=amount, ts=row.when("time"), record_id=row.id("serial"),
                text=row["memo"])

    def finish(self, ctx: ReadContext, entries: pa.Table) -> pa.Table:
        if count := ctx.state(Payouts).count:
            ctx.warnings.append(f"{ctx.file}: {count} withdrawal(s); match them with payout-bank")
        return entries
