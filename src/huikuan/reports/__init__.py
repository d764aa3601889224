"""Reports over reconciliation results: typed tables (``Report``) built by named functions, and
writers that turn any of them into CSV, xlsx or PDF. No Django here: the CLI's ``huikuan
report`` and the web app call the same functions."""

from huikuan.reports.model import Chart, Column, Report, ReportRequest
from huikuan.reports.period import ReportError
from huikuan.reports.registry import REPORTS, build_report, report_names
from huikuan.reports.write import FORMATS, write_report

__all__ = ["FORMATS", "REPORTS", "Chart", "Column", "Report", "ReportError", "ReportRequest",
           "build_report", "report_names", "write_report"]
