"""SWIFT MT940 customer statements (banks in NL, DE, PL, HU, …).

A file holds one or more statements: ``:20:`` reference, ``:25:`` account, ``:28C:`` number,
``:60F:``/``:60M:`` opening balance (mark, YYMMDD, currency, amount), per booking a ``:61:``
statement line with its ``:86:`` information, then ``:62F:``/``:62M:`` closing balance. Opening +
entries = closing is checked per statement; ING's ``/SUM/`` counts and totals too.

``:61:`` is value date YYMMDD, entry date MMDD (optional), mark C/D/RC/RD (RC, the reversal of a
credit, takes money out; RD puts it back; both get status ``reversed``), an optional funds code
letter (``CR300,`` is a credit, funds code R), amount with a decimal comma and 0–2 decimals
(``380115,`` ``11,8`` ``000000001213,28``; ``C500NTRF`` without a comma is 500.00, as WoLpH/mt940
reads it), type (``NTRF``), the owner's reference, ``//`` and the bank's reference
(→ ``record_id``), and supplementary details, usually on the next line. ``ts`` is the booking
date; a value date that differs from it is kept in the text (``value date 2016-02-29``), and one
that is not a date at all (30 February) is kept as written, with a warning.

Pitfalls of the public samples: SWIFT envelopes (``{1:…}{2:…}{4:`` … ``-}``), bank header lines
(``ABNANL2A``, ``940 00``, ``:940:``), a SOH byte, ``-`` ending a message — yet a lone ``-`` can
also be a wrapped piece of ING's ``:86:``; lines cut at a fixed width in the middle of a word;
whitespace-only lines; a ``:61:`` broken after its mark and the tag ``:86:`` split over two lines
(Sparkasse); ``:86:`` after the closing balance belongs to the statement, not to the last entry;
bank-specific ``:NS:`` lines (kept as text). ``:86:`` layouts: free text, German ``?NN`` subfields
(``?00`` booking text, ``?20``–``?29`` purpose with ``EREF+``, ``?32``/``?33`` name), Triodos
``>NN``, Dutch ``/EREF/…/CNTP/iban/bic/name/…/REMI/…`` codes (see :mod:`._mt940_fields`).
Dates carry no zone: they are read as calendar dates in the project's default zone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from huikuan.domain.dates import parse_timestamp
from huikuan.domain.entry import Status, bank_kind
from huikuan.domain.money import format_minor
from huikuan.domain.roles import Role
from huikuan.importers.base import ROW_PROBLEMS, Importer, ReadContext
from huikuan.importers.reader import RawRow, SourceFile
from huikuan.importers.sources._bank_common import sane, unique_id
from huikuan.importers.sources._mt940_fields import (
    CONTROL,
    DAMAGED,
    Field,
    Info,
    fields,
    read_info,
    read_non_swift,
)

_BALANCE = re.compile(r"(?P<mark>[CD])(?P<date>\d{6})(?P<ccy>[A-Z]{3})(?P<amount>\d[\d,]*)\s*")
_LINE = re.compile(
    r"(?P<value>\d{6})(?P<entry>\d{4})?(?P<mark>R?[CD]|E[CD])(?P<funds>[A-Z])?"
    r"(?P<amount>\d+(?:,\d*)?)(?P<type>[NSF].{3})(?P<rest>.*)"
)
#: a statement line broken right after its mark (Sparkasse): the amount is on the next line
_BROKEN_LINE = re.compile(r"\d{6}(?:\d{4})?(?:R?[CD]|E[CD])[A-Z]?")
_SUM = re.compile(r"/SUM/(\d+)/(\d+)/(\d[\d,]*)/(\d[\d,]*)")
_ACCOUNT_CCY = re.compile(r"(.*\d)([A-Z]{3})")
_DETECT = re.compile(r"^:(?:20|25|28C?|60[FM]|61|62[FM]|86):", re.MULTILINE)
_DETECT_DATA = re.compile(r"^:(?:60[FM]:[CD]\d{6}[A-Z]{3}\d|61:\d{6})", re.MULTILINE)
_BALANCE_TAGS = ("60F", "60M", "62F", "62M")
#: what banks write in the owner's reference when there is none, or only its kind
_NO_REFERENCE = ("NONREF", "EREF", "PREF", "NOTPROVIDED")


@dataclass
class Statement:
    """One statement (or page of one): its balances and what its entries add up to."""

    ref: str
    account: str
    number: str
    currency: str
    opening: int
    line: int
    total: int = 0
    debits: list[int] = field(default_factory=list)
    credits: list[int] = field(default_factory=list)

    @property
    def name(self) -> str:
        label = self.number or self.ref
        return f"statement {label} (line {self.line})" if label else f"statement at line {self.line}"


def swift_amount(text: str) -> str:
    """``380115,`` → ``380115``: SWIFT writes the decimal comma even without decimals."""
    return text[:-1] if text.endswith(",") else text


class Mt940(Importer):
    id = "mt940"
    title = "SWIFT MT940 bank statement"
    role = Role.BANK
    decimal_comma = True
    hint_words = (":20:", ":25:", ":60F:", ":61:", ":86:", ":62F:")
    names_every_line = True

    def detect(self, source: SourceFile) -> float:
        head = CONTROL.sub("", source.head_text())
        if not _DETECT_DATA.search(head):
            return 0.0
        tags = {m.group(0) for m in _DETECT.finditer(head)}
        return 0.95 if {":20:", ":25:"} <= tags else 0.8

    def read_into(self, source: SourceFile, ctx: ReadContext) -> None:
        seen: set[str] = set()
        ref = account = number = ""
        statement: Statement | None = None
        last: Statement | None = None
        entry: list[Field] = []
        accounts: list[str] = []
        statement_info: list[str] = []
        count = 0
        physical = [0]  # the last physical line read, to name every line of the file
        previous: tuple[int, str] | None = None  # (first line, what) of the field before

        def numbered() -> Iterator[tuple[int, str]]:
            for number, text in source.lines():
                physical[0] = number
                yield number, text

        for item in fields(numbered()):
            tag = item.tag
            if previous is None and item.line > 1:
                ctx.name_lines(1, item.line - 1, "envelope")
            elif previous is not None:
                _name_span(ctx, previous, item.line - 1)
            in_entry = tag in ("86", "NS") and bool(entry)
            previous = (item.line, "entry" if tag == "61" else
                        "continuation" if in_entry else "statement")
            if tag in ("86", "NS") and entry:
                entry.append(item)
                continue
            if entry:
                self._entry(entry, statement, ctx, seen)
                entry = []
            if tag == DAMAGED:
                ctx.error(_raw(item), f"{item.values[0].strip()!r} starts like an MT940 tag but is "
                                      "none: the line is damaged or cut short")
            elif tag == "61":
                ctx.rows_read += 1
                entry = [item]
            elif tag in ("86", "NS"):
                info = read_non_swift(item.values) if tag == "NS" else read_info(item)
                statement_info.append(info.text)
                if last is not None:
                    self._check_sum(info.text, last, ctx)
            elif tag == "20":
                ref = item.values[0].strip()
            elif tag == "25":
                account = _account(" ".join(v.strip() for v in item.values))
                if account not in accounts:
                    accounts.append(account)
            elif tag.startswith("28"):
                number = "".join(v.strip() for v in item.values)
            elif tag in _BALANCE_TAGS:
                try:
                    currency, amount = self._balance(item)
                except ROW_PROBLEMS as exc:
                    ctx.error(_raw(item), f"balance :{tag}: cannot be read: {exc}")
                    statement = None
                    continue
                if tag.startswith("60"):
                    count += 1
                    _unclosed(statement, ctx)
                    statement = Statement(ref, account, number, currency, amount, item.line)
                elif statement is not None:
                    self._check_balance(statement, currency, amount, ctx)
                    last, statement = statement, None
        if entry:
            self._entry(entry, statement, ctx, seen)
        if previous is not None:
            _name_span(ctx, previous, physical[0])
        elif physical[0]:
            ctx.name_lines(1, physical[0], "envelope")
        _unclosed(statement, ctx)
        if accounts:
            ctx.meta["account"] = ", ".join(accounts)
        ctx.meta["statements"] = str(count)
        if statement_info:
            ctx.meta["statement_info"] = " | ".join(t for t in statement_info if t)

    def _balance(self, item: Field) -> tuple[str, int]:
        m = _BALANCE.fullmatch(item.values[0])
        if not m:
            raise ValueError(f"{item.values[0]!r} is not mark, YYMMDD, currency and amount")
        self.when_swift(m["date"])
        amount = self.money(swift_amount(m["amount"]), m["ccy"])
        return m["ccy"], amount if m["mark"] == "C" else -amount

    def when_swift(self, yymmdd: str) -> datetime:
        return parse_timestamp(yymmdd, self.tz, two_digit_year=True)

    def _entry(self, items: list[Field], statement: Statement | None, ctx: ReadContext,
               seen: set[str]) -> None:
        row = _raw(*items)
        try:
            self._add_entry(items, statement, row, ctx, seen)
        except ROW_PROBLEMS as exc:
            ctx.error(row, str(exc))

    def _add_entry(self, items: list[Field], statement: Statement | None, row: RawRow,
                   ctx: ReadContext, seen: set[str]) -> None:
        line, rest = items[0].values[0].rstrip(), items[0].values[1:]
        m = _LINE.fullmatch(line)
        if not m and rest and _BROKEN_LINE.fullmatch(line):  # 'CR' here, the amount below
            m = _LINE.fullmatch(line + rest[0].strip())
            rest = rest[1:]
        if not m:
            raise ValueError(f"statement line :61:{line} is not date, mark, amount, type, reference")
        if statement is None:
            raise ValueError(f"booking of {m['mark']} {m['amount']} on {m['value']} outside a "
                             "statement: no opening balance :60F: before it says the currency")
        value_date, value_note = self._value_date(m["value"], m["entry"], row, ctx)
        booked = _entry_date(value_date, m["entry"]) if m["entry"] else m["value"]
        amount = sane(self.money(swift_amount(m["amount"]), statement.currency), m["amount"])
        if m["mark"] in ("D", "RC", "ED"):
            amount = -amount
        own_ref, bank_ref, details = _references(m["rest"], rest)
        if bank_ref:
            bank_ref = unique_id(bank_ref, statement.account, seen)
        infos = [read_non_swift(i.values) if i.tag == "NS" else read_info(i) for i in items[1:]]
        info = Info.merge(infos)
        ts = self.when(booked) if m["entry"] else value_date
        if not value_note and ts.date() != value_date.date():
            value_note = f"value date {value_date.date().isoformat()}"
        text = "; ".join(t for t in (info.text, details, own_ref and f"ref {own_ref}", value_note) if t)
        statement.total += amount
        (statement.credits if amount >= 0 else statement.debits).append(amount)
        ctx.add(
            row,
            kind=bank_kind(amount),
            amount_minor=amount,
            currency=statement.currency,
            ts=ts,
            record_id=bank_ref,
            counterparty=info.counterparty,
            batch_ref=info.reference,
            text=text,
            status=Status.REVERSED if m["mark"].startswith("R") else None,
            category=info.category or m["type"].strip(),
            account=statement.account,
        )

    def _value_date(self, value: str, entry: str | None, row: RawRow,
                    ctx: ReadContext) -> tuple[datetime, str]:
        """The value date, and a note for the text when it is not a real date.

        The booking date (MMDD) is what the statement is about; a value date that does not exist
        (``160230``, 30 February, seen in WoLpH/mt940's tests) loses nothing: the row is read
        with its booking date, the value date's text is kept and a warning names the line.
        """
        try:
            return self.when_swift(value), ""
        except ROW_PROBLEMS:
            month = int(value[2:4])
            if not entry or not 1 <= month <= 12:
                raise
        ctx.warnings.append(f"{ctx.file}:{row.line}: value date {value} is not a date; the row is "
                            "read with its booking date")
        first = self.when_swift(f"{value[:4]}01")  # the value date's month, to place the booking
        return first, f"value date {value} (not a date)"

    def _check_balance(self, statement: Statement, currency: str, closing: int,
                       ctx: ReadContext) -> None:
        name = statement.name
        if currency != statement.currency:
            ctx.warnings.append(f"{ctx.file}: {name}: closing balance in {currency}, opening in "
                                f"{statement.currency}; not checked")
            return
        ctx.check(f"{name}: opening + entries = closing", closing,
                  statement.opening + statement.total, currency)

    def _check_sum(self, text: str, statement: Statement, ctx: ReadContext) -> None:
        """ING's ``/SUM/debits/credits/debit total/credit total/`` after the closing balance."""
        m = _SUM.search(text.replace(" ", ""))
        if not m:
            return
        name, ccy = f"{statement.name} /SUM/", statement.currency
        ctx.check(f"{name} number of debits", int(m[1]), len(statement.debits), count=True)
        ctx.check(f"{name} number of credits", int(m[2]), len(statement.credits), count=True)
        ctx.check(f"{name} debit total", self.money(swift_amount(m[3]), ccy), -sum(statement.debits), ccy)
        ctx.check(f"{name} credit total", self.money(swift_amount(m[4]), ccy), sum(statement.credits), ccy)


def _name_span(ctx: ReadContext, field: tuple[int, str], last: int) -> None:
    """Name the lines of one field (through the blank or envelope lines after it): a ``:61:``
    line is its entry or row error, the lines after it continue it; other tags are structure."""
    first, what = field
    if what == "entry":
        if last > first:
            ctx.name_lines(first + 1, last, "continuation")
    else:
        ctx.name_lines(first, max(first, last), what)


def _unclosed(statement: Statement | None, ctx: ReadContext) -> None:
    if statement is not None:
        opening = format_minor(statement.opening, statement.currency)
        ctx.warnings.append(f"{ctx.file}: {statement.name}, opening balance {opening} "
                            f"{statement.currency}, has no closing balance :62F:; not checked")


def _raw(*items: Field) -> RawRow:
    lines = [line for item in items for line in item.raw]
    return RawRow(items[0].line, [":" + items[0].tag + ":" + items[0].values[0]], "\n".join(lines))


def _account(text: str) -> str:
    """``NL77INGB0574908765EUR`` → the account without the currency some banks append."""
    m = _ACCOUNT_CCY.fullmatch(text)
    return m.group(1) if m else text


def _entry_date(value_date: datetime, mmdd: str) -> str:
    """The booking date MMDD, in the year that puts it nearest the value date (Dec/Jan)."""
    month, day = int(mmdd[:2]), int(mmdd[2:])
    year = min((value_date.year + d for d in (-1, 0, 1)),
               key=lambda y: abs((y * 12 + month) - (value_date.year * 12 + value_date.month)))
    return f"{year:04d}-{month:02d}-{day:02d}"


def _references(rest: str, more: list[str]) -> tuple[str, str, str]:
    """(owner's reference, bank reference, supplementary details) of a statement line."""
    own, _, bank = rest.partition("//")
    extra = bank[16:]
    if not bank and len(rest) > 16 and rest[15:17].strip() != rest[15:17]:
        own, extra = rest[:16], rest[16:]  # old Rabobank: padded reference, then the name
    own, bank = own.strip(), bank[:16].strip()
    more = [m.strip() for m in more if m.strip()]
    # ING wraps a short bank reference onto the next line: '//00000000001' + '005'
    if bank and more and more[0].isalnum() and len(bank) + len(more[0]) <= 16 and not extra.strip():
        bank += more.pop(0)
    details = " ".join(t for t in (extra.strip(), "".join(more)) if t)
    if own.upper() in _NO_REFERENCE or re.fullmatch(r"[A-Z]{4}\+", own):  # 'KREF+': a key only
        own = ""
    return own, bank, details
