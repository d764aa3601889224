"""WeChat Pay merchant bills: the trade bill (交易账单) and the fund-flow bill (资金账单).

Both come from the merchant platform or the bill-download API as UTF-8 text with a BOM: one plain
header line, data rows whose every field starts with a backtick (so that Excel keeps ids as
text), then a summary header and one summary row, also backticked.

**wechat_trade** — 交易时间, 公众账号ID, 商户号, 特约商户号, 设备号, 微信订单号, 商户订单号, 用户标识,
交易类型, 交易状态, 付款银行, 货币种类, 应结订单金额, 代金券金额, 微信退款单号, 商户退款单号, 退款金额,
充值券退款金额, 退款类型, 退款状态, 商品名称, 商户数据包, 手续费, 费率, 订单金额, 申请退款金额, 费率备注
(the SUCCESS bill drops the refund columns, the REFUND bill adds 退款申请时间/退款成功时间, old bills
say 总金额/企业红包金额; columns are found by name). A SUCCESS row is a ``payment`` of 订单金额 (what
the order says; 应结订单金额 is after 免充值券 coupons and goes into the text when it differs),
record id 微信订单号. A REFUND row (or REVOKED: a 付款码 payment revoked) is a ``refund`` of
−退款金额 with the 微信退款单号 as its id. 手续费 (written with five decimals) becomes a ``fee`` entry
``<record id>/fee``: negative, or positive when a refund gives the fee back. Every entry carries
the 商户订单号 as ``order_ref`` and the 微信订单号 as ``batch_ref``. The summary (总交易单数,
应结订单总金额, 退款总金额, 充值券退款总金额, 手续费总金额, 订单总金额, 申请退款总金额) is checked.

**wechat_fundflow** — 记账时间, 微信支付业务单号, 资金流水单号, 业务名称, 业务类型, 收支类型,
收支金额（元）, 账户结余（元）, 资金变更提交申请人, 备注, 业务凭证号; summary 资金流水总笔数, 收入笔数,
收入金额, 支出笔数, 支出金额. The amount is unsigned; 收支类型 gives the sign. 提现 → ``payout``
with the 业务凭证号 (else the 业务单号) as ``batch_ref``; 交易 → ``payment``, 退款 → ``refund``,
手续费/服务费 → ``fee``, 充值 → ``transfer``; the record id is the 资金流水单号.
"""

from __future__ import annotations

from typing import ClassVar

from huikuan.domain.entry import Kind, Status
from huikuan.domain.money import format_minor
from huikuan.domain.roles import Role
from huikuan.importers.base import ReadContext, Row
from huikuan.importers.cells import normalise_header
from huikuan.importers.columns import Amount, Id, Text, When, fields
from huikuan.importers.reader import RawRow
from huikuan.importers.sources._cn_bills import CnBill, optional_id, parse_count, tally, unique_id
from huikuan.importers.sources._wechat_columns import SUMMARY_PREFIXES, trade_entries
from huikuan.importers.vector import VectorEntries, VectorRows

_REFUND_STATUS = {"SUCCESS": Status.REFUNDED, "PROCESSING": Status.PENDING,
                  "FAIL": Status.CLOSED, "CHANGE": Status.PENDING}


class WechatSummary(CnBill):
    """A backticked bill that ends with a summary header and one summary row."""

    #: first cell of the summary header
    summary_first: str = ""
    #: summary header text → (tally key, is a count)
    summary: ClassVar[dict[str, tuple[str, bool]]] = {}

    def is_footer(self, row: RawRow) -> bool:
        return bool(row.cells) and normalise_header(row.cells[0]) == self.summary_first

    def read_footer(self, rows: list[RawRow], ctx: ReadContext) -> None:
        if len(rows) < 2:
            if self.summary_first:
                ctx.warnings.append(f"{ctx.file}: the summary ({self.summary_first}…) is missing")
            return
        t = tally(ctx)
        names, values = rows[0].cells, rows[1].cells
        for name, value in zip(names, values, strict=False):
            key = self.summary.get(normalise_header(name))
            if key is None:
                if name:
                    ctx.meta[f"summary {name}"] = value
                continue
            tally_key, is_count = key
            if is_count:
                ctx.check(name, parse_count(value), t.counts[tally_key], count=True)
            else:
                ctx.check(name, self.money(value), t.sums[tally_key])


class WechatTrade(WechatSummary):
    id = "wechat_trade"
    title = "WeChat Pay merchant trade bill (微信支付 交易账单)"
    role = Role.PLATFORM
    columns = fields(
        time=When("交易时间"),
        appid=Text("公众账号ID"),
        mch_id=Text("商户号"),
        sub_mch_id=Text("特约商户号", "子商户号"),
        transaction_id=Id("微信订单号"),
        merchant_order=Id("商户订单号"),
        user=Text("用户标识"),
        trade_type=Text("交易类型"),
        status=Text("交易状态"),
        bank=Text("付款银行"),
        currency=Text("货币种类"),
        settle=Text("应结订单金额", "总金额"),
        coupon=Text("代金券金额", "企业红包金额", "代金券或立减优惠金额"),
        refund_id=Id("微信退款单号"),
        merchant_refund=Id("商户退款单号"),
        refund=Amount("退款金额"),
        coupon_refund=Text("充值券退款金额", "企业红包退款金额", "代金券或立减优惠退款金额"),
        refund_type=Text("退款类型"),
        refund_status=Text("退款状态"),
        refund_done=When("退款成功时间"),
        goods=Text("商品名称"),
        attach=Text("商户数据包"),
        fee=Amount("手续费"),
        rate=Text("费率"),
        order_amount=Amount("订单金额"),
        refund_requested=Amount("申请退款金额"),
    )
    required = ("time", "transaction_id", "merchant_order", "status", "settle", "fee")
    summary_first = "总交易单数"
    footer_prefixes = SUMMARY_PREFIXES
    summary: ClassVar[dict[str, tuple[str, bool]]] = {
        "总交易单数": ("rows", True),
        "应结订单总金额": ("settle", False), "总交易额": ("settle", False),
        "退款总金额": ("refund", False), "总退款金额": ("refund", False),
        "充值券退款总金额": ("coupon_refund", False), "企业红包退款总金额": ("coupon_refund", False),
        "总代金券或立减优惠退款金额": ("coupon_refund", False),
        "手续费总金额": ("fee", False),
        "订单总金额": ("order", False),
        "申请退款总金额": ("refund_requested", False),
    }

    def amount(self, row: Row, name: str) -> int:
        return self.money(row[name]) if row[name] else 0

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        status = row["status"].upper()
        transaction_id = row.id("transaction_id")
        values = {k: self.amount(row, k) for k in ("settle", "coupon", "refund", "coupon_refund", "fee",
                                                     "order_amount", "refund_requested")}
        currency = row["currency"].upper() if len(row["currency"]) == 3 else self.currency
        common = {
            "order_ref": row.id("merchant_order"),
            "batch_ref": transaction_id,
            "counterparty": row["user"],
            "currency": currency,
        }
        if status == "SUCCESS":
            record_id = unique_id(ctx, transaction_id)
            order_amount = values["order_amount"] if row["order_amount"] else values["settle"]
            notes = [row["goods"], row["attach"]]
            if values["settle"] != order_amount:
                notes.append(f"应结订单金额 {format_minor(values['settle'], currency)}")
            if values["coupon"]:
                notes.append(f"代金券 {format_minor(values['coupon'], currency)}")
            ts = self.when(row["time"])
            ctx.add(row, kind=Kind.PAYMENT, amount_minor=abs(order_amount), ts=ts, record_id=record_id,
                    text=" | ".join(n for n in notes if n), status=Status.PAID,
                    category=row["trade_type"], **common)
        elif status in ("REFUND", "REVOKED"):
            refund_id = optional_id(row, "refund_id")
            record_id = unique_id(ctx, refund_id or f"{transaction_id}/{status.lower()}")
            ts = self.when(row["refund_done"] or row["time"])
            notes = [row["goods"], f"商户退款单号 {row.id('merchant_refund')}" if optional_id(
                row, "merchant_refund") else "", row["refund_type"]]
            ctx.add(row, kind=Kind.REFUND, amount_minor=-abs(values["refund"]), ts=ts,
                    record_id=record_id, text=" | ".join(n for n in notes if n),
                    status=_REFUND_STATUS.get(row["refund_status"].upper(), Status.REFUNDED),
                    category=f"{row['trade_type']} {status}".strip(), **common)
        else:
            raise ValueError(f"交易状态 {row['status']!r} is none of SUCCESS, REFUND, REVOKED")
        if values["fee"]:
            ctx.add(row, kind=Kind.FEE, amount_minor=-values["fee"], ts=ts, record_id=f"{record_id}/fee",
                    text=f"费率 {row['rate']}" if row["rate"] else "", category="手续费", **common)
        t = tally(ctx)
        t.add("rows")
        for key in ("settle", "refund", "coupon_refund", "fee", "refund_requested"):
            t.sums[key] += values[key]
        t.sums["order"] += values["order_amount"]

    def vector_parse(self, rows: VectorRows) -> VectorEntries:
        """:meth:`parse_row` on columns (see :mod:`._wechat_columns`)."""
        return trade_entries(self, rows)


#: 业务类型/业务名称 words → kind, first match wins
_FUND_KINDS: tuple[tuple[tuple[str, ...], Kind], ...] = (
    (("提现",), Kind.PAYOUT),
    (("手续费", "服务费", "技术服务"), Kind.FEE),
    (("退款",), Kind.REFUND),
    (("保证金",), Kind.DEPOSIT),
    (("罚", "违约", "赔付"), Kind.PENALTY),
    (("充值", "转入", "调拨"), Kind.TRANSFER),
    (("分账",), Kind.FEE),
    (("交易",), Kind.PAYMENT),
)


class WechatFundflow(WechatSummary):
    id = "wechat_fundflow"
    title = "WeChat Pay merchant fund-flow bill (微信支付 资金账单)"
    role = Role.PLATFORM
    columns = fields(
        time=When("记账时间"),
        business_no=Id("微信支付业务单号"),
        serial=Id("资金流水单号"),
        name=Text("业务名称"),
        type=Text("业务类型"),
        direction=Text("收支类型"),
        amount=Amount("收支金额（元）", "收支金额(元)", "收支金额"),
        balance=Amount("账户结余（元）", "账户结余(元)", "账户结余"),
        applicant=Text("资金变更提交申请人"),
        memo=Text("备注"),
        voucher=Id("业务凭证号"),
    )
    required = ("time", "business_no", "serial", "direction", "amount")
    summary_first = "资金流水总笔数"
    summary: ClassVar[dict[str, tuple[str, bool]]] = {
        "资金流水总笔数": ("rows", True),
        "收入笔数": ("in", True), "收入金额": ("in", False),
        "支出笔数": ("out", True), "支出金额": ("out", False),
    }

    def parse_row(self, row: Row, ctx: ReadContext) -> None:
        way = row["direction"]
        if way not in ("收入", "支出"):
            raise ValueError(f"收支类型 {way!r} is neither 收入 nor 支出")
        size = abs(self.money(row["amount"]))
        amount = size if way == "收入" else -size
        words = f"{row['type']} {row['name']}"
        kind = next((k for ws, k in _FUND_KINDS if any(w in words for w in ws)), Kind.OTHER)
        business_no = optional_id(row, "business_no")
        voucher = optional_id(row, "voucher")
        ctx.add(
            row,
            kind=kind,
            amount_minor=amount,
            ts=self.when(row["time"]),
            record_id=unique_id(ctx, row.id("serial")),
            order_ref=voucher if kind in (Kind.PAYMENT, Kind.FEE) else "",
            batch_ref=(voucher or business_no) if kind == Kind.PAYOUT else business_no,
            counterparty=row["applicant"],
            text=row["memo"],
            category=row["type"] or row["name"],
        )
        t = tally(ctx)
        t.add("rows")
        t.add("in" if way == "收入" else "out", size)
