"""Writes the Alipay 账务明细 (account statement) as Alipay exports it: GBK, CRLF, ``#`` preamble,
values padded with a tab before each comma, ``#…结束`` marker and footer totals."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from huikuan.synth import ids
from huikuan.synth.catalogue import ALIPAY_ACCOUNT, BANK_ACCOUNT_MASKED, ITEMS, MAIL_DOMAINS, SURNAMES
from huikuan.synth.ledger import COMMISSION, PAYMENT, PAYOUT, REFUND, Ledger
from huikuan.synth.orders import OrderBook, take
from huikuan.synth.period import CENTS, DAY, HOUR, Texts, yuan
from huikuan.synth.truth import (
    L_DUPLICATE,
    ORDERS_SETTLEMENT,
    PAYOUT_BANK,
    Codes,
    TruthWriter,
    payout_bank_labels,
    settlement_labels,
)

CHUNK = 100_000
HEADER = ("账务流水号,业务流水号,商户订单号,商品名称,发生时间,对方账号,收入金额（+元）,支出金额（-元）,"
          "账户余额（元）,交易渠道,业务类型,备注,")
_RULE = "#-----------------------------------------"
_TMALL = "天猫(tmall***@alipay.com)"
_TAOBAOKE = "淘宝联盟(tbk***@taobao.com)"
_BANK = f"招商银行({BANK_ACCOUNT_MASKED})"


def write_alipay(path: Path, *, ledger: Ledger, book: OrderBook, lo: int, hi: int, since: int,
                 until: int, texts: Texts, payout_label: Codes, truth: TruthWriter,
                 duplicate: bool = False) -> int:
    """Write ledger lines ``lo:hi`` as a statement for ``[since, until)``; returns the data rows.

    With ``duplicate`` every row is a second export of rows already written (truth: duplicate).
    """
    preamble = (
        "#支付宝账务明细查询\r\n"
        f"#账号：[{ALIPAY_ACCOUNT}]\r\n"
        f"#起始日期：[{texts.chinese_stamp(since)}]    终止日期：[{texts.chinese_stamp(until)}]\r\n"
        f"{_RULE}账务明细列表----------------------------------------\r\n{HEADER}\r\n"
    )
    amounts = ledger.amount[lo:hi]
    income, expense = amounts[amounts > 0], amounts[amounts < 0]
    footer = (
        f"{_RULE}账务明细列表结束------------------------------------\r\n"
        f"#支出合计：{len(expense)}笔，共{yuan(int(expense.sum()))}元\r\n"
        f"#收入合计：{len(income)}笔，共{yuan(int(income.sum()))}元\r\n"
        f"#导出时间：[{texts.chinese_stamp(texts.period.end + 10 * HOUR + 733)}]\r\n"
    )
    with path.open("wb") as fh:
        fh.write(preamble.encode("gbk"))
        for start in range(lo, hi, CHUNK):
            stop = min(hi, start + CHUNK)
            lines, records = _chunk(ledger, book, start, stop, texts)
            fh.write("".join(lines).encode("gbk"))
            kind, ref = ledger.kind[start:stop], ledger.ref[start:stop]
            if duplicate:
                settle = bank = np.full(stop - start, L_DUPLICATE, dtype=np.int8)
            else:
                settle = settlement_labels(book, kind, ref)
                bank = payout_bank_labels(payout_label, kind, ref)
            truth.write(ORDERS_SETTLEMENT, "right", path.name,
                        ((r, g) for r, g, _ in records), settle.tolist())
            truth.write(PAYOUT_BANK, "left", path.name,
                        ((r, f"payout:{p}") for r, _, p in records), bank.tolist())
        fh.write(footer.encode("gbk"))
    return hi - lo


def _chunk(ledger: Ledger, book: OrderBook, start: int, stop: int,
           texts: Texts) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Lines of the statement and (账务流水号, truth group, payout serial) of each.

    A payment of orders paid together (合并付款) is one 交易付款 line for their sum: its 业务流水号
    is the trade number the order export shows as 支付单号 and its 商户订单号 is empty, since no
    single order owns it. Their fees carry each order's number only in 备注, under a 业务流水号
    of their own; their refunds name their order and the shared trade."""
    kind = ledger.kind[start:stop]
    ref = ledger.ref[start:stop]
    order = np.where(kind == PAYOUT, 0, ref)
    payer = take(book.payment_of, order)
    dash, clock, compact, off = texts.dash, texts.clock, texts.compact, texts.offset
    lines: list[str] = []
    records: list[tuple[str, str, str]] = []
    columns = zip(
        range(start, stop), ledger.at[start:stop].tolist(), kind.tolist(), ref.tolist(),
        ledger.amount[start:stop].tolist(), ledger.balance[start:stop].tolist(),
        take(book.order_no, order).tolist(), take(book.item, order).tolist(),
        take(book.paid_at, order).tolist(), take(book.buyer, order).tolist(),
        take(book.combined, order).tolist(), payer.tolist(), strict=True)
    for position, at, k, r, amount, balance, no, item, paid_at, buyer, combined, paid_by in columns:
        day = at // DAY + off
        when = f"{dash[day]} {clock[at % DAY]}"
        serial = ids.account_serial(compact[day], position)
        money = f"{amount // 100}.{CENTS[amount % 100]}" if amount >= 0 else \
            f"-{-amount // 100}.{CENTS[-amount % 100]}"
        left = f"{balance // 100}.{CENTS[balance % 100]}" if balance >= 0 else yuan(balance)
        payout = ""
        trade = ids.trade_no(compact[paid_at // DAY + off], paid_by) if k != PAYOUT else ""
        group = f"payment:{trade}" if combined else f"order:{no}"
        if k in (PAYMENT, REFUND):
            surname, pinyin = SURNAMES[buyer % len(SURNAMES)]
            party = f"{surname}**({pinyin[:3]}***@{MAIL_DOMAINS[buyer % len(MAIL_DOMAINS)]})"
            merchant_order = "" if combined and k == PAYMENT else f"T200P{no}"
            head = (f"{serial}\t,{trade}\t,{merchant_order}\t,"
                    f"{ITEMS[item].title}\t,{when}\t,{party}\t,")
            if k == PAYMENT:
                tail = f"+{money}\t,\t,{left}\t,支付宝\t,{'交易付款' if r % 7 == 0 else '在线支付'}\t,\t,"
            else:
                tail = f"\t,{money}\t,{left}\t,支付宝\t,交易退款\t,售后退款\t,"
        elif k == COMMISSION:
            split = ids.split_no(compact[paid_at // DAY + off], r) if combined else trade
            head = f"{serial}\t,{split}\t,\t,\t,{when}\t,{_TMALL}\t,"
            tail = f"\t,{money}\t,{left}\t,支付宝\t,交易分账\t,天猫佣金（类目）{{{no}}}扣款\t,"
        elif k == PAYOUT:
            payout = ids.payout_serial(compact[day], r)
            group = f"payout:{payout}"
            head = f"{serial}\t,{payout}\t,\t,\t,{when}\t,{_BANK}\t,"
            tail = f"\t,{money}\t,{left}\t,支付宝\t,提现\t,提现到招商银行\t,"
        else:  # 淘宝客 commission
            head = f"{serial}\t,{ids.taobaoke_no(compact[day], r)}\t,\t,\t,{when}\t,{_TAOBAOKE}\t,"
            tail = f"\t,{money}\t,{left}\t,支付宝\t,交易分账\t,淘宝客佣金代扣款{{{no}}}\t,"
        lines.append(f"{head}{tail}\r\n")
        records.append((serial, group, payout))
    return lines, records
