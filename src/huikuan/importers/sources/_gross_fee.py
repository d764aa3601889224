"""Conventions shared by the international wallet exports (Stripe, Shopify, PayPal, Adyen, Venmo).

Not a format: no importer lives here. These exports give each transaction as one row with a gross
amount, a fee and the net that reached the balance. huikuan turns such a row into a gross entry
(the payment, refund or payout) and, when the fee is not zero, a separate ``fee`` entry named
``<id>/fee``, so that fees can be matched and summed on their own. The running totals kept here
let an importer check, for the whole file, that net = gross + fee as the file says.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from huikuan.domain.entry import Kind
from huikuan.domain.money import format_minor
from huikuan.importers.base import ReadContext, Row

_ISO = re.compile(r"[A-Za-z]{3}")


class _Totals(Counter[str]):
    """Per-file running sums, keys like ``"gross USD"``."""


def totals(ctx: ReadContext) -> Counter[str]:
    """Per-file running sums (keys like ``"gross USD"``), kept on the read context."""
    return ctx.state(_Totals)


def add_gross_and_fee(ctx: ReadContext, row: Row, *, kind: str, gross: int, fee: int,
                      record_id: str | None, category: str, **common: Any) -> None:
    """The row's gross entry and, when the fee is not zero, its fee entry ``<id>/fee`` (or
    ``file:line/fee`` for exports without a transaction id)."""
    ctx.add(row, kind=kind, amount_minor=gross, record_id=record_id, category=category, **common)
    if fee:
        fee_id = {"record_id": f"{record_id}/fee"} if record_id else {"id_suffix": "/fee"}
        ctx.add(row, kind=Kind.FEE, amount_minor=fee, category=f"{category} fee", **fee_id, **common)


def currency_code(text: str, default: str) -> str:
    """``usd`` → ``USD``; an empty cell gives the format's default."""
    text = text.strip()
    if not text:
        return default
    if not _ISO.fullmatch(text):
        raise ValueError(f"{text!r} is not a currency code")
    return text.upper()


def tally_net(ctx: ReadContext, row: Row, currency: str, *, gross: int, fee: int, net: int | None) -> None:
    """Remember gross, fee (signed as it affects the balance) and net of one row.

    ``fee`` is the signed fee entry (negative for a charge). A row whose net disagrees with
    gross + fee is imported as the file gives it and named in a warning.
    """
    if net is None:
        return
    sums = totals(ctx)
    sums[f"gross {currency}"] += gross
    sums[f"fee {currency}"] += fee
    sums[f"net {currency}"] += net
    if gross + fee != net:
        ctx.warnings.append(
            f"{ctx.file}:{row.line}: net {format_minor(net, currency)} is not gross "
            f"{format_minor(gross, currency)} less fee {format_minor(-fee, currency)}")


def check_net(ctx: ReadContext) -> None:
    """One check per currency: the net column equals gross less fees over the whole file."""
    sums = totals(ctx)
    for key in sorted(sums):
        if not key.startswith("net "):
            continue
        currency = key[4:]
        ctx.check(f"net = gross - fee ({currency})", sums[key],
                  sums[f"gross {currency}"] + sums[f"fee {currency}"], currency)
