"""The generic reader's plan for one file: which columns, which sign, which currency, how sure.

Built on the column survey (:mod:`generic_layout`); the sign convention is settled by the running
balance where there is one (:mod:`generic_balance`) and by the card convention where the file is
a credit-card statement: issuers that write from the bank's side show a purchase as positive,
others as negative; huikuan always takes the cardholder's side (a purchase is money out).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from huikuan.domain.dates import parse_timestamp
from huikuan.domain.entry import Kind, Status
from huikuan.domain.money import parse_amount
from huikuan.domain.roles import Role
from huikuan.importers.base import ROW_PROBLEMS
from huikuan.importers.generic_balance import BalanceFit, best_fit, fit
from huikuan.importers.generic_columns import (
    CARD_WORDS,
    PERSONAL_WORDS,
    direction_of,
    header_currency,
    header_key,
)
from huikuan.importers.generic_content import currency_of, preamble_currency, symbol_currency, time_of_day
from huikuan.importers.generic_layout import Columns, survey
from huikuan.importers.reader import RawRow
from huikuan.importers.sources._cn_bills import neutral_kind

T = TypeVar("T")
#: the balance overrules the default reading only with this many agreeing pairs, this share of all
_STRONG_PAIRS = 2
_STRONG_SHARE = 0.75
#: 收/支 values of rows a wallet bill counts as neither income nor expense
NEUTRAL_FLAGS = frozenset({"不计收支", "中性交易", "/", ""})
_LANGUAGE_CURRENCY = {"zh": "CNY", "ja": "JPY", "en": "USD", "de": "EUR", "fr": "EUR", "es": "EUR",
                      "it": "EUR", "pt": "EUR", "nl": "EUR"}
ZONES = {"CNY": "Asia/Shanghai", "HKD": "Asia/Hong_Kong", "JPY": "Asia/Tokyo", "USD": "America/New_York",
          "CAD": "America/Toronto", "EUR": "Europe/Berlin", "GBP": "Europe/London"}
_REPAYMENT = ("还款", "repayment", "payment received", "payment - thank you", "payment thank you", "autopay")
STATUSES = {"pending": Status.PENDING, "declined": Status.CLOSED, "reverted": Status.REVERSED,
           "failed": Status.CLOSED, "cancelled": Status.CLOSED, "canceled": Status.CLOSED,
           "completed": Status.COMPLETED, "交易成功": Status.COMPLETED, "支付成功": Status.COMPLETED,
           "已退款": Status.REFUNDED, "退款成功": Status.REFUNDED, "交易关闭": Status.CLOSED}
_SHOWN = ("date", "time", "post_date", "amount", "debit", "credit", "direction", "currency", "balance", "fee",
          "description", "counterparty", "id", "type", "status", "card")


@dataclass
class Layout:
    """The generic reader's reading of one file: columns, sign, currency, and how sure it is."""

    cols: Columns
    amount: int | None
    sign: int
    fee_booked: bool
    currency: str
    currency_note: str
    card: bool
    role: Role
    confidence: float
    balance_fit: BalanceFit | None
    sign_note: str

    @property
    def tz(self) -> str:
        """Local time of the statement, from its currency (China's unless it says otherwise)."""
        return ZONES.get(self.currency, "Asia/Shanghai")

    def mapping(self) -> dict[str, str]:
        """Field → header text (or ``column N`` in a headerless file), in a stable order."""
        found = {f: self.cols.name(c) for f, c in self.cols.index.items() if f != "amount"}
        if self.amount is not None:
            found["amount"] = self.cols.name(self.amount)
        if self.cols.descriptions:
            found["description"] = " + ".join(self.cols.name(c) for c in self.cols.descriptions)
        if self.cols.counterparties:
            found["counterparty"] = " or ".join(self.cols.name(c) for c in self.cols.counterparties)
        return {f: found[f] for f in _SHOWN if f in found}

    def summary(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.mapping().items())


def cell(row: RawRow, column: int | None) -> str:
    return row.cells[column] if column is not None and column < len(row.cells) else ""


def written_amount(row: RawRow, cols: Columns, amount: int | None, currency: str) -> int:
    """The amount as the row writes it: one column (turned by a 借贷标志/Dr-Cr flag), or credit
    minus debit. Raises on a cell that is no amount, or on a flag that says neither way."""
    comma = cols.decimal_comma
    if amount is None:
        debit, credit = cell(row, cols.index.get("debit")), cell(row, cols.index.get("credit"))
        if not debit and not credit:
            raise ValueError("neither the debit nor the credit column is filled")
        return (abs(parse_amount(credit, currency, decimal_comma=comma)) if credit else 0) - (
            abs(parse_amount(debit, currency, decimal_comma=comma)) if debit else 0)
    value = parse_amount(cell(row, amount), currency, decimal_comma=comma)
    if "direction" in cols.index:
        flag = cell(row, cols.index["direction"])
        way = direction_of(flag)
        if way is None and (neutral := neutral_kind_of(row, cols)) is not None:
            way = neutral[1]
        if way is None:
            raise ValueError(f"{cols.name(cols.index['direction'])} {flag!r} says neither money in nor "
                             "money out; the row is not booked")
        return way * abs(value)
    return value


def neutral_kind_of(row: RawRow, cols: Columns) -> tuple[Kind, int] | None:
    """Kind and sign of a row whose 收/支 says neither (不计收支, 中性交易, ``/``), read from its type
    and description as the personal-bill modules read them (提现 out, 充值/转入 in …); None for a
    row that has a direction."""
    if "direction" not in cols.index or cell(row, cols.index["direction"]).strip() not in NEUTRAL_FLAGS:
        return None
    text = " ".join(cell(row, c) for c in (cols.index.get("type"), *cols.descriptions))
    return neutral_kind(text)


def fee_of(row: RawRow, cols: Columns, currency: str) -> int:
    text = cell(row, cols.index.get("fee"))
    return parse_amount(text, currency, decimal_comma=cols.decimal_comma) if text else 0


def row_currency(row: RawRow, cols: Columns, default: str) -> str:
    return currency_of(cell(row, cols.index.get("currency"))) or default


def _try(fn: Callable[..., T], *args: object) -> T | None:
    """``fn(*args)``, or None when the row's cells refuse it (for judging a column, not reading)."""
    try:
        return fn(*args)
    except ROW_PROBLEMS:
        return None


def _default_currency(cols: Columns) -> tuple[str, str]:
    money = [c for c in (cols.index.get("amount"), cols.index.get("debit"), cols.index.get("credit"))
             if c is not None]
    for column in money:
        if cols.names and (code := header_currency(cols.name(column))):
            return code, f"from the header {cols.name(column)}"
    if code := symbol_currency([c for column in money for c in cols.cells(column)]):
        return code, "from the amounts' symbol"
    if "currency" in cols.index:
        named = Counter(c for c in map(currency_of, cols.cells(cols.index["currency"])) if c)
        if named:
            return named.most_common(1)[0][0], f"per row from the column {cols.name(cols.index['currency'])}"
    if code := preamble_currency([c for r in cols.preamble for c in r.cells]):
        return code, "from the lines above the header"
    code = _LANGUAGE_CURRENCY.get(cols.language, "CNY")
    return code, f"not stated in the file; {code} assumed"


def _is_card(cols: Columns) -> bool:
    words = {header_key(n) for n in cols.names}
    keys = {header_key(w) for w in CARD_WORDS}
    return bool(words & keys) or ("card" in cols.index and "balance" not in cols.index)


def _card_sign(cols: Columns, written: Sequence[int | None]) -> tuple[int, str]:
    """+1 when the card writes purchases negative (the cardholder's side), -1 when positive."""
    texts = [" ".join(cell(r, c) for c in (*cols.descriptions, cols.index.get("type"))).lower()
             for r in cols.data]
    repaid = [a for a, t in zip(written, texts, strict=True) if a and any(w in t for w in _REPAYMENT)]
    if repaid:
        positive = sum(1 for a in repaid if a > 0) > len(repaid) / 2
        return (1, "card: repayments written positive, purchases negative; read as written") if positive \
            else (-1, "card: purchases written positive (the bank's side), repayments negative; turned round")
    amounts = [a for a in written if a]
    if sum(1 for a in amounts if a > 0) > len(amounts) / 2:
        return -1, ("card: most amounts positive, taken as purchases written from the bank's side; "
                    "turned round")
    return 1, "card: most amounts negative, taken as purchases written from the cardholder's side"


def plan(rows: Sequence[RawRow]) -> Layout | None:
    """Columns, sign and currency of the table in ``rows`` (the head of a file), with a confidence."""
    cols = survey(rows)
    if cols is None:
        return None
    currency, currency_note = _default_currency(cols)
    card = _is_card(cols)
    amounts: list[int | None] = [*cols.amounts] or [None]
    written = {a: [_try(written_amount, r, cols, a, row_currency(r, cols, currency)) for r in cols.data]
               for a in amounts}
    # a card's own convention matters only for one signed column: debit/credit columns and a
    # 借贷 flag already say which way the money went
    signed = amounts[0] is not None and "direction" not in cols.index
    sign, sign_note = (1, "amounts read as written")
    if card and signed:
        sign, sign_note = _card_sign(cols, written[amounts[0]])
    chosen, balance_fit = (amounts[0], sign, False), None
    if "balance" in cols.index:
        chosen, balance_fit = _by_balance(cols, currency, written, sign)
        if chosen[1] != sign:
            sign_note = "the running balance shows the amounts the other way round; turned round"
        elif balance_fit.pairs and balance_fit.share < _STRONG_SHARE:
            sign_note += "; the running balance does not follow the rows (see the balance check)"
        elif balance_fit.pairs and not card:
            sign_note = "amounts read as written, confirmed by the running balance"
    amount, sign, fee_booked = chosen
    parsed = sum(1 for r, v in zip(cols.data, written[amount], strict=True)
                 if v is not None and _try(row_date, r, cols) is not None)
    share = parsed / len(cols.data)
    role = Role.PERSONAL if {header_key(w) for w in PERSONAL_WORDS} & {header_key(n) for n in cols.names} \
        else Role.BANK
    return Layout(cols, amount, sign, fee_booked, currency, currency_note, card, role,
                  _confidence(cols, share, balance_fit), balance_fit, sign_note)


def _by_balance(cols: Columns, currency: str, written: dict[int | None, list[int | None]],
                sign: int) -> tuple[tuple[int | None, int, bool], BalanceFit]:
    """The (amount column, sign, fee taken off) reading that the running balance confirms best;
    the default reading (first amount column, ``sign``, no fee) first, so it wins a tie."""
    fees = [_try(fee_of, r, cols, currency) for r in cols.data] if "fee" in cols.index else None
    candidates: dict[tuple[int | None, int, bool], list[int | None]] = {}
    for column, values in written.items():
        for s in (sign, -sign):
            candidates[(column, s, False)] = [v * s if v is not None else None for v in values]
            if fees is not None:
                candidates[(column, s, True)] = [v * s - f if v is not None and f is not None else None
                                                 for v, f in zip(values, fees, strict=True)]
    balances = [_try(_balance, cell(r, cols.index["balance"]), currency, cols.decimal_comma)
                for r in cols.data]
    currencies = [row_currency(r, cols, currency) for r in cols.data]
    for i in range(1, len(balances)):
        if currencies[i] != currencies[i - 1]:  # each currency keeps its own balance
            balances[i] = None
    best, result = best_fit({str(i): series for i, series in enumerate(candidates.values())}, balances)
    chosen, default = list(candidates)[int(best)], next(iter(candidates))
    if chosen != default and not (result.agreeing >= _STRONG_PAIRS and result.share >= _STRONG_SHARE):
        # one pair of rows, or a balance that mostly disagrees, is too little to overrule the default
        return default, fit(candidates[default], balances)
    return chosen, result


def _balance(text: str, currency: str, decimal_comma: bool) -> int | None:
    return parse_amount(text, currency, decimal_comma=decimal_comma) if text else None


def _confidence(cols: Columns, share: float, balance_fit: BalanceFit | None) -> float:
    """How many rows of the chosen columns parse, whether header words named them, whether a
    running balance confirms the signs — scaled down when there are too few rows to judge."""
    score = 0.35 + 0.35 * share + (0.1 if cols.from_header else 0.0)
    if balance_fit is not None and balance_fit.pairs:
        score += 0.15 if balance_fit.share >= 0.95 else (-0.15 if balance_fit.share < 0.5 else 0.0)
    if not cols.date_order_decided:
        score -= 0.05
    score *= min(1.0, len(cols.data) / 3)
    return round(max(0.0, min(0.95, score)), 2)


def row_date(row: RawRow, cols: Columns, tz: str = "UTC") -> datetime:
    """The row's date (the posting date where the transaction date is empty)."""
    text = cell(row, cols.index["date"]) or cell(row, cols.index.get("post_date"))
    if not text:
        raise ValueError(f"no date in {cols.name(cols.index['date'])}")
    if ":" not in text and (clock := time_of_day(cell(row, cols.index.get("time")))):
        text = f"{text} {clock}"
    return parse_timestamp(text, tz, order=cols.date_order)
