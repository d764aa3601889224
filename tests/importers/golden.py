"""Golden files for importers: a readable rendering of what a file gave, kept in the repository
and reviewed as a diff. Regenerate with ``HUIKUAN_UPDATE_GOLDEN=1 make test`` and read the diff
before committing it."""

from __future__ import annotations

import csv
import difflib
import io
import os
from pathlib import Path

from huikuan.domain.dates import SHANGHAI
from huikuan.domain.money import format_minor
from huikuan.importers.base import ImportResult

GOLDEN = Path(__file__).parent / "golden"
COLUMNS = ("line", "record_id", "kind", "order_ref", "amount", "currency", "ts", "counterparty",
           "batch_ref", "status", "category", "account", "text")


def render(result: ImportResult) -> str:
    """The result as text: one header block, one CSV row per entry, then errors and checks."""
    out = io.StringIO()
    out.write(f"# format: {result.format_id}\n# encoding: {result.encoding}\n")
    out.write(f"# rows read: {result.rows_read}, entries: {result.entries.num_rows}, "
              f"errors: {len(result.errors)}\n")
    for key in sorted(result.meta):
        out.write(f"# meta {key}: {result.meta[key]}\n")
    writer = csv.writer(out, lineterminator="\n")
    # the bill's balance, last, only for files that state one (the others' files stay as they were)
    balances = result.entries["balance_minor"].null_count < result.entries.num_rows
    writer.writerow((*COLUMNS, "balance") if balances else COLUMNS)
    for entry in result.entries.drop_columns(["raw", "dedupe_key"]).to_pylist():
        ts = entry["ts"].astimezone(SHANGHAI).isoformat() if entry["ts"] else ""
        amount = format_minor(entry["amount_minor"], entry["currency"])
        balance = ([] if not balances else [""] if entry["balance_minor"] is None
                   else [format_minor(entry["balance_minor"], entry["currency"])])
        writer.writerow([entry["line"], entry["record_id"], entry["kind"], entry["order_ref"] or "",
                         amount, entry["currency"], ts, entry["counterparty"] or "",
                         entry["batch_ref"] or "", entry["status"] or "", entry["category"] or "",
                         entry["account"] or "", entry["text"] or "", *balance])
    for error in result.errors:
        out.write(f"# error line {error.line}: {error.reason}\n")
    for check in result.checks:
        out.write(f"# check {check}\n")
    for warning in result.warnings:
        out.write(f"# warning {warning}\n")
    return out.getvalue()


def assert_golden(result: ImportResult, name: str) -> None:
    """Compare with ``golden/<name>.golden.csv``; write it when HUIKUAN_UPDATE_GOLDEN is set."""
    path = GOLDEN / f"{name}.golden.csv"
    text = render(result)
    if os.environ.get("HUIKUAN_UPDATE_GOLDEN") or not path.exists():
        if not os.environ.get("HUIKUAN_UPDATE_GOLDEN"):
            raise AssertionError(f"no golden file {path.name}; run with HUIKUAN_UPDATE_GOLDEN=1 "
                                 "to create it, then review it")
        path.write_text(text, encoding="utf-8")
        return
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True),
                                            f"{path.name} (expected)", "now"))
        raise AssertionError(f"{name}: output differs from {path.name}\n{diff}")
