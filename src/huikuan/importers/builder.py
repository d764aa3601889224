"""Collects entries column by column and hands them over as Arrow tables in chunks."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

import pyarrow as pa
import pyarrow.compute as pc

from huikuan.domain.entry import ENTRY_SCHEMA
from huikuan.domain.errors import MoneyError

CHUNK_ROWS = 65_536
_CURRENCY = re.compile(r"[A-Z]{3}")


def check_entry(amount_minor: int, currency: str) -> None:
    """Refuse an entry Arrow could not hold or the engine could not sum (a row error then)."""
    if not -(2**63) < amount_minor < 2**63:  # Arrow would fail at flush, for the whole file
        raise MoneyError(str(amount_minor), "too large for an amount")
    if not _CURRENCY.fullmatch(currency or ""):  # an entry in "US" or "人民币" cannot be summed
        raise ValueError(f"currency {currency!r} is not a three-letter ISO 4217 code")


class EntryBuilder:
    """Accumulates canonical entries of one file; keeps memory bounded by flushing to Arrow."""

    def __init__(self, source: str, file: str) -> None:
        self.source = source
        self.file = file
        self._batches: list[pa.RecordBatch] = []
        self._raw_seen: dict[bytes, int] = {}
        self.count = 0
        self._reset()

    def _reset(self) -> None:
        self._cols: dict[str, list[object]] = {f.name: [] for f in ENTRY_SCHEMA}

    def add(
        self,
        *,
        line: int,
        kind: str,
        amount_minor: int,
        raw: str,
        currency: str = "CNY",
        ts: datetime | None = None,
        record_id: str | None = None,
        order_ref: str | None = None,
        counterparty: str | None = None,
        batch_ref: str | None = None,
        text: str | None = None,
        status: str | None = None,
        category: str | None = None,
        account: str | None = None,
        id_suffix: str = "",
        balance_minor: int | None = None,
    ) -> None:
        """Add one entry. Without a natural ``record_id`` the entry is named ``file:line`` (plus
        ``id_suffix`` when one row gives several entries, e.g. ``/fee``) and recognised as a
        duplicate by its raw text instead."""
        check_entry(amount_minor, currency)
        if record_id:  # a digest, not the joined text: a third of the table's size at 1 GB
            key = f"{self.source}|{record_id}|{kind}|{amount_minor}".encode()
            dedupe = hashlib.blake2b(key, digest_size=12).hexdigest()
        else:
            record_id = f"{self.file}:{line}{id_suffix}"
            digest = hashlib.blake2b(f"{kind}|{id_suffix}|{raw}".encode(), digest_size=10).digest()
            n = self._raw_seen.get(digest, 0) + 1
            self._raw_seen[digest] = n
            dedupe = f"{self.source}|raw|{digest.hex()}|{n}"
        c = self._cols
        c["source"].append(self.source)
        c["file"].append(self.file)
        c["line"].append(line)
        c["record_id"].append(record_id)
        c["kind"].append(kind)
        c["order_ref"].append(order_ref or None)
        c["amount_minor"].append(amount_minor)
        c["currency"].append(currency)
        c["ts"].append(ts)
        c["counterparty"].append(counterparty or None)
        c["batch_ref"].append(batch_ref or None)
        c["text"].append(text or None)
        c["status"].append(status)
        c["category"].append(category or None)
        c["account"].append(account or None)
        c["dedupe_key"].append(dedupe)
        c["raw"].append(raw)
        c["balance_minor"].append(balance_minor)
        self.count += 1
        if len(c["line"]) >= CHUNK_ROWS:
            self._flush()

    def extend(self, entries: pa.Table) -> None:
        """Add entries made column-wise (see :mod:`.vector`), in file order: columns ``line``,
        ``raw``, ``id_suffix`` and the entry fields, ``record_id`` empty or null where the row
        has no natural id. Ids and dedupe keys are those :meth:`add` gives, digest for digest."""
        if entries.num_rows == 0:
            return
        self._flush()
        n = entries.num_rows
        record = pc.fill_null(entries["record_id"], "")
        named = pc.not_equal(record, "")
        kinds = entries["kind"]
        amounts = pc.cast(entries["amount_minor"], pa.string())
        keys = pc.binary_join_element_wise(self.source, record, kinds, amounts, "|")
        digest = hashlib.blake2b
        keys = pc.if_else(named, keys, pa.scalar(None, pa.string())).cast(pa.binary())
        dedupe: list[str | None] = [
            None if key is None else digest(key, digest_size=12).hexdigest()
            for key in keys.to_pylist()]
        ids = record
        if not pc.all(named).as_py():
            unnamed = pc.indices_nonzero(pc.invert(named)).to_pylist()
            lines = pc.take(entries["line"], unnamed).to_pylist()
            suffixes = pc.take(entries["id_suffix"], unnamed).to_pylist()
            texts = pc.take(entries["raw"], unnamed).to_pylist()
            kind_texts = pc.take(kinds, unnamed).to_pylist()
            own_ids = record.to_pylist()
            for i, line, suffix, raw, kind in zip(unnamed, lines, suffixes, texts, kind_texts,
                                                  strict=True):
                own_ids[i] = f"{self.file}:{line}{suffix}"
                key = digest(f"{kind}|{suffix}|{raw}".encode(), digest_size=10).digest()
                seen = self._raw_seen.get(key, 0) + 1
                self._raw_seen[key] = seen
                dedupe[i] = f"{self.source}|raw|{key.hex()}|{seen}"
            ids = pa.array(own_ids, pa.string())
        columns: dict[str, pa.Array | pa.ChunkedArray] = {
            "source": pa.repeat(pa.scalar(self.source), n), "file": pa.repeat(pa.scalar(self.file), n),
            "record_id": ids, "dedupe_key": pa.array(dedupe, pa.string()),
        }
        for name in ("order_ref", "counterparty", "batch_ref", "text", "category", "account"):
            column = entries[name]
            columns[name] = pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column)
        arrays = [columns[f.name] if f.name in columns else entries[f.name] for f in ENTRY_SCHEMA]
        table = pa.table([a.cast(f.type) for a, f in zip(arrays, ENTRY_SCHEMA, strict=True)],
                         schema=ENTRY_SCHEMA)
        self._batches.extend(table.to_batches())
        self.count += n

    def _flush(self) -> None:
        if self._cols["line"]:
            arrays = [pa.array(self._cols[f.name], type=f.type) for f in ENTRY_SCHEMA]
            self._batches.append(pa.RecordBatch.from_arrays(arrays, schema=ENTRY_SCHEMA))
            self._reset()

    def table(self) -> pa.Table:
        """All entries added so far, as one table of :data:`ENTRY_SCHEMA`."""
        self._flush()
        return pa.Table.from_batches(self._batches, schema=ENTRY_SCHEMA)
