"""Companies, who belongs to them and in which role, and the accounts their money moves through."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

ROLES = (("admin", _("admin")), ("accountant", _("accountant")), ("viewer", _("viewer")))
PLATFORMS = (("tmall", _("Tmall / Taobao")), ("pdd", _("Pinduoduo")), ("wechat", _("WeChat Pay")),
             ("jd", _("JD")), ("douyin", _("Douyin")), ("other", _("other")))


class Company(models.Model):
    """A merchant: the unit of data isolation. Every other row hangs off one."""

    name = models.CharField(_("name"), max_length=200)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role in one company; no membership, no access (the selectors return 404)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=ROLES, default="viewer")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "company"], name="one_membership_per_company")]


class Store(models.Model):
    """A shop on a platform and the wallet account its money lands in (e.g. Alipay 2088…)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="stores")
    name = models.CharField(_("store name"), max_length=200)
    platform = models.CharField(_("platform"), max_length=20, choices=PLATFORMS)
    wallet_account = models.CharField(_("wallet account"), max_length=100, blank=True)

    def __str__(self) -> str:
        return self.name


class BankAccount(models.Model):
    """A bank account payouts arrive in. The full number is stored; pages show it masked."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="bank_accounts")
    bank = models.CharField(_("bank"), max_length=100)
    number = models.CharField(_("account number"), max_length=40)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")

    @property
    def masked_number(self) -> str:
        """Only the last four digits, as on a bank's own statement."""
        digits = self.number.replace(" ", "")
        return "•••• " + digits[-4:] if len(digits) > 4 else digits

    def __str__(self) -> str:
        return f"{self.bank} {self.masked_number}"


class Contract(models.Model):
    """A store's fee terms, used later to flag fee deviations. Rates in basis points (1 % = 100)
    so that no float ever holds a rate."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="contracts")
    commission_bp = models.PositiveIntegerField(_("commission (basis points)"), default=0)
    payment_fee_bp = models.PositiveIntegerField(_("payment fee (basis points)"), default=0)
    settlement_days = models.PositiveIntegerField(_("settlement timing (days)"), default=0)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
