"""Setting a company up: stores, bank accounts, contracts. Each change is in the audit log."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from huikuan.web.models import AuditLog, BankAccount, Company, Contract, Membership, Store, WriteOffLimit


def _audit(company: Company, user: Any, action: str, target: str, **details: Any) -> None:
    AuditLog.objects.create(company=company, user=user if getattr(user, "is_authenticated", False) else None,
                            action=action, target=target, details=details)


@transaction.atomic
def add_store(company: Company, *, name: str, platform: str, wallet_account: str = "",
              user: Any = None) -> Store:
    store = Store.objects.create(company=company, name=name, platform=platform, wallet_account=wallet_account)
    _audit(company, user, "store.add", f"store:{store.pk}", name=name, platform=platform)
    return store


@transaction.atomic
def add_bank_account(company: Company, *, bank: str, number: str, currency: str = "CNY",
                     user: Any = None) -> BankAccount:
    account = BankAccount.objects.create(company=company, bank=bank, number=number, currency=currency.upper())
    _audit(company, user, "bank_account.add", f"bank_account:{account.pk}", bank=bank,
           number=account.masked_number)
    return account


@transaction.atomic
def add_contract(company: Company, *, store: Store, commission_bp: int, payment_fee_bp: int,
                 settlement_days: int, user: Any = None) -> Contract:
    if store.company_id != company.pk:
        raise ValueError("the store belongs to another company")
    contract = Contract.objects.create(store=store, commission_bp=commission_bp,
                                       payment_fee_bp=payment_fee_bp, settlement_days=settlement_days)
    _audit(company, user, "contract.add", f"contract:{contract.pk}", store=store.pk,
           commission_bp=commission_bp, payment_fee_bp=payment_fee_bp, settlement_days=settlement_days)
    return contract


@transaction.atomic
def set_write_off_limit(company: Company, limit_minor: int, *, user: Any = None) -> None:
    """The largest difference one write-off may accept in this company (minor units)."""
    if limit_minor < 0:
        raise ValueError("a write-off limit cannot be negative")
    WriteOffLimit.objects.update_or_create(company=company, defaults={"limit_minor": limit_minor})
    _audit(company, user, "write_off_limit.set", f"company:{company.pk}", limit_minor=limit_minor)


@transaction.atomic
def create_company(name: str, *, admin: Any) -> Company:
    company = Company.objects.create(name=name)
    Membership.objects.create(user=admin, company=company, role="admin")
    _audit(company, admin, "company.create", f"company:{company.pk}", name=name)
    return company
