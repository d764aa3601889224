"""``huikuan inspect``: what a file is and what huikuan reads from it, before any matching."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from huikuan.cli.inputs import check_inputs
from huikuan.domain.dates import SHANGHAI
from huikuan.domain.errors import HuikuanError
from huikuan.domain.money import format_minor
from huikuan.importers import ImportResult, detect_all

MAX_ERRORS_SHOWN = 20


def describe(result: ImportResult, confidence: float) -> dict[str, Any]:
    """Everything ``inspect`` reports about one imported file."""
    entries = result.entries
    ts = entries["ts"]
    first, last = pc.min(ts).as_py(), pc.max(ts).as_py()
    kinds = entries.group_by(["kind", "currency"]).aggregate(
        [("amount_minor", "sum"), ("amount_minor", "count")]).to_pylist()
    return {
        "file": result.name,
        "format": result.format_id,
        "title": result.title,
        "role": result.role,
        "confidence": round(confidence, 2),
        "encoding": result.encoding,
        "rows_read": result.rows_read,
        "entries": entries.num_rows,
        "date_range": [first.astimezone(SHANGHAI).isoformat() if first else None,
                       last.astimezone(SHANGHAI).isoformat() if last else None],
        "totals": [{"kind": k["kind"], "currency": k["currency"], "count": k["amount_minor_count"],
                    "amount": format_minor(k["amount_minor_sum"], k["currency"])}
                   for k in sorted(kinds, key=lambda k: (k["kind"], k["currency"]))],
        "row_errors": [e.as_dict() for e in result.errors],
        "checks": [str(c) for c in result.checks],
        "warnings": result.warnings,
        "meta": result.meta,
    }


def inspect_files(paths: Sequence[str], *, as_json: bool = False) -> int:
    """Print a description of each file; exit status 2 if any file could not be read at all."""
    console = Console()
    reports: list[dict[str, Any]] = []
    status = 0
    for path in paths:
        try:
            check_inputs([path], "en")  # a folder, a PDF or an image is named for what it is
            for importer, confidence, source in detect_all(path):  # an archive: each member
                reports.append(describe(importer.read(source), confidence))
        except HuikuanError as exc:
            status = 2
            reports.append({"file": str(path), "error": " ".join(str(exc).split())})
    if as_json:
        print(json.dumps(reports, ensure_ascii=False, indent=2))
        return status
    for report in reports:
        if "error" in report:
            # the error names the file already (InputError): say it once
            named = report["error"].startswith((report["file"], Path(report["file"]).name))
            console.print(report["error"] if named else f"[red]{report['file']}[/red]: {report['error']}",
                          markup=not named, highlight=False)
            continue
        console.print(f"[bold]{escape(report['file'])}[/bold]: {escape(report['title'])} "
                      f"\\[{escape(report['format'])}], "
                      f"{report['encoding']}, confidence {report['confidence']}")
        start, end = report["date_range"]
        console.print(f"  {report['rows_read']} rows read → {report['entries']} entries, "
                      f"{len(report['row_errors'])} row errors, from {start} to {end}")
        table = Table(show_edge=False, padding=(0, 2))
        for column in ("kind", "currency", "count", "total"):
            table.add_column(column, justify="right" if column in ("count", "total") else "left")
        for t in report["totals"]:
            table.add_row(t["kind"], t["currency"], str(t["count"]), t["amount"])
        console.print(table)
        for error in report["row_errors"][:MAX_ERRORS_SHOWN]:
            console.print(f"  [red]row error[/red] line {error['line']}: {error['reason']}")
        if len(report["row_errors"]) > MAX_ERRORS_SHOWN:
            console.print(f"  … and {len(report['row_errors']) - MAX_ERRORS_SHOWN} more row errors")
        for check in report["checks"]:
            console.print(f"  check {check}")
        for key, value in report["meta"].items():
            console.print(f"  {key}: {value}")
    return status
