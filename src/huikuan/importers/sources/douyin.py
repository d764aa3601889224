"""Douyin shop (抖店) fund flow: 资金流水明细 / 动账明细 of the settlement account (聚合账户), CSV or Excel.

One row per movement of money: 动账流水号 (unique, e.g. ``AS2023…_IN``), 动账时间, 动账方向
(入账 / 出账), 动账金额, 动账摘要 (an enumeration: 订单结算, 部分结算, 运费单结算, 服务费返还,
平台补贴扣回, 退款失败退票, 保证金退款, 提现, 提现退票, 极速退款分账, 小额打款(原因:…), 已退款,
原路退, 运费险扣减货款, 支付BIC服务费 …), 动账场景, 计费类型, 动账账户 (微信 / 支付宝 / 聚合支付),
订单号 (the shop order, 19 digits), 子订单号, 售后编号, then the breakdown of a settled order
(订单实付应结, 平台服务费, 佣金 …) and 备注. Older exports spell 动帐 with 帐.

Pitfalls: amounts are in 分 (whole numbers) unless the header says ``(元)``; the unit is decided
once per file from the header and shown in ``meta["amount_unit"]``. The amount is written without
sign; 动账方向 gives it. An 订单结算 row nets the buyer's payment, subsidies and all fees of the
order in one figure: it is a ``settlement``.
"""

from __future__ import annotations

from huikuan.domain.entry import Kind
from huikuan.domain.money import parse_minor_units
from huikuan.domain.roles import Role
from huikuan.importers.base import ReadContext, Row, TableImporter
from huikuan.importers.cells import normalise_header
from huikuan.importers.columns import Amount, Id, Text, When, fields
from huikuan.importers.reader import RawRow

#: the 动账摘要 enumeration of the open platform (account_bill_desc) → kind
_SUMMARY_KINDS = {
    "订单结算": Kind.SETTLEMENT, "部分结算": Kind.SETTLEMENT, "运费单结算": Kind.SETTLEMENT,
    "极速退款分账": Kind.SETTLEMENT,
    "达人带货佣金": Kind.FEE, "达人佣金退款": Kind.FEE, "服务费返还": Kind.FEE,
    "运费险扣减货款": Kind.FEE, "支付BIC服务费": Kind.FEE, "BIC服务费退票": Kind.FEE,
    "平台补贴扣回": Kind.SUBSIDY,
    "退款失败退票": Kind.REFUND, "已退款": Kind.REFUND, "原路退": Kind.REFUND,
    "小额打款退票": Kind.REFUND,
    "结算重复扣款调账": Kind.OTHER,
    "保证金退款": Kind.DEPOSIT,
    "提现": Kind.PAYOUT, "提现退票": Kind.PAYOUT,
}
#: then words of 动账摘要 / 动账场景, first match wins (退票 of a payout is still a payout)
_WORD_KINDS = (
    (("保证金",), Kind.DEPOSIT),
    (("提现",), Kind.PAYOUT),
    (("BIC", "运费险", "保费", "服务费", "佣金", "推广", "分成"), Kind.FEE),
    (("补贴",), Kind.SUBSIDY),
    (("罚", "违约", "违规"), Kind.PENALTY),
    (("退款", "原路退", "小额打款", "退用户"), Kind.REFUND),
    (("结算", "分账"), Kind.SETTLEMENT),
)
_IN, _OUT = ("入账", "收入", "入"), ("出账", "支出", "出")
_NOT_AN_ORDER = (Kind.PAYOUT, Kind.DEPOSIT)


def classify(summary: str, scene: str) -> Kind:
    """The kind of a fund-flow row from its 动账摘要 (an enumeration) and 动账场景."""
    if summary in _SUMMARY_KINDS:
        return _SUMMARY_KINDS[summary]
    for text in (summary, scene):
        for words, kind in _WORD_KINDS:
            if text and any(w in text for w in words):
                return kind
    return Kind.OTHER


class DouyinSettlement(TableImporter):
    id = "douyin_settlement"
    title = "Douyin shop 资金流水明细 (抖店 动账明细, settlement account flow)"
    role = Role.PLATFORM
    columns = fields(
        serial=Id("动账流水号", "动帐流水号"),
        time=When("动账时间", "动帐时间"),
        direction=Text("动账方向", "动帐方向"),
        amount=Amount("动账金额", "动帐金额", "动账金额(分)", "动账金额(元)", "动帐金额(分)", "动帐金额(元)"),
        summary=Text("动账摘要", "动帐摘要"),
        scene=Text("动账场景", "动帐场景"),
        billing=Text("计费类型"),
        wallet=Text("动账账户", "动帐账户"),
        order=Id("订单号", "店铺单号", "主订单编号"),
        sub_order=Text("子订单号", "子订单编号"),
        after_sale=Id("售后编号", "售后单号"),
        product=Text("商品名称"),
        remark=Text("备注"),
        settle_type=Text("结算单类型"),
    )
    required = ("serial", "time", "direction", "amount")

    def read_preamble(self, rows: list[RawRow], ctx: ReadContext) -> None:
        if ctx.header is not None:
            ctx.meta["amount_unit"] = self.amount_unit(ctx.header_cells, ctx.header.index)

    @staticmethod
    def amount_unit(header: list[str], index: dict[str, int]) -> str:
        """``分`` or ``元``: the amount header's own unit, else the unit other headers state, else 分."""
        names = [normalise_header(c) for c in header]
        own = names[index["amount"]]
        for text in (own, "".join(names)):
            if "(元)" in text:
                return "元"
            if "(分)" in text:
                return "分"
        return "分"

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        text = row["amount"]
        size = self.money(text) if ctx.meta.get("amount_unit") == "元" else parse_minor_units(text)
        direction = row["direction"]
        if direction in _IN:
            if size < 0:
                raise ValueError(f"动账金额 {text!r} is negative but 动账方向 is {direction}")
            amount = size
        elif direction in _OUT:
            amount = -abs(size)
        else:
            raise ValueError(f"动账方向 {direction!r} is neither 入账 nor 出账")
        summary, scene = row["summary"], row["scene"]
        kind = classify(summary, scene)
        order = row.id("order") if row["order"] else ""
        after_sale = f"售后编号 {row.id('after_sale')}" if row["after_sale"] else ""
        ctx.add(
            row,
            kind=kind,
            amount_minor=amount,
            ts=self.when(row["time"]),
            record_id=row.id("serial"),
            order_ref=None if kind in _NOT_AN_ORDER else order,
            text=" ".join(t for t in (row["remark"] or scene or row["product"], after_sale) if t),
            category=(summary if summary not in ("", "其他") else scene or summary) or row["settle_type"],
            account=row["wallet"] or None,
        )
