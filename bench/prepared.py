"""Prepared data for the engine benchmark: canonical entry tables built directly with NumPy, at
any size, with the answer key.

The file-level generator (``huikuan.synth``) writes realistic exports and is what the tests and the
pipeline benchmark use; at ten million orders, writing and re-reading files would measure the
importers instead of the engine, so this module produces the same story (orders, their payment,
fees and refunds, with noise) as Arrow tables in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from huikuan.domain.dates import SHANGHAI
from huikuan.domain.entry import ENTRY_SCHEMA

PRICES = np.array([990, 1990, 2990, 4990, 5990, 9900, 12800, 19900, 29900], dtype=np.int64)
START = int(datetime(2023, 11, 1, tzinfo=SHANGHAI).timestamp())
END = int(datetime(2023, 12, 1, tzinfo=SHANGHAI).timestamp())
DAY = 86_400


@dataclass(frozen=True)
class BenchNoise:
    closed: float = 0.02         # order closed unpaid
    unpaid: float = 0.01
    not_settled: float = 0.01    # paid, no settlement line at all
    cent_difference: float = 0.005
    partial_refund: float = 0.02
    no_order: float = 0.005      # settlement payment whose order is not in the export
    second_fee: float = 0.3


@dataclass
class Prepared:
    left: pa.Table
    right: pa.Table
    left_group: np.ndarray     # truth group per left row, -1 = should stay unmatched
    right_group: np.ndarray


def _strings(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    digits = pc.utf8_lpad(pc.cast(pa.array(numbers), pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, digits, "")


def _table(n: int, *, file: str, record_id: pa.Array, kind: np.ndarray, order_ref: pa.Array,
           amount: np.ndarray, ts: np.ndarray, status: pa.Array, batch_ref: pa.Array) -> pa.Table:
    nulls = pa.nulls(n, pa.string())
    return pa.table({
        "source": pa.array(["bench"] * n, pa.string()) if n else pa.array([], pa.string()),
        "file": pa.array([file] * n, pa.string()) if n else pa.array([], pa.string()),
        "line": pa.array(np.arange(2, n + 2, dtype=np.int64)),
        "record_id": record_id, "kind": pa.array(kind.astype(object), pa.string()),
        "order_ref": order_ref, "amount_minor": pa.array(amount, pa.int64()),
        "currency": pa.array(["CNY"] * n, pa.string()) if n else pa.array([], pa.string()),
        "ts": pa.array(ts * 1_000_000, pa.timestamp("us", tz="UTC")),
        "counterparty": nulls, "batch_ref": batch_ref, "text": nulls, "status": status,
        "category": nulls, "account": nulls, "dedupe_key": record_id,
        "raw": pa.array([""] * n, pa.string()) if n else pa.array([], pa.string()),
    }, schema=ENTRY_SCHEMA)


def prepare(orders: int, seed: int = 7, noise: BenchNoise | None = None) -> Prepared:
    """``orders`` orders (left) and their settlement lines (right), with noise and truth."""
    noise = noise or BenchNoise()
    rng = np.random.default_rng(seed)
    n = orders
    idx = np.arange(n, dtype=np.int64)
    amount = PRICES[rng.integers(0, len(PRICES), n)] * rng.integers(1, 3, n)
    ts = START + rng.integers(0, END - START, n)
    draw = rng.random(n)
    closed = draw < noise.closed
    unpaid = (draw >= noise.closed) & (draw < noise.closed + noise.unpaid)
    paid = ~(closed | unpaid)
    amount = np.where(paid, amount, np.where(unpaid, amount, 0))
    status = np.where(closed, "closed", np.where(unpaid, "unpaid", "completed"))
    lag = rng.integers(DAY, 10 * DAY, n)
    settle_ts = ts + lag
    settled = paid & (rng.random(n) >= noise.not_settled) & (settle_ts < END)
    refund = settled & (rng.random(n) < noise.partial_refund)
    refund_amount = np.where(refund, -(amount // 2), 0)
    cent = settled & (rng.random(n) < noise.cent_difference)
    order_ref = _strings("35", idx, 17)
    trade = _strings("2023", idx, 24)
    # left: orders, then an order_refund entry for each refunded order
    r_idx = idx[refund]
    left = pa.concat_tables([
        _table(n, file="orders.csv", record_id=order_ref, kind=np.full(n, "order"), order_ref=order_ref,
               amount=amount, ts=ts, status=pa.array(status.astype(object), pa.string()), batch_ref=trade),
        _table(len(r_idx), file="orders.csv",
               record_id=pc.binary_join_element_wise(order_ref.take(r_idx), "/refund", ""),
               kind=np.full(len(r_idx), "order_refund"), order_ref=order_ref.take(r_idx),
               amount=refund_amount[refund], ts=settle_ts[refund],
               status=pa.array(["completed"] * len(r_idx), pa.string()), batch_ref=trade.take(r_idx)),
    ])
    left_group = np.concatenate([np.where(settled, idx, -1), r_idx])
    # right: payment, commission, second fee, refund for settled orders; payments with no order
    s_idx = idx[settled]
    fee2 = s_idx[rng.random(len(s_idx)) < noise.second_fee]
    extra = int(n * noise.no_order)
    parts = [
        ("payment", s_idx, amount[s_idx] + np.where(cent[s_idx], 1, 0), settle_ts[s_idx]),
        ("fee", s_idx, -(amount[s_idx] * 5 // 100), settle_ts[s_idx] + 1),
        ("fee", fee2, -(amount[fee2] * 3 // 100), settle_ts[fee2] + 2),
        ("refund", r_idx, refund_amount[r_idx], settle_ts[r_idx] + 3),
    ]
    kinds = np.concatenate([np.full(len(p[1]), p[0]) for p in parts] + [np.full(extra, "payment")])
    owner = np.concatenate([p[1] for p in parts])
    rights = len(kinds)
    orphan_refs = _strings("36", np.arange(extra, dtype=np.int64), 17)
    right = _table(
        rights, file="alipay.csv", record_id=_strings("A", np.arange(rights, dtype=np.int64), 12),
        kind=kinds, order_ref=pa.concat_arrays([order_ref.take(owner), orphan_refs]),
        amount=np.concatenate([p[2] for p in parts] + [PRICES[rng.integers(0, len(PRICES), extra)]]),
        ts=np.concatenate([p[3] for p in parts] + [START + rng.integers(0, END - START, extra)]),
        status=pa.nulls(rights, pa.string()),
        batch_ref=pa.concat_arrays([trade.take(owner), pa.nulls(extra, pa.string())]))
    right_group = np.concatenate([owner, np.full(extra, -1, dtype=np.int64)])
    return Prepared(left, right, left_group, right_group)
