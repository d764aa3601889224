"""Alipay 业务明细 (merchant business detail: one row per trade or refund), CSV in GBK.

It is the ``…_业务明细.csv`` of the daily/monthly trade bill (bill type ``trade``, from the
merchant site or the bill-download API). Layout: ``#支付宝业务明细查询``, ``#账号：[…]``,
``#起始日期：[…]   终止日期：[…]``, a ``#----业务明细列表----`` rule, the header of 25 columns
(支付宝交易号, 商户订单号, 业务类型, 商品名称, 创建时间, 完成时间, 门店编号, 门店名称, 操作员, 终端号,
对方账户, 订单金额（元）, 商家实收（元）, 支付宝红包（元）, 集分宝（元）, 支付宝优惠（元）,
商家优惠（元）, 券核销金额（元）, 券名称, 商家红包消费金额（元）, 卡消费金额（元）,
退款批次号/请求号, 服务费（元）, 分润（元）, 备注), rows whose ids end with a tab, then
``#----业务明细列表结束----``, ``#交易合计：N笔，商家实收共X元，商家优惠共Y元``,
``#退款合计：N笔，商家实收退款共-X元，商家优惠退款共Y元`` and ``#导出时间：[…]``.

Not the 账务明细 (``alipay_account``: 账务流水号, 收入/支出 columns): this bill lists trades, not
account movements. Each row gives

* 业务类型 交易 → ``payment`` of 商家实收 (what reaches the merchant; 订单金额 and the discounts are
  in the text when they differ), record id the 支付宝交易号;
* 业务类型 退款 → ``refund`` of −|商家实收|, record id ``<支付宝交易号>/<退款批次号>`` (the trade
  number is the refunded trade's, so it cannot name the refund alone);
* 服务费 and 分润 → ``fee`` entries ``<record id>/fee`` and ``/share``: negative on a trade, positive
  (returned) on a refund, whatever sign the export writes them with.

All carry the 商户订单号 as ``order_ref`` and the 支付宝交易号 as ``batch_ref``. The footer totals
(count, 商家实收, 商家优惠 of trades and of refunds) are checked against the rows.
"""

from __future__ import annotations

import re

from huikuan.domain.entry import Kind
from huikuan.domain.money import format_minor
from huikuan.domain.roles import Role
from huikuan.importers.base import ReadContext, Row
from huikuan.importers.columns import Amount, Id, Text, When, fields
from huikuan.importers.reader import RawRow
from huikuan.importers.sources._cn_bills import CnBill, tally, unique_id

_BRACKETED = re.compile(r"[\[【](.*?)[\]】]")
_FOOTER = re.compile(r"(交易|退款)合计[:：]\s*(\d+)\s*笔[,，]\s*商家实收(?:退款)?共\s*([-\d,.]+)\s*元"
                     r"(?:[,，]\s*商家优惠(?:退款)?共\s*([-\d,.]+)\s*元)?")
_DISCOUNTS = (("discount", "商家优惠"), ("red_packet", "支付宝红包"), ("points", "集分宝"),
              ("alipay_discount", "支付宝优惠"), ("coupon", "券核销"))


class AlipayBusiness(CnBill):
    id = "alipay_business"
    title = "Alipay 业务明细 (merchant trade detail)"
    role = Role.PLATFORM
    columns = fields(
        trade_no=Id("支付宝交易号"),
        merchant_order=Id("商户订单号"),
        type=Text("业务类型"),
        goods=Text("商品名称"),
        created=When("创建时间"),
        finished=When("完成时间"),
        store=Text("门店名称"),
        counterparty=Text("对方账户"),
        order_amount=Amount("订单金额（元）", "订单金额"),
        received=Amount("商家实收（元）", "商家实收"),
        red_packet=Text("支付宝红包（元）"),
        points=Text("集分宝（元）"),
        alipay_discount=Amount("支付宝优惠（元）"),
        discount=Amount("商家优惠（元）"),
        coupon=Text("券核销金额（元）"),
        refund_batch=Id("退款批次号/请求号", "退款批次号"),
        fee=Amount("服务费（元）", "服务费"),
        share=Text("分润（元）", "分润"),
        memo=Text("备注"),
    )
    required = ("trade_no", "merchant_order", "type", "order_amount", "received")

    def is_footer(self, row: RawRow) -> bool:
        return bool(row.cells) and row.cells[0].startswith("#")

    def read_preamble(self, rows: list[RawRow], ctx: ReadContext) -> None:
        for row in rows:
            line = ",".join(row.cells)
            if "账号" in line and (m := _BRACKETED.search(line)):
                ctx.meta["account"] = m.group(1).strip()
            if "起始日期" in line and len(dates := _BRACKETED.findall(line)) >= 2:
                ctx.meta["period_start"], ctx.meta["period_end"] = dates[0], dates[1]

    def read_footer(self, rows: list[RawRow], ctx: ReadContext) -> None:
        t = tally(ctx)
        for row in rows:
            line = "".join(row.cells)
            if "导出时间" in line and (m := _BRACKETED.search(line)):
                ctx.meta["exported"] = m.group(1)
            if not (m := _FOOTER.search(line)):
                continue
            label, key = m.group(1), "trade" if m.group(1) == "交易" else "refund"
            ctx.check(f"{label}合计 笔数", int(m.group(2)), t.counts[key], count=True)
            # refunds are written negative in the footer and usually in the rows; compare sizes
            ctx.check(f"{label}合计 商家实收", abs(self.money(m.group(3))), abs(t.sums[key]))
            if m.group(4):
                ctx.check(f"{label}合计 商家优惠", abs(self.money(m.group(4))),
                          abs(t.sums[f"{key} discount"]))

    def amount(self, row: Row, name: str) -> int:
        return self.money(row[name]) if row[name] else 0

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        trade_no = row.id("trade_no")
        if not trade_no:
            raise ValueError("支付宝交易号 is empty")
        biz_type = row["type"]
        received = self.amount(row, "received")
        order_amount = self.amount(row, "order_amount")
        fee, share = self.amount(row, "fee"), self.amount(row, "share")
        discounts = {key: self.amount(row, key) for key, _ in _DISCOUNTS}
        refund = "退款" in biz_type
        if refund:
            batch = row.id("refund_batch") if row["refund_batch"] else ""
            record_id = unique_id(ctx, f"{trade_no}/{batch or 'refund'}")
            kind, amount, back = Kind.REFUND, -abs(received), 1
        elif biz_type == "交易":
            record_id = unique_id(ctx, trade_no)
            kind, amount, back = Kind.PAYMENT, abs(received), -1
        else:  # an unknown business type keeps the sign the export gives it
            record_id = unique_id(ctx, trade_no)
            kind, amount, back = Kind.OTHER, received, -1 if received >= 0 else 1
        notes = [row["goods"], row["memo"]]
        if order_amount != received:
            notes.append(f"订单金额 {format_minor(order_amount)}")
        notes += [f"{label} {format_minor(discounts[key])}" for key, label in _DISCOUNTS if discounts[key]]
        common = {
            "ts": self.when(row["finished"] or row["created"]),
            "order_ref": row.id("merchant_order") if row["merchant_order"] else "",
            "counterparty": row["counterparty"],
            "batch_ref": trade_no,
            "category": biz_type,
        }
        ctx.add(row, kind=kind, amount_minor=amount, record_id=record_id,
                text=" | ".join(n for n in notes if n), **common)
        for value, suffix, label in ((fee, "fee", "服务费"), (share, "share", "分润")):
            if value:
                ctx.add(row, kind=Kind.FEE, amount_minor=back * abs(value),
                        record_id=f"{record_id}/{suffix}", text=label, **{**common, "category": label})
        key = "refund" if refund else "trade" if biz_type == "交易" else biz_type
        tally(ctx).add(key, received)
        tally(ctx).sums[f"{key} discount"] += discounts["discount"]
