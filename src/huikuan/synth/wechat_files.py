"""A shop that sells through its own mini-program and is paid by WeChat Pay: the ERP's order list
and the WeChat Pay merchant trade bill (交易账单), written as each system writes them.

The orders come from :func:`~huikuan.synth.orders.simulate_orders`; WeChat books a payment the
moment the buyer pays (a SUCCESS row at 支付时间) and every refund as a row of its own (REFUND,
with its own 微信退款单号, the original 商户订单号, 订单金额 0 and the fee given back as a negative
手续费). The ERP list (GBK) is found by its header words and records no refund. Orders paid in the
previous month whose refund falls in this one give REFUND rows with no order in the list (timing).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from huikuan.synth import ids
from huikuan.synth.catalogue import ITEMS, SHOP_NAME, SURNAMES
from huikuan.synth.orders import CLOSED, I64, UNPAID, OrderBook
from huikuan.synth.period import DAY, Period, Texts, yuan
from huikuan.synth.truth import (
    L_CLOSED,
    L_DUPLICATE,
    L_FEE_WITHOUT_ORDER,
    L_MATCH,
    L_NO_ORDER,
    L_NOT_SETTLED,
    L_TIMING,
    L_UNPAID,
    WECHAT_SETTLEMENT,
    Codes,
    TruthWriter,
)

ORDER_HEADER = ("系统订单号,商户订单号,店铺,商品名称,订单状态,下单时间,支付时间,商品金额,运费,优惠金额,"
                "实付金额,买家昵称,支付方式")
BILL_HEADER = (
    "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,"
    "货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,"
    "商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注"
)
SUMMARY_HEADER = ("总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,"
                  "申请退款总金额")
#: WeChat Pay's fee, basis points of 应结订单金额
FEE_BP = 60
#: a merchant-funded coupon (免充值代金券) on every 12th payment: 应结订单金额 is less by it
COUPON = 500
_APPID = "wx8a1b2c3d4e5f6a7b"
_MCH_ID = "1900012345"
_BANKS = ("CMB_DEBIT", "ICBC_DEBIT", "CCB_CREDIT", "OTHERS", "CFT")
#: SUCCESS and REFUND rows of the bill
PAY, BACK = 0, 1


def merchant_order_numbers(book: OrderBook, texts: Texts) -> list[str]:
    """商户订单号 the shop sends to WeChat: ``E`` + creation date + 10 digits."""
    days = (book.created // DAY + texts.offset).tolist()
    return [f"E{texts.compact[d]}{ids.mixed(i, 10)}" for i, d in enumerate(days)]


def pay_lag(book: OrderBook) -> I64:
    """Seconds between the ERP's 支付时间 and WeChat's 交易时间 of a payment (1–3)."""
    lag: I64 = 1 + np.arange(len(book), dtype=np.int64) % 3
    return lag


def wechat_order_labels(book: OrderBook, period: Period) -> Codes:
    """Label of every order's row in the ERP list: WeChat books a payment when it is made."""
    label = np.full(len(book), L_MATCH, dtype=np.int8)
    label[book.paid_at + pay_lag(book) >= period.end] = L_TIMING
    label[book.not_settled] = L_NOT_SETTLED
    label[book.state == CLOSED] = L_CLOSED
    label[book.state == UNPAID] = L_UNPAID
    return label


def fee_of(amount: I64) -> I64:
    """手续费 on an amount (fen, rounded half up), as WeChat charges it."""
    fee: I64 = (amount * FEE_BP + 5_000) // 10_000
    return fee


def write_erp_orders(path: Path, book: OrderBook, rows: I64, numbers: list[str], *, texts: Texts,
                     labels: Codes, truth: TruthWriter) -> int:
    """The ERP order list for book positions ``rows``; returns the data rows."""
    lines = [ORDER_HEADER]
    records: list[tuple[str, str]] = []
    for i in rows.tolist():
        state, paid = int(book.state[i]), int(book.paid[i])
        surname, pinyin = SURNAMES[int(book.buyer[i]) % len(SURNAMES)]
        if state == UNPAID:
            status = "待付款"
        elif state == CLOSED:
            status = "已关闭"
        elif book.refund[i] == paid and paid:
            status = "已退款"
        else:
            status = "已完成" if book.settled_at[i] < texts.period.end else "已发货"
        paid_text = texts.stamp(int(book.paid_at[i])) if paid else ""
        total, postage = int(book.total[i]), int(book.postage[i])
        own_id = f"{1_000_001 + i}"
        lines.append(
            f"{own_id},{numbers[i]},{SHOP_NAME}小程序,{ITEMS[int(book.item[i])].title},{status},"
            f"{texts.stamp(int(book.created[i]))},{paid_text},{yuan(total - postage)},{yuan(postage)},"
            f"0.00,{yuan(paid)},{pinyin}{int(book.buyer[i]) % 10000:04d}{surname},"
            f"{'微信支付' if paid else ''}"
        )
        records.append((own_id, f"order:{numbers[i]}"))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    truth.write(WECHAT_SETTLEMENT, "left", path.name, records, labels[rows].tolist())
    return len(rows)


class TradeBill:
    """Every row of the trade bill in time order: payments and refunds, as numpy columns."""

    def __init__(self, book: OrderBook, end: int) -> None:
        payers = np.flatnonzero(book.has_lines & ~book.carry_in)
        refunded = np.flatnonzero((book.refund > 0) & book.exported & (book.refund_at < end))
        # last month's orders: some are refunded in this one
        back = np.flatnonzero(book.carry_in)
        back_at = book.settled_at[back]
        back_amount = np.maximum(book.paid[back] // 300 * 100, 100)
        at = np.concatenate([book.paid_at[payers] + pay_lag(book)[payers],
                             book.refund_at[refunded], back_at])
        self.kind = np.concatenate([np.full(len(payers), PAY, dtype=np.int8),
                                    np.full(len(refunded) + len(back), BACK, dtype=np.int8)])
        self.ref = np.concatenate([payers, refunded, back])
        amount = np.concatenate([book.paid[payers], book.refund[refunded], back_amount])
        order = np.lexsort((self.ref, at))
        inside = at[order] < end
        self.at, self.kind, self.ref = at[order][inside], self.kind[order][inside], self.ref[order][inside]
        self.amount = amount[order][inside]   # 订单金额 of a payment, 退款金额 of a refund
        self.coupon = np.where((self.kind == PAY) & (self.ref % 12 == 5), COUPON, 0)
        self.fee = fee_of(self.amount - self.coupon)

    def __len__(self) -> int:
        return len(self.at)


def write_trade_bill(path: Path, bill: TradeBill, book: OrderBook, numbers: list[str], *, lo: int,
                     hi: int, texts: Texts, truth: TruthWriter, duplicate: bool = False) -> int:
    """Bill rows ``lo:hi`` with the summary; ``duplicate``: a re-export of rows already written."""
    lines = [BILL_HEADER]
    records: list[tuple[str, str]] = []
    labels: list[int] = []
    counts = {"settle": 0, "refund": 0, "fee": 0, "order": 0}
    for position, at, kind, r, amount, coupon, fee in zip(
            range(lo, hi), bill.at[lo:hi].tolist(), bill.kind[lo:hi].tolist(), bill.ref[lo:hi].tolist(),
            bill.amount[lo:hi].tolist(), bill.coupon[lo:hi].tolist(), bill.fee[lo:hi].tolist(),
            strict=True):
        no = numbers[r]
        paid_day = texts.compact[texts.day_index(int(book.paid_at[r]))]
        transaction = f"4200001{r % 1000:03d}{paid_day}{ids.mixed(r, 10)}"
        user = f"oUpF8u{int(book.buyer[r]):010d}Wx"
        bank = _BANKS[r % len(_BANKS)]
        item = ITEMS[int(book.item[r])].title
        if kind == PAY:
            record = transaction
            cells = (f"SUCCESS,`{bank},`CNY,`{yuan(amount - coupon)},`{yuan(coupon)},`0,`0,`0.00,`0.00,`,`,"
                     f"`{item},`,`{yuan(fee)}000,`0.60%,`{yuan(amount)},`0.00,`")
            counts["settle"] += amount - coupon
            counts["fee"] += fee
            counts["order"] += amount
        else:
            refund_day = texts.compact[texts.day_index(at)]
            record = f"50301508{position % 100:02d}{refund_day}{ids.mixed(position, 11)}"
            cells = (f"REFUND,`{bank},`CNY,`0.00,`0.00,`{record},`RF{refund_day}{ids.mixed(position, 8)},"
                     f"`{yuan(amount)},`0.00,`ORIGINAL,`SUCCESS,`{item},`,`-{yuan(fee)}000,`0.60%,"
                     f"`0.00,`{yuan(amount)},`")
            counts["refund"] += amount
            counts["fee"] -= fee
        lines.append(f"`{texts.stamp(at)},`{_APPID},`{_MCH_ID},`0,`,`{transaction},`{no},`{user},"
                     f"`JSAPI,`{cells}")
        label = _label(book, r, duplicate)
        group = f"order:{no}"
        records.append((record, group))
        labels.append(label)
        if fee:
            records.append((f"{record}/fee", group))
            labels.append(L_FEE_WITHOUT_ORDER if label == L_NO_ORDER else label)
    lines.append(SUMMARY_HEADER)
    lines.append(f"`{hi - lo},`{yuan(counts['settle'])},`{yuan(counts['refund'])},`0.00,"
                 f"`{yuan(counts['fee'])}000,`{yuan(counts['order'])},`{yuan(counts['refund'])}")
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    truth.write(WECHAT_SETTLEMENT, "right", path.name, records, labels)
    return hi - lo


def _label(book: OrderBook, order: int, duplicate: bool) -> int:
    if duplicate:
        return L_DUPLICATE
    if book.carry_in[order]:
        return L_TIMING
    return L_MATCH if book.exported[order] else L_NO_ORDER

