"""Alipay personal 交易明细 (the bill a person — or a small shop using a personal account —
exports from the Alipay app or website), CSV in GBK.

Layout: a long preamble (``导出信息：``, ``支付宝账户：…``, ``起始时间：[…] 终止时间：[…]``,
``共N笔记录``, ``收入：N笔 X元``, ``支出：…``, ``不计收支：…``, nine 特别提示 lines, a
``----支付宝（中国）网络技术有限公司 电子客户回单----`` rule), then the header 交易时间, 交易分类,
交易对方, 对方账号, 商品说明, 收/支, 金额, 收/付款方式, 交易状态, 交易订单号, 商家订单号, 备注.

Pitfalls: header and values padded with spaces, ids padded with a tab before the comma, every
line ends with a comma (an empty last column); amounts are unsigned — the direction is the 收/支
column (支出, 收入, 不计收支; see :mod:`._cn_bills` for how 不计收支 rows are kept). A refund has an
id of its own (``<trade>_<refund>``) and the 商家订单号 of the order. Not the merchant 账务明细
(``alipay_account``) nor the merchant 业务明细 (``alipay_business``).
"""

from __future__ import annotations

from huikuan.importers.base import Row
from huikuan.importers.columns import Amount, Id, Text, When, fields
from huikuan.importers.sources._cn_bills import Movement, PersonalBill, direction, optional_id


class AlipayPersonal(PersonalBill):
    id = "alipay_personal"
    title = "Alipay personal bill (支付宝 交易明细)"
    marker = "支付宝"
    account_label = "支付宝账户"
    columns = fields(
        time=When("交易时间"),
        category=Text("交易分类"),
        counterparty=Text("交易对方"),
        counterparty_account=Text("对方账号"),
        description=Text("商品说明"),
        direction=Text("收/支"),
        amount=Amount("金额"),
        method=Text("收/付款方式"),
        status=Text("交易状态"),
        trade_no=Id("交易订单号"),
        merchant_order=Id("商家订单号"),
        memo=Text("备注"),
    )
    required = ("time", "counterparty", "description", "direction", "amount", "trade_no")
    excluded = ("商户名称", "交易说明")  # the JD personal bill shares most other headers

    def movement(self, row: Row) -> Movement:
        return Movement(
            ts=row["time"],
            amount=abs(self.money(row["amount"])),
            direction=direction(row["direction"]),
            record_id=optional_id(row, "trade_no"),
            order_ref=optional_id(row, "merchant_order"),
            counterparty=row["counterparty"],
            category=row["category"],
            description=row["description"],
            memo=row["memo"],
            status=row["status"],
        )
