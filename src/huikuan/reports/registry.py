"""The named reports: ``huikuan report --list`` prints them, ``build_report`` makes one.

A report is a function ``(ResultSet, ReportRequest) -> Report``; adding one is a line here. The
web app lists the same names (and will add saved custom reports beside them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from huikuan.receivables import ResultSet
from huikuan.reports.aging import aging_report, overdue_report
from huikuan.reports.collection import collection_report
from huikuan.reports.custom import run_custom
from huikuan.reports.differences import differences_report
from huikuan.reports.fees import fees_report
from huikuan.reports.findings import findings_report
from huikuan.reports.model import Report, ReportRequest
from huikuan.reports.payouts import payouts_report
from huikuan.reports.period import ReportError, period_range
from huikuan.reports.wallet import wallet_report


def custom_report(rs: ResultSet, request: ReportRequest) -> Report:
    """The definition in ``request.custom`` (dimensions, measures, filters)."""
    if request.custom is None:
        raise ReportError("the custom report needs --dims and --measures, or --spec FILE.json")
    return run_custom(rs, request.custom, request)


@dataclass(frozen=True)
class ReportSpec:
    name: str
    title: str
    description: str
    build: Callable[[ResultSet, ReportRequest], Report]


REPORTS: dict[str, ReportSpec] = {spec.name: spec for spec in (
    ReportSpec("collection", "回款报表", "sales, collected, fees by type, refunds, outstanding, 回款率 "
               "per store, platform and month", collection_report),
    ReportSpec("aging", "应收账龄", "outstanding by days past the expected settlement date", aging_report),
    ReportSpec("overdue", "逾期未回款清单", "orders past their expected settlement, for chasing",
               overdue_report),
    ReportSpec("fees", "费用分析", "fees by type, their rate of sales against the contract rate",
               fees_report),
    ReportSpec("differences", "差异分析", "unmatched records and differences by reason", differences_report),
    ReportSpec("payouts", "提现与银行到账", "payouts against bank credits (a payout-bank result)",
               payouts_report),
    ReportSpec("wallet", "钱包余额勾稽", "the walk of each pooled wallet: opening + movements = closing",
               wallet_report),
    ReportSpec("findings", "分析发现", "fee rate above contract, refund spikes, payouts stopped, orders "
               "unsettled beyond the norm, unusual write-offs", findings_report),
    ReportSpec("custom", "自定义报表", "your dimensions, measures and filters (--dims, --measures, --filter "
               "or --spec FILE.json)", custom_report),
)}


def report_names() -> list[str]:
    return list(REPORTS)


def build_report(name: str, request: ReportRequest) -> Report:
    """Make report ``name`` over the request's result folders (checked first, one line if not)."""
    spec = REPORTS.get(name)
    if spec is None:
        raise ReportError(f"no report named {name!r}; the reports are: {', '.join(REPORTS)}")
    period_range(request.period)  # a bad --period fails before any folder is opened
    with ResultSet(request.results) as rs:
        return spec.build(rs, request)
