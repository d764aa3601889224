"""Upload (many files at once), preview each as ``inspect`` sees it, accept or discard."""

from __future__ import annotations

import contextlib

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from huikuan.web import selectors
from huikuan.web.services import imports as import_service
from huikuan.web.uploads import refused_files


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
    """Stage every file sent and answer with one preview card each (an HTMX fragment); a large
    file's card shows the worker's progress and polls :func:`staged_preview`."""
    company = selectors.get_company_or_404(request.user, company_id, "import")
    files = request.FILES.getlist("files")  # parses the body: the size handler notes what it skipped
    refused = [import_service.too_large(import_service.display_name(name)) for name in refused_files(request)]
    previews = []
    for uploaded in files:
        try:
            token, _ = import_service.stage_upload(company, uploaded.name or "upload", uploaded.chunks(),
                                                   user=request.user)
        except import_service.UploadRefused as exc:
            refused.append(str(exc))
            continue
        staged = company.staged_uploads.get(token=token)
        if import_service.previewed_in_worker(staged):
            previews.append(import_service.start_preview(company, token))
        else:
            previews.append(import_service.preview(company, token))
    return render(request, "web/_previews.html", {
        "company": company, "previews": previews, "refused": refused,
        "stores": selectors.stores_of(company), "bank_accounts": selectors.bank_accounts_of(company),
    })


@login_required
def staged_preview(request: HttpRequest, company_id: int, token: str) -> HttpResponse:
    """A large file's card while the worker reads it (polled), then its preview."""
    company = selectors.get_company_or_404(request.user, company_id, "import")
    try:
        shown = import_service.preview_status(company, token)
    except import_service.UploadRefused as exc:
        return render(request, "web/_previews.html",
                      {"company": company, "previews": [], "refused": [str(exc)]})
    return render(request, "web/_previews.html", {
        "company": company, "previews": [shown], "refused": [],
        "stores": selectors.stores_of(company), "bank_accounts": selectors.bank_accounts_of(company),
    })


@login_required
@require_POST
def accept(request: HttpRequest, company_id: int, token: str) -> HttpResponse:
    company = selectors.get_company_or_404(request.user, company_id, "import")
    store = bank = None
    if request.POST.get("store"):
        store = selectors.stores_of(company).filter(pk=request.POST["store"]).first()
    if request.POST.get("bank_account"):
        bank = selectors.bank_accounts_of(company).filter(pk=request.POST["bank_account"]).first()
    try:
        record = import_service.accept(company, token, user=request.user, store=store, bank_account=bank)
    except import_service.UploadRefused as exc:
        # HTMX swaps only 2xx answers: a refusal is a normal answer that shows the reason
        status = 200 if request.headers.get("HX-Request") else 400
        return render(request, "web/_accepted.html", {"company": company, "error": str(exc)}, status=status)
    response = render(request, "web/_accepted.html", {"company": company, "record": record})
    response["HX-Trigger"] = "imported"  # the list of accepted files reloads itself
    return response


@login_required
@require_POST
def discard(request: HttpRequest, company_id: int, token: str) -> HttpResponse:
    company = selectors.get_company_or_404(request.user, company_id, "import")
    with contextlib.suppress(import_service.UploadRefused):
        import_service.discard(company, token)
    if request.headers.get("HX-Request"):
        return HttpResponse("")
    return redirect("imports", company_id=company.pk)


@login_required
def import_detail(request: HttpRequest, company_id: int, import_id: int) -> HttpResponse:
    company = selectors.get_company_or_404(request.user, company_id)
    record = selectors.get_import_or_404(company, import_id)
    return render(request, "web/import_detail.html", {"company": company, "record": record})
