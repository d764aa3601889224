"""A report as PDF, for the boss: company header, title, period, the chart, the table with its
totals, and the notes — Chinese set in a CJK font from Debian (fonts-wqy-microhei or
fonts-noto-cjk, installed by ``.ci/pdf-deps``), so headings are glyphs and not boxes.

HTML and CSS rendered by WeasyPrint (pango underneath); the chart is inline SVG drawn by
:mod:`huikuan.reports.chart`. Nothing is fetched: no web fonts, no CDN.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from huikuan.reports.cells import cell_text
from huikuan.reports.chart import chart_svg
from huikuan.reports.model import Report

#: a PDF is read, not searched: past this many rows the table stops and says where the rest is
#: a cell longer than this (a finding's sentence) wraps instead of widening the page
_LONG = 40
MAX_PDF_ROWS = 2_000
FONTS = '"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", sans-serif'

_CSS = f"""
@page {{ size: A4 landscape; margin: 14mm 12mm 14mm 12mm;
        @bottom-right {{ content: "第 " counter(page) " / " counter(pages) " 页"; font-size: 8pt; }} }}
body {{ font-family: {FONTS}; font-size: 8.5pt; color: #222; }}
.company {{ font-size: 10pt; color: #555; }}
h1 {{ font-size: 16pt; margin: 2mm 0 1mm 0; }}
.period {{ margin-bottom: 3mm; }}
table {{ border-collapse: collapse; width: 100%; }}
th {{ background: #DDEBF7; border: 0.4pt solid #999; padding: 1.2mm; text-align: center; }}
td {{ border: 0.4pt solid #ccc; padding: 1mm 1.2mm; white-space: nowrap; }}
table.wide {{ font-size: 7pt; }}
td.num {{ text-align: right; white-space: nowrap; }}
td.long {{ white-space: normal; min-width: 45mm; }}
tr.total td {{ font-weight: bold; background: #F2F2F2; }}
thead {{ display: table-header-group; }}
.notes {{ margin-top: 3mm; color: #444; }}
.chart {{ margin: 2mm 0 4mm 0; }}
text {{ font-family: {FONTS}; }}
"""

_NUMERIC = ("money", "count", "rate")


def report_html(report: Report) -> str:
    """The report as a standalone HTML page (also what a web view could show)."""
    head = "".join(f"<th>{escape(c.label)}</th>" for c in report.columns)
    body: list[str] = []
    shown = report.rows.slice(0, MAX_PDF_ROWS)
    for css, table in (("", shown), ("total", report.totals)):
        for batch in table.to_batches(max_chunksize=5_000):
            for row in batch.to_pylist():
                texts = [cell_text(c, row.get(c.key), row, symbol=True) for c in report.columns]
                cells = "".join(
                    f'<td class="{"num" if c.kind in _NUMERIC else "long" if len(t) > _LONG else ""}">'
                    f"{escape(t)}</td>" for c, t in zip(report.columns, texts, strict=True))
                body.append(f'<tr class="{css}">{cells}</tr>')
    notes = list(report.notes)
    if report.rows.num_rows > MAX_PDF_ROWS:
        notes.insert(0, f"共 {report.rows.num_rows:,} 行，此处列出前 {MAX_PDF_ROWS:,} 行；"
                        "完整清单请导出 xlsx 或 csv。")
    chart = (f'<div class="chart">{chart_svg(report.chart)}</div>'
             if report.chart and report.chart.values else "")
    width = "wide" if len(report.columns) > 10 else ""
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(report.title)}'
            f"</title><style>{_CSS}</style></head><body>"
            f'<div class="company">{escape(report.company)}</div><h1>{escape(report.title)}</h1>'
            f'<div class="period">期间：{escape(report.period)}</div>{chart}'
            f'<table class="{width}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
            f'<div class="notes">{"".join(f"<p>{escape(n)}</p>" for n in notes)}</div></body></html>')


def write_pdf(report: Report, path: Path) -> None:
    """Render :func:`report_html` to ``path``."""
    from weasyprint import HTML  # loads pango: only when a PDF is asked for

    HTML(string=report_html(report)).write_pdf(str(path))
