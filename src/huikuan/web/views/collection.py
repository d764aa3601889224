"""The 回款 page (orders by collection status, wallet walks, the order chain) and the overdue
list for chasing (催收) with its chase status, xlsx and PDF export. Thin: numbers come from
``services.collection``, changes go through ``services.chase``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from huikuan.domain.errors import HuikuanError
from huikuan.domain.money import parse_amount
from huikuan.receivables import STATUSES
from huikuan.reports import ReportError
from huikuan.web import selectors
from huikuan.web.downloads import report_response
from huikuan.web.models.chase import CHASE_STATUSES
from huikuan.web.services import chase as chase_service
from huikuan.web.services import collection
from huikuan.web.templatetags.huikuan_format import KIND_LABELS
from huikuan.web.views.dashboard import scope_of

EXPORT_FORMATS = ("xlsx", "pdf")
#: the receivables' status keys in the interface language (Chinese: the reports' own words)
STATUS_LABELS = {"unpaid": _("unpaid"), "paid_not_settled": _("paid, not settled"), "settled": _("settled"),
                 "partly_refunded": _("partly refunded"), "refunded": _("refunded"),
                 "written_off": _("written off"), "disputed": _("disputed")}


def _number(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("page", "1"))
    except ValueError:
        return 1


def _balances(request: HttpRequest) -> tuple[dict[str, tuple[int | None, int | None]], str]:
    """The opening/closing balance a user typed for one wallet (the bill's 账户余额), if any."""
    wallet = request.GET.get("wallet", "").strip()
    if not wallet:
        return {}, ""
    try:
        values = [parse_amount(request.GET[k]) if request.GET.get(k, "").strip() else None
                  for k in ("opening", "closing")]
    except HuikuanError as exc:
        return {}, " ".join(str(exc).split())
    return {wallet: (values[0], values[1])}, ""


@login_required
def collection_page(request: HttpRequest, company_id: int) -> HttpResponse:
    company = selectors.get_company_or_404(request.user, company_id)
    sc = scope_of(request, company)
    status = request.GET.get("status", "")
    balances, balance_error = _balances(request)
    context: dict[str, object] = {"company": company, "scope": sc, "status": status,
                                  "status_choices": [(s, STATUS_LABELS[s]) for s in STATUSES],
                                  "balance_error": balance_error,
                                  "balance_wallet": request.GET.get("wallet", ""),
                                  "next_action": selectors.next_action(company)}
    if not sc.empty:
        found = collection.collection(sc, status, _number(request), balances)
        for row in (*found["statuses"], *found["page"].rows):
            row["label"] = STATUS_LABELS.get(row["status"], row["status"])
        context |= found
    query = request.GET.copy()
    query.pop("page", None)
    context["query"] = query.urlencode()
    return render(request, "web/collection.html", context)


@login_required
def order_chain(request: HttpRequest, company_id: int) -> HttpResponse:
    """One order from the order export through the bill to the payout and its bank credit."""
    company = selectors.get_company_or_404(request.user, company_id)
    sc = scope_of(request, company)
    order_ref = request.GET.get("order", "").strip()[:100]
    if sc.empty or not order_ref:
        raise Http404("no such order")
    steps = collection.chain(sc, order_ref)
    for step in steps:
        step["kind_label"] = KIND_LABELS.get(step["kind"], step["kind"])
    if not steps:
        raise Http404("no such order")
    return render(request, "web/chain.html", {"company": company, "scope": sc, "order_ref": order_ref,
                                              "steps": steps,
                                              "has_payout": any(s["step"] == "payout" for s in steps)})


def _filters(request: HttpRequest) -> collection.OverdueFilters:
    return collection.OverdueFilters(bucket=request.GET.get("bucket", ""), chase=request.GET.get("chase", ""))


@login_required
def overdue_list(request: HttpRequest, company_id: int) -> HttpResponse:
    company = selectors.get_company_or_404(request.user, company_id)
    sc = scope_of(request, company, require_store=True)
    filters = _filters(request)
    context: dict[str, object] = {
        "company": company, "scope": sc, "filters": filters,
        "buckets": collection.OVERDUE_BUCKETS, "chase_statuses": CHASE_STATUSES,
        "can_chase": selectors.may(request.user, company, "chase"),
        "next_action": selectors.next_action(company)}
    if not sc.empty:
        context |= collection.overdue(sc, filters, _number(request))
    query = request.GET.copy()
    query.pop("page", None)
    context["query"] = query.urlencode()
    return render(request, "web/overdue.html", context)


@login_required
@require_POST
def set_chase(request: HttpRequest, company_id: int) -> HttpResponse:
    """Set an overdue order's chase status and note (admin, accountant); back to the list."""
    company = selectors.get_company_or_404(request.user, company_id, "chase")
    store_id = request.POST.get("store", "")
    store = selectors.stores_of(company).filter(pk=int(store_id)).first() if store_id.isdigit() else None
    if store is None:
        raise Http404("no such store")
    try:
        chase_service.set_chase(company, store, request.POST.get("order_ref", ""),
                                request.POST.get("status", ""), request.POST.get("note", ""),
                                user=request.user)
    except chase_service.ChaseRefused as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    back = request.POST.get("next", "")
    prefix = reverse("overdue", args=[company.pk])
    return redirect(back if back.startswith(prefix) else f"{prefix}?store={store.pk}")


@login_required
def overdue_export(request: HttpRequest, company_id: int) -> HttpResponse:
    """The overdue list as filtered, through the report writers (xlsx or PDF)."""
    company = selectors.get_company_or_404(request.user, company_id)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in EXPORT_FORMATS:
        raise Http404("no such format")
    sc = scope_of(request, company, require_store=True)
    if sc.empty:
        raise Http404("no finished run yet")
    try:
        report, title = collection.overdue_for_download(sc, _filters(request))
        return report_response(report, fmt, title)
    except ReportError as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
