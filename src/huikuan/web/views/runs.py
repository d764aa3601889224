"""Start a run, watch its progress (HTMX polling, survives a reload), read its results."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from huikuan.domain.errors import HuikuanError
from huikuan.results.decisions import WRITE_OFF_REASONS
from huikuan.web import selectors, workbench
from huikuan.web.downloads import built_file, file_response
from huikuan.web.effective import effective_folder
from huikuan.web.forms import RunForm
from huikuan.web.models import Run
from huikuan.web.services import decisions as decision_service
from huikuan.web.services import periods, records
from huikuan.web.services import runs as run_service
from huikuan.web.storage import resolve

#: the workbench's tabs, in workbench.TABS order
TAB_LABELS = (("auto", _("Auto-matched")), ("suggested", _("Suggested")), ("confirmed", _("Confirmed")),
              ("manual", _("Matched by hand")), ("written_off", _("Written off")),
              ("unmatched_left", _("Unmatched left")), ("unmatched_right", _("Unmatched right")),
              ("differences", _("Differences")))


@login_required
def run_list(request: HttpRequest, company_id: int) -> HttpResponse:
    company = selectors.get_company_or_404(request.user, company_id)
    initial = {}
    latest = selectors.imports_of(company).exclude(period_end=None).order_by("-period_end").first()
    if latest and latest.period_end and latest.period_start:
        end = latest.period_end.date()
        initial = {"period_start": end.replace(day=1), "period_end": end}
        if (first_store := selectors.stores_of(company).first()) is not None:
            initial["store"] = first_store
        if (first_bank := selectors.bank_accounts_of(company).first()) is not None:
            initial["bank_account"] = first_bank
    form = RunForm(company, initial=initial)
    return _runs(request, company, form)


def _runs(request: HttpRequest, company: object, form: RunForm, error: str = "") -> HttpResponse:
    return render(request, "web/runs.html", {
        "company": company, "form": form, "error": error,
        "runs": selectors.runs_of(company),  # type: ignore[arg-type]
        "can_run": selectors.may(request.user, company, "reconcile"),  # type: ignore[arg-type]
    }, status=400 if error or form.errors else 200)


@login_required
@require_POST
def start(request: HttpRequest, company_id: int) -> HttpResponse:
    company = selectors.get_company_or_404(request.user, company_id, "reconcile")
    form = RunForm(company, request.POST)
    if not form.is_valid():
        return _runs(request, company, form)
    data = form.cleaned_data
    try:
        run = run_service.start_run(company, data["store"], data["bank_account"], data["period_start"],
                                    data["period_end"], user=request.user)
    except run_service.RunRefused as exc:
        return _runs(request, company, form, str(exc))
    return redirect("run", company_id=company.pk, run_id=run.pk)


@login_required
def run_detail(request: HttpRequest, company_id: int, run_id: int) -> HttpResponse:
    company = selectors.get_company_or_404(request.user, company_id)
    run = selectors.get_run_or_404(company, run_id)
    context: dict[str, object] = {"company": company, "run": run,
                                  "can_cancel": selectors.may(request.user, company, "reconcile")}
    if run.status == "done":
        flow = request.GET.get("flow") or next(iter(run.flows), "")
        if flow not in run.templates:
            raise Http404("no such flow")
        tab = request.GET.get("tab", "auto")
        if tab not in workbench.TABS:
            raise Http404("no such tab")
        # the page's forms send when it was shown, read before the decisions it shows, so that a
        # refusal can tell that someone else decided since
        seen = timezone.now().isoformat()
        folder = effective_folder(run, flow)  # the run + its decisions, prepared for paging
        context |= {"flow": flow, "flows": run.flows, "tab": tab, "tab_labels": TAB_LABELS, "seen": seen,
                    **_page_context(request, folder, tab), **_decision_context(request, run, flow)}
        if request.headers.get("HX-Request") and request.GET.get("partial") == "table":
            return render(request, "web/_table.html", context)  # paging: the table alone
        context |= {"summary": workbench.summary(folder), "counts": workbench.tab_counts(folder),
                    "now": workbench.overview(folder)}
    return render(request, "web/run.html", context)


def _decision_context(request: HttpRequest, run: Run, flow: str) -> dict[str, object]:
    """The decisions log, the period's lock, and what this user may do on this run."""
    locked = periods.locked_period(run.company, run.store, run.period_start, run.period_end)
    log = list(run.decisions.filter(flow=flow).select_related("created_by", "undone_by")
               .order_by("-created", "-id"))
    for decision in log:
        why = decision.stale_reason
        decision.why_not = decision_service.translate_refusal(why) if why else ""
    return {
        "decisions": [d for d in log if not d.stale_reason], "stale": [d for d in log if d.stale_reason],
        "locked": locked, "can_decide": locked is None and selectors.may(request.user, run.company, "decide"),
        "can_lock": locked is None and selectors.may(request.user, run.company, "lock"),
        "can_unlock": locked is not None and selectors.may(request.user, run.company, "unlock"),
        "write_off_reasons": WRITE_OFF_REASONS, "relation": decision_service.RELATION.get(flow, "equal"),
        "write_off_limit": decision_service.write_off_limit(run.company),
    }


def _filters(request: HttpRequest) -> workbench.Filters:
    """The filters typed above a table (a date that is not one filters nothing)."""
    filters = workbench.Filters(**{k: request.GET.get(k, "").strip()[:100]
                                   for k in ("text", "amount", "date_from", "date_to", "reason", "rule")})
    for day in (filters.date_from, filters.date_to):
        if day:
            try:
                dt.date.fromisoformat(day)
            except ValueError:
                filters.date_from = filters.date_to = ""
    return filters


def _page_context(request: HttpRequest, folder: Path, tab: str) -> dict[str, object]:
    filters = _filters(request)
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = 1
    page = workbench.page(folder, tab, filters, number)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("partial", None)
    return {"page": page, "filters": filters, "query": query.urlencode()}


@login_required
def run_progress(request: HttpRequest, company_id: int, run_id: int) -> HttpResponse:
    """The progress bar fragment the run page polls; when done it tells HTMX to reload."""
    company = selectors.get_company_or_404(request.user, company_id)
    run = selectors.get_run_or_404(company, run_id)
    response = render(request, "web/_progress.html", {
        "company": company, "run": run, "can_cancel": selectors.may(request.user, company, "reconcile")})
    if run.status == "done" and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def cancel(request: HttpRequest, company_id: int, run_id: int) -> HttpResponse:
    """Cancel a queued or running run (admin, accountant); it shows as cancelled at once."""
    company = selectors.get_company_or_404(request.user, company_id, "reconcile")
    run = selectors.get_run_or_404(company, run_id)
    try:
        run_service.cancel_run(request.user, run)
    except run_service.NotCancellable as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, gettext("The run is cancelled."))
    return redirect("run", company_id=company.pk, run_id=run.pk)


@login_required
def export_tab(request: HttpRequest, company_id: int, run_id: int) -> FileResponse:
    """A workbench tab, every page under the filters shown, as an .xlsx download."""
    company = selectors.get_company_or_404(request.user, company_id)
    run = selectors.get_run_or_404(company, run_id)
    flow, tab = request.GET.get("flow", ""), request.GET.get("tab", "auto")
    if run.status != "done" or flow not in run.templates or tab not in workbench.TABS:
        raise Http404("no such result")
    filters = _filters(request)
    label = dict(TAB_LABELS)[tab]
    title = f"{run.store.name} {run.period_start:%Y-%m-%d}–{run.period_end:%Y-%m-%d} {label}"
    try:
        handle = built_file(lambda path: workbench.export_xlsx(
            effective_folder(run, flow), tab, filters, path, title=title,
            english=(request.LANGUAGE_CODE or "").startswith("en")), "xlsx")
    except HuikuanError as exc:
        raise Http404(str(exc)) from None
    return file_response(handle, f"{flow}-{tab}", "xlsx")


@login_required
def raw_line(request: HttpRequest, company_id: int, run_id: int) -> HttpResponse:
    """The original row behind one record, with a link to the import it came from."""
    company = selectors.get_company_or_404(request.user, company_id)
    run = selectors.get_run_or_404(company, run_id)
    flow = request.GET.get("flow", "")
    if run.status != "done" or flow not in run.templates:
        raise Http404("no such result")
    try:
        line = int(request.GET.get("line", ""))
    except ValueError:
        raise Http404("no such line") from None
    file = request.GET.get("file", "")
    entry = workbench.raw_line(resolve(company, run.result_path) / flow, file, line)
    if entry is None:
        raise Http404("no such line")
    hashes = [h for role in run.input_hashes.values() for h in role]
    source = selectors.imports_of(company).filter(content_hash__in=hashes, file_name=file).first()
    cells = records.header_and_cells(source, line) if source else []
    return render(request, "web/raw_line.html", {"company": company, "run": run, "entry": entry,
                                                 "source": source, "cells": cells, "flow": flow})


