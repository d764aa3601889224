"""The dashboard: 回款率, sales, collected, outstanding, aging, fees against the contract and the
trend by month, for a store (or all) and a period, from the latest finished runs. Every number
comes from ``services.collection`` (which asks the receivables and reports packages); the charts
read their data from JSON embedded in the page, nothing is fetched."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from huikuan.reports import REPORTS, ReportError
from huikuan.web import selectors
from huikuan.web.downloads import report_response
from huikuan.web.services import collection

DOWNLOAD_FORMATS = ("xlsx", "pdf", "csv")
#: the built-in reports that read an orders-settlement result (payouts reads the payout-bank one)
DASHBOARD_REPORTS = ("collection", "aging", "overdue", "fees", "differences", "wallet")


def scope_of(request: HttpRequest, company: object, *, require_store: bool = False) -> collection.Scope:
    """The store and period a page was asked for (``?store=…&period=2023-11``)."""
    return collection.scope(company, request.GET.get("store"), request.GET.get("period"),  # type: ignore[arg-type]
                            require_store=require_store)


@login_required
def dashboard(request: HttpRequest, company_id: int) -> HttpResponse:
    company = selectors.get_company_or_404(request.user, company_id)
    sc = scope_of(request, company)
    context: dict[str, object] = {
        "company": company, "scope": sc, "next_action": selectors.next_action(company),
        "report_links": [(name, REPORTS[name].title) for name in DASHBOARD_REPORTS],
        "formats": DOWNLOAD_FORMATS}
    if not sc.empty:
        context |= collection.dashboard(sc)
        context["charts"]["trend"]["series"] = [gettext("Sales"), gettext("Collected")]  # type: ignore[index]
    return render(request, "web/dashboard.html", context)


@login_required
def report_download(request: HttpRequest, company_id: int) -> HttpResponse:
    """A built-in report (collection, aging, fees…) of the dashboard's scope as xlsx, PDF or CSV."""
    company = selectors.get_company_or_404(request.user, company_id)
    name, fmt = request.GET.get("name", ""), request.GET.get("format", "xlsx")
    if name not in DASHBOARD_REPORTS or fmt not in DOWNLOAD_FORMATS:
        raise Http404("no such report")
    sc = scope_of(request, company)
    if sc.empty:
        raise Http404("no finished run yet")
    try:
        report, title = collection.report_for_download(sc, name)
        return report_response(report, fmt, title)
    except ReportError as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
