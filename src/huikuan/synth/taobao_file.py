"""Writes the Taobao/Tmall order export (订单报表) the way the shop back-end does: GBK, CRLF,
ids guarded with ``="…"``, 35 columns, no footer."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from huikuan.synth import ids
from huikuan.synth.catalogue import ADDRESSES, CLOSE_REASONS, COURIERS, ITEMS, SHOP_ID, SHOP_NAME, SURNAMES
from huikuan.synth.orders import CLOSED, I64, UNPAID, OrderBook
from huikuan.synth.period import CENTS, DAY, Texts
from huikuan.synth.truth import L_MATCH, ORDERS_SETTLEMENT, Codes, TruthWriter

CHUNK = 50_000
HEADER = (
    "订单编号,买家会员名,买家支付宝账号,买家应付货款,买家应付邮费,买家支付积分,总金额,返点积分,"
    "买家实际支付金额,买家实际支付积分,订单状态,买家留言,收货人姓名,收货地址 ,运送方式,联系电话 ,"
    "联系手机,订单创建时间,订单付款时间 ,宝贝标题 ,宝贝种类 ,物流单号 ,物流公司,订单备注,宝贝总数量,"
    "店铺Id,店铺名称,订单关闭原因,卖家服务费,买家服务费,发票抬头,是否手机订单,退款金额,确认收货时间,支付单号"
)
_DONE, _SHIPPED, _WAITING, _CLOSED, _UNPAID = range(5)
_STATUS = ("交易成功", "卖家已发货，等待买家确认", "等待卖家发货", "交易关闭", "等待买家付款")


def _yuan(minor: int) -> str:
    return f"{minor // 100}.{CENTS[minor % 100]}"


def write_orders(path: Path, book: OrderBook, rows: I64, *, texts: Texts, labels: Codes,
                 truth: TruthWriter) -> int:
    """Write the orders at book positions ``rows`` (creation order); returns the data rows."""
    end = texts.period.end
    with path.open("wb") as fh:
        fh.write((HEADER + "\r\n").encode("gbk"))
        for start in range(0, len(rows), CHUNK):
            idx = rows[start:start + CHUNK]
            lines, records, codes = _chunk(book, idx, texts, labels, end)
            fh.write("".join(lines).encode("gbk"))
            truth.write(ORDERS_SETTLEMENT, "left", path.name, records, codes)
    return len(rows)


def _chunk(book: OrderBook, idx: I64, texts: Texts, labels: Codes,
           end: int) -> tuple[list[str], list[tuple[str, str]], list[int]]:
    label = labels[idx]
    state = book.state[idx]
    paid_at = book.paid_at[idx]
    status = np.select(
        [state == UNPAID, state == CLOSED, label == L_MATCH, paid_at < end - DAY],
        [_UNPAID, _CLOSED, _DONE, _SHIPPED], _WAITING)
    dash, clock, compact, off = texts.dash, texts.clock, texts.compact, texts.offset
    lines: list[str] = []
    records: list[tuple[str, str]] = []
    codes: list[int] = []
    columns = zip(
        book.order_no[idx].tolist(), book.item[idx].tolist(), book.created[idx].tolist(),
        paid_at.tolist(), book.settled_at[idx].tolist(), state.tolist(), status.tolist(),
        book.total[idx].tolist(), book.postage[idx].tolist(), book.paid[idx].tolist(),
        book.refund[idx].tolist(), book.buyer[idx].tolist(), label.tolist(),
        book.payment_of[idx].tolist(), book.combined[idx].tolist(), strict=True)
    for no, item, created, pa, settled, st, status_code, total, postage, paid, refund, buyer, code, \
            payer, combined in columns:
        surname, pinyin = SURNAMES[buyer % len(SURNAMES)]
        is_paid = paid > 0  # a trade closed by a refund before settlement was paid all the same
        done = status_code == _DONE
        sent = done or status_code == _SHIPPED
        trade = ids.trade_no(compact[pa // DAY + off], payer)
        group = f"payment:{trade}" if combined else f"order:{no}"
        paid_text = f"{dash[pa // DAY + off]} {clock[pa % DAY]}" if is_paid else ""
        pay_no = f'="{trade}"' if is_paid else ""
        shipping = f'="{ids.waybill(no)}",{COURIERS[no % len(COURIERS)]}' if sent else ","
        received = f"{dash[settled // DAY + off]} {clock[settled % DAY]}" if done else ""
        closed = ("买家申请退款" if is_paid else CLOSE_REASONS[no % len(CLOSE_REASONS)]) \
            if st == CLOSED else ""
        lines.append(
            f'="{no}",{pinyin}_{buyer // 20 % 100000},**,{_yuan(total - postage)},{_yuan(postage)},0,'
            f"{_yuan(total)},0,{_yuan(paid)},0,{_STATUS[status_code]},,{surname}**,"
            f"{ADDRESSES[buyer % len(ADDRESSES)]},快递,,'138****{buyer % 10000:04d},"
            f"{dash[created // DAY + off]} {clock[created % DAY]},{paid_text},{ITEMS[item].title},1,"
            f"{shipping},,1,{SHOP_ID},{SHOP_NAME},{closed},0,0元,,{'手机订单' if buyer % 5 else ''},"
            f"{_yuan(refund)},{received},{pay_no}\r\n"
        )
        records.append((str(no), group))
        codes.append(code)
        if refund:
            records.append((f"{no}/refund", group))
            codes.append(code)
    return lines, records, codes
