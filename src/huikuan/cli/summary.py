"""The readable summary printed after ``huikuan match``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from huikuan.cli.messages import say
from huikuan.results import Lang, reason_label

RESULT_FILES = "matches.csv, unmatched.csv, differences.csv, result.xlsx, entries.parquet, summary.json"


def _reason_text(code: str, lang: Lang) -> str:
    label = reason_label(code, lang)
    return code if label == code else f"{code} — {label}"


def _money(totals: dict[str, str]) -> str:
    return ", ".join(f"{amount} {currency}" for currency, amount in totals.items()) or "0"


def _table(*columns: str) -> Table:
    table = Table(*columns, box=box.SIMPLE_HEAD, pad_edge=False)
    for column in table.columns[1:]:
        column.justify = "right"
    return table


def _records(console: Console, summary: dict[str, Any], lang: Lang) -> None:
    records = _table("", *(say(k, lang) for k in ("col_records", "col_matched", "col_to_check",
                                                   "col_outside", "col_duplicates", "col_row_errors")))
    for side in ("left", "right"):
        s = summary[side]
        records.add_row(say(side, lang), f"{s['records']:,}", f"{s['matched']:,}", f"{s['unmatched']:,}",
                        f"{s['not_in_this_flow']:,}", f"{s['duplicates_dropped']:,}", f"{s['row_errors']:,}")
    console.print(records)


def _to_check(console: Console, summary: dict[str, Any], lang: Lang) -> None:
    to_check = _table(say("col_reason", lang), say("col_records", lang), say("col_amount", lang))
    for side in ("left", "right"):
        amounts = summary[side]["unmatched_amount_by_reason"]
        for code, count in summary[side]["unmatched_by_reason"].items():
            to_check.add_row(f"{say(side, lang)}  {_reason_text(code, lang)}", f"{count:,}",
                             _money(amounts.get(code, {})))
    if to_check.row_count:
        console.print(say("to_check", lang))
        console.print(to_check)
        for side in ("left", "right"):
            if summary[side]["unmatched"]:
                console.print(say("unmatched_total", lang, side=say(side, lang),
                                  money=_money(summary[side]["unmatched_total"])))


def _money_lines(console: Console, summary: dict[str, Any], lang: Lang) -> None:
    if summary["fees_by_type"]:
        console.print(say("fees", lang))
        fees = _table(say("col_type", lang), say("col_count", lang), say("col_amount", lang))
        for fee in summary["fees_by_type"]:
            fees.add_row(fee["category"] or "—", f"{fee['count']:,}", f"{fee['amount']} {fee['currency']}")
        console.print(fees)
    refunds = [f"{say(side, lang)} {r['count']:,} · {_money(r['total'])}"
               for side, r in summary["refunds"].items() if r["count"]]
    if refunds:
        console.print(say("refunds", lang, items="; ".join(refunds)))
    line = summary.get("collections")
    if line:
        start, end = line["period"]
        console.print(say("collections", lang, start=start, end=end, ordered=_money(line["ordered"]),
                          orders=line["orders"], net=_money(line["settled_net"]),
                          payments=_money(line["payments"]), fees=_money(line["fees"]),
                          refunds=_money(line["refunds"]), other=_money(line["other"]),
                          outstanding=_money(line["outstanding"]),
                          outstanding_orders=line["outstanding_orders"]))


def print_summary(summary: dict[str, Any], out: Path, lang: Lang = "en", console: Console | None = None,
                  extra_warnings: Sequence[str] = ()) -> None:
    """Records per side, matches by rule, what is left to check and why, differences, fees,
    refunds, the 回款 line, warnings."""
    console = console or Console(width=None if Console().is_terminal else 120)
    console.print(say("heading", lang, template=summary["template"], seconds=summary["elapsed_seconds"]))
    for side in ("left", "right"):
        for f in summary[side]["files"]:
            console.print(say("file_line", lang, side=say(side, lang), file=f["file"], title=f["title"],
                              encoding=f["encoding"], rows=f["rows_read"]))
    _records(console, summary, lang)
    m = summary["matches"]
    console.print(say("matches", lang, groups=m["groups"], auto=m["auto"], suggested=m["suggested"]))
    rules = _table(say("col_rule", lang), say("col_auto", lang), say("col_suggested", lang))
    for name, counts in m["by_rule"].items():
        rules.add_row(name, f"{counts['auto']:,}", f"{counts['suggested']:,}")
    console.print(rules)
    _to_check(console, summary, lang)
    outside = [f"{say(side, lang)} {code} {count:,}" for side in ("left", "right")
               for code, count in summary[side]["not_in_this_flow_by_reason"].items()]
    if outside:
        console.print(say("outside", lang, items=", ".join(outside)))
    if summary["differences"]["count"]:
        found = ", ".join(f"{_reason_text(k, lang)}: {v}"
                          for k, v in summary["differences"]["by_reason"].items())
        console.print(say("differences", lang, items=found))
    _money_lines(console, summary, lang)
    for side in ("left", "right"):
        for f in summary[side]["files"]:
            for warning in f["warnings"]:
                console.print(say("warning", lang, text=warning))
    for warning in (*summary.get("warnings", ()), *extra_warnings):
        console.print(say("warning", lang, text=warning))
    console.print(say("results_in", lang, out=out, files=RESULT_FILES))
