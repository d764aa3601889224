"""One call that writes every file of a result into a folder (see docs/RESULTS.md)."""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from huikuan.engine import MatchResult
from huikuan.importers.registry import SideImport
from huikuan.results.csv_files import write_csv_files
from huikuan.results.entries import write_entries
from huikuan.results.labels import Lang
from huikuan.results.summary import build_summary
from huikuan.results.tables import build_tables
from huikuan.results.workbook import write_workbook

SUMMARY_JSON = "summary.json"


def write_result(result: MatchResult, left: SideImport, right: SideImport, folder: Path, *,
                 backend: str, elapsed: float, lang: Lang = "zh",
                 on_file: Callable[[str], None] | None = None) -> dict[str, Any]:
    """matches.csv, unmatched.csv, differences.csv, entries.parquet, result.xlsx and summary.json
    into ``folder`` (which should be a :class:`ResultFolder`'s staging folder, so that a result is
    never seen half-written); returns the summary. ``on_file`` hears each file's name before it is
    written (for progress)."""
    def step(name: str) -> None:
        if on_file:
            on_file(name)

    tables = build_tables(result, left, right)
    step("matches.csv, unmatched.csv, differences.csv, entries.parquet")

    def files() -> None:
        write_csv_files(tables, folder)
        write_entries(result, left, right, folder)

    # The CSV and Parquet writers, zlib and Arrow's kernels release the interpreter lock: the
    # workbook is built while the other files are written (on two cores about a third sooner)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="huikuan-write") as pool:
        written = pool.submit(files)
        summary = build_summary(result, left, right, backend=backend, elapsed=elapsed)
        step("result.xlsx")
        write_workbook(tables, summary, folder, lang)
        written.result()  # an error there is raised here
    (folder / SUMMARY_JSON).write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return summary
