"""The merchant's own order list, from its ERP or shop system (有赞, 微店, 聚水潭, 旺店通, a self-built
shop): no fixed layout, so the columns are guessed from header words that recur in such exports.

A file is taken to be an order list when one header row has an order number column (商户订单号,
外部订单号, 线上订单号, 原始单号, 订单号, 订单编号 …), an amount column (实付金额, 已付金额, 订单金额,
应收金额 …) and a time column (支付时间, 付款时间, 下单时间, 创建时间 …). The guess is weak evidence,
so detection stays at 0.5–0.58: every specific importer wins over it. The mapping used is shown in
``meta["mapping"]``; when it is wrong, a saved profile is the way out.

Where several candidates exist, the order number the platforms know wins (商户订单号 over 订单号),
the amount actually paid wins (实付金额 over 订单金额) and the payment time wins (支付时间 over
下单时间, used when 支付时间 is empty). An ERP's own number (内部订单号, 系统订单号) becomes the record
id. One row gives an ``order``; a filled 退款金额 also gives an ``order_refund``. Pitfall: ERP exports
by order line repeat the order number; repeated numbers are named ``<订单号>/2`` and reported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pyarrow as pa

from huikuan.domain.entry import Kind, Status
from huikuan.domain.roles import Role
from huikuan.importers.base import Header, ReadContext, Row, TableImporter
from huikuan.importers.cells import normalise_header
from huikuan.importers.columns import Amount, Column, Id, Text, When, fields
from huikuan.importers.reader import RawRow, SourceFile

#: candidates per field, strongest first (compared after normalise_header, ``(元)`` removed)
_CANDIDATES: Mapping[str, Column] = fields(
    order=Id("商户订单号", "外部订单号", "线上订单号", "原始单号", "平台订单号", "网店订单号", "订单号",
              "订单编号"),
    amount=Amount("实付金额", "订单实付金额", "买家实付金额", "已付金额", "实收金额", "订单金额", "应收金额",
               "应付金额", "支付金额", "付款金额", "订单总金额", "订单总额", "成交金额"),
    paid_at=When("支付时间", "付款时间", "支付日期", "付款日期"),
    created_at=When("下单时间", "创建时间", "订单创建时间", "订单时间", "成交时间", "订单日期", "下单日期"),
    own_id=Id("内部订单号", "系统订单号", "ERP订单号"),
    status=Text("订单状态", "状态"),
    goods=Text("商品名称", "商品", "宝贝名称", "商品标题"),
    refund=Amount("退款金额", "已退款金额"),
    buyer=Text("买家昵称", "买家账号", "买家", "会员名称", "客户名称"),
    pay_no=Id("支付流水号", "支付单号", "交易流水号", "支付交易号", "外部交易号"),
    shop=Text("店铺", "店铺名称"),
    goods_amount=Amount("商品金额", "商品总金额", "商品金额合计"),
    discount=Amount("优惠金额", "优惠", "优惠总金额"),
    postage=Amount("运费", "邮费"),
)
#: header words of payment and bank statements: such a file is not an order list
_NOT_ORDERS = ("交易类型", "业务类型", "账务类型", "收/支", "收支类型", "交易对方", "账务流水号",
               "动账流水号", "支付宝交易号", "微信订单号", "交易号", "余额", "账户余额")
_STATUS = (
    ("退款成功", Status.REFUNDED), ("已退款", Status.REFUNDED), ("全额退款", Status.REFUNDED),
    ("关闭", Status.CLOSED), ("取消", Status.CLOSED), ("作废", Status.CLOSED),
    ("待付款", Status.UNPAID), ("未付款", Status.UNPAID), ("待支付", Status.UNPAID),
    ("已完成", Status.COMPLETED), ("交易成功", Status.COMPLETED), ("已签收", Status.COMPLETED),
    ("已收货", Status.COMPLETED),
    ("待发货", Status.PAID), ("未发货", Status.PAID), ("已付款", Status.PAID), ("已支付", Status.PAID),
    ("已审核", Status.PAID),
    ("已发货", Status.SHIPPED), ("待收货", Status.SHIPPED), ("发货", Status.SHIPPED),
)


def _word(cell: str) -> str:
    s = normalise_header(cell)
    return s.removesuffix("(元)").removesuffix("(¥)")


def order_status(text: str) -> str | None:
    """Normalise a shop or ERP order status (``已发货`` → shipped, ``交易关闭`` → closed)."""
    return next((s for words, s in _STATUS if words in text), None)


def guess_columns(cells: Sequence[str]) -> dict[str, int] | None:
    """Field → column for one header row, or None when it lacks an id, an amount or a time."""
    words = [_word(c) for c in cells]
    if any(w in _NOT_ORDERS for w in words):
        return None
    index: dict[str, int] = {}
    for field, candidates in _CANDIDATES.items():
        for candidate in candidates:
            if candidate in words:
                index[field] = words.index(candidate)
                break
    if "own_id" in index and index.get("order") == index["own_id"]:
        del index["own_id"]
    has_time = "paid_at" in index or "created_at" in index
    return index if "order" in index and "amount" in index and has_time else None


class _Seen(dict[str, int]):
    """How often each order number was seen, to name repeats apart and report them once."""


class OwnOrders(TableImporter):
    id = "own_orders"
    title = "Own order list from an ERP or shop system (订单号, 实付金额, 支付时间 guessed from headers)"
    role = Role.ORDERS
    columns = _CANDIDATES
    required = ("order", "amount")

    def find_header(self, rows: Sequence[RawRow]) -> Header | None:
        for position, row in enumerate(rows):
            index = guess_columns(row.cells)
            if index is not None:
                return Header(position, index, len(row.cells))
        return None

    def detect(self, source: SourceFile) -> float:
        header = self.find_header(source.head_rows())
        if header is None:
            return 0.0
        extra = len(header.index) - 3
        return min(0.58, 0.5 + 0.01 * extra)

    def is_footer(self, row: RawRow) -> bool:
        head = "".join(row.cells[:2])
        return head.startswith("#") or head.startswith("合计") or head.startswith("总计")

    def read_footer(self, rows: list[RawRow], ctx: ReadContext) -> None:
        """A 合计 row under the amount column is checked against the orders read."""
        if ctx.header is None or not ctx.state(_Seen) or "amount" not in ctx.header.index:
            return  # no order was read
        column = ctx.header.index["amount"]
        table = ctx.builder.table()
        amounts = [a for a, k in zip(table["amount_minor"].to_pylist(), table["kind"].to_pylist(),
                                     strict=True) if k == Kind.ORDER]
        for row in rows:
            if self.is_footer(row) and not row.cells[0].startswith("#") and column < len(row.cells) \
                    and row.cells[column]:
                ctx.check("订单金额合计", self.money(row.cells[column]), sum(amounts))

    def read_preamble(self, rows: list[RawRow], ctx: ReadContext) -> None:
        """The mapping guessed, for the clerk to check (``meta["mapping"]``)."""
        if ctx.header is not None:
            ctx.meta["mapping"] = self.mapping(ctx.header_cells, ctx.header.index)

    def finish(self, ctx: ReadContext, entries: pa.Table) -> pa.Table:
        repeated = sorted(n for n, count in ctx.state(_Seen).items() if count > 1)
        if repeated:
            shown = ", ".join(repeated[:10]) + (" …" if len(repeated) > 10 else "")
            ctx.warnings.append(
                f"{ctx.file}: {len(repeated)} order number(s) appear on more than one row ({shown}); "
                "each row was read as its own order — check that the amount column is per row")
        return entries

    @staticmethod
    def mapping(cells: Sequence[str], index: dict[str, int]) -> str:
        """``id=外部订单号, amount=实付金额, time=支付时间 (else 下单时间)`` as the clerk reads it."""
        name = {field: cells[i] for field, i in index.items()}
        times = [name[f] for f in ("paid_at", "created_at") if f in name]
        parts = [f"id={name['order']}", f"amount={name['amount']}",
                 "time=" + " (else ".join(times) + (")" if len(times) > 1 else "")]
        parts += [f"{field}={name[field]}" for field in ("own_id", "status", "refund", "pay_no")
                  if field in name]
        return ", ".join(parts)

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        order = row.id("order")
        if not order or not any(ch.isalnum() for ch in order):
            raise ValueError(f"订单号 {row['order']!r} is empty")
        when = row["paid_at"] or row["created_at"]
        if not when:
            raise ValueError("no time: both the payment and the order time are empty")
        record_id = row.id("own_id") if row["own_id"] else order
        seen = ctx.state(_Seen)
        count = seen[record_id] = seen.get(record_id, 0) + 1
        record_id = record_id if count == 1 else f"{record_id}/{count}"
        ts = self.when(when)
        common = {
            "order_ref": order,
            "counterparty": row["buyer"],
            "batch_ref": row.id("pay_no") if row["pay_no"] else None,
            "status": order_status(row["status"]),
        }
        ctx.add(row, kind=Kind.ORDER, amount_minor=self.money(row["amount"]), ts=ts, record_id=record_id,
                text=row["goods"] or row["shop"], category=row["status"], **common)
        refund = self.money(row["refund"]) if row["refund"] else 0
        if refund:
            ctx.add(row, kind=Kind.ORDER_REFUND, amount_minor=-abs(refund), ts=ts,
                    record_id=f"{record_id}/refund", text="退款金额", category="退款", **common)
