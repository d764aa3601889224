"""The readable summary printed after ``huikuan match``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


def print_summary(summary: dict[str, Any], out: Path, console: Console | None = None) -> None:
    """Matches by rule, unmatched by reason, differences and warnings, in a few tables."""
    console = console or Console()
    console.print(f"[bold]huikuan[/bold] · template [bold]{summary['template']}[/bold] · "
                  f"{summary['elapsed_seconds']:.2f} s")
    sides = Table(title="Records", show_edge=False)
    for column in ("side", "files", "records", "matched", "unmatched", "duplicates", "row errors",
                   "unmatched amount"):
        sides.add_column(column, justify="right" if column not in ("side", "files") else "left")
    for side in ("left", "right"):
        s = summary[side]
        files = ", ".join(f"{f['file']} ({f['format']})" for f in s["files"])
        sides.add_row(side, files, str(s["records"]), str(s["matched"]), str(s["unmatched"]),
                      str(s["duplicates_dropped"]), str(s["row_errors"]), _money(s["unmatched_total"]))
    console.print(sides)
    rules = Table(title=f"Matches: {summary['matches']['groups']} groups "
                        f"({summary['matches']['auto']} auto, {summary['matches']['suggested']} suggested)",
                  show_edge=False)
    rules.add_column("rule")
    rules.add_column("auto", justify="right")
    rules.add_column("suggested", justify="right")
    for name, counts in summary["matches"]["by_rule"].items():
        rules.add_row(name, str(counts["auto"]), str(counts["suggested"]))
    console.print(rules)
    reasons = Table(title="Unmatched by reason", show_edge=False)
    reasons.add_column("side")
    reasons.add_column("reason")
    reasons.add_column("records", justify="right")
    for side in ("left", "right"):
        for code, count in summary[side]["unmatched_by_reason"].items():
            reasons.add_row(side, _reason_text(code), str(count))
    if reasons.row_count:
        console.print(reasons)
    if summary["differences"]["count"]:
        found = ", ".join(f"{_reason_text(k)}: {v}" for k, v in summary["differences"]["by_reason"].items())
        console.print(f"Differences inside matches: {found}")
    for side in ("left", "right"):
        for f in summary[side]["files"]:
            for warning in f["warnings"]:
                console.print(f"[yellow]warning[/yellow] {warning}")
    console.print(f"Results in {out}/: matches.csv, unmatched.csv, differences.csv, summary.json")
