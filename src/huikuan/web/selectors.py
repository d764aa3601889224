"""Reads, always scoped by the user's companies. Every view gets its objects through these
functions, so an object of a company the user does not belong to is a 404, never a 403 that
would confirm it exists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from huikuan.web.models import BankAccount, ChaseNote, Company, Import, Membership, Run, SavedReport, Store

#: what each role may do; a role not listed for an action gets a 404 on it like an outsider would
#: get a 403 elsewhere: pages simply do not offer the action
CAN = {
    "view": {"admin", "accountant", "viewer"},
    "import": {"admin", "accountant"},
    "reconcile": {"admin", "accountant"},
    "setup": {"admin"},
    "chase": {"admin", "accountant"},
    "decide": {"admin", "accountant"},  # confirm, reject, match, unmatch, write off, note, undo
    "lock": {"admin", "accountant"},    # closing a reviewed period is part of the accountant's job…
    "unlock": {"admin"},                # …opening it again is not
    "save_report": {"admin", "accountant"},
}

#: whoever makes the request (Django has no type hints here, so this is documentation)
User = Any


def companies_for(user: User) -> QuerySet[Company]:
    """The companies ``user`` belongs to (none for an anonymous user)."""
    if not user.is_authenticated:
        return Company.objects.none()
    return Company.objects.filter(memberships__user=user).order_by("name", "id")


def role_in(user: User, company: Company) -> str | None:
    if not user.is_authenticated:
        return None
    membership = Membership.objects.filter(user=user, company=company).first()
    return membership.role if membership else None


def may(user: User, company: Company, action: str) -> bool:
    return role_in(user, company) in CAN[action]


def get_company_or_404(user: User, company_id: int, action: str = "view") -> Company:
    """The company if ``user`` belongs to it with a role allowed ``action``; else 404."""
    company = get_object_or_404(companies_for(user), pk=company_id)
    if not may(user, company, action):
        raise Http404("no such company")
    return company


def stores_of(company: Company) -> QuerySet[Store]:
    return company.stores.order_by("name", "id")


def bank_accounts_of(company: Company) -> QuerySet[BankAccount]:
    return company.bank_accounts.order_by("bank", "id")


def imports_of(company: Company) -> QuerySet[Import]:
    return company.imports.all()


def runs_of(company: Company) -> QuerySet[Run]:
    return company.runs.select_related("store", "bank_account")


def latest_done_runs(company: Company, store: Store | None = None) -> list[Run]:
    """The finished runs the dashboard and 回款 pages read: per store and period, only the latest
    (a re-run of October replaces October; it does not count twice)."""
    runs = runs_of(company).filter(status="done").order_by("-finished", "-id")
    if store is not None:
        runs = runs.filter(store=store)
    seen: set[tuple[int, object, object]] = set()
    latest = []
    for run in runs:
        key = (run.store_id, run.period_start, run.period_end)
        if key not in seen:
            seen.add(key)
            latest.append(run)
    return latest


def result_folders(runs: list[Run], flows: tuple[str, ...] = ("orders-settlement",)) -> list[Path]:
    """The result folders of ``runs`` for ``flows``: the one place the 回款 pages open a run's
    results (the payout-bank flow reads the same bill again, so fees and wallets ask for the
    orders flow only; the order chain asks for both). Each is the run as it stands after its
    decisions (written off, matched by hand…), see :mod:`huikuan.web.effective`."""
    from huikuan.web.effective import effective_folder  # it reads decisions through the services

    return [effective_folder(run, flow) for run in runs for flow in run.flows if flow in flows]


def chase_notes_of(company: Company, store: Store) -> QuerySet[ChaseNote]:
    return company.chase_notes.filter(store=store).select_related("updated_by")


def get_import_or_404(company: Company, import_id: int) -> Import:
    return get_object_or_404(imports_of(company), pk=import_id)


def get_run_or_404(company: Company, run_id: int) -> Run:
    return get_object_or_404(runs_of(company), pk=run_id)


def saved_reports_of(company: Company) -> QuerySet[SavedReport]:
    return company.saved_reports.all()


def get_saved_report_or_404(company: Company, saved_id: int) -> SavedReport:
    return get_object_or_404(saved_reports_of(company), pk=saved_id)


def finished_runs_of(company: Company) -> QuerySet[Run]:
    """Runs whose results exist: the ones reports can read."""
    return runs_of(company).filter(status="done")


def next_action(company: Company) -> str:
    """What the company home page asks the user to do next: set up, import, reconcile or review."""
    if not company.stores.exists():
        return "setup"
    if not company.imports.exists():
        return "import"
    if not company.runs.exists():
        return "reconcile"
    return "review"
