"""Alipay 账务明细 (merchant account statement), as CSV (GBK) or Excel.

Layout: ``#`` preamble lines (``#支付宝账务明细查询``, ``#账号:[…]``, ``#起始日期:[…]``), a
``#-----账务明细列表-----`` marker, the header, rows padded with tabs, then ``#-----…结束-----``
and footer totals (``#收入合计：N笔，共X元``). Columns are mapped by name: their order differs
between accounts and years, and newer exports add 业务描述 and 业务基础订单号.

For Taobao/Tmall, 商户订单号 is ``T200P<订单编号>``; fees carry the order number inside 备注
(``天猫佣金（类目）{订单编号}扣款``); 交易分账 rows share the payment's 业务流水号.
"""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

from huikuan.domain.entry import Kind
from huikuan.importers.base import ImportResult, ReadContext, Row, TableImporter
from huikuan.importers.reader import RawRow, SourceFile

_ORDER_IN_MEMO = re.compile(r"(?<!\d)(\d{15,20})(?!\d)")
_PREFIX = re.compile(r"^T\d{3,4}P(?=\d)")
_FOOTER_TOTAL = re.compile(r"#?(收入|支出)合计[:：]\s*(\d+)\s*笔[,，]\s*共\s*([-\d,.]+)\s*元")
_BRACKETED = re.compile(r"[\[【](.*?)[\]】]")

#: 业务类型 (or the 小类 of 业务描述) -> kind; everything else is decided by amount and 备注
_TYPES = {
    "交易付款": Kind.PAYMENT, "在线支付": Kind.PAYMENT, "交易收款": Kind.PAYMENT,
    "交易退款": Kind.REFUND, "退款": Kind.REFUND,
    "提现": Kind.PAYOUT, "转账": Kind.TRANSFER, "充值": Kind.TRANSFER,
    "收费": Kind.FEE, "服务费": Kind.FEE, "交易分账": Kind.FEE,
    "保证金": Kind.DEPOSIT, "冻结": Kind.DEPOSIT, "解冻": Kind.DEPOSIT,
}
_MEMO_KINDS = (
    (("保证金",), Kind.DEPOSIT),
    (("罚", "违约", "赔付", "扣罚"), Kind.PENALTY),
    (("佣金", "服务费", "手续费", "技术服务", "淘宝客", "花呗", "分期", "运费险", "推广"), Kind.FEE),
    (("补贴", "红包", "返现", "奖励"), Kind.SUBSIDY),
    (("提现",), Kind.PAYOUT),
)


def order_number(merchant_order: str) -> str:
    """``T200P1234…`` → ``1234…`` (Taobao/Tmall prefix); other order numbers unchanged."""
    return _PREFIX.sub("", merchant_order)


class AlipayAccount(TableImporter):
    id = "alipay_account"
    title = "Alipay 账务明细 (merchant account statement)"
    role = "platform"
    columns = {  # noqa: RUF012 - class-level declaration read by the base class
        "serial": ("账务流水号",),
        "trade_no": ("业务流水号",),
        "merchant_order": ("商户订单号",),
        "item": ("商品名称",),
        "time": ("发生时间", "入账时间"),
        "counterparty": ("对方账号", "对方名称"),
        "income": ("收入金额（+元）", "收入金额(+元)", "收入金额（元）", "收入金额"),
        "expense": ("支出金额（-元）", "支出金额(-元)", "支出金额（元）", "支出金额"),
        "balance": ("账户余额（元）", "账户余额(元)", "账户余额"),
        "channel": ("交易渠道",),
        "type": ("业务类型",),
        "memo": ("备注",),
        "description": ("业务描述",),
        "base_order": ("业务基础订单号",),
    }
    required = ("serial", "time", "income", "expense", "type")

    def is_footer(self, row: RawRow) -> bool:
        return bool(row.cells) and row.cells[0].startswith("#")

    def read(self, source: SourceFile) -> ImportResult:
        ctx = ReadContext(self, source)
        self.read_into(source, ctx)
        result = ctx.result()
        result.entries = attribute_split_fees(result.entries)
        return result

    def read_preamble(self, rows: list[RawRow], ctx: ReadContext) -> None:
        for row in rows:
            line = "".join(row.cells)
            if "账号" in line and (m := _BRACKETED.search(line)):
                ctx.meta["account"] = m.group(1).strip()
            if "起始日期" in line:
                dates = _BRACKETED.findall(line)
                if len(dates) >= 2:
                    ctx.meta["period_start"], ctx.meta["period_end"] = dates[0], dates[1]

    def read_footer(self, rows: list[RawRow], ctx: ReadContext) -> None:
        table = ctx.builder.table()
        amounts = table["amount_minor"]
        for row in rows:
            m = _FOOTER_TOTAL.search(",".join(row.cells).replace(",", ""))
            if not m:
                continue
            income = m.group(1) == "收入"
            mask = pc.greater(amounts, 0) if income else pc.less(amounts, 0)
            picked = pc.filter(amounts, mask)
            total = abs(pc.sum(picked).as_py() or 0)
            ctx.check(f"{m.group(1)}笔数", int(m.group(2)), len(picked), count=True)
            ctx.check(f"{m.group(1)}合计", abs(self.money(m.group(3))), total)

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        income_text, expense_text = row["income"], row["expense"]
        income = self.money(income_text) if income_text else 0
        expense = self.money(expense_text) if expense_text else 0
        if income and expense:
            raise ValueError("both 收入金额 and 支出金额 are filled")
        amount = income if income else -abs(expense)
        memo = row["memo"]
        biz_type = row["type"]
        description = row["description"]
        category = description or biz_type
        kind = classify(biz_type, description, memo, amount)
        merchant_order = row.id("merchant_order") if row["merchant_order"] else ""
        order_ref = (
            order_number(merchant_order)
            or (row.id("base_order") if row["base_order"] else "")
            or _memo_order(memo)
        )
        if kind in (Kind.PAYOUT, Kind.TRANSFER, Kind.DEPOSIT):
            order_ref = ""
        ctx.add(
            row,
            kind=kind,
            amount_minor=amount,
            ts=self.when(row["time"]),
            record_id=row.id("serial"),
            order_ref=order_ref,
            counterparty=row["counterparty"],
            batch_ref=row.id("trade_no") if row["trade_no"] else None,
            text=memo or row["item"],
            category=category,
        )


def classify(biz_type: str, description: str, memo: str, amount: int) -> Kind:
    """The kind of an Alipay line from 业务类型, 业务描述 and 备注."""
    sub = description.split("|", 1)[-1].rsplit("-", maxsplit=1)[-1] if description else ""
    for key in (biz_type, sub):
        kind = _TYPES.get(key)
        if kind is not None:
            return kind
    for words, kind in _MEMO_KINDS:
        if any(w in memo for w in words):
            return kind
    if "退款" in biz_type or "退款" in description:
        return Kind.REFUND
    return Kind.OTHER


def _memo_order(memo: str) -> str:
    if not memo:
        return ""
    m = _ORDER_IN_MEMO.search(memo)
    return m.group(1) if m else ""


def attribute_split_fees(entries: pa.Table) -> pa.Table:
    """Give 交易分账 fee rows without an order number the order of the payment that shares their
    业务流水号 (Alipay trade number)."""
    if entries.num_rows == 0:
        return entries
    orders = entries["order_ref"]
    missing = pc.and_(pc.is_null(orders), pc.is_valid(entries["batch_ref"]))
    if not pc.any(missing).as_py():
        return entries
    # Arrow compute on the three columns involved: filtering whole entries (raw included) and
    # turning kinds and refs into Python lists cost twice the file's size at 1 GB
    keys = entries.select(["kind", "order_ref", "batch_ref"])
    payments = keys.filter(pc.and_(pc.equal(keys["kind"], Kind.PAYMENT), pc.is_valid(orders)))
    last_first = pa.array(range(payments.num_rows - 1, -1, -1), type=pa.int64())
    payments = payments.take(last_first)  # the last payment of a trade number wins, as before
    position = pc.index_in(keys["batch_ref"], value_set=payments["batch_ref"].combine_chunks())
    candidate = pc.take(payments["order_ref"], position)
    eligible = pc.and_(pc.is_valid(keys["batch_ref"]),
                       pc.is_in(keys["kind"], value_set=pa.array([Kind.FEE.value, Kind.REFUND.value,
                                                                  Kind.SUBSIDY.value])))
    filled = pc.if_else(eligible, candidate, pa.scalar(None, pa.string()))
    merged = pc.coalesce(orders, filled)
    return entries.set_column(entries.schema.get_field_index("order_ref"), "order_ref", merged)
