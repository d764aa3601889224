"""Taobao / Tmall order export (订单报表, ExportOrderList), CSV or Excel.

订单编号 is 18–19 digits and comes guarded (``="…"`` or a leading tab) so that Excel keeps it as
text. One order gives an ``order`` entry for 买家实际支付金额 and, when 退款金额 is filled, an
``order_refund`` entry for the refund the order says was granted; both carry the order number.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from huikuan.domain.entry import Kind, Status
from huikuan.domain.roles import Role
from huikuan.importers import vector_cells as vc
from huikuan.importers.base import ReadContext, Row, TableImporter, first_nonempty
from huikuan.importers.columns import Amount, Id, Text, When, fields
from huikuan.importers.vector import VectorEntries, VectorRows

_STATUS = (
    ("等待买家付款", Status.UNPAID),
    ("交易关闭", Status.CLOSED),
    ("交易成功", Status.COMPLETED),
    ("已发货", Status.SHIPPED),
    ("已付款", Status.PAID),
    ("等待卖家发货", Status.PAID),
    ("退款", Status.REFUNDED),
)


def order_status(text: str) -> str | None:
    """Normalise 订单状态 (``卖家已发货，等待买家确认`` → shipped)."""
    for words, status in _STATUS:
        if words in text:
            return status
    return None


class TaobaoOrders(TableImporter):
    id = "taobao_orders"
    title = "Taobao/Tmall order export (订单报表)"
    role = Role.ORDERS
    columns = fields(
        order_no=Id("订单编号", "订单号"),
        buyer=Text("买家会员名", "买家昵称"),
        goods=Text("买家应付货款"),
        postage=Amount("买家应付邮费"),
        total=Amount("总金额"),
        paid=Amount("买家实际支付金额"),
        status=Text("订单状态"),
        created=When("订单创建时间"),
        paid_at=When("订单付款时间", "订单付款时间 "),
        title=Text("宝贝标题", "宝贝标题 "),
        refund=Amount("退款金额"),
        received_at=When("确认收货时间"),
        pay_no=Id("支付单号"),
        shop=Text("店铺名称"),
        waybill=Text("物流单号", "物流单号 "),
        close_reason=Text("订单关闭原因"),
    )
    required = ("order_no", "paid", "status", "created")

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        order_no = row.id("order_no")
        if not order_no.isdigit():
            raise ValueError(f"订单编号 {row['order_no']!r} is not an order number")
        status = order_status(row["status"])
        paid = self.money(row["paid"]) if row["paid"] else 0
        ts = self.when(first_nonempty(row["paid_at"], row["created"]))
        common = {
            "order_ref": order_no,
            "counterparty": row["buyer"],
            "batch_ref": row.id("pay_no") if row["pay_no"] else None,
            "status": status,
        }
        ctx.add(row, kind=Kind.ORDER, amount_minor=paid, ts=ts, record_id=order_no,
                text=row["title"], category=row["status"], **common)
        refund = self.money(row["refund"]) if row["refund"] else 0
        if refund:
            when = self.when_or_none(row["received_at"]) or ts
            ctx.add(row, kind=Kind.ORDER_REFUND, amount_minor=-abs(refund), ts=when,
                    record_id=f"{order_no}/refund", text="退款金额", category="退款", **common)

    def vector_parse(self, rows: VectorRows) -> VectorEntries:
        """:meth:`parse_row` on columns: an order entry per row, a refund entry where 退款金额
        is not zero."""
        order_no, ok = vc.ident(rows["order_no"])
        ok = pc.and_(ok, pc.ascii_is_decimal(order_no))
        paid, refund = rows["paid"], rows["refund"]
        paid_minor, paid_ok = vc.amount(paid, self.currency)
        refund_minor, refund_ok = vc.amount(refund, self.currency)
        ok = pc.and_(ok, pc.or_(pc.invert(vc.filled(paid)), paid_ok))
        ok = pc.and_(ok, pc.or_(pc.invert(vc.filled(refund)), refund_ok))
        paid_minor = pc.if_else(vc.filled(paid), paid_minor, 0)
        refund_minor = pc.if_else(vc.filled(refund), refund_minor, 0)
        ts, ts_ok = vc.timestamp(pc.if_else(vc.filled(rows["paid_at"]), rows["paid_at"],
                                            rows["created"]), self.tz)
        received, received_ok = vc.timestamp(rows["received_at"], self.tz)
        refunded = pc.not_equal(refund_minor, 0)
        received_given = vc.filled(rows["received_at"])
        ok = pc.and_(ok, ts_ok)
        ok = pc.and_(ok, pc.or_(pc.invert(pc.and_(refunded, received_given)), received_ok))
        pay_no, pay_ok = vc.ident(rows["pay_no"])
        ok = pc.and_(ok, pay_ok)
        status = pa.nulls(len(rows), pa.string())
        for words, value in reversed(_STATUS):
            status = pc.if_else(pc.match_substring(rows["status"], words), value.value, status)
        common = {"order_ref": order_no, "counterparty": rows["buyer"], "batch_ref": pay_no,
                  "status": status}
        return VectorEntries(ok, [
            {"kind": Kind.ORDER, "amount_minor": paid_minor, "ts": ts, "record_id": order_no,
             "text": rows["title"], "category": rows["status"], **common},
            {"kind": Kind.ORDER_REFUND, "amount_minor": pc.negate(pc.abs(refund_minor)),
             "ts": pc.if_else(received_given, received, ts),
             "record_id": pc.binary_join_element_wise(order_no, "/refund", ""),
             "text": "退款金额", "category": "退款", "present": refunded, **common},
        ])
