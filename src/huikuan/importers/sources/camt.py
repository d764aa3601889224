"""ISO 20022 bank-to-customer cash management XML: camt.053 statements, camt.052 intraday
reports and camt.054 debit/credit notifications (schema versions .001.02 to .001.08).

The three messages share one layout: ``Document/BkToCstmrStmt/Stmt`` (053),
``…/BkToCstmrAcctRpt/Rpt`` (052), ``…/BkToCstmrDbtCdtNtfctn/Ntfctn`` (054), each with ``Acct``
(IBAN or ``Othr/Id``), ``Bal`` balances and ``Ntry`` entries. An entry is what the bank booked:
``Amt@Ccy`` unsigned with ``CdtDbtInd`` CRDT (+) / DBIT (−), ``BookgDt``/``ValDt`` as ``Dt`` or
``DtTm``, ``AcctSvcrRef`` (→ ``record_id``), ``RvslInd`` (a reversal: status ``reversed``),
``Sts`` PDNG/INFO (not booked: status ``pending``, left out of the balance check),
``BkTxCd`` (→ category), and details in ``NtryDtls/TxDtls``: ``Refs/EndToEndId`` (→ batch_ref),
``RltdPties`` (the debtor of a credit, the creditor of a debit → counterparty; since .001.08
wrapped in ``Pty``), ``RmtInf/Ustrd``/``Strd`` and ``AddtlTxInf`` (→ text).

A batch entry (one amount for several ``TxDtls``, e.g. a collection of direct debits) stays ONE
entry — the bank moved one amount; the details go into the text and ``Btch/PmtInfId`` is the
batch reference. Opening (OPBD, or PRCD) + booked entries = closing (CLBD) is checked per
statement when both balances exist in one currency; so are the ``TxsSummry`` totals.

Tags are matched by local name, so any namespace or prefix reads the same. The file is parsed
as a stream (expat): each entry is handled when its element closes and then dropped, and its
line is the line where ``<Ntry>`` starts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar
from xml.parsers import expat

from huikuan.domain.entry import Status, bank_kind
from huikuan.domain.errors import InputError
from huikuan.domain.roles import Role
from huikuan.importers.base import ROW_PROBLEMS, Importer, ReadContext
from huikuan.importers.reader import RawRow, SourceFile
from huikuan.importers.sources._bank_common import sane, unique_id

_NAMESPACE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:camt\.(05[234])\.")
_NOT_PROVIDED = ("", "NOTPROVIDED", "NONREF")
_CONTAINERS = {"Stmt", "Rpt", "Ntfctn"}
#: real camt messages nest about 15 levels; far deeper is a hostile or broken file
MAX_DEPTH = 64


class Node:
    """A light XML element: local name, attributes, text, children, the line it starts on."""

    __slots__ = ("attrs", "children", "line", "name", "text")

    def __init__(self, name: str, attrs: dict[str, str], line: int) -> None:
        self.name, self.attrs, self.line = name, attrs, line
        self.text = ""
        self.children: list[Node] = []

    def find(self, *path: str) -> Node | None:
        node: Node | None = self
        for name in path:
            node = next((c for c in node.children if c.name == name), None) if node else None
        return node

    def get(self, *path: str) -> str:
        node = self.find(*path)
        return node.text.strip() if node is not None else ""

    def all(self, name: str) -> Iterator[Node]:
        """Descendants called ``name``, in document order (walked with a stack, not recursion:
        a hostile file must not exhaust Python's recursion limit)."""
        pending = list(reversed(self.children))
        while pending:
            node = pending.pop()
            if node.name == name:
                yield node
            pending.extend(reversed(node.children))

    def xml(self) -> str:
        """The element as compact XML text (for the entry's raw column), built without recursion."""
        parts: list[str] = []
        pending: list[Node | str] = [self]
        while pending:
            item = pending.pop()
            if isinstance(item, str):
                parts.append(item)
                continue
            attrs = "".join(f' {k}="{v}"' for k, v in item.attrs.items())
            parts.append(f"<{item.name}{attrs}>")
            pending.append(f"</{item.name}>")
            if item.children:
                pending.extend(reversed(item.children))
            else:
                parts.append(item.text.strip())
        return "".join(parts)


class _Camt(Importer):
    """One message type of the family; subclasses name it."""

    role = Role.BANK
    message: ClassVar[str] = ""
    root: ClassVar[str] = ""
    hint_words = ("BkToCstmr", "Ntry", "CdtDbtInd")

    def detect(self, source: SourceFile) -> float:
        head = source.head_text()
        if m := _NAMESPACE.search(head):
            return 0.97 if m.group(1) == self.message else 0.0
        return 0.85 if re.search(rf"<(?:\w+:)?{self.root}\b", head) else 0.0

    def read_into(self, source: SourceFile, ctx: ReadContext) -> None:
        seen: set[str] = set()
        accounts: list[str] = []
        stack: list[Node] = []
        statement: list[Node] = []   # the open Stmt/Rpt/Ntfctn, if any
        booked: dict[str, list[int]] = {}
        count = 0
        parser = expat.ParserCreate()
        parser.buffer_text = True

        def start(tag: str, attrs: dict[str, str]) -> None:
            if len(stack) >= MAX_DEPTH:
                raise InputError(source.name, f"line {parser.CurrentLineNumber}: the XML nests more "
                                              f"than {MAX_DEPTH} levels deep; not a camt message")
            node = Node(tag.rpartition(":")[2], attrs, parser.CurrentLineNumber)
            if stack:
                stack[-1].children.append(node)
            stack.append(node)
            if node.name in _CONTAINERS:
                statement[:] = [node]
                booked.clear()

        def end(tag: str) -> None:
            nonlocal count
            node = stack.pop()
            if node.name == "Ntry" and statement:
                stack[-1].children.pop()  # handled now, not kept
                ctx.rows_read += 1
                self._entry(node, statement[0], ctx, seen, booked)
            elif node.name in _CONTAINERS:
                count += 1
                account = _account(node)
                if account and account not in accounts:
                    accounts.append(account)
                self._check(node, booked, ctx)
                statement.clear()
                if stack:
                    stack[-1].children.pop()
            elif node.name == "MsgId" and len(stack) >= 2 and stack[-1].name == "GrpHdr":
                ctx.meta["message_id"] = node.text.strip()

        def data(text: str) -> None:
            stack[-1].text += text

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = data
        try:
            if (source.encoding or "").lower().startswith(("utf-16", "utf-32")):
                with source.open_text() as text:  # expat takes text as UTF-8, whatever it declares
                    while chunk := text.read(1 << 16):
                        parser.Parse(chunk, False)
                    parser.Parse("", True)
            else:  # bytes: expat follows the encoding the XML declaration names
                with source.path.open("rb") as fh:
                    parser.ParseFile(fh)
        except expat.ExpatError as exc:
            ctx.error(RawRow(exc.lineno, [], ""), f"the XML is broken here, reading stopped: "
                                                  f"{expat.ErrorString(exc.code)}")
        if accounts:
            ctx.meta["account"] = ", ".join(accounts)
        ctx.meta["statements"] = str(count)

    def _entry(self, node: Node, statement: Node, ctx: ReadContext, seen: set[str],
               booked: dict[str, list[int]]) -> None:
        row = RawRow(node.line, [node.get("Amt"), node.get("CdtDbtInd")], node.xml())
        try:
            amount, currency = self._amount(node)
            sign = node.get("CdtDbtInd")
            if sign not in ("CRDT", "DBIT"):
                raise ValueError(f"CdtDbtInd is {sign!r}, not CRDT or DBIT")
            if sign == "DBIT":
                amount = -amount
            when = (node.get("BookgDt", "Dt") or node.get("BookgDt", "DtTm")
                    or node.get("ValDt", "Dt") or node.get("ValDt", "DtTm"))
            if not when:
                raise ValueError("no booking date (BookgDt) or value date (ValDt)")
            ts = self.when(when)
            status = (node.get("Sts") or node.get("Sts", "Cd")).upper()
            account = _account(statement)
            ref = node.get("AcctSvcrRef") or node.get("NtryRef")
            counterparty, batch_ref, text = _details(node, sign, statement)
            ctx.add(
                row, kind=bank_kind(amount),
                amount_minor=amount, currency=currency, ts=ts,
                record_id=unique_id(ref, account, seen) if ref else None,
                counterparty=counterparty, batch_ref=batch_ref, text=text,
                status=(Status.REVERSED if node.get("RvslInd").lower() in ("true", "1")
                        else Status.PENDING if status in ("PDNG", "INFO") else None),
                category=_category(node), account=account,
            )
        except ROW_PROBLEMS as exc:
            ctx.error(row, str(exc))
            return
        if status in ("", "BOOK"):
            booked.setdefault(currency, []).append(amount)

    def _amount(self, node: Node) -> tuple[int, str]:
        amt = node.find("Amt")
        if amt is None or not amt.text.strip():
            raise ValueError("no amount (Amt)")
        currency = amt.attrs.get("Ccy", "").strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", currency):
            raise ValueError(f"amount {amt.text.strip()!r} without a currency (Amt@Ccy)")
        return sane(self.money(amt.text.strip(), currency), amt.text), currency

    def _balance(self, node: Node) -> tuple[str, str, int]:
        code = node.get("Tp", "CdOrPrtry", "Cd") or node.get("Tp", "CdOrPrtry", "Prtry")
        amount, currency = self._amount(node)
        return code, currency, -amount if node.get("CdtDbtInd") == "DBIT" else amount

    def _check(self, statement: Node, booked: dict[str, list[int]], ctx: ReadContext) -> None:
        name = f"{statement.name} {statement.get('Id')} (line {statement.line})"
        balances: dict[str, tuple[str, int]] = {}
        for bal in statement.all("Bal"):
            try:
                code, currency, amount = self._balance(bal)
            except ROW_PROBLEMS as exc:
                ctx.error(RawRow(bal.line, [], bal.xml()), f"balance cannot be read: {exc}")
                continue
            balances.setdefault(code, (currency, amount))
        opening = balances.get("OPBD") or balances.get("PRCD")
        closing = balances.get("CLBD")
        if opening and closing:
            if opening[0] != closing[0]:
                ctx.warnings.append(f"{ctx.file}: {name}: opening balance in {opening[0]}, closing "
                                    f"in {closing[0]}; not checked")
            else:
                total = sum(booked.get(opening[0], []))
                ctx.check(f"{name}: opening + entries = closing", closing[1], opening[1] + total,
                          opening[0])
        amounts = [a for values in booked.values() for a in values]
        currency = statement.get("Acct", "Ccy") or next(iter(booked), "EUR")
        for label, picked in (("TtlCdtNtries", [a for a in amounts if a >= 0]),
                              ("TtlDbtNtries", [-a for a in amounts if a < 0])):
            totals = statement.find("TxsSummry", label)
            if totals is None:
                continue
            if totals.get("NbOfNtries"):
                ctx.check(f"{name}: {label} count", int(totals.get("NbOfNtries")), len(picked),
                          count=True)
            if totals.get("Sum"):
                ctx.check(f"{name}: {label} sum", self.money(totals.get("Sum"), currency),
                          sum(picked), currency)


def _account(statement: Node) -> str:
    return statement.get("Acct", "Id", "IBAN") or statement.get("Acct", "Id", "Othr", "Id")


def _category(node: Node) -> str:
    domain = node.find("BkTxCd", "Domn")
    if domain is not None:
        return "-".join(t for t in (domain.get("Cd"), domain.get("Fmly", "Cd"),
                                    domain.get("Fmly", "SubFmlyCd")) if t)
    return node.get("BkTxCd", "Prtry", "Cd")


def _party(tx: Node, role: str) -> str:
    for path in (("RltdPties", role, "Nm"), ("RltdPties", role, "Pty", "Nm"),
                 ("RltdPties", f"Ultmt{role}", "Nm"), ("RltdPties", f"Ultmt{role}", "Pty", "Nm")):
        if name := tx.get(*path):
            return name
    return ""


def _details(entry: Node, sign: str, statement: Node) -> tuple[str, str, str]:
    """(counterparty, batch reference, text) from the entry's transaction details."""
    txs = list(entry.all("TxDtls"))
    own = statement.get("Acct", "Ownr", "Nm") or statement.get("Acct", "Ownr", "Pty", "Nm")
    names, refs, notes = [], [], []
    for tx in txs:
        name = _party(tx, "Dbtr" if sign == "CRDT" else "Cdtr")
        other = _party(tx, "Cdtr" if sign == "CRDT" else "Dbtr")
        names.append(name or (other if other != own else ""))
        e2e = tx.get("Refs", "EndToEndId")
        refs.append("" if e2e.upper() in _NOT_PROVIDED else e2e)
        remit = [n.text.strip() for n in tx.all("Ustrd")]
        for structured in tx.all("Strd"):
            remit += [n.text.strip() for n in structured.all("Ref")]
            remit += [n.text.strip() for n in structured.all("AddtlRmtInf")]
        remit.append(tx.get("AddtlTxInf"))
        if reason := tx.get("RtrInf", "Rsn", "Cd"):
            remit.append(f"return reason {reason}")
        notes.append(" ".join(t for t in remit if t))
    batch = entry.find("NtryDtls", "Btch")
    batch_ref = (batch.get("PmtInfId") or batch.get("MsgId")) if batch is not None else ""
    info = entry.get("AddtlNtryInf")
    if len(txs) <= 1:
        text = " ".join(t for t in (*notes, info) if t)
        return (names[0] if names else ""), (refs[0] if refs else "") or batch_ref, text
    parts = []
    for tx, name, ref, note in zip(txs, names, refs, notes, strict=True):
        amt = tx.find("AmtDtls", "TxAmt", "Amt") or tx.find("Amt")
        amount = f"{amt.text.strip()} {amt.attrs.get('Ccy', '')}".strip() if amt is not None else ""
        parts.append(" ".join(t for t in (name, amount, ref, note) if t))
    common = {n for n in names if n}
    text = f"{len(txs)} transactions: " + "; ".join(parts) + (f" ({info})" if info else "")
    single_ref = refs[0] if len(set(refs)) == 1 else ""
    return (common.pop() if len(common) == 1 else ""), batch_ref or single_ref, text


class Camt053(_Camt):
    id = "camt053"
    title = "ISO 20022 camt.053 bank statement (XML)"
    message = "053"
    root = "BkToCstmrStmt"


class Camt052(_Camt):
    id = "camt052"
    title = "ISO 20022 camt.052 intraday account report (XML)"
    message = "052"
    root = "BkToCstmrAcctRpt"


class Camt054(_Camt):
    id = "camt054"
    title = "ISO 20022 camt.054 debit/credit notification (XML)"
    message = "054"
    root = "BkToCstmrDbtCdtNtfctn"
