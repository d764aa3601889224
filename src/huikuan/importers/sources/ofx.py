"""OFX / QFX statement downloads (Quicken, Money, bank "download for accounting" buttons).

Two dialects: OFX 1.x is SGML (``OFXHEADER:100`` key:value header, leaf elements never closed:
``<TRNAMT>-6.60<FITID>…``); OFX 2.x is XML (``<?OFX OFXHEADER="200"?>``, usually closed). Real
files mix them: XML prologs over unclosed leaves, no header at all, several elements on one line,
"staircase" indentation with spurious closing tags for leaves, CDATA, Intuit tags with dots
(``INTU.BID``). One tolerant tokenizer reads them all: an element followed by text is a leaf and
ends there (a later ``</LEAF>`` is ignored); an element followed by a tag, or named an aggregate
by the specification, is an aggregate, closed by its end tag. Damage is reported, not guessed
around: a transaction whose aggregate is never closed, or (in a file that closes its leaves) a
leaf without its end tag, or a ``<`` that opens no tag is a row error; an amount with fewer
decimals than the file's others is a warning — all signs of a line cut short.

Statements: ``BANKMSGSRSV1/STMTTRNRS/STMTRS`` (bank), ``CREDITCARDMSGSRSV1/…/CCSTMTRS`` (card)
and ``INVSTMTMSGSRSV1/…/INVSTMTRS`` (brokerage; only its cash lines ``INVBANKTRAN/STMTTRN`` are
money movements — other investment transactions are counted in the meta, not imported). Each
``STMTTRN`` becomes an entry: ``TRNAMT`` signed as given (+ into the account: kind bank_credit;
− out: bank_debit — on a credit card too, where a purchase is negative and a payment positive;
a few European banks write a decimal comma), ``FITID`` → record_id, ``NAME`` → counterparty,
``MEMO`` → text, ``TRNTYPE`` → category, ``CURDEF`` (or the entry's ``CURRENCY/CURSYM``) →
currency, ``ACCTID`` → account. Ledger and available balances are recorded in the meta: OFX
gives no opening balance, so there is nothing to add up.

Dates are ``YYYYMMDD[HHMMSS[.XXX]][[±h[:TZ]]]`` (``20090401122017.000[-5:EST]``); without an
offset OFX means GMT. The server time is read leniently (``20230310048208.398`` has minute 82):
when its time is impossible, its date is kept.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

from huikuan.domain.dates import SHANGHAI, parse_timestamp
from huikuan.domain.entry import bank_kind
from huikuan.domain.errors import DateError, InputError
from huikuan.domain.money import parse_amount
from huikuan.domain.roles import Role
from huikuan.importers.base import ROW_PROBLEMS, Importer, ReadContext
from huikuan.importers.reader import RawRow, SourceFile
from huikuan.importers.sources._bank_common import cut_short, sane, unique_id

_TOKEN = re.compile(
    r"<!\[CDATA\[(?P<cdata>.*?)\]\]>|<!--.*?-->|<[?!][^<>]*>"
    r"|<(?P<close>/)?(?P<tag>[A-Za-z][\w.]*)[^<>]*?(?P<empty>/)?>"
    r"|(?P<cut><)|(?P<text>[^<]+)",  # cut: a '<' that opens no tag (a line cut inside a tag)
    re.DOTALL,
)
_TIME = re.compile(
    r"(\d{4})(\d\d)(\d\d)(?:(\d\d)(\d\d)(?:(\d\d)(?:\.(\d+))?)?)?"
    r"\s*(?:\[\s*([+-]?\d{1,2}(?:\.\d+)?)(?::[^\]]*)?\])?"
)
#: what may precede the OFX header: an XML declaration, comments (some exporters stamp their
#: name there), whitespace and blank lines
_PROLOG = re.compile(r"^(?:\s*<\?xml[^>]*\?>|\s*<!--.*?-->)*\s*", re.IGNORECASE | re.DOTALL)
_STATEMENTS = ("STMTRS", "CCSTMTRS", "INVSTMTRS")
_NOT_CASH = ("INVBANKTRAN", "DTSTART", "DTEND")


#: aggregates of the OFX specification: never leaves, whatever text stray around them
AGGREGATES = frozenset((
    "OFX", "SIGNONMSGSRSV1", "SONRS", "STATUS", "FI", "BANKMSGSRSV1", "STMTTRNRS", "STMTRS",
    "BANKACCTFROM", "BANKACCTTO", "BANKTRANLIST", "STMTTRN", "LEDGERBAL", "AVAILBAL", "BALLIST",
    "BAL", "CREDITCARDMSGSRSV1", "CCSTMTTRNRS", "CCSTMTRS", "CCACCTFROM", "CCACCTTO",
    "INVSTMTMSGSRSV1", "INVSTMTTRNRS", "INVSTMTRS", "INVACCTFROM", "INVTRANLIST", "INVBANKTRAN",
    "INVBAL", "INVPOSLIST", "CURRENCY", "ORIGCURRENCY", "PAYEE", "SECLISTMSGSRSV1", "SECLIST",
))


class Element:
    """An OFX element: name, text (leaves), children (aggregates), the line it starts on, and
    whether it was ended properly (``broken``: an aggregate left open, or — in a file that
    closes its leaves — a leaf without its end tag: the sign of a line cut short)."""

    __slots__ = ("broken", "children", "closed", "line", "name", "text")

    def __init__(self, name: str, line: int) -> None:
        self.name, self.line, self.text = name, line, ""
        self.children: list[Element] = []
        self.closed = self.broken = False

    def all(self, name: str | None = None) -> Iterator[Element]:
        """Descendants (called ``name``), in document order; walked with a stack, not recursion."""
        pending = list(reversed(self.children))
        while pending:
            element = pending.pop()
            if name is None or element.name == name:
                yield element
            pending.extend(reversed(element.children))

    def get(self, name: str) -> str:
        """The text of the first descendant leaf called ``name``."""
        return next((e.text for e in self.all(name) if e.text), "")

    def damaged(self) -> Element | None:
        """This element or the first descendant that was not ended properly."""
        return self if self.broken else next((e for e in self.all() if e.broken), None)

    def sgml(self) -> str:
        """The element as SGML text (for the entry's raw column), built without recursion."""
        parts: list[str] = []
        pending: list[Element | str] = [self]
        while pending:
            item = pending.pop()
            if isinstance(item, str):
                parts.append(item)
                continue
            parts.append(f"<{item.name}>{item.text}")
            if item.children:
                pending.append(f"</{item.name}>")
                pending.extend(reversed(item.children))
        return "".join(parts)


#: real OFX nests about 10 levels; far deeper is a hostile or broken file
MAX_DEPTH = 64


class DepthError(ValueError):
    """Elements nested past :data:`MAX_DEPTH`, at ``line``."""

    def __init__(self, line: int) -> None:
        super().__init__(f"line {line}: the OFX nests more than {MAX_DEPTH} levels deep; "
                         "not a bank statement")
        self.line = line


def parse(text: str) -> tuple[Element, list[int]]:
    """The element tree of an OFX file, SGML or XML, however badly closed, and the lines where
    a tag is cut short (a ``<`` that opens no tag)."""
    root = Element("", 1)
    cut: list[int] = []
    stack, leaves = [root], []
    last_leaf: Element | None = None  # the leaf just ended by its text: is its end tag next?
    line, position = 1, 0
    for m in _TOKEN.finditer(text):
        line += text.count("\n", position, m.start())
        position = m.start()
        if m["tag"]:
            name = m["tag"].upper()
            if m["close"] and last_leaf is not None and last_leaf.name == name:
                last_leaf.closed = True
            elif m["close"] and any(e.name == name for e in stack[1:]):
                while (element := stack.pop()).name != name:
                    element.broken = bool(element.children) or element.name in AGGREGATES
                element.closed = True
            elif not m["close"]:
                element = Element(name, line)
                stack[-1].children.append(element)
                if not m["empty"]:  # <MEMO/> is complete
                    stack.append(element)
                    if len(stack) > MAX_DEPTH:
                        raise DepthError(line)
            last_leaf = None
        elif m["cut"]:
            cut.append(line)
            last_leaf = None
        elif (value := m["cdata"] if m["cdata"] is not None else m["text"]) and value.strip():
            top = stack[-1]
            if top is not root and not top.children and top.name not in AGGREGATES:
                top.text = (top.text + html.unescape(value)).strip()
                leaves.append(top)
                if m["cdata"] is None:
                    last_leaf = stack.pop()  # a leaf ends at its text (SGML never closes it)
    for element in stack[1:]:  # still open at the end of the file
        element.broken = bool(element.children) or element.name in AGGREGATES
    if sum(leaf.closed for leaf in leaves) > len(leaves) / 2:  # an XML file: leaves are closed
        for leaf in leaves:
            leaf.broken = leaf.broken or not leaf.closed
    return root, cut


def ofx_time(text: str) -> str:
    """``20090401122017.000[-5:EST]`` → ``2009-04-01T12:20:17.000-05:00`` (ISO, for the shared
    date parser)."""
    m = _TIME.fullmatch(text.strip())
    if not m:
        raise DateError(text, "not an OFX date (YYYYMMDDHHMMSS.XXX[offset:zone])")
    y, mo, d, hh, mi, ss, frac, offset = m.groups()
    out = f"{y}-{mo}-{d}"
    if hh or offset:
        out += f"T{hh or '00'}:{mi or '00'}:{ss or '00'}" + (f".{frac[:6].ljust(6, '0')}" if frac else "")
    if offset:
        minutes = int(Decimal(offset) * 60)  # hours, possibly fractional: "+5.5" for India
        sign = "-" if minutes < 0 else "+"
        out += f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return out


class Ofx(Importer):
    id = "ofx"
    title = "OFX / QFX statement download"
    role = Role.BANK
    tz = "UTC"  # OFX: a time without an offset is GMT
    hint_words = ("OFXHEADER", "<OFX>", "<STMTTRN>")

    def detect(self, source: SourceFile) -> float:
        head = _PROLOG.sub("", source.head_text()[:4096].lstrip("\ufeff \t\r\n")).upper()
        return 0.96 if head.startswith(("OFXHEADER:", "<?OFX", "<OFX>")) else 0.0

    def ofx_amount(self, text: str, currency: str) -> int:
        """``-6.60``; some European banks write ``-6,60``."""
        if not text.strip():
            raise ValueError("no amount (TRNAMT)")
        comma = bool(re.fullmatch(r"\s*[+-]?\d*,\d+\s*", text))
        return sane(parse_amount(text.strip(), currency, decimal_comma=comma), text)

    def lenient_time(self, text: str) -> datetime | None:
        """A header time: its date alone when the time of day is impossible."""
        try:
            return self.when(ofx_time(text))
        except DateError:
            try:
                return self.when(ofx_time(text.strip()[:8]))
            except DateError:
                return None

    def booking_date(self, posted: str) -> datetime:
        """The day the statement says the entry was posted, as a calendar date (00:00 in the
        project's zone, like MT940 and camt dates).

        ``20090401122017.000[-5:EST]`` was posted on 1 April where the bank is; converting the
        instant would put it on 2 April in Shanghai, a day the bank never booked it on. The time
        of day (often a placeholder such as 12:00:00) stays in the entry's raw text.
        """
        stated = self.when(ofx_time(posted))  # aware, in the statement's own offset
        return parse_timestamp(stated.date().isoformat(), SHANGHAI)

    def read_into(self, source: SourceFile, ctx: ReadContext) -> None:
        try:
            root, cut = parse(source.read_text())
        except DepthError as exc:
            raise InputError(source.name, str(exc)) from None
        for line in cut:
            ctx.error(RawRow(line, [], ""), "a tag is cut short here ('<' without its name and "
                                            "'>'): what it opens or closes is lost")
        seen: set[str] = set()
        if (server := root.get("DTSERVER")) and (when := self.lenient_time(server)):
            ctx.meta["server_time"] = when.isoformat()
        accounts: list[str] = []
        amounts: list[tuple[int, str]] = []
        for statement in (s for name in _STATEMENTS for s in root.all(name)):
            currency = statement.get("CURDEF").upper()  # required by OFX: never guessed
            account = next((a.get("ACCTID") for a in statement.children
                            if a.name.endswith("ACCTFROM")), "")
            if account and account not in accounts:
                accounts.append(account)
            for trn in statement.all("STMTTRN"):
                ctx.rows_read += 1
                self._transaction(trn, currency, account, seen, ctx)
                amounts.append((trn.line, trn.get("TRNAMT")))
            self._balances(statement, currency, ctx)
        for line, amount in cut_short(amounts, whole_too=False):
            ctx.warnings.append(f"{ctx.file}:{line}: amount {amount} has fewer decimals than the "
                                "file's others; the line may be cut short")
        if accounts:
            ctx.meta["account"] = ", ".join(accounts)

    def _transaction(self, trn: Element, currency: str, account: str, seen: set[str],
                     ctx: ReadContext) -> None:
        row = RawRow(trn.line, [trn.get("TRNAMT"), trn.get("FITID")], trn.sgml())
        try:
            if bad := trn.damaged():
                raise ValueError(f"<{bad.name}> (line {bad.line}) is not ended: the transaction is "
                                 "cut short or damaged")
            own = next((c for c in trn.children if c.name == "CURRENCY"), None)
            currency = ((own.get("CURSYM") if own is not None else "") or currency).upper()
            if not re.fullmatch(r"[A-Z]{3}", currency):
                raise ValueError(f"currency {currency!r} (CURDEF/CURSYM) is not an ISO code"
                                 if currency else "the statement names no currency (CURDEF)")
            amount = self.ofx_amount(trn.get("TRNAMT"), currency)
            posted = trn.get("DTPOSTED") or trn.get("DTUSER")
            if not posted:
                raise ValueError("no DTPOSTED date")
            check = trn.get("CHECKNUM")
            fitid = trn.get("FITID")
            ctx.add(
                row,
                kind=bank_kind(amount),
                amount_minor=amount, currency=currency,
                ts=self.booking_date(posted),
                record_id=unique_id(fitid, account, seen) if fitid else None,
                counterparty=" ".join(trn.get("NAME").split()),
                text=" ".join(t for t in (" ".join(trn.get("MEMO").split()),
                                          check.strip("0") and f"check {check}") if t),
                category=trn.get("TRNTYPE"),
                account=account,
            )
        except ROW_PROBLEMS as exc:
            ctx.error(row, str(exc))

    def _balances(self, statement: Element, currency: str, ctx: ReadContext) -> None:
        for name, key in (("LEDGERBAL", "ledger_balance"), ("AVAILBAL", "available_balance")):
            for bal in (c for c in statement.children if c.name == name):
                amount, asof = bal.get("BALAMT"), bal.get("DTASOF")
                when = self.lenient_time(asof) if asof else None
                ctx.meta[key] = f"{amount} {currency}" + (f" on {when.date()}" if when else "")
        if cash := statement.get("AVAILCASH"):
            ctx.meta["available_cash"] = f"{cash} {currency}"
        others = [c for tl in statement.all("INVTRANLIST") for c in tl.children
                  if c.name not in _NOT_CASH]
        if others:
            ctx.meta["investment_transactions_not_imported"] = str(len(others))
            ctx.warnings.append(f"{ctx.file}: {len(others)} investment transactions (trades, "
                                "income) are not bank lines and were not imported")
