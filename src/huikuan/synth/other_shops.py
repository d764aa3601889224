"""The Pinduoduo shop and the WeChat Pay shop: the same simulated orders as the Tmall shop, with
each platform's paperwork (:mod:`huikuan.synth.pdd_files`, :mod:`huikuan.synth.wechat_files`).

Neither has combined payments or one-cent differences; PDD's refunds before receipt cancel the
whole order (its export has no refund amount to show a partial one), and WeChat has no escrow, so
every refund is a REFUND row of its own.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from huikuan.synth.files import SynthFiles
from huikuan.synth.noise import Noise
from huikuan.synth.orders import OrderBook, simulate_orders
from huikuan.synth.pdd_files import PddStatement, pdd_order_numbers, write_pdd_account, write_pdd_orders
from huikuan.synth.period import Period, Texts, yuan
from huikuan.synth.truth import L_MATCH, Codes, TruthWriter, order_labels
from huikuan.synth.wechat_files import (
    TradeBill,
    merchant_order_numbers,
    wechat_order_labels,
    write_erp_orders,
    write_trade_bill,
)


def generate_other_shop(out: Path, platform: str, *, orders: int, period: Period, seed: int,
                        noise: Noise) -> SynthFiles:
    """Write a PDD (``platform="pdd"``) or WeChat Pay (``"wechat"``) shop's files into ``out``."""
    texts = Texts(period)
    order_seed, statement_seed = np.random.SeedSequence([seed, len(platform)]).spawn(2)
    plain = replace(noise, combined_payment=0.0, cent=0.0)
    if platform == "pdd":
        plain = replace(plain, full_before_share=1.0)
    else:
        plain = replace(plain, refund_before_settlement=0.0)
    book = simulate_orders(np.random.default_rng(order_seed), orders, period, plain)
    exported = np.flatnonzero(book.exported)
    orders_written: list[Path] = []
    bills: list[Path] = []
    rows: dict[str, int] = {}
    truth_path = out / "truth.csv"
    with TruthWriter(truth_path) as truth:
        if platform == "pdd":
            numbers = pdd_order_numbers(book, texts)
            labels = order_labels(book, period)
            statement = PddStatement(book, period, np.random.default_rng(statement_seed))
        else:
            numbers = merchant_order_numbers(book, texts)
            labels = wechat_order_labels(book, period)
            bill = TradeBill(book, period.end)
        for month in range(period.months):
            since, until = period.bound(month), period.bound(month + 1)
            name = period.label(month)
            chosen = exported[(book.created[exported] >= since) & (book.created[exported] < until)]
            if platform == "pdd":
                path = out / f"pdd_orders_{name}.csv"
                rows[path.name] = write_pdd_orders(path, book, chosen, numbers, texts=texts,
                                                   labels=labels, truth=truth)
                orders_written.append(path)
                path = out / f"pdd_account_{name}.csv"
                lo, hi = np.searchsorted(statement.at, [since, until]).tolist()
                rows[path.name] = write_pdd_account(path, statement, book, numbers, lo=lo, hi=hi,
                                                    since=since, until=until, texts=texts, truth=truth)
            else:
                path = out / f"erp_orders_{name}.csv"
                rows[path.name] = write_erp_orders(path, book, chosen, numbers, texts=texts,
                                                   labels=labels, truth=truth)
                orders_written.append(path)
                path = out / f"wechat_{name}.csv"
                lo, hi = np.searchsorted(bill.at, [since, until]).tolist()
                rows[path.name] = write_trade_bill(path, bill, book, numbers, lo=lo, hi=hi,
                                                   texts=texts, truth=truth)
            bills.append(path)
        if platform == "wechat" and noise.duplicates > 0 and len(bill):
            # the last days downloaded again: WeChat ids are natural, so the copies are found
            path = out / f"wechat_{period.label(period.months - 1)}_overlap.csv"
            wanted = max(1, round(noise.duplicates * len(bill)))
            since = max(int(bill.at[len(bill) - wanted]) // 60 * 60, period.bound(period.months - 1))
            lo = int(np.searchsorted(bill.at, since))
            rows[path.name] = write_trade_bill(path, bill, book, numbers, lo=lo, hi=len(bill),
                                               texts=texts, truth=truth, duplicate=True)
            bills.append(path)
        counts = dict(truth.counts)
    differences = out / "differences.csv"
    write_refund_differences(differences, book, labels, numbers)
    return SynthFiles(orders=tuple(orders_written), alipay=(), bank=(), truth=truth_path,
                      differences=differences, rows=rows, truth_counts=counts, platform=platform,
                      bills=tuple(bills))


def write_refund_differences(path: Path, book: OrderBook, labels: Codes, numbers: list[str]) -> int:
    """``differences.csv`` of a PDD or WeChat shop: every matched order with a refund; left =
    what the order list says (商家实收金额 / 实付金额), right = payment less refunds."""
    idx = np.flatnonzero(book.exported & (labels == L_MATCH) & (book.refund > 0))
    lines = ["group,kind,left_amount,right_amount\n"]
    for i, paid, refund in zip(idx.tolist(), book.paid[idx].tolist(), book.refund[idx].tolist(),
                               strict=True):
        lines.append(f"order:{numbers[i]},refund,{yuan(paid)},{yuan(paid - refund)}\n")
    path.write_text("".join(lines), encoding="utf-8")
    return len(lines) - 1
