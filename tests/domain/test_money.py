"""The one money parser: every form exports use, never a wrong amount, never a float."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huikuan.domain.errors import MoneyError
from huikuan.domain.money import exponent, format_minor, parse_amount, parse_minor_units

CURRENCIES = st.sampled_from(["CNY", "USD", "EUR", "JPY", "KWD", "HKD"])
AMOUNTS = st.integers(min_value=-(10**15), max_value=10**15)


@pytest.mark.parametrize(("text", "minor"), [
    ("1,234.50", 123450), ("-0.01", -1), ("１２３.００", 12300), ("¥12", 1200), ("12.5元", 1250),
    ("￥-3.20", -320), ("-¥3.20", -320), ("+128.00", 12800), ("(12.50)", -1250), ("12.50-", -1250),
    ("RMB 1,000", 100000), ("1,000 CNY", 100000), ("USD -5.00", -500), ("- $220.00", -22000),
    ("¥ 1 234.00", 123400), ("\t5.00\t", 500), ("0", 0), ("12.500", 1250), ("−7.00", -700),
])
def test_forms_exports_use(text, minor):
    assert parse_amount(text) == minor


@pytest.mark.parametrize("text", ["12.3.4", "1,2,3", "abc", "", "12.345", "--1", "+-1", "1-2", "1 2",
                                  "¥", "-", "12S0.00", "1S2", "1.0e+5", "NaN"])
def test_ambiguous_or_broken_text_is_refused_with_the_text(text):
    with pytest.raises(MoneyError) as caught:
        parse_amount(text)
    assert repr(text) in str(caught.value)


def test_decimal_comma_and_zero_decimal_currencies():
    assert parse_amount("1.234,56", "EUR", decimal_comma=True) == 123456
    assert parse_amount("380115,", "EUR", decimal_comma=True) == 38011500
    assert parse_amount("2700", "JPY") == 2700
    with pytest.raises(MoneyError):
        parse_amount("27.5", "JPY")


def test_minor_units_as_exported_by_douyin():
    assert parse_minor_units("12800") == 12800
    assert parse_minor_units("-５") == -5
    with pytest.raises(MoneyError):
        parse_minor_units("128.00")


@given(AMOUNTS, CURRENCIES)
def test_format_then_parse_gives_the_same_minor_units(minor, currency):
    text = format_minor(minor, currency)
    assert parse_amount(text, currency) == minor
    assert isinstance(parse_amount(text, currency), int)


@given(AMOUNTS)
def test_thousands_separators_symbols_and_full_width_do_not_change_the_value(minor):
    plain = format_minor(minor)
    whole, frac = plain.lstrip("-").split(".")
    grouped = f"{int(whole):,}.{frac}"
    sign = "-" if minor < 0 else ""
    full_width = (sign + grouped).translate(str.maketrans("0123456789.,-", "０１２３４５６７８９．，－"))
    for text in (sign + grouped, f"¥{sign}{grouped}", f"{sign}{grouped}元", full_width, f" {sign}{grouped} "):
        assert parse_amount(text) == minor, text


@given(st.text(max_size=12))
def test_any_text_is_an_amount_or_a_clear_refusal(text):
    try:
        value = parse_amount(text)
    except MoneyError:
        return
    assert isinstance(value, int)
    digits = [c for c in text if c.isdigit()]
    assert digits, f"{text!r} read as {value} without any digit"


def test_currency_codes_are_read_in_any_case():
    assert exponent("jpy") == 0
