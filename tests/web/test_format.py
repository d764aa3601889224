"""Amounts on the pages: ¥1,234.50 from integer minor units, and masked bank numbers."""

from __future__ import annotations

import pytest

from huikuan.web.models import BankAccount
from huikuan.web.templatetags.huikuan_format import money, totals

pytestmark = pytest.mark.web


@pytest.mark.parametrize(("minor", "currency", "shown"), [
    (123450, "CNY", "¥1,234.50"), (-1250, "CNY", "-¥12.50"), (5, "CNY", "¥0.05"),
    (123400000, "CNY", "¥1,234,000.00"), (1500, "JPY", "JP¥1,500"), (None, "CNY", ""),
])
def test_money(minor, currency, shown) -> None:
    assert money(minor, currency) == shown


def test_summary_totals_are_shown_as_money() -> None:
    assert totals({"CNY": "1234.50"}) == "¥1,234.50"
    assert totals({}) == "—"


def test_a_bank_number_is_shown_with_its_last_four_digits_only() -> None:
    assert BankAccount(number="6214 8300 0000 1234").masked_number == "•••• 1234"


def test_contract_rates_are_kept_in_basis_points_and_shown_as_percent() -> None:
    from huikuan.web.forms import percent_to_bp
    from huikuan.web.templatetags.huikuan_format import basis_points

    assert percent_to_bp("0.6") == 60
    assert percent_to_bp("5%") == 500
    assert basis_points(60) == "0.60%"
    assert basis_points(500) == "5.00%"
