"""A custom report as data: dimensions, measures and filters a user picks, saved as JSON.

A definition is words from fixed lists, never SQL: the web form and the CLI both build one, it is
checked here with a one-line error naming the bad field and the words allowed, and only then
turned into a query (``reports.custom``). Keeping it plain data is what lets a saved report be a
row in the web app's database and a file on the command line.

Two grains answer different questions, and a definition reads one of them:
- ``orders``: one row per order with its 回款 status and money (``receivables.order_collections``);
- ``entries``: one row per line of the exports (payments, fees, refunds, payouts …).
A field that exists in only one grain picks it (``status`` → orders, ``fee_type`` → entries);
asking for fields of both grains at once is an error that says which belongs where.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from huikuan.domain.money import parse_amount
from huikuan.reports.period import ReportError

Grain = Literal["orders", "entries"]
BOTH: tuple[Grain, ...] = ("orders", "entries")

#: dimension → (Chinese label, grains it exists in)
DIMENSIONS: dict[str, tuple[str, tuple[Grain, ...]]] = {
    "store": ("店铺", BOTH),
    "platform": ("平台", BOTH),
    "month": ("月份", BOTH),
    "day": ("日期", BOTH),
    "currency": ("币种", BOTH),
    "reason": ("原因", BOTH),
    "status": ("回款状态", ("orders",)),
    "fee_type": ("费用类型", ("entries",)),
    "kind": ("类型", ("entries",)),
    "side": ("方", ("entries",)),
    "rule": ("规则", ("entries",)),
}
#: measure → (Chinese label, kind, grains)
MEASURES: dict[str, tuple[str, str, tuple[Grain, ...]]] = {
    "count": ("笔数", "count", BOTH),
    "amount": ("金额", "money", BOTH),
    "sales": ("销售额", "money", BOTH),
    "fees": ("费用", "money", BOTH),
    "refunds": ("退款", "money", BOTH),
    "collected": ("已回款", "money", ("orders",)),
    "receivable": ("应收", "money", ("orders",)),
    "outstanding": ("未回款", "money", ("orders",)),
    "net_received": ("实收净额", "money", ("orders",)),
}
#: named rates: (label, numerator, denominator, sign); any ``a/b`` of two measures works too
RATES: dict[str, tuple[str, str, str, int]] = {
    "collection_rate": ("回款率", "collected", "receivable", 1),
    "fee_rate": ("费率", "fees", "sales", -1),
    "refund_rate": ("退款率", "refunds", "sales", 1),
}
#: fields a filter may name beyond the dimensions: a date range and an amount range
RANGE_FIELDS = ("date", "amount")
FilterOp = Literal["equals", "in", "between"]
_NAME = re.compile(r"^[a-z_]+$")


@dataclass(frozen=True)
class Filter:
    """``field`` equals one value, is ``in`` several, or is ``between`` two bounds (either may be
    empty: open). Dates are ISO days; amounts are yuan as a clerk types them (``1,200.50``)."""

    field: str
    op: FilterOp
    values: tuple[str, ...]


@dataclass(frozen=True)
class CustomSpec:
    """A custom report: rows grouped by ``dimensions``, one column per measure. ``grain`` None:
    chosen from the fields (orders where both fit)."""

    dimensions: tuple[str, ...]
    measures: tuple[str, ...]
    filters: tuple[Filter, ...] = ()
    title: str = "自定义报表"
    grain: Grain | None = None
    chart: bool = True

    def to_json(self) -> str:
        return json.dumps(
            {
                "title": self.title,
                "grain": self.grain,
                "dimensions": list(self.dimensions),
                "measures": list(self.measures),
                "chart": self.chart,
                "filters": [{"field": f.field, "op": f.op, "values": list(f.values)} for f in self.filters],
            },
            ensure_ascii=False,
            indent=2,
        )


def _words(names: object) -> str:
    return ", ".join(str(n) for n in names)  # type: ignore[attr-defined]


def rate_parts(measure: str) -> tuple[str, str, int] | None:
    """(numerator, denominator, sign) when ``measure`` is a rate, else None."""
    if measure in RATES:
        _, num, den, sign = RATES[measure]
        return num, den, sign
    if "/" in measure:
        num, _, den = measure.partition("/")
        return num.strip(), den.strip(), 1
    return None


def measure_label(measure: str) -> str:
    if measure in RATES:
        return RATES[measure][0]
    parts = rate_parts(measure)
    if parts:
        return f"{MEASURES[parts[0]][0]} ÷ {MEASURES[parts[1]][0]}"
    return MEASURES[measure][0]


def _grains_of(spec: CustomSpec) -> list[tuple[str, tuple[Grain, ...]]]:
    fields: list[tuple[str, tuple[Grain, ...]]] = []
    for d in spec.dimensions:
        if d not in DIMENSIONS:
            raise ReportError(f"dimension {d!r} is not one of: {_words(DIMENSIONS)}")
        fields.append((d, DIMENSIONS[d][1]))
    for m in spec.measures:
        parts = rate_parts(m)
        for base in [parts[0], parts[1]] if parts else [m]:
            if base not in MEASURES:
                raise ReportError(
                    f"measure {m!r} is not one of: {_words([*MEASURES, *RATES])} "
                    f"(or a rate written as measure/measure, e.g. fees/sales)"
                )
            fields.append((base, MEASURES[base][2]))
    for f in spec.filters:
        if f.field in RANGE_FIELDS:
            fields.append((f.field, BOTH))
        elif f.field in DIMENSIONS:
            fields.append((f.field, DIMENSIONS[f.field][1]))
        else:
            raise ReportError(
                f"filter on {f.field!r}: filter on one of {_words([*DIMENSIONS, *RANGE_FIELDS])}"
            )
    return fields


def _check_filter(f: Filter) -> None:
    if f.op not in ("equals", "in", "between"):
        raise ReportError(f"filter on {f.field!r}: operator {f.op!r} is not one of: equals, in, between")
    if f.op == "between":
        if f.field not in RANGE_FIELDS or len(f.values) != 2 or not any(v.strip() for v in f.values):
            raise ReportError(
                f"filter on {f.field!r}: a range is FROM..TO on date or amount "
                "(e.g. date=2026-10-01..2026-10-31, amount=100..)"
            )
        for v in f.values:
            if v.strip():
                bound_value(f.field, v)
    elif not f.values or f.field in RANGE_FIELDS:
        raise ReportError(
            f"filter on {f.field!r}: give a value (status=settled, or several: "
            "status=settled,refunded; date and amount take FROM..TO)"
        )


def bound_value(name: str, text: str) -> object:
    """A range bound as the query compares it: a date, or minor units."""
    try:
        return date.fromisoformat(text.strip()) if name == "date" else parse_amount(text)
    except ValueError:
        example = "2026-10-01" if name == "date" else "1200.50"
        raise ReportError(
            f"filter on {name!r}: {text!r} is not a {'date' if name == 'date' else 'amount'} (e.g. {example})"
        ) from None


def validated(spec: CustomSpec) -> CustomSpec:
    """``spec`` with its grain decided, or a :class:`ReportError` naming the first bad field."""
    if not spec.measures:
        raise ReportError(f"a custom report needs at least one measure: {_words([*MEASURES, *RATES])}")
    if len(set(spec.dimensions)) != len(spec.dimensions):
        raise ReportError("a dimension is named twice")
    fields = _grains_of(spec)
    for f in spec.filters:
        _check_filter(f)
    if spec.grain is not None and spec.grain not in BOTH:
        raise ReportError(f"grain {spec.grain!r} is not one of: orders, entries")
    candidates = [spec.grain] if spec.grain else list(BOTH)
    for name, grains in fields:
        kept = [g for g in candidates if g in grains]
        if not kept:
            other = "orders" if "orders" in grains else "entries"
            raise ReportError(
                f"{name!r} is a field of {other}, not of "
                f"{' or '.join(c for c in candidates)}: report it on its own"
            )
        candidates = kept
    return CustomSpec(
        dimensions=spec.dimensions,
        measures=spec.measures,
        filters=spec.filters,
        title=spec.title,
        grain=candidates[0],
        chart=spec.chart,
    )


def parse_filter(text: str) -> Filter:
    """``status=settled``, ``status=settled,refunded``, ``date=2026-10-01..2026-10-31``, ``amount=100..``."""
    name, eq, value = text.partition("=")
    name = name.strip()
    if not eq or not _NAME.match(name):
        raise ReportError(
            f"--filter {text}: give FIELD=VALUE, e.g. status=settled or date=2026-10-01..2026-10-31"
        )
    if ".." in value:
        low, _, high = value.partition("..")
        return Filter(name, "between", (low.strip(), high.strip()))
    values = tuple(v.strip() for v in value.split(",") if v.strip())
    return Filter(name, "in" if len(values) > 1 else "equals", values)


def _names(text: str | list[str] | None) -> tuple[str, ...]:
    if text is None:
        return ()
    items = text.split(",") if isinstance(text, str) else text
    return tuple(str(i).strip() for i in items if str(i).strip())


def spec_from_words(
    dims: str | None,
    measures: str | None,
    filters: list[str] | tuple[str, ...] = (),
    title: str | None = None,
    grain: str | None = None,
) -> CustomSpec:
    """A definition from the CLI's ``--dims a,b --measures c,d --filter f=v [--grain entries]``."""
    return validated(
        CustomSpec(
            dimensions=_names(dims),
            measures=_names(measures),
            filters=tuple(parse_filter(f) for f in filters),
            title=title or "自定义报表",
            grain=grain or None,  # type: ignore[arg-type]  # checked by validated()
        )
    )


def spec_from_json(text: str, origin: str = "spec") -> CustomSpec:
    """A saved definition (the JSON ``CustomSpec.to_json`` writes), checked."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportError(f"{origin}: not JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(data, dict):
        raise ReportError(f"{origin}: a report definition is a JSON object with dimensions and measures")
    unknown = set(data) - {"title", "grain", "dimensions", "measures", "filters", "chart"}
    if unknown:
        raise ReportError(
            f"{origin}: unknown key {sorted(unknown)[0]!r}; the keys are: "
            "title, grain, dimensions, measures, filters, chart"
        )
    filters = []
    for item in data.get("filters") or []:
        if not isinstance(item, dict) or not isinstance(item.get("values"), list):
            raise ReportError(f'{origin}: a filter is {{"field": …, "op": …, "values": […]}}')
        filters.append(
            Filter(
                str(item.get("field", "")), item.get("op", "equals"), tuple(str(v) for v in item["values"])
            )
        )
    try:
        return validated(
            CustomSpec(
                dimensions=_names(data.get("dimensions")),
                measures=_names(data.get("measures")),
                filters=tuple(filters),
                title=str(data.get("title") or "自定义报表"),
                grain=data.get("grain"),
                chart=bool(data.get("chart", True)),
            )
        )
    except ReportError as exc:
        raise ReportError(f"{origin}: {exc}") from None
