"""Company list, company home (with the next action) and setup."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from huikuan.domain.money import format_minor
from huikuan.web import selectors
from huikuan.web.forms import BankAccountForm, ContractForm, StoreForm, WriteOffLimitForm
from huikuan.web.services import setup
from huikuan.web.services.decisions import write_off_limit


@login_required
def home(request: HttpRequest) -> HttpResponse:
    companies = list(selectors.companies_for(request.user))
    if len(companies) == 1:
        return redirect("company", company_id=companies[0].pk)
    return render(request, "web/companies.html", {"companies": companies})


@login_required
def company_home(request: HttpRequest, company_id: int) -> HttpResponse:
    company = selectors.get_company_or_404(request.user, company_id)
    return render(request, "web/company.html", {
        "company": company, "role": selectors.role_in(request.user, company),
        "next_action": selectors.next_action(company),
        "imports": selectors.imports_of(company)[:5], "runs": selectors.runs_of(company)[:5],
        "stores": selectors.stores_of(company), "bank_accounts": selectors.bank_accounts_of(company),
    })


@login_required
def setup_page(request: HttpRequest, company_id: int) -> HttpResponse:
    company = selectors.get_company_or_404(request.user, company_id)
    return _setup(request, company)


def _setup(request: HttpRequest, company: object, **forms: object) -> HttpResponse:
    assert hasattr(company, "pk")
    context = {
        "company": company, "can_setup": selectors.may(request.user, company, "setup"),  # type: ignore[arg-type]
        "stores": selectors.stores_of(company),  # type: ignore[arg-type]
        "bank_accounts": selectors.bank_accounts_of(company),  # type: ignore[arg-type]
        "store_form": forms.get("store_form") or StoreForm(),
        "bank_form": forms.get("bank_form") or BankAccountForm(),
        "contract_form": forms.get("contract_form") or ContractForm(company),  # type: ignore[arg-type]
        "limit_form": forms.get("limit_form") or WriteOffLimitForm(initial={
            "limit": format_minor(write_off_limit(company), "CNY")}),
    }
    return render(request, "web/setup.html", context, status=400 if forms else 200)


@login_required
@require_POST
def add_store(request: HttpRequest, company_id: int) -> HttpResponse:
    company = selectors.get_company_or_404(request.user, company_id, "setup")
    form = StoreForm(request.POST)
    if not form.is_valid():
        return _setup(request, company, store_form=form)
    setup.add_store(company, user=request.user, **form.cleaned_data)
    return redirect("setup", company_id=company.pk)


@login_required
@require_POST
def add_bank_account(request: HttpRequest, company_id: int) -> HttpResponse:
    company = selectors.get_company_or_404(request.user, company_id, "setup")
    form = BankAccountForm(request.POST)
    if not form.is_valid():
        return _setup(request, company, bank_form=form)
    setup.add_bank_account(company, user=request.user, **form.cleaned_data)
    return redirect("setup", company_id=company.pk)


@login_required
@require_POST
def add_contract(request: HttpRequest, company_id: int) -> HttpResponse:
    company = selectors.get_company_or_404(request.user, company_id, "setup")
    form = ContractForm(company, request.POST)
    if not form.is_valid():
        return _setup(request, company, contract_form=form)
    data = form.cleaned_data
    setup.add_contract(company, store=data["store"], commission_bp=data["commission"],
                       payment_fee_bp=data["payment_fee"], settlement_days=data["settlement_days"],
                       user=request.user)
    return redirect("setup", company_id=company.pk)


@login_required
@require_POST
def set_write_off_limit(request: HttpRequest, company_id: int) -> HttpResponse:
    company = selectors.get_company_or_404(request.user, company_id, "setup")
    form = WriteOffLimitForm(request.POST)
    if not form.is_valid():
        return _setup(request, company, limit_form=form)
    setup.set_write_off_limit(company, form.cleaned_data["limit"], user=request.user)
    return redirect("setup", company_id=company.pk)
