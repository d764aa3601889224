"""The column-wise reader decodes the next block in a second thread (``vector._read_ahead``) and
keeps a large file's entries in a mapped spill file (``builder.SPILL_BYTES``). Both are invisible
to the user: the same entries, the error where the file fails, no thread or file left behind."""

from __future__ import annotations

import itertools
import os
import sys
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from huikuan.importers import builder, progress, vector
from huikuan.importers.reader import SourceFile
from huikuan.importers.registry import load_side
from huikuan.importers.sources.alipay_account import AlipayAccount

HEADER = ("账务流水号,业务流水号,商户订单号,商品名称,发生时间,对方账号,收入金额（+元）,支出金额（-元）,"
          "账户余额（元）,交易渠道,业务类型,备注")


def _threads() -> set[str]:
    return {t.name for t in threading.enumerate() if t.name == "huikuan-read-ahead"}


def test_items_arrive_in_order_and_the_thread_ends() -> None:
    assert list(vector._read_ahead(iter(range(1000)))) == list(range(1000))
    assert not _threads()


def test_an_error_in_the_thread_is_raised_at_the_item_it_stopped_at() -> None:
    def items() -> Iterator[int]:
        yield 1
        yield 2
        raise UnicodeDecodeError("gbk", b"\xff", 0, 1, "illegal multibyte sequence")

    ahead = vector._read_ahead(items())
    assert [next(ahead), next(ahead)] == [1, 2]
    with pytest.raises(UnicodeDecodeError):
        next(ahead)
    assert not _threads()


def test_stopping_early_closes_the_source_and_the_thread() -> None:
    closed = threading.Event()

    def items() -> Iterator[int]:
        try:
            yield from range(10**9)
        finally:
            closed.set()

    ahead = vector._read_ahead(items())
    assert next(ahead) == 0
    ahead.close()
    assert closed.is_set()
    assert not _threads()


def _export(rows: int) -> str:
    lines = ["#支付宝账务明细查询", HEADER]
    for i in range(rows):
        lines.append(f"2023110120004001{i:016d}\t,2023102722001{i:015d}\t,T200P33{i:017d}\t,围巾\t,"
                     f"2023-11-01 00:01:08\t,某人\t,+{i % 997 + 1}.{i % 100:02d}\t,\t,{i}.00\t,支付宝\t,"
                     "在线支付\t,\t")
    return "\r\n".join(lines) + "\r\n"


def test_a_spilled_and_read_ahead_file_reads_as_the_per_row_reference(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Many blocks, every batch spilled: equal to the per-row reading, and no spill file left."""
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as spills:
        path = Path(tmp) / "alipay.csv"
        path.write_bytes(_export(3000).encode("gbk"))
        with monkeypatch.context() as patch:
            patch.setattr(tempfile, "tempdir", spills)
            patch.setattr(vector, "BLOCK_CHARS", 8192)
            patch.setattr(builder, "SPILL_BYTES", 1)
            fast = AlipayAccount().read(SourceFile(path))
            assert not os.listdir(spills)  # mapped and unlinked: nothing stays on disk
        with vector.per_row():
            reference = AlipayAccount().read(SourceFile(path))
    assert fast.entries.num_rows == 3000
    assert fast.entries.equals(reference.entries)
    assert [e.line for e in fast.errors] == [e.line for e in reference.errors]
    assert not _threads()


@pytest.mark.parametrize("column_wise", [True, False])
def test_a_long_file_reports_its_rows_while_it_is_read(column_wise: bool,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A progress display hears the running count of the file being read, both readings."""
    monkeypatch.setattr(progress, "EVERY", 500)
    monkeypatch.setattr(vector, "BLOCK_CHARS", 8192)
    heard: list[int] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "alipay.csv"
        path.write_bytes(_export(3000).encode("gbk"))
        if column_wise:
            side = load_side([path], on_rows=heard.append)
        else:
            with vector.per_row():
                side = load_side([path], on_rows=heard.append)
    assert side.files[0].rows_read == 3000
    assert len(heard) >= 5  # about every 500 rows, not only at the end
    assert heard == sorted(heard)
    assert heard[-1] <= 3000
    assert all(b - a <= 500 + 200 for a, b in itertools.pairwise(heard))  # a block ≈ 60 rows


def test_a_temporary_folder_that_fills_up_loses_no_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    """The third spill fails (a full disk): the two written stay, the rest is kept in memory."""
    written = 0
    real_write = builder._Spill.write

    def write(spill: builder._Spill, batches: list) -> None:
        nonlocal written
        written += 1
        if written == 3:
            raise OSError(28, "No space left on device")
        real_write(spill, batches)

    with tempfile.TemporaryDirectory() as spills:
        monkeypatch.setattr(tempfile, "tempdir", spills)
        monkeypatch.setattr(builder, "SPILL_BYTES", 1)
        monkeypatch.setattr(builder._Spill, "write", write)
        made = builder.EntryBuilder("alipay", "a.csv")
        for i in range(6):
            made.add(line=i + 2, kind="payment", amount_minor=100 + i, raw=f"row {i}",
                     record_id=str(i))
            made._flush()
        table = made.table()
        assert not os.listdir(spills)  # the failed file went too
    assert table["amount_minor"].to_pylist() == [100, 101, 102, 103, 104, 105]
    assert table["line"].to_pylist() == [2, 3, 4, 5, 6, 7]
    assert written == 3  # after a failure it does not try again


def test_the_interpreter_setting_a_read_changes_is_restored_after_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[float] = []
    monkeypatch.setattr(vector, "BLOCK_CHARS", 8192)
    before = sys.getswitchinterval()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "alipay.csv"
        path.write_bytes(_export(300).encode("gbk"))
        load_side([path], on_rows=lambda _rows: seen.append(sys.getswitchinterval()))
        monkeypatch.setattr(progress, "EVERY", 50)
        load_side([path], on_rows=lambda _rows: seen.append(sys.getswitchinterval()))
    assert seen
    assert max(seen) <= 0.001  # quick hand-over while reading
    assert sys.getswitchinterval() == before


def test_each_member_of_an_archive_counts_on_from_the_members_before(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The count a display shows never goes back: an archive's members are files of their own,
    each finished (on_read) before the next one starts counting."""
    monkeypatch.setattr(progress, "EVERY", 1000)
    events: list[tuple[str, int]] = []
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "bills.zip"
        with zipfile.ZipFile(archive, "w") as zf:
            zf.writestr("a.csv", _export(3000).encode("gbk"))
            zf.writestr("b.csv", _export(2500).encode("gbk"))
        side = load_side([archive], on_rows=lambda n: events.append(("rows", n)),
                         on_read=lambda r: events.append(("done", r.rows_read)))
    assert [f.rows_read for f in side.files] == [3000, 2500]
    finished, shown = 0, []
    for what, n in events:  # what Reporter shows: earlier files plus the running count
        if what == "done":
            finished += n
        shown.append(finished if what == "done" else finished + n)
    assert shown == sorted(shown)
    assert shown[-1] == 5500
