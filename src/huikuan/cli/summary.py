"""The readable summary printed after ``huikuan match``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from huikuan.domain.reasons import DESCRIPTIONS, Reason


def _reason_text(code: str) -> str:
    try:
        return f"{code} — {DESCRIPTIONS[Reason(code)]}"
    except ValueError:
        return code


def _money(totals: dict[str, str]) -> str:
    return ", ".join(f"{amount} {currency}" for currency, amount in totals.items()) or "0"


def _table(*columns: str) -> Table:
    table = Table(*columns, box=box.SIMPLE_HEAD, pad_edge=False)
    for column in table.columns[1:]:
        column.justify = "right"
    return table


def print_summary(summary: dict[str, Any], out: Path, console: Console | None = None) -> None:
    """Records per side, matches by rule, what is left to check and why, differences, warnings."""
    console = console or Console(width=None if Console().is_terminal else 120)
    console.print(f"[bold]huikuan[/bold] · template [bold]{summary['template']}[/bold] · "
                  f"{summary['elapsed_seconds']:.2f} s")
    for side in ("left", "right"):
        for f in summary[side]["files"]:
            console.print(f"  {side:5} {f['file']}  [dim]{f['title']} · {f['encoding']} · "
                          f"{f['rows_read']:,} rows[/dim]")
    records = _table("", "records", "matched", "to check", "not in this flow", "duplicates", "row errors")
    for side in ("left", "right"):
        s = summary[side]
        records.add_row(side, f"{s['records']:,}", f"{s['matched']:,}", f"{s['unmatched']:,}",
                        f"{s['not_in_this_flow']:,}", f"{s['duplicates_dropped']:,}", f"{s['row_errors']:,}")
    console.print(records)
    m = summary["matches"]
    console.print(f"[bold]Matches[/bold]: {m['groups']:,} groups ({m['auto']:,} auto, "
                  f"{m['suggested']:,} suggested)")
    rules = _table("rule", "auto", "suggested")
    for name, counts in m["by_rule"].items():
        rules.add_row(name, f"{counts['auto']:,}", f"{counts['suggested']:,}")
    console.print(rules)
    to_check = _table("side and reason", "records")
    for side in ("left", "right"):
        for code, count in summary[side]["unmatched_by_reason"].items():
            to_check.add_row(f"{side}  {_reason_text(code)}", f"{count:,}")
    if to_check.row_count:
        console.print("[bold]To check[/bold]: unmatched records by reason")
        console.print(to_check)
        for side in ("left", "right"):
            if summary[side]["unmatched"]:
                console.print(f"  unmatched {side} total: {_money(summary[side]['unmatched_total'])}")
    outside = [f"{side} {code} {count:,}" for side in ("left", "right")
               for code, count in summary[side]["not_in_this_flow_by_reason"].items()]
    if outside:
        console.print("Not part of this flow (kept, with their reason, in unmatched.csv): "
                      + ", ".join(outside))
    if summary["differences"]["count"]:
        found = ", ".join(f"{_reason_text(k)}: {v}" for k, v in summary["differences"]["by_reason"].items())
        console.print(f"Differences inside matches: {found}")
    for side in ("left", "right"):
        for f in summary[side]["files"]:
            for warning in f["warnings"]:
                console.print(f"[yellow]warning[/yellow] {warning}")
    console.print(f"Results in {out}/: matches.csv, unmatched.csv, differences.csv, summary.json")
