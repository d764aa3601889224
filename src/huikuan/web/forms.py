"""Forms of the setup, upload and run pages. Choices are always scoped to one company."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from huikuan.web.models import BankAccount, Company, Store
from huikuan.web.models.company import PLATFORMS


class StoreForm(forms.Form):
    name = forms.CharField(label=_("Store name"), max_length=200)
    platform = forms.ChoiceField(label=_("Platform"), choices=PLATFORMS)
    wallet_account = forms.CharField(label=_("Wallet account (e.g. Alipay 2088…)"), max_length=100,
                                     required=False)


class BankAccountForm(forms.Form):
    bank = forms.CharField(label=_("Bank"), max_length=100)
    number = forms.CharField(label=_("Account number"), max_length=40)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="CNY")


def percent_to_bp(text: str) -> int:
    """``"0.6"`` (per cent) → 60 basis points, exactly; no float on the way."""
    try:
        value = Decimal(text.strip().rstrip("%"))
    except InvalidOperation:
        raise forms.ValidationError(_("Enter a percentage such as 0.6")) from None
    if value < 0 or value > 100 or value * 100 != int(value * 100):
        raise forms.ValidationError(_("Enter a percentage between 0 and 100 with at most two decimals"))
    return int(value * 100)


class ContractForm(forms.Form):
    store = forms.ModelChoiceField(label=_("Store"), queryset=Store.objects.none())
    commission = forms.CharField(label=_("Commission %"), initial="5")
    payment_fee = forms.CharField(label=_("Payment fee %"), initial="0.6")
    settlement_days = forms.IntegerField(label=_("Settlement timing (days)"), min_value=0, initial=7)

    def __init__(self, company: Company, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = company.stores.order_by("name")

    def clean_commission(self) -> int:
        return percent_to_bp(self.cleaned_data["commission"])

    def clean_payment_fee(self) -> int:
        return percent_to_bp(self.cleaned_data["payment_fee"])


DATE = {"type": "date"}


class RunForm(forms.Form):
    store = forms.ModelChoiceField(label=_("Store"), queryset=Store.objects.none())
    bank_account = forms.ModelChoiceField(label=_("Bank account"), queryset=BankAccount.objects.none(),
                                          required=False)
    # an <input type=date> takes ISO dates whatever the language
    period_start = forms.DateField(label=_("Period from"), widget=forms.DateInput(DATE, "%Y-%m-%d"))
    period_end = forms.DateField(label=_("to"), widget=forms.DateInput(DATE, "%Y-%m-%d"))

    def __init__(self, company: Company, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = company.stores.order_by("name")
        self.fields["bank_account"].queryset = company.bank_accounts.order_by("bank")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


class WriteOffLimitForm(forms.Form):
    """The largest difference one write-off (核销) may accept, as an amount: ``10.00``."""

    limit = forms.CharField(label=_("Write-off limit (¥)"), max_length=20)

    def clean_limit(self) -> int:
        from huikuan.domain.errors import HuikuanError
        from huikuan.domain.money import parse_amount

        try:
            minor = parse_amount(self.cleaned_data["limit"])
        except HuikuanError:
            raise forms.ValidationError(_("Enter an amount such as 10.00")) from None
        if minor < 0:
            raise forms.ValidationError(_("Enter an amount such as 10.00"))
        return minor
