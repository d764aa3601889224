"""What a report is: a typed table with a title, a period, totals and a chart.

Every report returns the same shape, so one writer per format serves them all and the web app
can render any of them. Money stays int minor units in ``rows`` with the currency in a column
beside it; only a writer turns it into ``¥1,234.50`` or an Excel number, at the edge.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

import pyarrow as pa

from huikuan.receivables import SettlementTiming, WriteOff
from huikuan.reports.custom_spec import CustomSpec
from huikuan.reports.finding_model import Thresholds, WrittenOffGroup

ColumnKind = Literal["text", "id", "money", "count", "rate", "date"]


@dataclass(frozen=True)
class Column:
    """One column: ``key`` in ``rows``, the Chinese ``label`` a reader sees, and its kind. A
    ``money`` column holds minor units; its currency is in the column named ``currency``. A
    ``rate`` is a fraction (0.05 shows as 5.00%), a ``date`` an Arrow date, an ``id`` text that must
    stay text (an 18-digit order number)."""

    key: str
    label: str
    kind: ColumnKind = "text"
    currency: str = "currency"


@dataclass(frozen=True)
class Chart:
    """A bar chart of one money measure: ``values`` in minor units, one bar per label."""

    title: str
    labels: list[str]
    values: list[int]
    currency: str = "CNY"


@dataclass
class Report:
    """A finished report: rows and totals share ``columns``; ``notes`` are lines a reader must
    see (what was assumed, what could not be checked)."""

    name: str
    title: str
    period: str
    columns: list[Column]
    rows: pa.Table
    totals: pa.Table
    notes: list[str] = field(default_factory=list)
    chart: Chart | None = None
    company: str = ""


@dataclass(frozen=True)
class ReportRequest:
    """Everything a report may need. The CLI fills it from its options; the web app from the
    merchant's settings and decisions (write-offs, chase status, contract rates)."""

    results: list[Path]
    period: str | None = None            # "2026-10" or "2026"; None: everything in the results
    as_of: date | None = None            # aging date; None: the last date in the results
    contract_rates: Mapping[str, float] = field(default_factory=dict)  # fee category -> rate
    write_offs: tuple[WriteOff, ...] = ()
    chase: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # order -> (status, note)
    timing: SettlementTiming = field(default_factory=SettlementTiming)
    company: str = ""
    #: wallet (account or file name) -> (opening, closing) balance in minor units, for the walk
    balances: Mapping[str, tuple[int | None, int | None]] = field(default_factory=dict)
    #: the definition the ``custom`` report runs (the CLI's --dims/--spec, a saved report)
    custom: CustomSpec | None = None
    #: manual write-offs (the web app's decisions) for the findings' write-off check
    written_off_groups: tuple[WrittenOffGroup, ...] = ()
    thresholds: Thresholds = field(default_factory=Thresholds)
