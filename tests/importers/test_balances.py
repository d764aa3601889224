"""The bill's own running balance (账户余额, 账户结余, 余额) kept on every entry as
``balance_minor``: read exactly, the same on the per-row and the column-wise path, and a balance
that is not an amount costs the row nothing but a warning."""

from __future__ import annotations

import itertools
from pathlib import Path

import pyarrow as pa

from huikuan.domain.entry import ENTRY_SCHEMA, conform
from huikuan.importers import import_file, vector
from tests.conftest import FIXTURES, sample

ALIPAY = FIXTURES / "alipay_account_2023-11.csv"


def _by_line(entries: pa.Table) -> list[tuple[int, int, int | None]]:
    """(line, amount of the line, balance stated on it), a line's entries summed."""
    lines: dict[int, tuple[int, int | None]] = {}
    for e in entries.to_pylist():
        amount, _ = lines.get(e["line"], (0, None))
        lines[e["line"]] = (amount + e["amount_minor"], e["balance_minor"])
    return [(line, amount, balance) for line, (amount, balance) in sorted(lines.items())]


def _follows(lines: list[tuple[int, int, int | None]]) -> bool:
    """Every stated balance is the one before it plus the line's amount."""
    return all(b is not None and a is not None and a + amount == b
               for (_, _, a), (_, amount, b) in itertools.pairwise(lines))


def test_alipay_balances_are_read_on_every_line_and_follow_each_other() -> None:
    result = import_file(ALIPAY)
    lines = _by_line(result.entries)
    assert [b for _, _, b in lines] == [112800, 112160, 111776, 117766, 115766, 15766]
    assert _follows(lines)
    assert result.entries.schema.field("balance_minor").type == pa.int64()


def test_wechat_fund_flow_sample_states_its_balance() -> None:
    result = import_file(sample("wechatpay-merchant-fundflow/wxpay-v3-fundflowbill-BASIC-20210201.csv"))
    assert result.format_id == "wechat_fundflow"
    lines = _by_line(result.entries)
    assert [(amount, balance) for _, amount, balance in lines] == [(-1, 22), (-1, 21)]
    assert _follows(lines)


def test_bank_statement_balances_are_kept_as_written() -> None:
    result = import_file(sample("boc-debit/example-boc-records.csv"))
    assert result.entries["balance_minor"].null_count == 0
    # the sample is newest first: each balance is the next line's plus this line's amount
    # (all but one pair: the anonymised sample is not wholly consistent)
    lines = _by_line(result.entries)
    assert not _follows(lines)
    assert sum(1 for (_, amount, b), (_, _, below) in itertools.pairwise(lines)
               if below is not None and b == below + amount) >= len(lines) - 2


def test_files_without_a_balance_column_leave_it_null() -> None:
    result = import_file(FIXTURES / "taobao_orders_2023-11.csv")
    assert result.entries.num_rows > 0
    assert result.entries["balance_minor"].null_count == result.entries.num_rows


def _damaged(tmp_path: Path) -> Path:
    text = ALIPAY.read_bytes().decode("gbk").replace(",1121.60\t,", ",1121.6O\t,")
    assert "1121.6O" in text
    path = tmp_path / "alipay.csv"
    path.write_bytes(text.encode("gbk"))
    return path


def test_a_balance_that_is_not_an_amount_is_a_warning_and_the_row_stays(tmp_path: Path) -> None:
    path = _damaged(tmp_path)
    result = import_file(path)
    assert not result.errors
    assert result.entries.num_rows == import_file(ALIPAY).entries.num_rows
    row = next(e for e in result.entries.to_pylist() if e["line"] == 7)
    assert (row["amount_minor"], row["balance_minor"]) == (-640, None)
    assert result.warnings == [
        "alipay.csv:7: balance '1121.6O' is not an amount ('1121.6O' is not an amount: digits and "
        "separators do not form one number); the row is imported without its balance"]


def test_both_paths_read_the_same_balances_and_warnings(tmp_path: Path) -> None:
    path = _damaged(tmp_path)
    fast = import_file(path)
    with vector.per_row():
        reference = import_file(path)
    assert fast.entries.equals(reference.entries)
    assert fast.warnings == reference.warnings


def test_an_entry_table_from_before_balances_gains_the_column_as_nulls() -> None:
    entries = import_file(ALIPAY).entries
    old = entries.drop_columns(["balance_minor"])
    again = conform(old)
    assert again.schema == ENTRY_SCHEMA
    assert again["balance_minor"].null_count == entries.num_rows
    assert again.drop_columns(["balance_minor"]).equals(old)
    assert conform(entries).equals(entries)
