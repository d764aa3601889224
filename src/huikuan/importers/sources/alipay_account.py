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
from huikuan.domain.roles import Role
from huikuan.importers import vector_cells as vc
from huikuan.importers.base import ReadContext, Row, TableImporter
from huikuan.importers.columns import Amount, Id, Text, When, fields
from huikuan.importers.reader import RawRow
from huikuan.importers.vector import VectorEntries, VectorRows

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
    role = Role.PLATFORM
    columns = fields(
        serial=Id("账务流水号"),
        trade_no=Id("业务流水号"),
        merchant_order=Id("商户订单号"),
        item=Text("商品名称"),
        time=When("发生时间", "入账时间"),
        counterparty=Text("对方账号", "对方名称"),
        income=Amount("收入金额（+元）", "收入金额(+元)", "收入金额（元）", "收入金额"),
        expense=Amount("支出金额（-元）", "支出金额(-元)", "支出金额（元）", "支出金额"),
        balance=Amount("账户余额（元）", "账户余额(元)", "账户余额"),
        channel=Text("交易渠道"),
        type=Text("业务类型"),
        memo=Text("备注"),
        description=Text("业务描述"),
        base_order=Id("业务基础订单号"),
    )
    required = ("serial", "time", "income", "expense", "type")

    footer_prefixes = ("#",)

    def is_footer(self, row: RawRow) -> bool:
        return bool(row.cells) and row.cells[0].startswith("#")

    def finish(self, ctx: ReadContext, entries: pa.Table) -> pa.Table:
        return attribute_split_fees(entries)

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
        amount = row.in_minus_out("income", "expense")
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
        if kind in _NO_ORDER:
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


    def vector_parse(self, rows: VectorRows) -> VectorEntries:
        """:meth:`parse_row` on columns."""
        income_text, expense_text = rows["income"], rows["expense"]
        income, income_ok = vc.amount(income_text, self.currency)
        expense, expense_ok = vc.amount(expense_text, self.currency)
        has_income, has_expense = vc.filled(income_text), vc.filled(expense_text)
        income = pc.if_else(has_income, income, 0)
        expense = pc.if_else(has_expense, expense, 0)
        ok = pc.and_(pc.or_(pc.invert(has_income), income_ok), pc.or_(pc.invert(has_expense), expense_ok))
        # one side moved, as row.in_minus_out requires; the others are its row errors
        ok = pc.and_(ok, pc.xor(pc.not_equal(income, 0), pc.not_equal(expense, 0)))
        amount = pc.if_else(pc.not_equal(income, 0), income, pc.negate(pc.abs(expense)))
        memo, biz_type, description = rows["memo"], rows["type"], rows["description"]
        kind = vector_classify(biz_type, description, memo, amount)
        ts, ts_ok = vc.timestamp(rows["time"], self.tz)
        serial, serial_ok = vc.ident(rows["serial"])
        merchant, merchant_ok = vc.ident(rows["merchant_order"])
        base, base_ok = vc.ident(rows["base_order"])
        trade, trade_ok = vc.ident(rows["trade_no"])
        for checked in (ts_ok, serial_ok, merchant_ok, base_ok, trade_ok):
            ok = pc.and_(ok, checked)
        # ids are ASCII where ok, and memos with other digits are left to parse_row: [0-9] is \d
        ok = pc.and_(ok, pc.invert(pc.match_substring_regex(memo, vc.OTHER_DIGIT)))
        stripped = pc.replace_substring_regex(merchant, "^T[0-9]{3,4}P([0-9])", r"\1",
                                              max_replacements=1)
        searched = pc.and_(pc.and_(pc.invert(vc.filled(stripped)), pc.invert(vc.filled(base))),
                           vc.filled(memo))
        in_memo = vc.first_match(memo, "(?:^|[^0-9])(?P<value>[0-9]{15,20})(?:[^0-9]|$)", searched)
        order_ref = pc.if_else(vc.filled(stripped), stripped, pc.if_else(vc.filled(base), base, in_memo))
        no_order = pc.is_in(kind, value_set=pa.array([k.value for k in _NO_ORDER]))
        order_ref = pc.if_else(no_order, "", order_ref)
        return VectorEntries(ok, [{
            "kind": kind, "amount_minor": amount, "ts": ts, "record_id": serial,
            "order_ref": order_ref, "counterparty": rows["counterparty"], "batch_ref": trade,
            "text": pc.if_else(vc.filled(memo), memo, rows["item"]),
            "category": pc.if_else(vc.filled(description), description, biz_type),
        }])


_NO_ORDER = (Kind.PAYOUT, Kind.TRANSFER, Kind.DEPOSIT)


def vector_classify(biz_type: pa.Array, description: pa.Array, memo: pa.Array,
                    amount: pa.Array) -> pa.Array:
    """:func:`classify` on columns: the same tables, in the same order of precedence."""
    sub = vc.first_match(description, r"^(?:[^|]*\|)?(?:.*-)?(?P<value>[^-]*)$",
                         vc.filled(description))
    types = {key: kind.value for key, kind in _TYPES.items()}
    kind = pc.coalesce(vc.lookup(biz_type, types), vc.lookup(sub, types))
    if pc.all(pc.is_valid(kind)).as_py() is not False:
        return vc.strings(kind)
    refund = pc.or_(pc.match_substring(biz_type, "退款"), pc.match_substring(description, "退款"))
    fallback = pc.if_else(refund, Kind.REFUND.value, Kind.OTHER.value)
    for words, word_kind in reversed(_MEMO_KINDS):
        fallback = pc.if_else(vc.contains_any(memo, words), word_kind.value, fallback)
    return vc.strings(pc.coalesce(kind, fallback))


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
