"""The results package on its own: what the web app will call without the command line."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pyarrow as pa
import pytest

from huikuan.domain.formula import escape_text
from huikuan.engine import load_template, reconcile
from huikuan.importers import load_side
from huikuan.results import OutputFolderError, ResultFolder, is_previous_result, write_result
from huikuan.results.tables import local_days
from tests.conftest import FIXTURES

ORDERS = FIXTURES / "taobao_orders_2023-11.csv"
ALIPAY = FIXTURES / "alipay_account_2023-11.csv"


def test_only_formula_starts_are_escaped_and_nulls_stay_null():
    cells = pa.array(["=1+1", "+86 138", "-77", "@sum", "\tx", "\rx", "＝1+1", "＋1", "－1", "＠a", "a=b",
                      "12.50", "'=x", " =x", "", None])
    assert escape_text(cells).to_pylist() == ["'=1+1", "'+86 138", "'-77", "'@sum", "'\tx", "'\rx", "'＝1+1",
                                              "'＋1", "'－1", "'＠a", "a=b", "12.50", "'=x", " =x", "", None]


def test_local_day_is_the_shanghai_calendar_day():
    # 2023-11-01 16:30 UTC is already 2 November in Shanghai; 15:59 UTC is still 1 November
    ts = pa.array([datetime(2023, 11, 1, 16, 30, tzinfo=UTC), datetime(2023, 11, 1, 15, 59, tzinfo=UTC),
                   None], pa.timestamp("us", tz="UTC"))
    days = local_days(ts).cast(pa.date32()).to_pylist()
    assert [d.isoformat() if d else None for d in days] == ["2023-11-02", "2023-11-01", None]


def test_a_table_longer_than_a_sheet_continues_on_the_next(tmp_path: Path, monkeypatch):
    monkeypatch.setattr("huikuan.results.workbook.MAX_ROWS", 3)
    left, right = load_side([ORDERS]), load_side([ALIPAY])
    result = reconcile(left.entries, right.entries, load_template("orders-settlement"))
    write_result(result, left, right, tmp_path, backend="duckdb", elapsed=0.0, lang="en")
    book = openpyxl.load_workbook(tmp_path / "result.xlsx")
    matches = [name for name in book.sheetnames if name.startswith("Matches")]
    assert matches == ["Matches", "Matches 2", "Matches 3"]  # 8 match rows, 3 per sheet
    ids = [row[3] for name in matches for row in book[name].iter_rows(min_row=2, values_only=True)]
    assert len(ids) == result.matches.num_rows
    assert all(book[name].freeze_panes == "A2" for name in matches)


def test_folder_recognition(tmp_path: Path):
    ours = tmp_path / "ours"
    ours.mkdir()
    (ours / "summary.json").write_text('{"huikuan_version": "0.1.0"}')
    (ours / "my-notes.txt").write_text("kept by the clerk")
    assert is_previous_result(ours)
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "summary.json").write_text('{"something": "else"}')
    (theirs / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    assert not is_previous_result(theirs)
    with pytest.raises(OutputFolderError, match="not a previous huikuan result"):
        ResultFolder(theirs)


def test_a_failed_write_leaves_no_staging_folder(tmp_path: Path):
    def half_written() -> None:
        with ResultFolder(tmp_path / "out") as staging:
            (staging / "matches.csv").write_text("half")
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        half_written()
    assert list(tmp_path.iterdir()) == []
