"""Pinduoduo (拼多多) exports: the shop account statement (店铺账务明细 / 货款明细) and the order export.

Account statement (``pdd_account``), GBK CSV or .xlsx: four preamble lines (``拼多多店铺账务明细查询``,
a blank line, ``起始时间：… 终止时间：…``, ``----------交易记录明细列表---------``), the header on line 5
(商户订单号, 发生时间, 收入金额（+元）, 支出金额（-元）, 账务类型, 备注, 业务描述), rows, then ``#`` footer
lines (``#收入合计：N笔，共X元``, ``#支出合计…``, ``#导出时间…``). The side that did not move is written
``0`` (not empty), and an expense may carry its own minus sign. 业务描述 is coded
``NNNNNNN|大类-小类`` (``0010002|交易收入-订单收入``): the whole coded text is the category. The rows
have no id of their own, so they are named ``file:line``. Some exports call the order column
商品订单号. Pitfall: the header is close to Alipay's 账务明细, which has 账务流水号 and 业务类型
instead of 账务类型.

Order export (``pdd_orders``): 订单号 such as ``231122-123456789012345`` whose prefix is the order
date (YYMMDD); when 订单成交时间 is empty the date is taken from it and a warning says so. The
amount is 商家实收金额(元), the figure the statement's 交易收入 pays.
"""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

from huikuan.domain.entry import Kind, Status
from huikuan.domain.roles import Role
from huikuan.importers import vector_cells as vc
from huikuan.importers.base import ReadContext, Row, TableImporter
from huikuan.importers.columns import Amount, Id, Text, When, fields
from huikuan.importers.reader import RawRow, SourceFile
from huikuan.importers.vector import VectorEntries, VectorRows

_FOOTER_TOTAL = re.compile(r"(收入|支出)合计[:：]\s*(\d+)\s*笔[,，]\s*共\s*([-+]?[\d,.]+)\s*元")
_PERIOD = re.compile(r"起始时间[:：]\s*(.+?)\s+终止时间[:：]\s*(.+?)\s*$")
_ORDER_NO = re.compile(r"(\d{2})(\d{2})(\d{2})-\d{6,}")

#: 大类 (or 账务类型) → kind, for the exact names the statement uses
_MAJOR_KINDS = {
    "交易收入": Kind.PAYMENT, "交易退款": Kind.REFUND, "提现": Kind.PAYOUT,
    "保证金": Kind.DEPOSIT, "货款充值": Kind.TRANSFER,
}
#: then words anywhere in 业务描述, 账务类型 or 备注, in this order
_WORD_KINDS = (
    (("保证金",), Kind.DEPOSIT),
    (("提现",), Kind.PAYOUT),
    (("营销费用", "技术服务费", "服务费", "推广", "佣金", "多多进宝", "运费险", "手续费"), Kind.FEE),
    (("罚", "违规", "违约", "扣款", "赔付"), Kind.PENALTY),
    (("补贴", "优惠券结算", "奖励", "返还"), Kind.SUBSIDY),
    (("退款",), Kind.REFUND),
)
_NOT_AN_ORDER = (Kind.PAYOUT, Kind.DEPOSIT, Kind.TRANSFER)


def classify(description: str, account_type: str, memo: str) -> Kind:
    """The kind of a statement row from 业务描述 (``code|大类-小类``), 账务类型 and 备注."""
    major = description.split("|", 1)[-1].split("-", 1)[0].strip() if description else ""
    for key in (major, account_type):
        if key in _MAJOR_KINDS:
            return _MAJOR_KINDS[key]
    text = f"{description} {account_type} {memo}"
    for words, kind in _WORD_KINDS:
        if any(w in text for w in words):
            return kind
    return Kind.OTHER


class PddAccount(TableImporter):
    id = "pdd_account"
    title = "Pinduoduo 店铺账务明细 (shop account statement / 货款明细)"
    role = Role.PLATFORM
    columns = fields(
        order=Id("商户订单号", "商品订单号"),
        time=When("发生时间"),
        income=Amount("收入金额（+元）", "收入金额(+元)", "收入金额（元）", "收入金额"),
        expense=Amount("支出金额（-元）", "支出金额(-元)", "支出金额（元）", "支出金额"),
        type=Text("账务类型"),
        memo=Text("备注"),
        description=Text("业务描述"),
    )
    required = ("order", "time", "income", "expense", "type")
    #: Alipay's statement shares most words; these are its own
    excluded = ("账务流水号", "业务流水号")

    def detect(self, source: SourceFile) -> float:
        score = super().detect(source)
        if score and "拼多多" in "".join("".join(r.cells) for r in source.head_rows(6)):
            score = min(1.0, score + 0.1)
        return score

    footer_prefixes = ("#",)

    def is_footer(self, row: RawRow) -> bool:
        return bool(row.cells) and row.cells[0].startswith("#")

    def read_preamble(self, rows: list[RawRow], ctx: ReadContext) -> None:
        for row in rows:
            m = _PERIOD.search(" ".join(c for c in row.cells if c))
            if m:
                ctx.meta["period_start"], ctx.meta["period_end"] = m.group(1), m.group(2)

    def read_footer(self, rows: list[RawRow], ctx: ReadContext) -> None:
        amounts = ctx.builder.table()["amount_minor"]
        for row in rows:
            m = _FOOTER_TOTAL.search("".join(row.cells).replace(",", ""))
            if not m:
                continue
            income = m.group(1) == "收入"
            picked = pc.filter(amounts, pc.greater(amounts, 0) if income else pc.less(amounts, 0))
            ctx.check(f"{m.group(1)}笔数", int(m.group(2)), len(picked), count=True)
            ctx.check(f"{m.group(1)}合计", abs(self.money(m.group(3))), abs(pc.sum(picked).as_py() or 0))

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        amount = row.in_minus_out("income", "expense")
        if amount < 0 and row["income"] not in ("", "-") and self.money(row["income"]) < 0:
            raise ValueError(f"收入金额 {row['income']!r} is negative")
        memo = "" if row["memo"] == "-" else row["memo"]
        description, account_type = row["description"], row["type"]
        kind = classify(description, account_type, memo)
        reference = row.id("order") if row["order"] else ""
        not_order = kind in _NOT_AN_ORDER
        ctx.add(
            row,
            kind=kind,
            amount_minor=amount,
            ts=self.when(row["time"]),
            order_ref=None if not_order else reference,
            batch_ref=reference if not_order else None,
            text=memo or account_type,
            category=description or account_type,
        )

    def vector_parse(self, rows: VectorRows) -> VectorEntries:
        """:meth:`parse_row` on columns."""
        ok = pa.repeat(True, len(rows))
        sides = []
        for name in ("income", "expense"):
            text = rows[name]
            given = pc.and_(vc.filled(text), pc.not_equal(text, "-"))
            value, parsed = vc.amount(text, self.currency)
            ok = pc.and_(ok, pc.or_(pc.invert(given), parsed))
            sides.append(pc.if_else(given, value, 0))
        income, expense = sides
        # one side moved, as row.in_minus_out requires; the others are its row errors
        ok = pc.and_(ok, pc.xor(pc.not_equal(income, 0), pc.not_equal(expense, 0)))
        ok = pc.and_(ok, pc.greater_equal(income, 0))
        amount = pc.if_else(pc.not_equal(income, 0), income, pc.negate(pc.abs(expense)))
        memo = pc.if_else(pc.equal(rows["memo"], "-"), "", rows["memo"])
        description, account_type = rows["description"], rows["type"]
        # str.strip() trims every Unicode space; with none but " " in the text, trimming " " is it
        ok = pc.and_(ok, pc.invert(pc.match_substring_regex(description, _OTHER_SPACE)))
        kind = vector_classify(description, account_type, memo)
        ts, ts_ok = vc.timestamp(rows["time"], self.tz)
        reference, ref_ok = vc.ident(rows["order"])
        ok = pc.and_(pc.and_(ok, ts_ok), ref_ok)
        not_order = pc.is_in(kind, value_set=pa.array([k.value for k in _NOT_AN_ORDER]))
        return VectorEntries(ok, [{
            "kind": kind, "amount_minor": amount, "ts": ts,
            "order_ref": pc.if_else(not_order, "", reference),
            "batch_ref": pc.if_else(not_order, reference, ""),
            "text": pc.if_else(vc.filled(memo), memo, account_type),
            "category": pc.if_else(vc.filled(description), description, account_type),
        }])


#: characters str.isspace() accepts other than " " (and the control characters around them)
_OTHER_SPACE = r"[\x00-\x1f\x7f-\xa0\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"


def vector_classify(description: pa.Array, account_type: pa.Array, memo: pa.Array) -> pa.Array:
    """:func:`classify` on columns (descriptions holding a space other than " " excepted)."""
    major = vc.first_match(description, r"^(?:[^|]*\|)?(?P<value>[^-]*)")
    major = pc.utf8_trim(major, characters=" ")
    kinds = {key: kind.value for key, kind in _MAJOR_KINDS.items()}
    kind = pc.coalesce(vc.lookup(major, kinds), vc.lookup(account_type, kinds))
    if pc.all(pc.is_valid(kind)).as_py() is not False:
        return vc.strings(kind)
    fallback = pa.repeat(Kind.OTHER.value, len(description))
    for words, word_kind in reversed(_WORD_KINDS):
        hit = pc.or_(pc.or_(vc.contains_any(description, words), vc.contains_any(account_type, words)),
                     vc.contains_any(memo, words))
        fallback = pc.if_else(hit, word_kind.value, fallback)
    return vc.strings(pc.coalesce(kind, fallback))


_ORDER_STATUS = (
    ("退款成功", Status.REFUNDED),
    ("已取消", Status.CLOSED),
    ("交易关闭", Status.CLOSED),
    ("待支付", Status.UNPAID),
    ("未支付", Status.UNPAID),
    ("待发货", Status.PAID),
    ("已发货", Status.SHIPPED),
    ("待签收", Status.SHIPPED),
    ("已签收", Status.COMPLETED),
    ("已收货", Status.COMPLETED),
    ("交易成功", Status.COMPLETED),
)


def order_status(status: str, after_sale: str) -> str | None:
    """Normalise 订单状态; a successful after-sale refund (售后状态 ``退款成功``) wins, except over
    a cancelled or closed order: refunded before it settled, nothing reached the wallet."""
    if "退款成功" in after_sale and not any(w in status for w in ("已取消", "交易关闭")):
        return Status.REFUNDED
    return next((s for words, s in _ORDER_STATUS if words in status), None)


def date_from_order_number(order_no: str) -> str | None:
    """``231122-123456789012345`` → ``2023-11-22``: the date PDD writes into its order numbers."""
    m = _ORDER_NO.fullmatch(order_no)
    return f"20{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else None


class _DatedByNumber(list[int]):
    """The lines whose date came from the order number, for one warning at the end."""


class PddOrders(TableImporter):
    id = "pdd_orders"
    title = "Pinduoduo order export (拼多多 订单列表)"
    role = Role.ORDERS
    columns = fields(
        order_no=Id("订单号"),
        goods=Text("商品", "商品名称"),
        status=Text("订单状态"),
        total=Amount("商品总价(元)"),
        postage=Amount("邮费(元)"),
        shop_discount=Amount("店铺优惠折扣(元)"),
        platform_discount=Amount("平台优惠折扣(元)"),
        pay_discount=Amount("多多支付立减金额(元)"),
        paid=Amount("用户实付金额(元)"),
        received=Amount("商家实收金额(元)"),
        quantity=Text("商品数量(件)"),
        shipped_at=When("发货时间"),
        received_at=When("确认收货时间"),
        after_sale=Text("售后状态"),
        waybill=Text("快递单号"),
        courier=Text("快递公司"),
        ordered_at=When("订单成交时间"),
    )
    required = ("order_no", "status", "paid", "received")

    def finish(self, ctx: ReadContext, entries: pa.Table) -> pa.Table:
        dated = ctx.state(_DatedByNumber)
        if dated:
            lines = ", ".join(map(str, dated[:10])) + (" …" if len(dated) > 10 else "")
            ctx.warnings.append(
                f"{ctx.file}: 订单成交时间 is empty on {len(dated)} row(s) (line {lines}); "
                "their date was taken from the order number (YYMMDD prefix), time 00:00")
        return entries

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        order_no = row.id("order_no")
        fallback = date_from_order_number(order_no) if order_no else None
        if fallback is None and row.damaged and not row["ordered_at"]:
            raise ValueError(f"订单号 {row['order_no']!r} lost digits in Excel and 订单成交时间 is "
                             "empty: the row has no date; export the file again as CSV")
        if fallback is None and not row.damaged:
            raise ValueError(f"订单号 {row['order_no']!r} is not a Pinduoduo order number (YYMMDD-digits)")
        if row["ordered_at"]:
            ts = self.when(row["ordered_at"])
        else:
            ts = self.when(fallback or "")
            ctx.state(_DatedByNumber).append(row.line)
        ctx.add(
            row,
            kind=Kind.ORDER,
            amount_minor=self.money(row["received"]),
            ts=ts,
            record_id=order_no,
            order_ref=order_no,
            text=row["goods"],
            status=order_status(row["status"], row["after_sale"]),
            category=row["status"],
        )
