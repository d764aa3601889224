"""Upload (many files at once), preview each as ``inspect`` sees it, accept or discard."""

from __future__ import annotations

import contextlib

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from huikuan.web import selectors
from huikuan.web.services import imports as import_service


@login_required
def import_list(request: HttpRequest, company_id: int) -> HttpResponse:
    company = selectors.get_company_or_404(request.user, company_id)
    return render(request, "web/imports.html", {
        "company": company,
        "imports": selectors.imports_of(company).select_related("store", "bank_account"),
        "can_import": selectors.may(request.user, company, "import"),
        "stores": selectors.stores_of(company), "bank_accounts": selectors.bank_accounts_of(company),
    })


@login_required
@require_POST
def upload(request: HttpRequest, company_id: int) -> HttpResponse:
    """Stage every file sent and answer with one preview card each (an HTMX fragment)."""
    company = selectors.get_company_or_404(request.user, company_id, "import")
    previews, refused = [], []
    for uploaded in request.FILES.getlist("files"):
        try:
            content_hash, _ = import_service.stage_upload(company, uploaded.name or "upload",
                                                          uploaded.chunks())
        except import_service.UploadRefused as exc:
            refused.append(str(exc))
            continue
        previews.append(import_service.preview(company, content_hash))
    return render(request, "web/_previews.html", {
        "company": company, "previews": previews, "refused": refused,
        "stores": selectors.stores_of(company), "bank_accounts": selectors.bank_accounts_of(company),
    })


@login_required
@require_POST
def accept(request: HttpRequest, company_id: int, content_hash: str) -> HttpResponse:
    company = selectors.get_company_or_404(request.user, company_id, "import")
    store = bank = None
    if request.POST.get("store"):
        store = selectors.stores_of(company).filter(pk=request.POST["store"]).first()
    if request.POST.get("bank_account"):
        bank = selectors.bank_accounts_of(company).filter(pk=request.POST["bank_account"]).first()
    try:
        record = import_service.accept(company, content_hash, user=request.user, store=store,
                                       bank_account=bank)
    except import_service.UploadRefused as exc:
        # HTMX swaps only 2xx answers: a refusal is a normal answer that shows the reason
        status = 200 if request.headers.get("HX-Request") else 400
        return render(request, "web/_accepted.html", {"company": company, "error": str(exc)}, status=status)
    response = render(request, "web/_accepted.html", {"company": company, "record": record})
    response["HX-Trigger"] = "imported"  # the list of accepted files reloads itself
    return response


@login_required
@require_POST
def discard(request: HttpRequest, company_id: int, content_hash: str) -> HttpResponse:
    company = selectors.get_company_or_404(request.user, company_id, "import")
    with contextlib.suppress(import_service.UploadRefused):
        import_service.discard(company, content_hash)
    if request.headers.get("HX-Request"):
        return HttpResponse("")
    return redirect("imports", company_id=company.pk)


@login_required
def import_detail(request: HttpRequest, company_id: int, import_id: int) -> HttpResponse:
    company = selectors.get_company_or_404(request.user, company_id)
    record = selectors.get_import_or_404(company, import_id)
    return render(request, "web/import_detail.html", {"company": company, "record": record})
