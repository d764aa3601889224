"""What the workbook's first and last sheets hold: the to-do list (待处理) and the summary (汇总)."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from huikuan.domain.money import parse_amount
from huikuan.results.csv_files import reason_labels
from huikuan.results.labels import Lang, reason_label, word
from huikuan.results.tables import ResultTables

ATTENTION_COLUMNS = ["reason_label", "match_id", "side", "file", "record_id", "date", "kind",
                     "amount_minor", "currency", "counterparty", "memo", "reason"]

#: summary item → (Chinese, English)
ITEMS: dict[str, tuple[str, str]] = {
    "records": ("记录", "records"),
    "matched": ("已匹配", "matched"),
    "unmatched": ("待查", "to check"),
    "out_of_flow": ("不属于本次对账", "not in this flow"),
    "duplicates": ("重复导入（已剔除）", "duplicates dropped"),
    "row_errors": ("无法读取的行", "rows that could not be read"),
    "groups": ("匹配组", "matches"),
    "differences": ("差异", "differences"),
    "fee": ("费用", "fee"),
    "refunds": ("退款", "refunds"),
    "ordered": ("回款 · 已付款订单", "collections · paid orders"),
    "settled_net": ("回款 · 已结算（净额）", "collections · settled (net)"),
    "payments": ("回款 · 其中货款", "collections · of which payments"),
    "fees": ("回款 · 其中费用", "collections · of which fees"),
    "refunds_settled": ("回款 · 其中退款", "collections · of which refunds"),
    "other": ("回款 · 其中其他", "collections · of which other"),
    "outstanding": ("回款 · 未结算订单", "collections · outstanding orders"),
}


def item(key: str, lang: Lang) -> str:
    zh, en = ITEMS[key]
    return zh if lang == "zh" else en


def attention_rows(tables: ResultTables, lang: Lang) -> pa.Table:
    """What a clerk has to act on, grouped by reason: unmatched records in this flow (not the
    dropped duplicates), the records of suggested matches, and each difference inside a match."""
    u = tables.unmatched
    open_records = u.filter(pc.and_(u["in_scope"], pc.not_equal(u["reason"], "duplicate")))
    m = tables.matches
    suggested = m.filter(pc.equal(m["status"], "suggested"))
    d = tables.differences
    n = d.num_rows
    text = pa.nulls(n, pa.string())
    parts = [
        open_records.drop_columns(["in_scope"]).append_column("match_id", pa.nulls(open_records.num_rows,
                                                                                   pa.string())),
        suggested.drop_columns(["rule", "status"]).append_column(
            "reason", pa.array(["suggested"] * suggested.num_rows, pa.string())),
        pa.table({"match_id": d["match_id"], "side": text, "file": text, "record_id": text,
                  "amount_minor": d["difference_minor"], "currency": d["currency"],
                  "date": pa.nulls(n, pa.int32()), "kind": text, "counterparty": text, "memo": text,
                  "reason": d["reason"]}),
    ]
    rows = pa.concat_tables([p.select([c for c in ATTENTION_COLUMNS if c != "reason_label"]) for p in parts],
                            promote_options="permissive")
    rows = rows.sort_by([("reason", "ascending"), ("match_id", "ascending"), ("side", "ascending"),
                         ("file", "ascending"), ("record_id", "ascending")])
    return rows.append_column("reason_label", reason_labels(rows["reason"], lang)).select(ATTENTION_COLUMNS)


def summary_rows(summary: dict[str, Any], lang: Lang) -> pa.Table:
    """The summary as rows of item, count, amount (minor units), currency."""
    rows: list[tuple[str, int | None, int | None, str | None]] = []

    def money(label: str, count: int | None, totals: dict[str, str]) -> None:
        if not totals:
            rows.append((label, count, None, None))
        for currency, amount in totals.items():
            rows.append((label, count, parse_amount(amount, currency), currency))
            count = None  # the count once, on the first currency's line

    for side in ("left", "right"):
        s = summary[side]
        side_word = word(side, lang)
        money(f"{side_word} · {item('records', lang)}", s["records"], s["total"])
        money(f"{side_word} · {item('matched', lang)}", s["matched"], s["matched_total"])
        money(f"{side_word} · {item('unmatched', lang)}", s["unmatched"], s["unmatched_total"])
        for code, count in s["unmatched_by_reason"].items():
            money(f"{side_word} · {item('unmatched', lang)} · {reason_label(code, lang)}", count,
                  s["unmatched_amount_by_reason"].get(code, {}))
        rows.append((f"{side_word} · {item('out_of_flow', lang)}", s["not_in_this_flow"], None, None))
        rows.append((f"{side_word} · {item('duplicates', lang)}", s["duplicates_dropped"], None, None))
        rows.append((f"{side_word} · {item('row_errors', lang)}", s["row_errors"], None, None))
    m = summary["matches"]
    rows.append((item("groups", lang), m["groups"], None, None))
    for status in ("auto", "suggested"):
        rows.append((f"{item('groups', lang)} · {word(status, lang)}", m[status], None, None))
    rows.append((item("differences", lang), summary["differences"]["count"], None, None))
    for code, count in summary["differences"]["by_reason"].items():
        rows.append((f"{item('differences', lang)} · {reason_label(code, lang)}", count, None, None))
    for fee in summary["fees_by_type"]:
        money(f"{item('fee', lang)} · {fee['category'] or '—'}", fee["count"],
              {fee["currency"]: fee["amount"]})
    for side in ("left", "right"):
        refunds = summary["refunds"][side]
        if refunds["count"]:
            money(f"{word(side, lang)} · {item('refunds', lang)}", refunds["count"], refunds["total"])
    line = summary.get("collections")
    if line:
        money(item("ordered", lang), line["orders"], line["ordered"])
        money(item("settled_net", lang), None, line["settled_net"])
        for key, name in (("payments", "payments"), ("fees", "fees"), ("refunds", "refunds_settled"),
                          ("other", "other")):
            money(item(name, lang), None, line[key])
        money(item("outstanding", lang), line["outstanding_orders"], line["outstanding"])
    return pa.table({
        "item": pa.array([r[0] for r in rows], pa.string()),
        "count": pa.array([r[1] for r in rows], pa.int64()),
        "amount": pa.array([r[2] for r in rows], pa.int64()),
        "amount_minor": pa.array([r[2] for r in rows], pa.int64()),
        "currency": pa.array([r[3] for r in rows], pa.string()),
    })
