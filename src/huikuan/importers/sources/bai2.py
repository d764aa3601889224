"""BAI2 cash management balance and transaction reports (US and UK banks).

Comma-separated records, each ended by ``/`` unless it ends in free text: ``01`` file header
(sender, receiver, creation date, time, file id, record length, …), ``02`` group header (as-of
date YYMMDD, currency), ``03`` account (number, currency, then summary groups of type code,
amount, item count, funds type), ``16`` transaction (type code, amount, funds type, bank
reference, customer reference, text), ``88`` continuation of the record before it, ``49``
account trailer (control total, record count), ``98`` group trailer, ``99`` file trailer.

Amounts are unsigned whole minor units (cents); the type code gives the direction: 100–399 are
credits (+), 400–699 debits (−). A ``16`` becomes one entry: bank reference → ``record_id``,
group as-of date → ``ts``, type code → category, text and customer reference → text.

Checked where the file gives them: the ``49`` control total (sum of every amount in the
account's ``03`` and ``16`` records) and record count, the ``03`` summaries 100 (total credits)
and 400 (total debits) with their item counts, and the ``98``/``99`` totals.

Pitfalls of the public samples: ``/`` terminators missing (the last ``99``), a blank control total
(``49,,2/``), a time with colons (``14:59:35``), text cut mid-word at the record length and
continued in ``88`` (joined without a space when the cut line was full), the ``03`` summaries
spread over several ``88`` records, a blank currency (then the group's, else USD).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from huikuan.domain.dates import parse_timestamp
from huikuan.domain.entry import Kind
from huikuan.domain.money import parse_minor_units
from huikuan.domain.roles import Role
from huikuan.importers.base import ROW_PROBLEMS, Importer, ReadContext
from huikuan.importers.reader import RawRow, SourceFile
from huikuan.importers.sources._bank_common import sane, unique_id

#: funds type -> number of extra fields after it (D: a count, then that many amount/day pairs)
_FUNDS_EXTRA = {"S": 3, "V": 2}
_TYPE_NAMES = {
    "108": "Deposit", "115": "Lockbox deposit", "142": "ACH credit received",
    "165": "Preauthorized ACH credit", "175": "Check deposit", "195": "Incoming money transfer",
    "206": "Book transfer credit", "399": "Miscellaneous credit", "451": "ACH debit received",
    "475": "Check paid", "495": "Outgoing money transfer", "506": "Book transfer debit",
    "555": "Deposited item returned", "699": "Miscellaneous debit",
}


@dataclass
class Record:
    """One logical record: its physical lines joined (``88`` continuations included)."""

    code: str
    line: int
    pieces: list[str]          # content after 'NN,' of each physical line
    lengths: list[int]
    raw: list[str] = field(default_factory=list)

    def fields(self) -> list[str]:
        """All fields, each piece's trailing '/' terminator removed."""
        out: list[str] = []
        for piece in self.pieces:
            parts = piece.split(",")
            parts[-1] = parts[-1].rstrip().removesuffix("/")
            out += parts
        return out


@dataclass
class Account:
    number: str
    currency: str
    line: int
    total: int = 0             # control total: every amount of the 03 and 16 records
    records: int = 0
    credits: list[int] = field(default_factory=list)
    debits: list[int] = field(default_factory=list)
    summary: dict[str, tuple[int, str]] = field(default_factory=dict)


def records(lines: Iterable[tuple[int, str]]) -> Iterator[Record]:
    """Logical records, streamed: a record is complete when the next non-88 line starts."""
    current: Record | None = None
    for number, text in lines:
        code, _, rest = text.strip().partition(",")
        if code == "88" and current is not None:
            current.pieces.append(rest)
            current.lengths.append(len(text))
            current.raw.append(text)
        elif code:
            if current is not None:
                yield current
            current = Record(code, number, [rest], [len(text)], [text])
    if current is not None:
        yield current


def _name_span(ctx: ReadContext, record: tuple[int, str], last: int) -> None:
    """Name a record's lines (its 88 continuations and blank lines after it): a 16 line is its
    entry or row error, the rest continue it; other records are the report's structure."""
    first, code = record
    if code != "16":
        ctx.name_lines(first, max(first, last), "structure")
    elif last > first:
        ctx.name_lines(first + 1, last, "continuation")


class Bai2(Importer):
    id = "bai2"
    title = "BAI2 cash management balance and transaction report"
    role = Role.BANK
    currency = "USD"
    hint_words = ("01,", "02,", "03,", "16,", "49,", "98,", "99,")
    names_every_line = True

    def detect(self, source: SourceFile) -> float:
        lines = [line.strip() for line in source.head_text().splitlines() if line.strip()]
        if not lines or not lines[0].startswith("01,"):
            return 0.0
        codes = {line[:3] for line in lines}
        return 0.95 if {"02,", "03,"} <= codes else 0.0

    def read_into(self, source: SourceFile, ctx: ReadContext) -> None:
        seen: set[str] = set()
        width, group_currency, group_date, currency = 80, "", "", self.currency
        account: Account | None = None
        group_total = file_total = 0
        physical = [0]  # the last physical line read, to name every line of the file
        previous: tuple[int, str] | None = None

        def numbered() -> Iterator[tuple[int, str]]:
            for number, text in source.lines():
                physical[0] = number
                yield number, text

        for record in records(numbered()):
            if previous is None and record.line > 1:
                ctx.name_lines(1, record.line - 1, "blank")
            elif previous is not None:
                _name_span(ctx, previous, record.line - 1)
            previous = (record.line, record.code)
            values = record.fields()
            code = record.code
            if account is not None and code in ("03", "16", "49"):
                account.records += len(record.pieces)
            try:
                if code == "01" and len(values) > 5 and values[5].isdigit():
                    width = int(values[5])
                elif code == "02":
                    group_date, group_currency, group_total = values[3], values[5], 0
                    ctx.meta.setdefault("as_of", group_date)
                elif code == "03":
                    account = self._account(record, values, group_currency)
                    currency = account.currency
                    ctx.meta["account"] = _join(ctx.meta.get("account"), account.number)
                elif code == "16":
                    ctx.rows_read += 1
                    if account is None:
                        raise ValueError("transaction outside an account: no 03 record before it")
                    self._transaction(record, account, group_date, width=width, seen=seen, ctx=ctx)
                elif code == "49" and account is not None:
                    group_total += self._close(account, values, ctx)
                    account = None
                elif code == "98":
                    file_total += self._control(f"group ending line {record.line}", values,
                                                group_total, currency, ctx)
                elif code == "99":
                    self._control("file", values, file_total, currency, ctx)
                elif code not in ("01", "49", "98"):
                    raise ValueError(f"{record.raw[0][:20]!r} is not a BAI2 record (01 02 03 16 88 "
                                     "49 98 99); the line is damaged")
            except ROW_PROBLEMS as exc:
                ctx.error(RawRow(record.line, values, "\n".join(record.raw)), str(exc))
        if previous is not None:
            _name_span(ctx, previous, physical[0])

    def _account(self, record: Record, values: list[str], group_currency: str) -> Account:
        currency = (values[1] if len(values) > 1 else "") or group_currency or self.currency
        account = Account(values[0], currency, record.line, records=len(record.pieces))
        i = 2
        while i + 1 < len(values):
            if not values[i]:  # a spare empty field before '/' (',,,/'): realign on the next code
                i += 1
                continue
            kind, amount = values[i], parse_minor_units(values[i + 1] or "0")
            count = values[i + 2] if i + 2 < len(values) else ""
            account.total += amount
            account.summary[kind] = (amount, count)
            i = _after_funds(values, i + 4)
        return account

    def _transaction(self, record: Record, account: Account, date: str, *, width: int,
                     seen: set[str], ctx: ReadContext) -> None:
        type_code, amount, bank_ref, own_ref, text = _transaction_fields(record, width)
        value = sane(parse_minor_units(amount), amount)
        account.total += value
        code = int(type_code) if type_code.isdigit() else 0
        if not 100 <= code <= 699:
            raise ValueError(f"type code {type_code!r} does not say credit (100-399) or debit "
                             "(400-699)")
        credit = code < 400
        (account.credits if credit else account.debits).append(value)
        name = _TYPE_NAMES.get(type_code)
        ctx.add(
            RawRow(record.line, [type_code, amount, bank_ref, own_ref, text], "\n".join(record.raw)),
            kind=Kind.BANK_CREDIT if credit else Kind.BANK_DEBIT,
            amount_minor=value if credit else -value,
            currency=account.currency,
            ts=parse_timestamp(date, self.tz, two_digit_year=True),
            record_id=unique_id(bank_ref, account.number, seen) if bank_ref else None,
            text=" ".join(t for t in (text, own_ref and f"customer ref {own_ref}") if t),
            category=f"{type_code} {name}" if name else type_code,
            account=account.number,
        )

    def _close(self, account: Account, values: list[str], ctx: ReadContext) -> int:
        """Check an account trailer (49) and the 100/400 summaries; return its control total."""
        name, ccy = f"account {account.number} (line {account.line})", account.currency
        for code, label, picked in (("100", "total credits", account.credits),
                                    ("400", "total debits", account.debits)):
            if code in account.summary:
                amount, count = account.summary[code]
                ctx.check(f"{name} {label} ({code})", amount, sum(picked), ccy)
                if count:
                    ctx.check(f"{name} {label} ({code}) count", int(count), len(picked), count=True)
        if values and values[0]:
            ctx.check(f"{name} control total (49)", parse_minor_units(values[0]), account.total, ccy)
        if len(values) > 1 and values[1]:
            ctx.check(f"{name} records (49)", int(values[1]), account.records, count=True)
        return account.total

    def _control(self, name: str, values: list[str], total: int, currency: str,
                 ctx: ReadContext) -> int:
        if values and values[0]:
            ctx.check(f"{name} control total", parse_minor_units(values[0]), total, currency)
            return parse_minor_units(values[0])
        return total


def _after_funds(values: list[str], i: int) -> int:
    """Index of the field after a funds type (at ``i - 1``) and its extra fields."""
    funds = values[i - 1].upper() if i - 1 < len(values) else ""
    if funds == "D":
        count = int(values[i]) if i < len(values) and values[i].isdigit() else 0
        return i + 1 + 2 * count
    return i + _FUNDS_EXTRA.get(funds, 0)


def _transaction_fields(record: Record, width: int) -> tuple[str, str, str, str, str]:
    """(type code, amount, bank ref, customer ref, text) of a 16 record and its 88s; the text is
    the rest of the record and may contain commas."""
    head: list[str] = []
    text_parts: list[str] = []
    needed = 5
    for n, piece in enumerate(record.pieces):
        rest: str | None = piece
        while rest is not None and len(head) < needed:
            value, sep, tail = rest.partition(",")
            head.append(value.rstrip().removesuffix("/") if not sep else value)
            rest = tail if sep else None
            if len(head) == 3:  # funds type known: its extra fields come before the refs
                needed = _after_funds([*head, *rest.split(",")] if rest else head, 3) + 2
        if len(head) >= needed:
            text_parts = [rest or "", *record.pieces[n + 1:]]
            lengths = record.lengths[n:]
            break
    else:
        lengths = []
    text = text_parts[0] if text_parts else ""
    for previous, part in zip(lengths, text_parts[1:], strict=False):
        text += part if previous >= width else " " + part
    text = text.strip().removesuffix("/").strip()
    head += [""] * (needed - len(head))
    return head[0], head[1], head[needed - 2].strip(), head[needed - 1].strip(), text


def _join(existing: str | None, value: str) -> str:
    if not existing:
        return value
    return existing if value in existing.split(", ") else f"{existing}, {value}"
