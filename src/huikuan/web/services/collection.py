"""The 回款 answers a page shows, asked of ``huikuan.receivables`` and ``huikuan.reports``.

Views stay thin: they name a company, a store (or all) and a period, and get back plain dicts
and lists whose every number one of those packages computed — the collection report's totals,
the aging report's buckets, the fees report's rates against the contract, the wallet walks, the
overdue list, the order chain. What this module adds is the merchant's settings (settlement
days and fee rates from the store's Contract, chase statuses from ``ChaseNote``) passed in as
the packages' arguments, and paging done by DuckDB so a long list never reaches Python whole.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import pyarrow as pa

from huikuan.domain.money import exponent
from huikuan.receivables import (
    AGING_BUCKETS,
    PLATFORM_NAMES_ZH,
    STATUS_ZH,
    STATUSES,
    ResultSet,
    SettlementTiming,
    order_chain,
    order_collections,
    overdue_orders,
    wallet_walks,
)
from huikuan.receivables.aging import default_as_of
from huikuan.reports import REPORTS, Report, ReportRequest
from huikuan.reports.aging import aging_report, overdue_report
from huikuan.reports.chart import money_chart
from huikuan.reports.collection import collection_report
from huikuan.reports.fees import fees_report
from huikuan.reports.period import period_sql
from huikuan.reports.totals import totals_by_currency
from huikuan.web import selectors
from huikuan.web.models import Company, Contract, Run, Store
from huikuan.web.models.chase import CHASE_STATUS_ZH

PAGE_SIZE = 50
#: the web's store platform → receivables' platform name (timing rules, fee names)
STORE_PLATFORM = {"tmall": "taobao", "pdd": "pdd", "wechat": "wechat", "jd": "jd", "douyin": "douyin",
                  "other": "other"}
#: words in a bill's fee category that say which contract rate applies
COMMISSION_WORDS = ("分账", "佣金", "技术服务费", "commission", "referral")
PAYMENT_FEE_WORDS = ("手续费", "支付服务费", "payment", "processing")
OVERDUE_BUCKETS = tuple(b for b in AGING_BUCKETS if b[0] != "not_due")


@dataclass
class Scope:
    """What a page reads: the company, the store chosen (None: all), the period chosen and the
    finished runs that cover them."""

    company: Company
    store: Store | None
    period: str | None
    runs: list[Run]
    stores: list[Store] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.runs


def scope(company: Company, store_id: str | None, period: str | None, *,
          require_store: bool = False) -> Scope:
    """The scope a request asks for; an unknown store or period falls back to all (or, with
    ``require_store``, to the first store that has a finished run)."""
    stores = list(selectors.stores_of(company))
    store = next((s for s in stores if str(s.pk) == (store_id or "")), None)
    every = selectors.latest_done_runs(company)
    if store is None and require_store:
        with_runs = {r.store_id for r in every}
        store = next((s for s in stores if s.pk in with_runs), stores[0] if stores else None)
    runs = [r for r in every if store is None or r.store_id == store.pk]
    periods = sorted({r.period_start.strftime("%Y-%m") for r in runs}, reverse=True)
    return Scope(company, store, period if period in periods else None, runs, stores, periods)


def contract_of(store: Store) -> Contract | None:
    """The store's contract in force: the latest valid-from (undated ones count as oldest)."""
    contracts = sorted(store.contracts.all(), key=lambda c: (c.valid_from is not None, c.valid_from, c.pk))
    return contracts[-1] if contracts else None


def _stores_of_runs(sc: Scope) -> list[Store]:
    seen: dict[int, Store] = {}
    for run in sc.runs:
        seen.setdefault(run.store_id, run.store)
    return list(seen.values())


def timing_for(sc: Scope) -> SettlementTiming:
    """Settlement days per platform from the contracts of the stores read (0 days: the default)."""
    days = {}
    for store in _stores_of_runs(sc):
        contract = contract_of(store)
        if contract and contract.settlement_days:
            days[STORE_PLATFORM.get(store.platform, "other")] = int(contract.settlement_days)
    return SettlementTiming(days=days)


def contract_store(sc: Scope) -> Store | None:
    """The one store whose contract the fees are compared with (None when several are read)."""
    stores = _stores_of_runs(sc)
    return stores[0] if len(stores) == 1 else None


def contract_rates(contract: Contract | None, categories: Sequence[str]) -> dict[str, float]:
    """Each fee category the bill names, mapped to the contract's commission or payment-fee rate
    by the words in it (交易分账, 佣金, 技术服务费 → commission; 手续费 → payment fee). A
    category neither names is not compared rather than compared with the wrong rate."""
    if contract is None:
        return {}
    rates: dict[str, float] = {}
    for category in categories:
        low = category.lower()
        if contract.payment_fee_bp and any(w in low for w in PAYMENT_FEE_WORDS):
            rates[category] = contract.payment_fee_bp / 10_000  # ok-float: a rate for the fees report
        elif contract.commission_bp and any(w in low for w in COMMISSION_WORDS):
            rates[category] = contract.commission_bp / 10_000  # ok-float: a rate for the fees report
    return rates


def request_for(sc: Scope, **more: Any) -> ReportRequest:
    header = f"{sc.company.name} · {sc.store.name}" if sc.store else sc.company.name
    return ReportRequest(results=selectors.result_folders(sc.runs), period=sc.period, timing=timing_for(sc),
                         company=header, **more)


@contextmanager
def opened(sc: Scope, flows: tuple[str, ...] = ("orders-settlement",)) -> Iterator[ResultSet]:
    with ResultSet(selectors.result_folders(sc.runs, flows)) as rs:
        yield rs


def _rows(table: pa.Table) -> list[dict[str, Any]]:
    return table.to_pylist()


def _chart_money(values: Sequence[int | None], currency: str) -> dict[str, Any]:
    return {"currency": currency, "exponent": exponent(currency), "values": [int(v or 0) for v in values]}


def dashboard(sc: Scope) -> dict[str, Any]:
    """Everything the dashboard shows: the collection report's totals (回款率, sales, collected,
    outstanding), the aging report's buckets, the fees report against the contract, the trend of
    sales and collections by month across runs, and how many orders are overdue."""
    request = request_for(sc)
    with opened(sc) as rs:
        current = collection_report(rs, request)
        trend_report = collection_report(rs, replace(request, period=None)) if sc.period else current
        sales = money_chart(rs, trend_report.rows, "month", "sales", "销售额") if trend_report.rows.num_rows \
            else None
        collected = money_chart(rs, trend_report.rows, "month", "collected", "已回款") \
            if trend_report.rows.num_rows else None
        aging = aging_report(rs, request)
        as_of = default_as_of(rs)
        # the aging report left only the period's orders in ``collections``: the same ones counted
        overdue = overdue_orders(rs).num_rows
    totals = _rows(current.totals)
    aging_rows = _rows(aging.rows)
    main = totals[0]["currency"] if totals else "CNY"
    fee_rows = store_fees(sc, request)
    store = contract_store(sc)
    contract = contract_of(store) if store else None
    several = len({r["store_id"] for r in fee_rows}) > 1
    charts = {
        "aging": {"labels": [r["label"] for r in aging_rows if r["currency"] == main],
                  **_chart_money([r["outstanding_minor"] for r in aging_rows if r["currency"] == main],
                                 main)},
        "fees": {"labels": [f"{r['store']} · {r['category']}" if several else r["category"]
                            for r in fee_rows if r["currency"] == main],
                 **_chart_money([-(r["amount"] or 0) for r in fee_rows if r["currency"] == main], main)},
        "trend": {"labels": sales.labels if sales else [], "currency": sales.currency if sales else main,
                  "exponent": exponent(sales.currency if sales else main),
                  "sales": sales.values if sales else [], "collected": _aligned(sales, collected)},
    }
    return {"totals": totals, "aging": aging_rows, "fees": fee_rows, "fees_by_store": several,
            "contract": contract, "contract_store": store, "charts": charts, "overdue_orders": overdue,
            "as_of": as_of, "notes": current.notes}


def store_fees(sc: Scope, request: ReportRequest) -> list[dict[str, Any]]:
    """The fees report per store, each against its own contract: a rate is a share of that
    store's sales (a Tmall commission over Tmall and PDD sales together would be neither)."""
    rows: list[dict[str, Any]] = []
    for store in _stores_of_runs(sc):
        own = replace(sc, store=store, runs=[r for r in sc.runs if r.store_id == store.pk])
        with opened(own) as rs:
            categories = rs.query("SELECT DISTINCT coalesce(category, '未分类') AS c FROM entries "
                                  "WHERE kind = 'fee'")["c"].to_pylist()
            report = fees_report(rs, replace(request, results=selectors.result_folders(own.runs),
                                             contract_rates=contract_rates(contract_of(store), categories)))
        rows += [{**r, "store": store.name, "store_id": store.pk} for r in report.rows.to_pylist()]
    return rows


def _aligned(base: Any, other: Any) -> list[int]:
    """``other``'s values on ``base``'s labels (a month with sales but nothing collected is 0)."""
    if base is None or other is None:
        return []
    by_label = dict(zip(other.labels, other.values, strict=True))
    return [int(by_label.get(label, 0)) for label in base.labels]


@dataclass
class Paged:
    rows: list[dict[str, Any]]
    total: int
    number: int
    pages: int


def _page(rs: ResultSet, source: str, where: str, params: list[Any], *, order: str, number: int,
          size: int = PAGE_SIZE) -> Paged:
    total = int(rs.query(f"SELECT count(*) AS n FROM {source} WHERE {where}", params)["n"][0].as_py())
    pages = max(1, -(-total // size))
    number = min(max(number, 1), pages)
    rows = rs.query(f"SELECT * FROM {source} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
                    [*params, size, (number - 1) * size]).to_pylist()
    return Paged(rows, total, number, pages)


def collection(sc: Scope, status: str, number: int, balances: dict[str, tuple[int | None, int | None]]
               ) -> dict[str, Any]:
    """The 回款 page: orders by collection status (count and money per status), one page of the
    orders (filtered by status), and the walk of each pooled wallet."""
    request = request_for(sc)
    with opened(sc) as rs:
        order_collections(rs, timing=request.timing)
        period = _period_where(request.period)
        summary = rs.query(f"""
            SELECT status, currency, count(*) AS orders, sum(ordered_minor)::BIGINT AS ordered_minor,
                   sum(settled_minor)::BIGINT AS settled_minor, sum(fees_minor)::BIGINT AS fees_minor,
                   sum(refunds_minor)::BIGINT AS refunds_minor,
                   sum(net_received_minor)::BIGINT AS net_received_minor,
                   sum(outstanding_minor)::BIGINT AS outstanding_minor
            FROM collections WHERE {period} GROUP BY ALL""").to_pylist()
        where = period + (" AND status = ?" if status in STATUSES else "")
        page = _page(rs, "collections", where, [status] if status in STATUSES else [],
                     order="paid_on DESC, order_ref", number=number)
        walks = wallet_walks(rs, balances=balances)
    by_status = {(r["status"], r["currency"]): r for r in summary}
    currencies = sorted({r["currency"] for r in summary}) or ["CNY"]
    empty = dict.fromkeys(("orders", "ordered_minor", "settled_minor", "fees_minor", "refunds_minor",
                           "net_received_minor", "outstanding_minor"), 0)
    statuses = [{**empty, **(by_status.get((s, c)) or {}), "status": s, "label": STATUS_ZH[s], "currency": c}
                for c in currencies for s in STATUSES]
    for row in page.rows:
        row["platform_label"] = PLATFORM_NAMES_ZH.get(row["platform"], row["platform"])
    return {"statuses": statuses, "page": page, "walks": walks}


def _period_where(period: str | None) -> str:
    return period_sql("paid_on", period)


def chain(sc: Scope, order_ref: str) -> list[dict[str, Any]]:
    """The order's chain through every flow of the runs read: order → bill → payout → bank."""
    with opened(sc, ("orders-settlement", "payout-bank")) as rs:
        return _rows(order_chain(rs, order_ref))


# --- the overdue list ---------------------------------------------------------------------------

@dataclass
class OverdueFilters:
    bucket: str = ""      # an AGING_BUCKETS key past due, or "" for all
    chase: str = ""       # chased / promised / escalated, "none" (not chased yet) or "" for all


def _chase_map(sc: Scope) -> dict[str, tuple[str, str]]:
    """The store's chase notes as the overdue report takes them: order → (status in Chinese, note)."""
    if sc.store is None:
        return {}
    return {n.order_ref: (CHASE_STATUS_ZH.get(n.status, n.status), n.note)
            for n in selectors.chase_notes_of(sc.company, sc.store)}


def _overdue_where(filters: OverdueFilters) -> tuple[str, list[Any]]:
    clauses, params = ["true"], []
    labels = {b[0]: b[1] for b in OVERDUE_BUCKETS}
    if filters.bucket in labels:
        clauses.append("bucket = ?")
        params.append(labels[filters.bucket])
    if filters.chase == "none":
        clauses.append("coalesce(chase_status, '') = ''")
    elif filters.chase in CHASE_STATUS_ZH:
        clauses.append("chase_status = ?")
        params.append(CHASE_STATUS_ZH[filters.chase])
    return " AND ".join(clauses), params


def _filtered_overdue(rs: ResultSet, sc: Scope, filters: OverdueFilters) -> Report:
    """The overdue report of the store with its chase notes, its rows narrowed by the filters
    in DuckDB and its totals recomputed over what is left."""
    report = overdue_report(rs, request_for(sc, chase=_chase_map(sc)))
    where, params = _overdue_where(filters)
    rs.con.register("overdue_rows", report.rows)
    rows = rs.query(f"SELECT * FROM overdue_rows WHERE {where} "
                    "ORDER BY days_overdue DESC, order_ref", params)
    report.rows = rows
    report.totals = totals_by_currency(rs, rows, report.columns, label_key="order_ref")
    report.totals = report.totals.set_column(
        report.totals.schema.get_field_index("days_overdue"), "days_overdue",
        pa.nulls(report.totals.num_rows, pa.int64()))
    return report


def overdue(sc: Scope, filters: OverdueFilters, number: int) -> dict[str, Any]:
    """One page of the store's overdue orders (the overdue report's rows) with the buyer named
    in the order export and the chase note's author and time."""
    with opened(sc) as rs:
        report = _filtered_overdue(rs, sc, filters)
        rs.con.register("overdue_page_rows", report.rows)
        page = _page(rs, "overdue_page_rows", "true", [], order="days_overdue DESC, order_ref", number=number)
        refs = [r["order_ref"] for r in page.rows]
        buyers = {r["order_ref"]: r["counterparty"] for r in rs.query(
            "SELECT coalesce(order_ref, record_id) AS order_ref, min(counterparty) AS counterparty "
            "FROM entries WHERE side = 'left' AND kind = 'order' AND coalesce(order_ref, record_id) "
            "IN (SELECT unnest(?)) GROUP BY 1", [refs]).to_pylist()} if refs else {}
        totals = _rows(report.totals)
    notes = {n.order_ref: n for n in selectors.chase_notes_of(sc.company, sc.store)} if sc.store else {}
    for row in page.rows:
        row["counterparty"] = buyers.get(row["order_ref"]) or ""
        row["chase"] = notes.get(row["order_ref"])
    return {"page": page, "totals": totals, "title": report.title, "period": report.period}


def overdue_for_download(sc: Scope, filters: OverdueFilters) -> tuple[Report, str]:
    """The filtered overdue list for the report writers (xlsx or pdf), with the title its
    download is named after (``web.downloads`` writes it; no name here is a server path)."""
    with opened(sc) as rs:
        report = _filtered_overdue(rs, sc, filters)
    store = sc.store.name if sc.store else "all"
    return report, f"逾期未回款-{store}-{sc.period or '全部'}"


def report_for_download(sc: Scope, name: str) -> tuple[Report, str]:
    """A built-in report over the scope, with the title its download is named after."""
    spec = REPORTS[name]
    store = contract_store(sc)
    request = request_for(sc, chase=_chase_map(sc))
    with opened(sc) as rs:
        if name == "fees":
            categories = rs.query("SELECT DISTINCT coalesce(category, '未分类') AS c FROM entries "
                                  "WHERE kind = 'fee'")["c"].to_pylist()
            request = replace(request, contract_rates=contract_rates(
                contract_of(store) if store else None, categories))
        report = spec.build(rs, request)
    return report, f"{spec.title}-{sc.store.name if sc.store else '全部店铺'}-{sc.period or '全部'}"
