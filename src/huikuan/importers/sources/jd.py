"""JD (京东): the personal 交易流水 and the merchant (POP shop) settlement detail.

**jd_personal** — 京东交易流水, CSV in UTF-8 with BOM: a 21-line preamble (``导出信息：``,
``京东账号名：…``, ``日期区间：… 至 …``, ``共：N笔记录``, ``收入：N笔，X元``,
``支出：N笔(含M笔部分退款)，X元``, ``不计收支：…``, notes), a blank line, then 交易时间, 商户名称,
交易说明, 金额, 收/付款方式, 交易状态, 收/支, 交易分类, 交易订单号, 商家订单号, 备注. Times and ids
end with a tab. The amount may carry a note: ``131.77(已退款89.84)`` is a payment of 131.77 of
which 89.84 came back later (the refund is a row of its own, 不计收支, ``退款-…``); we keep the paid
amount, mark the row refunded and write the note into the text. ``468.32(已全额退款)`` is a
payment refunded in full, which JD moves to 不计收支: it stays a payment of −468.32, status refunded.
The preamble's 支出 total is net of partial refunds, and is checked that way.

**jd_settlement** — 结算明细 / 对账明细 from the merchant back office: one row per order, SKU and
fee item (费用名称 or 费用项: 货款, 佣金, 交易服务费, 平台使用费, 京东配送费, 京豆, 违约金 …) with
应结金额 (or 金额) and 收支方向. The amount's sign follows 收支方向 (收入 +, 支出 −; a value
written negative under 收入 is refused). 货款 收入 is the buyer's payment, 货款 支出 a refund; fees,
subsidies, penalties and deposits by the words of the fee item. Rows have no id of their own: the
record id is ``订单编号/商品编号/费用名称[/售后服务单号]``. A closing 合计/总计 row is checked
against the sum of the amounts as written.
"""

from __future__ import annotations

import re

from huikuan.domain.entry import Kind, Status
from huikuan.domain.roles import Role
from huikuan.importers.base import ReadContext, Row, first_nonempty
from huikuan.importers.columns import Amount, Id, Text, When, fields
from huikuan.importers.reader import RawRow
from huikuan.importers.sources._cn_bills import (
    CnBill,
    Movement,
    PersonalBill,
    direction,
    optional_id,
    tally,
    unique_id,
)

_ANNOTATED = re.compile(
    r"\s*([\d,]+(?:\.\d+)?)\s*(?:[(（]\s*(?:已退款\s*([\d,]+(?:\.\d+)?)|(已全额退款))\s*[)）])?\s*")


class JdPersonal(PersonalBill):
    id = "jd_personal"
    title = "JD personal transaction bill (京东 交易流水)"
    marker = "京东"
    account_label = "京东账号名"
    columns = fields(
        time=When("交易时间"),
        merchant=Text("商户名称"),
        description=Text("交易说明"),
        amount=Amount("金额"),
        method=Text("收/付款方式"),
        status=Text("交易状态"),
        direction=Text("收/支"),
        category=Text("交易分类"),
        trade_no=Id("交易订单号"),
        merchant_order=Id("商家订单号"),
        memo=Text("备注"),
    )
    required = ("time", "merchant", "description", "amount", "direction", "trade_no")
    excluded = ("交易对方", "商品说明")  # the Alipay personal bill shares most other headers

    def movement(self, row: Row) -> Movement:
        m = _ANNOTATED.fullmatch(row["amount"])
        if not m:
            raise ValueError(f"金额 {row['amount']!r} is neither an amount nor an amount with a "
                             "refund note such as 131.77(已退款89.84)")
        return Movement(
            ts=row["time"],
            amount=self.money(m.group(1)),
            direction=direction(row["direction"]),
            record_id=optional_id(row, "trade_no"),
            order_ref=optional_id(row, "merchant_order"),
            counterparty=row["merchant"],
            category=row["category"],
            description=row["description"],
            memo=row["memo"],
            status=row["status"],
            refunded=self.money(m.group(2)) if m.group(2) else None,
            fully_refunded=bool(m.group(3)),
        )

    def stated_amount(self, m: Movement) -> int:
        return m.amount - (m.refunded or 0)  # "部分退款的支出金额为剔除退款后的支付金额"


#: fee item words → kind when money comes in, kind when it goes out; the first match wins
_FEE_ITEMS: tuple[tuple[tuple[str, ...], Kind, Kind], ...] = (
    (("保证金",), Kind.DEPOSIT, Kind.DEPOSIT),
    (("佣",), Kind.FEE, Kind.FEE),
    (("违约", "罚", "赔"), Kind.PENALTY, Kind.PENALTY),
    (("货款", "采购款"), Kind.PAYMENT, Kind.REFUND),   # 货款 paid back is the buyer's refund
    (("补贴",), Kind.SUBSIDY, Kind.SUBSIDY),
    (("费", "保险", "广告", "推广"), Kind.FEE, Kind.FEE),
    (("退款", "价保", "退还"), Kind.REFUND, Kind.REFUND),
    (("京豆", "券"), Kind.SUBSIDY, Kind.FEE),          # 京豆/东券 the shop pays for are a cost
)
_SETTLE_STATUS = (("不结算", Status.CLOSED), ("已结算", Status.COMPLETED), ("结算", Status.PENDING))


def fee_item_kind(item: str, income: bool) -> Kind:
    """The kind of a JD settlement line from its 费用名称 and 收支方向."""
    for words, when_in, when_out in _FEE_ITEMS:
        if any(w in item for w in words):
            return when_in if income else when_out
    return Kind.OTHER


class JdSettlement(CnBill):
    id = "jd_settlement"
    title = "JD merchant settlement detail (京东 结算明细)"
    role = Role.PLATFORM
    columns = fields(
        order_no=Id("订单编号", "订单号"),
        parent_order=Text("父单号"),
        order_status=Text("订单状态"),
        ordered_at=When("订单下单时间", "下单时间"),
        completed_at=When("订单完成时间", "完成时间"),
        delivered_at=When("订单妥投时间", "妥投时间"),
        after_sale=Id("售后服务单号", "服务单号"),
        refunded_at=When("售后退款时间"),
        sku=Id("商品编号", "SKU编号"),
        goods=Text("商品名称"),
        quantity=Text("商品数量"),
        fee_item=Text("费用名称", "费用项"),
        amount=Amount("应结金额", "金额", "结算金额"),
        direction=Text("收支方向"),
        settle_status=Text("结算状态"),
        settled_at=When("费用结算时间", "到账时间", "结算时间"),
        bill_date=When("账单日期", "账单生成时间"),
        expected_at=When("预计结算时间"),
        settlement_no=Id("结算单号"),
        merchant_order=Id("商户订单号"),
        fund_memo=Text("资金动账备注"),
        memo=Text("备注"),
    )
    required = ("order_no", "fee_item", "amount", "direction")

    def is_footer(self, row: RawRow) -> bool:
        first = row.cells[0] if row.cells else ""
        return first.startswith(("合计", "总计")) or super().is_footer(row)

    def read_footer(self, rows: list[RawRow], ctx: ReadContext) -> None:
        t = tally(ctx)
        at = t.columns.get("amount", -1)
        for row in rows:
            if row.cells and row.cells[0].startswith(("合计", "总计")) and 0 <= at < len(row.cells):
                ctx.check(f"{row.cells[0]} 应结金额", self.money(row.cells[at]), t.sums["written"])

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        order_no = row.id("order_no")
        item = row["fee_item"]
        if not order_no and not item:
            raise ValueError("neither 订单编号 nor 费用名称 is filled")
        written = self.money(row["amount"])
        way = row["direction"]
        if way == "收入" and written < 0:
            raise ValueError(f"应结金额 {row['amount']} is negative but 收支方向 says 收入")
        if way not in ("收入", "支出", ""):
            raise ValueError(f"收支方向 {way!r} is neither 收入 nor 支出")
        amount = abs(written) if way == "收入" else -abs(written) if way == "支出" else written
        after_sale = row.id("after_sale") if row["after_sale"] else ""
        sku = row.id("sku") if row["sku"] else ""
        natural = "/".join(p for p in (order_no, sku, item, after_sale) if p)
        status = next((s for words, s in _SETTLE_STATUS if words in row["settle_status"]), None)
        ts = first_nonempty(row["settled_at"], row["bill_date"], row["delivered_at"],
                            row["completed_at"], row["ordered_at"])
        ctx.add(
            row,
            kind=fee_item_kind(item, amount > 0 or way == "收入"),
            amount_minor=amount,
            ts=self.when_or_none(ts),
            record_id=unique_id(ctx, natural),
            order_ref=order_no,
            batch_ref=row.id("settlement_no") if row["settlement_no"] else None,
            text=" | ".join(t for t in (row["goods"], row["fund_memo"], row["memo"],
                                        f"售后服务单号 {after_sale}" if after_sale else "") if t),
            status=status,
            category=item,
        )
        t = tally(ctx)
        t.sums["written"] += written
        t.columns["amount"] = row.index["amount"]
