"""The command line's own sentences, in English and Chinese (``--lang``, or a zh_* locale).

Errors raised deeper down (an importer naming a bad row) keep their own words; the frame around
them — the prefix, the summary, progress — is said in the user's language.
"""

from __future__ import annotations

from huikuan.results import Lang

_TEXT: dict[str, tuple[str, str]] = {
    "error": ("huikuan: error: {message}", "huikuan：错误：{message}"),
    "interrupted": ("huikuan: interrupted", "huikuan：已中断"),
    "rows_not_read": ("huikuan: {count} row(s) could not be read, first: {first} "
                      "(all are listed in {path})",
                      "huikuan：{count} 行无法读取，第一行：{first}（全部列在 {path}）"),
    "reading_files": ("reading files", "读取文件"),
    "reading": ("reading {name}", "读取 {name}"),
    "matching": ("matching ({template})", "匹配（{template}）"),
    "rule": ("rule {name}", "规则 {name}"),
    "writing": ("writing results", "写入结果"),
    "writing_file": ("writing {name}", "写入 {name}"),
    "rows": ("rows", "行"),
    "not_found": ("file not found", "文件不存在"),
    "is_folder": ("is a folder, not a file; name the export files inside it",
                  "是文件夹，不是文件；请指定其中的导出文件"),
    "is_pdf": ("is a PDF; huikuan reads CSV, Excel and text exports: download the bill as CSV or Excel",
               "是 PDF 文件；huikuan 读取 CSV、Excel 和文本导出文件：请下载 CSV 或 Excel 格式的账单"),
    "is_image": ("is an image ({kind}), not an export; download the bill as CSV or Excel",
                 "是图片（{kind}），不是导出文件；请下载 CSV 或 Excel 格式的账单"),
    "no_records": ("{name}: no records (only a header?)", "{name}：没有记录（只有表头？）"),
    # the summary
    "heading": ("[bold]huikuan[/bold] · template [bold]{template}[/bold] · {seconds:.2f} s",
                "[bold]huikuan[/bold] · 模板 [bold]{template}[/bold] · {seconds:.2f} 秒"),
    "file_line": ("  {side:5} {file}  [dim]{title} · {encoding} · {rows:,} rows[/dim]",
                  "  {side:5} {file}  [dim]{title} · {encoding} · {rows:,} 行[/dim]"),
    "col_records": ("records", "记录"), "col_matched": ("matched", "已匹配"),
    "col_to_check": ("to check", "待查"),
    "col_outside": ("not in this flow", "不属于本次对账"), "col_duplicates": ("duplicates", "重复"),
    "col_row_errors": ("row errors", "错误行"), "col_rule": ("rule", "规则"), "col_auto": ("auto", "自动"),
    "col_suggested": ("suggested", "建议"), "col_reason": ("side and reason", "方与原因"),
    "col_amount": ("amount", "金额"), "col_type": ("fee type", "费用类型"), "col_count": ("count", "笔数"),
    "matches": ("[bold]Matches[/bold]: {groups:,} groups ({auto:,} auto, {suggested:,} suggested)",
                "[bold]匹配[/bold]：{groups:,} 组（自动 {auto:,}，建议 {suggested:,}）"),
    "to_check": ("[bold]To check[/bold]: unmatched records by reason",
                 "[bold]待查[/bold]：未匹配记录（按原因）"),
    "unmatched_total": ("  unmatched {side} total: {money}", "  {side}方未匹配合计：{money}"),
    "outside": ("Not part of this flow (kept, with their reason, in unmatched.csv): {items}",
                "不属于本次对账（连同原因保留在 unmatched.csv）：{items}"),
    "differences": ("Differences inside matches: {items}", "匹配内的差异：{items}"),
    "fees": ("[bold]Fees by type[/bold]", "[bold]费用（按类型）[/bold]"),
    "refunds": ("Refunds: {items}", "退款：{items}"),
    "collections": ("[bold]回款 {start} – {end}[/bold]: paid orders {ordered} ({orders:,}) · "
                    "settled net {net} "
                    "(payments {payments}, fees {fees}, refunds {refunds}, other {other}) · "
                    "outstanding {outstanding} ({outstanding_orders:,} orders)",
                    "[bold]回款 {start} – {end}[/bold]：已付款订单 {ordered}（{orders:,} 笔）· "
                    "已结算净额 {net}"
                    "（货款 {payments}，费用 {fees}，退款 {refunds}，其他 {other}）· "
                    "未结算 {outstanding}（{outstanding_orders:,} 笔订单）"),
    "warning": ("[yellow]warning[/yellow] {text}", "[yellow]注意[/yellow] {text}"),
    "results_in": ("Results in {out}/: {files}", "结果在 {out}/：{files}"),
    "left": ("left", "左"), "right": ("right", "右"),
}


def say(key: str, lang: Lang, **values: object) -> str:
    """The sentence ``key`` in ``lang`` with ``values`` filled in."""
    en, zh = _TEXT[key]
    return (zh if lang == "zh" else en).format(**values)
