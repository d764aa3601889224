"""A bar chart as SVG, drawn here: no chart library, no CDN, the same picture in PDF and web.

The PDF renderer (WeasyPrint) draws inline SVG itself, so a chart is a string of markup. Labels
go through the CJK font named in the page's CSS.
"""

from __future__ import annotations

from html import escape

import pyarrow as pa

from huikuan.domain.money import exponent
from huikuan.receivables import ResultSet
from huikuan.reports.model import Chart

_WIDTH, _HEIGHT, _LEFT, _BOTTOM, _TOP = 640, 250, 90, 40, 36
_MAX_BAR = 56  # a lone bar stays a bar, not a wall
_MAX_BARS = 24


def money_chart(rs: ResultSet, rows: pa.Table, label: str, value: str, title: str) -> Chart:
    """One bar per distinct ``label`` of ``rows`` (summed over the rest) of the main currency."""
    rs.con.register("chart_rows", rows)
    data = rs.query(f"""WITH main AS (SELECT currency FROM chart_rows GROUP BY currency
                                      ORDER BY sum(abs("{value}")) DESC LIMIT 1)
        SELECT CAST("{label}" AS VARCHAR) AS label, sum("{value}")::BIGINT AS value, any_value(currency) AS c
        FROM chart_rows WHERE currency = (SELECT currency FROM main)
        GROUP BY 1 ORDER BY 1 LIMIT {_MAX_BARS}""")
    rs.con.unregister("chart_rows")
    currency = data["c"][0].as_py() if data.num_rows else "CNY"
    return Chart(title=title, labels=[str(v) for v in data["label"].to_pylist()],
                 values=[int(v or 0) for v in data["value"].to_pylist()], currency=currency)


def _axis_label(minor: int, currency: str) -> str:
    """A non-negative amount in whole major units with thousands separators (the axis's top)."""
    unit = 10 ** exponent(currency)
    return f"{(minor + unit // 2) // unit:,}"


def chart_svg(chart: Chart) -> str:
    """The chart as an inline ``<svg>`` (bars up from zero, negative bars down). Amounts stay
    integer minor units; only pixel positions are fractions."""
    values = chart.values
    unit = 10 ** exponent(chart.currency)
    top = max([0, *values]) or unit  # an axis of at least one major unit
    bottom = min([0, *values])
    span = top - bottom
    plot_h = _HEIGHT - _TOP - _BOTTOM
    zero_y = _TOP + plot_h * top / span
    n = max(len(values), 1)
    slot = (_WIDTH - _LEFT - 10) / n
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{_HEIGHT}" '
             f'viewBox="0 0 {_WIDTH} {_HEIGHT}" class="chart">',
             f'<text x="10" y="16" font-size="13" font-weight="bold">{escape(chart.title)}</text>',
             f'<line x1="{_LEFT}" y1="{zero_y:.1f}" x2="{_WIDTH - 10}" y2="{zero_y:.1f}" stroke="#444"/>',
             f'<text x="{_LEFT - 6}" y="{_TOP + 4}" font-size="10" text-anchor="end">'
             f'{_axis_label(top, chart.currency)}</text>',
             f'<text x="{_LEFT - 6}" y="{zero_y + 4:.1f}" font-size="10" text-anchor="end">0</text>']
    for i, (name, v) in enumerate(zip(chart.labels, values, strict=True)):
        h = plot_h * abs(v) / span
        bar = min(slot * 0.7, _MAX_BAR)
        x = _LEFT + i * slot + (slot - bar) / 2
        y = zero_y - h if v >= 0 else zero_y
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                     f'fill="{"#3B7DD8" if v >= 0 else "#D8553B"}"/>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{_HEIGHT - _BOTTOM + 14}" font-size="10" '
                     f'text-anchor="middle">{escape(name[:12])}</text>')
    parts.append("</svg>")
    return "".join(parts)
