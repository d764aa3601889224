"""A Pinduoduo (拼多多) shop: its order export and its 店铺账务明细 (货款明细), written the way the
merchant back-end writes them.

The orders come from the same simulation as the Tmall shop (:func:`~huikuan.synth.orders.
simulate_orders`); what differs is the paperwork. The order export (UTF-8 with BOM) has 订单号
``YYMMDD-<15 digits>``, 商家实收金额 (what 交易收入 pays), 订单状态 and 售后状态, and no refund amount.
The statement (GBK) has four preamble lines, the header on line 5, rows with no id of their own
(the importer names them ``file:line``) and ``#`` footer totals. Per order: 交易收入 when the buyer
confirms receipt, 技术服务费 (0.6 %) at the same second, 多多进宝 for promoted orders, 交易退款 with
``售后单号…`` in 备注 for after-sale refunds; and every few days a 提现 row. A refund before receipt
cancels the order (已取消, 售后状态 退款成功) and nothing reaches the statement.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from huikuan.synth import ids
from huikuan.synth.catalogue import COURIERS, ITEMS
from huikuan.synth.ledger import COMMISSION, PAYMENT, PAYOUT, PAYOUT_UNIT, REFUND, TAOBAOKE
from huikuan.synth.orders import CLOSED, I64, UNPAID, OrderBook
from huikuan.synth.period import DAY, HOUR, Period, Texts, yuan
from huikuan.synth.truth import (
    L_MATCH,
    PDD_SETTLEMENT,
    Codes,
    TruthWriter,
    settlement_labels,
)

ORDER_HEADER = (
    "商品,订单号,订单状态,商品总价(元),邮费(元),店铺优惠折扣(元),平台优惠折扣(元),多多支付立减金额(元),"
    "用户实付金额(元),商家实收金额(元),商品数量(件),发货时间,确认收货时间,商品id,商品规格,样式ID,"
    "商家编码-规格维度,商家编码-商品维度,商家备注,售后状态,快递单号,快递公司,订单成交时间"
)
ACCOUNT_HEADER = "商户订单号,发生时间,收入金额（+元）,支出金额（-元）,账务类型,备注,业务描述"
#: 技术服务费 rate (basis points of 商家实收金额)
TECH_FEE_BP = 60
#: PDD's platform coupon on some orders: the buyer pays less, the shop still receives 商家实收金额
PLATFORM_COUPON = 300
_NO_AFTER_SALE = "无售后或售后取消"


def pdd_order_numbers(book: OrderBook, texts: Texts) -> list[str]:
    """订单号 of every order: its creation date as YYMMDD, a dash, 15 digits."""
    days = (book.created // DAY + texts.offset).tolist()
    return [f"{texts.compact[d][2:]}-{ids.mixed(i, 15)}" for i, d in enumerate(days)]


def tech_fee(paid: I64) -> I64:
    """技术服务费 of each order (fen, positive)."""
    fee: I64 = (paid * TECH_FEE_BP + 5_000) // 10_000
    return fee


def write_pdd_orders(path: Path, book: OrderBook, rows: I64, numbers: list[str], *, texts: Texts,
                     labels: Codes, truth: TruthWriter) -> int:
    """The order export for book positions ``rows``; returns the data rows."""
    end = texts.period.end
    lines = [ORDER_HEADER]
    records: list[tuple[str, str]] = []
    for i in rows.tolist():
        no, state, code = numbers[i], int(book.state[i]), int(labels[i])
        item = ITEMS[int(book.item[i])]
        paid, total, postage = int(book.paid[i]), int(book.total[i]), int(book.postage[i])
        coupon = PLATFORM_COUPON if i % 9 == 0 and paid else 0
        settled, paid_at = int(book.settled_at[i]), int(book.paid_at[i])
        if book.refund[i]:
            after_sale = "退款成功"
        elif code == L_MATCH and i % 61 == 7:  # asked for a refund the shop has not granted yet
            after_sale = "退款中"
        else:
            after_sale = _NO_AFTER_SALE
        if state == UNPAID:
            status, shipped, received = "待支付", "", ""
        elif state == CLOSED:
            status, shipped, received = "已取消", "", ""
        elif code == L_MATCH and settled < end:
            status, shipped, received = "已签收", texts.stamp(paid_at + 8 * HOUR), texts.stamp(settled)
        elif paid_at < end - DAY:
            status, shipped, received = "已发货，待签收", texts.stamp(paid_at + 8 * HOUR), ""
        else:
            status, shipped, received = "待发货", "", ""
        waybill = f"78{int(book.order_no[i]) % 10**12:012d}" if shipped else ""
        courier = COURIERS[i % len(COURIERS)] if shipped else ""
        lines.append(
            f"{item.title},{no},\"{status}\",{yuan(total - postage)},{yuan(postage)},0,{yuan(coupon)},0,"
            f"{yuan(max(paid - coupon, 0))},{yuan(paid)},1,{shipped},{received},"
            f"60{int(book.item[i]):010d},默认,{1234567000 + int(book.item[i])},,,,{after_sale},"
            f"{waybill},{courier},{texts.stamp(int(book.created[i]))}"
        )
        records.append((no, f"order:{no}"))
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    truth.write(PDD_SETTLEMENT, "left", path.name, records, labels[rows].tolist())
    return len(rows)


class PddStatement:
    """Every line of the shop's 货款账户 in time order, as numpy columns."""

    def __init__(self, book: OrderBook, period: Period, rng: np.random.Generator) -> None:
        end = period.end
        rows = np.flatnonzero(book.has_lines)
        tbk = rows[book.taobaoke[rows] > 0]
        refunded = rows[(book.refund[rows] > 0) & ~book.refund_before[rows]]
        income_at = book.payment_at[rows]
        parts = (
            (income_at, PAYMENT, rows, book.payment_amount[rows]),
            (income_at, COMMISSION, rows, -tech_fee(book.payment_amount[rows])),
            (book.taobaoke_at[tbk], TAOBAOKE, tbk, -book.taobaoke[tbk]),
            (book.refund_at[refunded], REFUND, refunded, -book.refund[refunded]),
        )
        at = np.concatenate([p[0] for p in parts])
        kind = np.concatenate([np.full(len(p[2]), p[1], dtype=np.int8) for p in parts])
        ref = np.concatenate([p[2] for p in parts])
        amount = np.concatenate([p[3] for p in parts])
        inside = at < end
        order = np.lexsort((kind[inside], at[inside]))
        at, kind, ref, amount = (a[inside][order] for a in (at, kind, ref, amount))
        # 提现 every third day at 10:xx: what came in since, less a reserve, in hundreds of yuan
        days = np.arange(2, period.days, 3, dtype=np.int64)
        when = days * DAY + 10 * HOUR + rng.integers(0, HOUR, len(days))
        earned = np.concatenate([[0], np.cumsum(amount)])[np.searchsorted(at, when, side="right")]
        payouts: list[int] = []
        withdrawn = 0
        for total in earned.tolist():
            take = max(0, (total - withdrawn - 50_000) // PAYOUT_UNIT * PAYOUT_UNIT)
            payouts.append(take)
            withdrawn += take
        drawn = np.array(payouts, dtype=np.int64)
        keep = drawn > 0
        where = np.searchsorted(at, when[keep], side="right")
        self.at = np.insert(at, where, when[keep])
        self.kind = np.insert(kind, where, np.int8(PAYOUT))
        self.ref = np.insert(ref, where, np.arange(int(keep.sum()), dtype=np.int64))
        self.amount = np.insert(amount, where, -drawn[keep])

    def __len__(self) -> int:
        return len(self.at)


def write_pdd_account(path: Path, statement: PddStatement, book: OrderBook, numbers: list[str], *,
                      lo: int, hi: int, since: int, until: int, texts: Texts,
                      truth: TruthWriter) -> int:
    """Statement lines ``lo:hi`` for ``[since, until)``; returns the data rows."""
    lines = ["拼多多店铺账务明细查询", "",
             f"起始时间：{texts.stamp(since)}  终止时间：{texts.stamp(until - 1)}",
             "----------交易记录明细列表---------", ACCOUNT_HEADER]
    records: list[tuple[str, str]] = []
    kind, ref = statement.kind[lo:hi], statement.ref[lo:hi]
    for at, k, r, amount in zip(statement.at[lo:hi].tolist(), kind.tolist(), ref.tolist(),
                                statement.amount[lo:hi].tolist(), strict=True):
        income = yuan(amount) if amount > 0 else "0"
        expense = yuan(amount) if amount < 0 else "0"
        no = "" if k == PAYOUT else numbers[r]
        if k == PAYMENT:
            tail = "交易收入,-,0010002|交易收入-订单收入"
        elif k == COMMISSION:
            tail = "技术服务费,技术服务费,0050001|技术服务费-技术服务费"
        elif k == TAOBAOKE:
            tail = "多多进宝,多多进宝佣金扣除,0060001|营销费用-多多进宝"
        elif k == REFUND:
            tail = f"交易退款,售后单号{ids.mixed(r, 12)}退款,0020002|交易退款-订单退款"
        else:
            tail = "提现,提现至招商银行(尾号0801),0090001|提现-提现"
        cell = f"\t{no}" if no else ""
        lines.append(f"{cell},{texts.stamp(at)},{income},{expense},{tail}")
        line = len(lines)  # physical line of this row in the file
        records.append((f"{path.name}:{line}", f"order:{no}"))
    amounts = statement.amount[lo:hi]
    income_rows, expense_rows = amounts[amounts > 0], amounts[amounts < 0]
    lines += [f"#支出合计：{len(expense_rows)}笔，共{yuan(int(expense_rows.sum()))}元",
              f"#收入合计：{len(income_rows)}笔，共{yuan(int(income_rows.sum()))}元",
              f"#导出时间：{texts.stamp(texts.period.end + 10 * HOUR + 733)}"]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    labels = settlement_labels(book, kind, ref)
    truth.write(PDD_SETTLEMENT, "right", path.name, records, labels.tolist())
    return hi - lo
