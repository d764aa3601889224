"""WeChat Pay personal bill (微信支付账单明细), CSV in UTF-8 (the app's export has a BOM and CRLF).

Layout: 16 preamble lines padded to 11 columns with commas (``微信支付账单明细``, ``微信昵称：[…]``,
``起始时间：[…] 终止时间：[…]``, ``共N笔记录``, ``收入：N笔 X元``, ``支出：…``, ``中性交易：…``, notes),
a ``----微信支付账单明细列表----`` rule, then the header 交易时间, 交易类型, 交易对方, 商品, 收/支,
金额(元), 支付方式, 当前状态, 交易单号, 商户单号, 备注.

Pitfalls: amounts carry ``¥``; 收/支 is ``/`` for 中性交易 (充值, 提现, 零钱通, 理财通, 信用卡还款 —
see :mod:`._cn_bills`); ids are padded with a tab, inside or outside the quotes, and ``/`` means
"none"; the status may carry an amount (``已退款￥742.00``, ``已退款(￥5.00)``), kept in the text.
A 零钱提现 states its service fee in 备注 (``服务费¥0.10``): the payout is the amount less the fee
(what reaches the bank card) and the fee is an entry of its own, ``<交易单号>/fee``.
"""

from __future__ import annotations

import re

from huikuan.importers.base import Row
from huikuan.importers.columns import Amount, Id, Text, When, fields
from huikuan.importers.sources._cn_bills import Movement, PersonalBill, direction, optional_id

_FEE_IN_MEMO = re.compile(r"服务费\s*[¥￥]?\s*([\d,]+(?:\.\d+)?)")
_REFUND_IN_STATUS = re.compile(r"已退款\s*[(（]?\s*[¥￥]?\s*([\d,]+(?:\.\d+)?)")


class WechatPersonal(PersonalBill):
    id = "wechat_personal"
    title = "WeChat Pay personal bill (微信支付账单明细)"
    marker = "微信支付账单明细"
    account_label = "微信昵称"
    account_key = "account_name"
    neutral_label = "中性交易"
    columns = fields(
        time=When("交易时间"),
        type=Text("交易类型"),
        counterparty=Text("交易对方"),
        goods=Text("商品"),
        direction=Text("收/支"),
        amount=Amount("金额(元)", "金额（元）"),
        method=Text("支付方式"),
        status=Text("当前状态"),
        trade_no=Id("交易单号"),
        merchant_order=Id("商户单号"),
        memo=Text("备注"),
    )
    required = ("time", "type", "direction", "amount", "status", "trade_no")

    def movement(self, row: Row) -> Movement:
        status = row["status"]
        refunded = None
        if (m := _REFUND_IN_STATUS.search(status)) and direction(row["direction"]) == "out":
            refunded = self.money(m.group(1))  # a payment refunded in part or whole later
        memo = row["memo"]
        fee = self.money(m.group(1)) if (m := _FEE_IN_MEMO.search(memo)) else 0
        goods = row["goods"]
        return Movement(
            ts=row["time"],
            amount=abs(self.money(row["amount"])),
            direction=direction(row["direction"]),
            record_id=optional_id(row, "trade_no"),
            order_ref=optional_id(row, "merchant_order"),
            counterparty=row["counterparty"] if row["counterparty"] != "/" else "",
            category=row["type"],
            description=goods if goods != "/" else "",
            memo=memo,
            status=status,
            refunded=refunded,
            fee=fee,
        )
