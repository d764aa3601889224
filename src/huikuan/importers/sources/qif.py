"""Quicken Interchange Format (QIF) account exports.

A ``!Type:Bank`` (or ``CCard``, ``Cash``, ``Oth A``, ``Oth L``) header, then records of one field
per line, each line a one-letter code and its value, a record ended by ``^``: ``D`` date, ``T``
(or ``U``) amount, signed, with thousands separators (``-1,000.00``), ``P`` payee, ``M`` memo,
``N`` check number or reference, ``L`` category, ``C`` cleared flag, ``A`` address, ``S``/``E``/``$``
split lines. Each record becomes one entry (+ into the account, − out); QIF has no transaction
id, so entries are named ``file:line`` (the line of the record's first field).

Dates are US month/day/year with 1- or 2-digit parts and 2-digit years (``8/12/13``), or
Quicken's ``12/31'04``; exports from day-first locales write ``31/12/2004``. The order is taken
from the file itself: a first part above 12 anywhere means day-first, otherwise month-first.
Records of a non-money list (``!Type:Cat``, ``!Type:Class``, memorized items) are not entries
(counted in the meta); an ``!Account`` block names the account (→ meta); investment records
(``!Type:Invst``) are reported as rows that cannot be imported. QIF names no currency: USD.
QIF has no totals to check; an amount written with fewer decimals than the file's others
(``-75.4`` among ``-20.28``) is reported as a warning: the line may be cut short.
"""

from __future__ import annotations

import re

from huikuan.domain.dates import DateOrder, parse_timestamp
from huikuan.domain.entry import bank_kind
from huikuan.domain.roles import Role
from huikuan.importers.base import ROW_PROBLEMS, Importer, ReadContext
from huikuan.importers.reader import RawRow, SourceFile
from huikuan.importers.sources._bank_common import cut_short, sane

_MONEY_TYPES = ("bank", "ccard", "cash", "oth a", "oth l")
_LIST_TYPES = ("cat", "class", "memorized", "prices", "security")
_DATE = re.compile(r"\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*(?:[/.-]|')\s*(\d{2,4})\s*")


def _date_order(date_lines: list[str]) -> DateOrder:
    """Day-first if any date's first part cannot be a month, else month-first (US)."""
    for line in date_lines:
        m = _DATE.fullmatch(line[1:])
        if m and int(m.group(1)) > 12:
            return "dmy"
    return "mdy"


class Qif(Importer):
    id = "qif"
    title = "Quicken Interchange Format (QIF) account export"
    role = Role.BANK
    currency = "USD"
    hint_words = ("!Type:Bank", "!Type:CCard", "!Account")
    names_every_line = True

    def detect(self, source: SourceFile) -> float:
        lines = [line.strip() for line in source.head_text().splitlines() if line.strip()]
        if not lines or not re.match(r"!(Type:|Account|Option:|Clear:)", lines[0], re.IGNORECASE):
            return 0.0
        return 0.95 if "^" in lines else 0.6

    def read_into(self, source: SourceFile, ctx: ReadContext) -> None:
        dates = [text.strip() for _, text in source.lines() if text.startswith("D")]
        order = _date_order(dates)
        ctx.meta["date_order"] = order
        section = "bank"
        record: list[tuple[int, str]] = []
        amounts: list[tuple[int, str]] = []
        for number, text in source.lines():
            line = text.strip()
            if not line or line.startswith(("!", "^")):  # headers, record ends, blank lines
                ctx.name_lines(number, number, "structure")
            if line.startswith("!"):
                header = line[1:].lower()
                if header.startswith("type:"):
                    section = header[5:].strip()
                    ctx.meta["type"] = line[6:].strip()
                elif header.startswith("account"):
                    section = "account"
                continue
            if line.startswith("^"):
                if record:
                    amounts += self._record(record, section, order, ctx)
                record = []
            elif line:
                record.append((number, line))
        if record:  # a last record without its '^'
            amounts += self._record(record, section, order, ctx)
        for at, amount in cut_short(amounts, whole_too=True):
            ctx.warnings.append(f"{ctx.file}:{at}: amount {amount} has fewer decimals than the "
                                "file's others; the line may be cut short")

    def _record(self, record: list[tuple[int, str]], section: str, order: DateOrder,
                ctx: ReadContext) -> list[tuple[int, str]]:
        """Read one record; return its (line, amount as written) when it gave an entry."""
        fields: dict[str, str] = {}
        for _, line in record:
            fields.setdefault(line[0].upper(), line[1:].strip())
        if len(record) > 1:  # the first line is the entry (or its row error)
            ctx.name_lines(record[1][0], record[-1][0], "continuation")
        if section == "account":  # !Account: N name, T type of the account that follows
            ctx.meta["account"] = fields.get("N", "")
            ctx.name_lines(record[0][0], record[-1][0], "account")
            return []
        if section.startswith(_LIST_TYPES):  # category/class lists are not money
            ctx.meta["list_records"] = str(int(ctx.meta.get("list_records", "0")) + 1)
            ctx.name_lines(record[0][0], record[-1][0], "list")
            return []
        ctx.rows_read += 1
        lines = [line for _, line in record]
        row = RawRow(record[0][0], lines, "\n".join(lines))
        try:
            if section not in _MONEY_TYPES:
                raise ValueError(f"a !Type:{section} record is not a bank line; not imported")
            written = fields.get("T") or fields.get("U") or ""
            amount = sane(self.money(written), written)
            date = fields.get("D", "")
            m = _DATE.fullmatch(date)
            if not m:
                raise ValueError(f"date {date!r} is not month/day/year")
            ts = parse_timestamp("/".join(m.groups()), self.tz, order=order)
            ctx.add(
                row,
                kind=bank_kind(amount),
                amount_minor=amount,
                ts=ts,
                counterparty=fields.get("P", ""),
                text=" ".join(t for t in (fields.get("M", ""),
                                          fields.get("N") and f"ref {fields['N']}") if t),
                category=fields.get("L", ""),
            )
        except ROW_PROBLEMS as exc:
            ctx.error(row, str(exc))
            return []
        return [(record[0][0], written)]
