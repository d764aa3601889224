"""Hostile, huge and damaged files end in one line naming the file and exit status 2 — never a
signal, a traceback or a runaway allocation (issue 11 §4).

Each file is built here, by the test; each runs through ``huikuan inspect`` and ``huikuan match``
in a child process whose address space is capped (RLIMIT_AS), so a reader that tries to
allocate the grid calamine would build for A1:XFD1048576 fails the test instead of the machine.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, SAMPLES
from tests.importers.hostile import nested_camt, nested_ofx, xlsx, xlsx_with_huge_cell

MEMORY_CAP = 4 << 30  # bytes of address space for the child: ample for a small file (duckdb, pyarrow and
# their thread arenas reserve a lot of address space), far below what the hostile files ask for
RIGHT = FIXTURES / "alipay_account_2023-11.csv"


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def huikuan(*args: str | Path) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("huikuan")
    env = {**os.environ, "COLUMNS": "400", "RUST_BACKTRACE": "1"}
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, env=env,
                          preexec_fn=_cap_memory, timeout=120, check=False)


def refused_in_one_line(done: subprocess.CompletedProcess[str], name: str, *words: str) -> None:
    assert done.returncode == 2, f"exit {done.returncode} (negative = killed by a signal)\n{done.stderr}"
    said = done.stdout + done.stderr  # inspect reports per file on stdout, match on stderr
    assert "Traceback" not in said
    assert "panicked" not in said
    lines = [line for line in said.splitlines() if line.strip()]
    assert len(lines) == 1, said
    assert name in lines[0]
    for word in words:
        assert word in lines[0], lines[0]


def both_commands(path: Path, tmp_path: Path, *words: str) -> None:
    refused_in_one_line(huikuan("inspect", path), path.name, *words)
    refused_in_one_line(huikuan("match", "--left", path, "--right", RIGHT, "--out", tmp_path / "out"),
                        path.name, *words)


def test_xlsx_with_values_in_a1_and_xfd1048576_is_refused(tmp_path: Path):
    path = xlsx(tmp_path / "corners.xlsx", {"A1": "Date", "XFD1048576": "1"})
    assert path.stat().st_size < 5000
    both_commands(path, tmp_path, "1,048,576 rows", "16,384 columns")


def test_xlsx_declaring_an_absurd_dimension_is_refused(tmp_path: Path):
    path = xlsx(tmp_path / "declared.xlsx", {"A1": "Date"}, dimension="A1:XFD1048576")
    both_commands(path, tmp_path, "declares")


def test_xlsx_whose_one_cell_expands_a_thousandfold_is_refused(tmp_path: Path):
    path = xlsx_with_huge_cell(tmp_path / "bomb.xlsx", megabytes=100)
    assert path.stat().st_size < 1 << 20
    both_commands(path, tmp_path, "zip bomb")


@pytest.mark.parametrize("cut", [548, 4096, 25600])
def test_xls_cut_short_is_a_damaged_workbook(tmp_path: Path, cut: int):
    """A download cut short. Some cuts make calamine panic (a BaseException pyo3 raises), others
    fail cleanly; both must read "damaged workbook" and nothing else on stderr."""
    data = (SAMPLES / "ccb-debit" / "ccb-debit-2025.xls").read_bytes()
    assert len(data) > cut
    path = tmp_path / "statement.xls"
    path.write_bytes(data[:cut])
    both_commands(path, tmp_path, "damaged workbook")


def test_camt_nested_a_thousand_levels_is_refused(tmp_path: Path):
    path = nested_camt(tmp_path / "deep.xml", 1000)
    assert path.stat().st_size < 10_000
    both_commands(path, tmp_path, "64 levels")


def test_ofx_nested_thousands_of_levels_is_refused(tmp_path: Path):
    path = nested_ofx(tmp_path / "deep.ofx", 3000)
    both_commands(path, tmp_path, "64 levels")


def test_camt_nested_moderately_is_still_read(tmp_path: Path):
    """The depth limit is far above real messages: an entry with a 30-deep detail still counts."""
    from huikuan.importers import import_file

    result = import_file(nested_camt(tmp_path / "deep.xml", 30))
    assert result.entries["amount_minor"].to_pylist() == [100]
    assert "<A><A>" in result.entries["raw"][0].as_py()


def test_real_xlsx_passes_the_guard():
    """The measuring must not refuse a real workbook (3 blank rows, 21 data rows)."""
    from huikuan.importers import import_file

    result = import_file(SAMPLES / "adyen-settlement-detail" / "adyen-settlement-detail.xlsx")
    assert result.rows_read == 21
