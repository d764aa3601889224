"""Collects entries column by column and hands them over as Arrow tables in chunks.

A large file's entries do not stay in memory: each time :data:`SPILL_BYTES` of finished
batches have gathered they are written to an Arrow IPC file in the temporary folder and mapped
back (zero copy; the file is unlinked at once and lives as long as the mapping). A folder that
is full or read-only stops the spilling, and the rest is kept in memory. The
pages are then the kernel's to drop and re-read, so a 1 GB export does not need several GB of
memory: the entries of a million Alipay lines are 2.7 times the size of the GBK file (the raw
line alone is the file again, in UTF-8).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import weakref
from datetime import datetime

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc

from huikuan.domain.entry import ENTRY_SCHEMA
from huikuan.domain.errors import MoneyError

CHUNK_ROWS = 65_536
#: entries held in memory before they are written out (see the module docstring)
SPILL_BYTES = 64 << 20
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
        self._held = 0  # bytes of self._batches
        self._spilled: list[pa.Table] = []  # finished spill files, mapped
        self._spill_failed = False
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
            columns[name] = _null_if_empty(entries[name])
        arrays = [columns[f.name] if f.name in columns else entries[f.name] for f in ENTRY_SCHEMA]
        table = pa.table([a.cast(f.type) for a, f in zip(arrays, ENTRY_SCHEMA, strict=True)],
                         schema=ENTRY_SCHEMA)
        self._keep(table.to_batches())
        self.count += n

    def _flush(self) -> None:
        if self._cols["line"]:
            arrays = [pa.array(self._cols[f.name], type=f.type) for f in ENTRY_SCHEMA]
            self._keep([pa.RecordBatch.from_arrays(arrays, schema=ENTRY_SCHEMA)])
            self._reset()

    def _keep(self, batches: list[pa.RecordBatch]) -> None:
        self._batches.extend(batches)
        self._held += sum(b.nbytes for b in batches)
        if self._held >= SPILL_BYTES and not self._spill_failed:
            spill = None
            try:  # one file per spill: a failure loses none of the files written before
                spill = _Spill()
                spill.write(self._batches)
                self._spilled.append(spill.mapped())
            except OSError:  # a full or read-only temporary folder: keep the rest in memory
                self._spill_failed = True
                if spill is not None:
                    spill.discard()
                return
            self._batches, self._held = [], 0

    def table(self) -> pa.Table:
        """All entries added so far, as one table of :data:`ENTRY_SCHEMA` (partly mapped from
        the temporary folder for a large file). May be called again after more entries."""
        self._flush()
        held = pa.Table.from_batches(self._batches, schema=ENTRY_SCHEMA)
        return pa.concat_tables([*self._spilled, held]) if self._spilled else held


class _Spill:
    """Batches written to an Arrow IPC file in the temporary folder, then mapped back."""

    def __init__(self) -> None:
        fd, name = tempfile.mkstemp(prefix="huikuan-entries-", suffix=".arrow")
        os.close(fd)
        self.path = name
        self._sink = pa.OSFile(name, "wb")
        self._writer = pa.ipc.new_file(self._sink, ENTRY_SCHEMA)
        # a read that fails half-way never maps its spill: the file goes with the builder
        weakref.finalize(self, _remove, name)

    def write(self, batches: list[pa.RecordBatch]) -> None:
        for batch in batches:
            self._writer.write_batch(batch)

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self._sink.close()
        _remove(self.path)

    def mapped(self) -> pa.Table:
        self._writer.close()
        self._sink.close()
        try:
            return pa.ipc.open_file(pa.memory_map(self.path)).read_all()
        finally:
            _remove(self.path)  # the mapping keeps the pages; the name goes now


def _remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def _null_if_empty(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Empty texts as nulls (what :meth:`EntryBuilder.add` stores for ``""``). The column's
    offsets and characters are kept and only a validity bitmap is made: copying the texts of a
    million rows for a few empty cells cost a tenth of a second per column."""
    if not pa.types.is_string(values.type):
        return pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    out = []
    for chunk in chunks:
        kept = pc.fill_null(pc.not_equal(chunk, ""), False)
        if chunk.offset or kept.offset or kept.null_count:  # bitmaps that do not line up
            out.append(pc.if_else(kept, chunk, pa.scalar(None, pa.string())))
        elif pc.all(kept).as_py() is not False:
            out.append(chunk)
        else:
            _, offsets, data = chunk.buffers()
            out.append(pa.Array.from_buffers(pa.string(), len(chunk),
                                             [kept.buffers()[1], offsets, data]))
    return pa.chunked_array(out, pa.string()) if isinstance(values, pa.ChunkedArray) else out[0]
