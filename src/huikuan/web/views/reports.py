"""Reports pages: the built-in reports to download for a run, the custom report builder (save by
name), and the analysis findings linked to the workbench. The numbers come from
``huikuan.reports`` (the same functions as ``huikuan report``); these views only pick the run's
result folders, read the form and render."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from huikuan.receivables import STATUS_ZH, STATUSES, ResultSet
from huikuan.reports import FORMATS, REPORTS, ReportError, ReportRequest, build_report
from huikuan.reports.cells import cell_text
from huikuan.reports.chart import chart_svg
from huikuan.reports.custom import run_custom
from huikuan.reports.custom_spec import (
    DIMENSIONS,
    MEASURES,
    RATES,
    CustomSpec,
    Filter,
    spec_from_json,
    validated,
)
from huikuan.reports.finding_model import KINDS_ZH, SEVERITY_ZH
from huikuan.reports.findings import find_findings
from huikuan.reports.model import Report
from huikuan.web import selectors
from huikuan.web.downloads import report_response
from huikuan.web.effective import effective_folder
from huikuan.web.models import AuditLog, Company, Run, SavedReport
from huikuan.web.services import collection, decisions

#: which flow of a run each built-in report reads (payouts are the payout-bank flow's)
REPORT_FLOW = {"payouts": "payout-bank"}
MAIN_FLOW = "orders-settlement"
#: what each built-in report shows, in the reader's language
DESCRIPTIONS = {
    "collection": _lazy("Sales, collected, fees by type, refunds, outstanding and 回款率 "
                        "per store, platform and month"),
    "aging": _lazy("Outstanding by days past the expected settlement date"),
    "overdue": _lazy("Orders past their expected settlement, for chasing"),
    "fees": _lazy("Fees by type and their rate of sales against the contract"),
    "differences": _lazy("Unmatched records and differences by reason"),
    "payouts": _lazy("Payouts against bank credits"),
    "wallet": _lazy("Each pooled wallet's walk: opening + movements = closing"),
    "findings": _lazy("Fee rate above contract, refund spikes, payouts stopped, "
                      "orders unsettled far too long, unusual write-offs"),
}
SHOWN_ROWS = 500


def _run(request: HttpRequest, company: Company) -> Run | None:
    """The run asked for (``?run=``), else the latest finished one; 404 for another company's."""
    runs = selectors.finished_runs_of(company)
    wanted = request.GET.get("run") or request.POST.get("run")
    if not wanted:
        return runs.first()
    if not wanted.isdigit():
        raise Http404("no such run")
    return get_object_or_404(runs, pk=int(wanted))


def _folders(company: Company, run: Run, flow: str | None) -> list[Path]:
    flows = [f for f in run.flows if flow in (None, f)]
    if not flows:
        raise Http404("no such flow")
    return [effective_folder(run, f) for f in flows]  # the run as its decisions left it


def _request(company: Company, run: Run, folders: list[Path], **extra: Any) -> ReportRequest:
    """The report request with what the merchant set up and decided: the store's contract rates
    (fees above contract) and settlement days (aging, overdue), and the run's write-offs."""
    with ResultSet(folders) as rs:
        categories = rs.query("SELECT DISTINCT coalesce(category, '未分类') AS c FROM entries "
                              "WHERE kind = 'fee'")["c"].to_pylist()
    rates = collection.contract_rates(collection.contract_of(run.store), categories)
    # the store's settlement days, as the dashboard and the 回款 pages use them
    timing = collection.timing_for(collection.Scope(company, run.store, None, [run]))
    return ReportRequest(results=folders, company=company.name, contract_rates=rates, timing=timing,
                         written_off_groups=tuple(decisions.written_off_groups(run)), **extra)


@login_required
def report_list(request: HttpRequest, company_id: int) -> HttpResponse:
    company = selectors.get_company_or_404(request.user, company_id)
    return render(request, "web/reports.html", {
        "company": company, "run": _run(request, company), "runs": selectors.finished_runs_of(company),
        "reports": [{"name": r.name, "title": r.title, "description": DESCRIPTIONS.get(r.name, r.description)}
                    for r in REPORTS.values() if r.name != "custom"], "formats": list(FORMATS),
        "saved": selectors.saved_reports_of(company)})


@login_required
def download(request: HttpRequest, company_id: int) -> HttpResponse:
    """A built-in report (``?name=``) or a custom one (``?saved=`` or the builder's fields) as a file."""
    company = selectors.get_company_or_404(request.user, company_id)
    run = _run(request, company)
    fmt = request.GET.get("format", "xlsx")
    name = request.GET.get("name", "custom")
    if run is None or fmt not in FORMATS or (name not in REPORTS):
        raise Http404("no such report")
    try:
        custom = _spec(request.GET, company) if name == "custom" else None
        folders = _folders(company, run, request.GET.get("flow") or REPORT_FLOW.get(name, MAIN_FLOW))
        report = build_report(name, _request(company, run, folders, custom=custom))
    except ReportError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    # the title the user typed names the download, never a file on the server (downloads.py)
    return report_response(report, fmt)


def _spec(query: QueryDict, company: Company) -> CustomSpec:
    """The definition of a saved report (``saved=``) or of the builder's plain form fields."""
    if query.get("saved"):
        if not query["saved"].isdigit():
            raise Http404("no such saved report")
        saved = selectors.get_saved_report_or_404(company, int(query["saved"]))
        return spec_from_json(json.dumps(saved.spec), saved.name)
    # the form's values become Filter objects as they are: a store named "a,b" stays one value
    filters = []
    for field in ("status", "platform", "store", "fee_type", "kind", "reason"):
        values = tuple(v.strip() for v in query.getlist(f"f_{field}") if v.strip())
        if values:
            filters.append(Filter(field, "in" if len(values) > 1 else "equals", values))
    for field in ("date", "amount"):
        low, high = query.get(f"{field}_from", "").strip(), query.get(f"{field}_to", "").strip()
        if low or high:
            filters.append(Filter(field, "between", (low, high)))
    grain = query.get("grain") or None
    return validated(CustomSpec(
        dimensions=tuple(d for d in query.getlist("dims") if d),
        measures=tuple(m for m in query.getlist("measures") if m),
        filters=tuple(filters), title=query.get("title", "").strip()[:80] or "自定义报表",
        grain=grain))  # validated() refuses an unknown grain


def _table(report: Report) -> dict[str, Any]:
    """The report's rows as display text, money as ¥, at most SHOWN_ROWS rows."""
    rows = report.rows.slice(0, SHOWN_ROWS).to_pylist()
    def line(row: dict[str, Any]) -> list[dict[str, str]]:
        return [{"text": cell_text(c, row.get(c.key), row, symbol=True),
                 "num": "num" if c.kind in ("money", "count", "rate") else ""} for c in report.columns]
    return {"columns": report.columns, "rows": [line(r) for r in rows],
            "totals": [line(r) for r in report.totals.to_pylist()], "cut": report.rows.num_rows > SHOWN_ROWS,
            "chart": chart_svg(report.chart) if report.chart else "", "notes": report.notes,
            "period": report.period, "title": report.title}


def _builder(request: HttpRequest, company: Company, query: QueryDict, *, message: str = "",
             status: int = 200) -> HttpResponse:
    run = _run(request, company)
    context: dict[str, Any] = {
        "company": company, "run": run, "runs": selectors.finished_runs_of(company),
        "dimensions": [(k, v[0]) for k, v in DIMENSIONS.items()],
        "measures": [(k, v[0]) for k, v in MEASURES.items()] + [(k, v[0]) for k, v in RATES.items()],
        "statuses": [(s, STATUS_ZH[s]) for s in STATUSES], "query": query,
        "chosen_dims": query.getlist("dims"),
        "chosen_measures": query.getlist("measures"), "chosen_status": query.getlist("f_status"),
        "saved": selectors.saved_reports_of(company), "message": message,
        "can_save": selectors.may(request.user, company, "save_report"),
        "download": query.urlencode(),
    }
    if run is not None and (query.getlist("measures") or query.get("saved")):
        try:
            spec = _spec(query, company)
            with ResultSet(_folders(company, run, MAIN_FLOW)) as rs:
                context["table"] = _table(run_custom(rs, spec, _request(company, run, rs.folders)))
            context["spec"] = spec
        except ReportError as exc:
            context["error"], status = str(exc), 400
    return render(request, "web/reports_custom.html", context, status=status)


@login_required
def custom(request: HttpRequest, company_id: int) -> HttpResponse:
    """The builder: pick dimensions, measures and filters; the table and chart show below."""
    company = selectors.get_company_or_404(request.user, company_id)
    query = request.GET
    if query.get("saved"):  # a saved report opens as its definition in the form
        query = _as_form(selectors.get_saved_report_or_404(company, _number(query["saved"])), query)
    return _builder(request, company, query)


def _number(text: str) -> int:
    if not text.isdigit():
        raise Http404("no such saved report")
    return int(text)


def _as_form(saved: SavedReport, original: QueryDict) -> QueryDict:
    query = QueryDict(mutable=True)
    if original.get("run"):
        query["run"] = original["run"]
    query["title"] = saved.name
    query.setlist("dims", list(saved.spec.get("dimensions", [])))
    query.setlist("measures", list(saved.spec.get("measures", [])))
    if saved.spec.get("grain"):
        query["grain"] = saved.spec["grain"]
    for f in saved.spec.get("filters", []):
        values = [str(v) for v in f.get("values", [])]
        if f.get("op") == "between" and len(values) == 2:
            query[f"{f['field']}_from"], query[f"{f['field']}_to"] = values
        else:
            query.setlist(f"f_{f['field']}", values)
    return query


@login_required
@require_POST
def save_custom(request: HttpRequest, company_id: int) -> HttpResponse:
    """Save the builder's definition under a name (same name: replaced); accountants and admins."""
    company = selectors.get_company_or_404(request.user, company_id, "save_report")
    name = request.POST.get("name", "").strip()[:100]
    try:
        if not name:
            raise ReportError(_("Give the report a name to save it."))
        spec = _spec(request.POST, company)
    except ReportError as exc:
        return _builder(request, company, request.POST, message=str(exc), status=400)
    with transaction.atomic():
        saved, created = SavedReport.objects.update_or_create(
            company=company, name=name,
            defaults={"spec": json.loads(spec.to_json()), "created_by": request.user})
        AuditLog.objects.create(company=company, user=request.user, action="report.save",
                                target=f"saved_report:{saved.pk}",
                                details={"name": name, "replaced": not created, "spec": saved.spec})
    url = f"?saved={saved.pk}" + (f"&run={request.POST['run']}" if request.POST.get("run") else "")
    return redirect(reverse("custom_report", args=[company.pk]) + url)


@login_required
def findings(request: HttpRequest, company_id: int) -> HttpResponse:
    """The run's findings, each with links to the records behind it in the workbench."""
    company = selectors.get_company_or_404(request.user, company_id)
    run = _run(request, company)
    found = []
    if run is not None:
        with ResultSet(_folders(company, run, None)) as rs:
            found = find_findings(rs, _request(company, run, rs.folders))
    rows = [{"finding": f, "kind": KINDS_ZH[f.kind], "severity": SEVERITY_ZH[f.severity],
             "records": f.records[:8], "more": max(0, len(f.records) - 8)} for f in found]
    return render(request, "web/reports_findings.html", {
        "company": company, "run": run, "runs": selectors.finished_runs_of(company), "rows": rows,
        "english": (request.LANGUAGE_CODE or "").startswith("en")})
