"""``generate_files``: one call writes a shop's exports and the answer key next to them."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from huikuan.synth import ids
from huikuan.synth.alipay_file import write_alipay
from huikuan.synth.bank import build_bank
from huikuan.synth.cmb_file import write_cmb
from huikuan.synth.cmb_personal_file import write_cmb_personal
from huikuan.synth.files import FLOWS, BankLayout, Platform, SynthFiles
from huikuan.synth.ledger import Ledger, build_ledger
from huikuan.synth.noise import DEFAULT_NOISE, Noise
from huikuan.synth.orders import simulate_orders
from huikuan.synth.other_shops import generate_other_shop
from huikuan.synth.period import Period, Texts
from huikuan.synth.taobao_file import write_orders
from huikuan.synth.truth import (
    TruthWriter,
    order_labels,
    payout_labels,
    write_differences,
)


def generate_files(
    out_dir: str | Path,
    *,
    orders: int,
    months: int = 1,
    seed: int = 0,
    noise: Noise = DEFAULT_NOISE,
    first_month: str = "2023-11",
    platform: Platform = "tmall",
    bank_layout: BankLayout = "corporate",
) -> SynthFiles:
    """Simulate a shop for ``months`` months from ``first_month`` with ``orders`` orders and
    write its exports, ``truth.csv`` and ``differences.csv`` into ``out_dir`` (see
    :mod:`huikuan.synth.truth`).

    ``platform="tmall"`` (the default): ``orders_YYYY-MM.csv`` (Taobao order export),
    ``alipay_YYYY-MM.csv`` (Alipay 账务明细, plus ``alipay_YYYY-MM_overlap.csv`` re-exporting the
    end of the last month when ``noise.duplicates`` > 0) and the bank statement:
    ``cmb_YYYY-MM.csv`` (CMB corporate, with times) or, with ``bank_layout="personal"``,
    ``cmb_personal_YYYY-MM.csv`` (CMB personal, booking dates only).
    ``platform="pdd"``: ``pdd_orders_YYYY-MM.csv`` and ``pdd_account_YYYY-MM.csv`` (货款明细).
    ``platform="wechat"``: ``erp_orders_YYYY-MM.csv`` (the shop's own order list) and
    ``wechat_YYYY-MM.csv`` (WeChat Pay trade bill, plus an overlapping re-export).

    The same arguments always give byte-identical files. Memory grows with ``orders`` as numpy
    columns (about 200 bytes an order); rows are formatted and written in chunks.
    """
    if orders < 0:
        raise ValueError("orders must not be negative")
    if platform not in FLOWS:
        raise ValueError(f"platform must be one of {', '.join(FLOWS)}, not {platform!r}")
    if bank_layout not in ("corporate", "personal"):
        raise ValueError(f"bank_layout must be corporate or personal, not {bank_layout!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    period = Period.parse(first_month, months)
    if platform != "tmall":
        return generate_other_shop(out, platform, orders=orders, period=period, seed=seed, noise=noise)
    texts = Texts(period)
    order_seed, ledger_seed, bank_seed = np.random.SeedSequence(seed).spawn(3)
    book = simulate_orders(np.random.default_rng(order_seed), orders, period, noise)
    ledger = build_ledger(np.random.default_rng(ledger_seed), book, period, noise)
    payouts = ledger.payouts
    serials = [ids.payout_serial(texts.compact[texts.day_index(at)], i)
               for i, at in enumerate(payouts.at.tolist())]
    bank_rows, bank_balance = build_bank(np.random.default_rng(bank_seed), payouts, serials, period, noise)
    labels = order_labels(book, period)
    payout_label = payout_labels(ledger, period)
    exported = np.flatnonzero(book.exported)
    bank_at = np.array([r.at for r in bank_rows], dtype=np.int64)

    written: dict[str, list[Path]] = {"orders": [], "alipay": [], "bank": []}
    rows: dict[str, int] = {}
    truth_path = out / "truth.csv"
    with TruthWriter(truth_path) as truth:
        for month in range(months):
            since, until = period.bound(month), period.bound(month + 1)
            name = period.label(month)
            path = out / f"orders_{name}.csv"
            chosen = exported[(book.created[exported] >= since) & (book.created[exported] < until)]
            rows[path.name] = write_orders(path, book, chosen, texts=texts, labels=labels, truth=truth)
            written["orders"].append(path)

            path = out / f"alipay_{name}.csv"
            lo, hi = np.searchsorted(ledger.at, [since, until]).tolist()
            rows[path.name] = write_alipay(path, ledger=ledger, book=book, lo=lo, hi=hi, since=since,
                                           until=until, texts=texts, payout_label=payout_label,
                                           truth=truth)
            written["alipay"].append(path)

            first, last = np.searchsorted(bank_at, [since, until]).tolist()
            if bank_layout == "personal":
                path = out / f"cmb_personal_{name}.csv"
                bank_balance = write_cmb_personal(path, bank_rows[first:last], balance=bank_balance,
                                                  texts=texts, payout_serials=serials, truth=truth)
            else:
                path = out / f"cmb_{name}.csv"
                bank_balance = write_cmb(path, bank_rows[first:last], first=first, balance=bank_balance,
                                         since=since, until=until, texts=texts,
                                         payout_serials=serials, truth=truth)
            rows[path.name] = last - first
            written["bank"].append(path)

        if noise.duplicates > 0 and len(ledger):
            path = out / f"alipay_{period.label(months - 1)}_overlap.csv"
            since, lo = _overlap_start(ledger, period, noise.duplicates)
            rows[path.name] = write_alipay(path, ledger=ledger, book=book, lo=lo, hi=len(ledger),
                                           since=since, until=period.end, texts=texts,
                                           payout_label=payout_label, truth=truth, duplicate=True)
            written["alipay"].append(path)
        counts = dict(truth.counts)

    differences = out / "differences.csv"
    write_differences(differences, book, labels, texts)
    return SynthFiles(orders=tuple(written["orders"]), alipay=tuple(written["alipay"]),
                      bank=tuple(written["bank"]), truth=truth_path, differences=differences,
                      rows=rows, truth_counts=counts, bills=tuple(written["alipay"]))


def _overlap_start(ledger: Ledger, period: Period, rate: float) -> tuple[int, int]:
    """Start (a whole minute) of a re-export of the period's end holding about ``rate`` of all
    lines, and the first ledger line in it. Never earlier than the last month's start."""
    wanted = max(1, round(rate * len(ledger)))
    at = int(ledger.at[len(ledger) - min(wanted, len(ledger))])
    since = max(at // 60 * 60, period.bound(period.months - 1))
    return since, int(np.searchsorted(ledger.at, since))
