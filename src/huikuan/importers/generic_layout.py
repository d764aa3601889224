"""Which column is which, in a table no module claims: the survey behind the generic reader.

The header row is found past any preamble by its words (:mod:`generic_columns`); every column a
header word names is then tried on the cells below it (:mod:`generic_content`) and dropped when
they disagree. A file without a header row is typed by content alone: a date column, amount
columns (amounts have decimals or a sign, ids and counts do not) and the longest text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from huikuan.domain.dates import DateOrder
from huikuan.domain.errors import HuikuanError
from huikuan.domain.money import parse_amount
from huikuan.importers.generic_balance import fit
from huikuan.importers.generic_columns import HeaderWord, read_header_cell
from huikuan.importers.generic_content import (
    currency_share,
    date_order_of,
    date_share,
    decimal_comma_of,
    filled,
    looks_like_money,
    money_share,
    text_length,
    time_share,
    unique_ids,
)
from huikuan.importers.reader import RawRow

#: how many rows above the data may be preamble
PREAMBLE_ROWS = 60
#: share of a column's cells that must parse for a header word to be believed
AGREE = 0.6
#: the same, for a headerless file, where content is the only evidence
AGREE_HEADERLESS = 0.8
_FALLBACK_ORDER: dict[str, DateOrder] = {"en": "mdy", "zh": "ymd", "ja": "ymd"}
FOOTER_WORDS = ("合计", "总计", "小计", "合計", "total", "summe", "gesamt", "totale", "totaal", "saldo final",
                "closing balance", "opening balance", "期末余额", "期初余额")
_FIELDS_BY_CONTENT = ("date", "amount", "debit", "credit", "balance", "fee")


@dataclass
class Columns:
    """The survey's answer: where each field is, and how its cells are written."""

    header: int | None
    names: list[str]
    width: int
    language: str
    index: dict[str, int] = field(default_factory=dict)
    #: amount columns the header words offered, strongest first (the balance test may choose)
    amounts: list[int] = field(default_factory=list)
    descriptions: list[int] = field(default_factory=list)
    #: counterparty columns, strongest first (Payer Name, Payee Name: the first filled one counts)
    counterparties: list[int] = field(default_factory=list)
    date_order: DateOrder = "ymd"
    date_order_decided: bool = True
    decimal_comma: bool = False
    data: list[RawRow] = field(default_factory=list)
    from_header: bool = True
    #: the rows above the header (titles, account number, period, currency)
    preamble: list[RawRow] = field(default_factory=list)
    #: rows of the file before the first data row (preamble and header), skipped when reading
    skip: int = 0

    def name(self, column: int) -> str:
        if column < len(self.names) and self.names[column]:
            return self.names[column]
        return f"column {column + 1}"

    def cells(self, column: int) -> list[str]:
        return [r.cells[column] if column < len(r.cells) else "" for r in self.data]


def is_footer(row: RawRow) -> bool:
    """A totals or notes line under the data (``合计``, ``#导出时间``, ``Total``)."""
    first = next((c for c in row.cells if c), "")
    if first[:1].isdigit():  # the common case: a data row starts with its date or number
        return False
    if first.startswith(("#", "----", "====")):
        return True
    head = " ".join(row.cells[:2]).lower()
    if any(word in head for word in FOOTER_WORDS):
        return True
    # a lone note without a digit (以上数据仅供参考, "End of statement"): no data row looks like it
    filled = [c for c in row.cells if c]
    return len(filled) == 1 and not any(ch.isdigit() for ch in filled[0])


def _header_hits(row: RawRow) -> dict[str, list[tuple[int, HeaderWord]]]:
    hits: dict[str, list[tuple[int, HeaderWord]]] = {}
    for column, cell in enumerate(row.cells):
        for word in read_header_cell(cell):
            hits.setdefault(word.field, []).append((column, word))
    return hits


def find_header(rows: Sequence[RawRow]) -> tuple[int, dict[str, list[tuple[int, HeaderWord]]]] | None:
    """The row, within the preamble allowance, naming the most fields, with a date and an amount
    (or debit/credit) among them; the earliest such row on a tie."""
    best: tuple[int, dict[str, list[tuple[int, HeaderWord]]]] | None = None
    for position, row in enumerate(rows[:PREAMBLE_ROWS]):
        hits = _header_hits(row)
        if "date" not in hits or not {"amount", "debit", "credit"} & set(hits):
            continue
        if best is None or len(hits) > len(best[1]):
            best = position, hits
    return best


def _data_rows(rows: Sequence[RawRow], start: int) -> list[RawRow]:
    return [r for r in rows[start:] if not r.is_blank() and not is_footer(r)]


def _language(hits: dict[str, list[tuple[int, HeaderWord]]]) -> str:
    votes = Counter(word.language for found in hits.values() for _, word in found)
    return votes.most_common(1)[0][0] if votes else "en"


def survey(rows: Sequence[RawRow]) -> Columns | None:
    """Columns of the table in ``rows`` (the head of the file), by header words or by content."""
    found = find_header(rows)
    if found is None:
        return survey_headerless(rows)
    position, hits = found
    header = rows[position]
    language = _language(hits)
    cols = Columns(position, list(header.cells), len(header.cells), language,
                   data=_data_rows(rows, position + 1), preamble=list(rows[:position]), skip=position + 1)
    if not cols.data:
        return None
    fallback = _FALLBACK_ORDER.get(language, "dmy")
    dates = sorted(hits.get("date", []), key=lambda hit: (hit[1].language != language, hit[1].rank, hit[0]))
    if dates:
        cols.date_order, cols.date_order_decided = date_order_of(
            [c for col, _ in dates for c in cols.cells(col)], fallback)
    money_cells = [c for f in ("amount", "debit", "credit") for col, _ in hits.get(f, [])
                   for c in cols.cells(col)]
    cols.decimal_comma = decimal_comma_of(money_cells)
    taken: set[int] = set()
    for name in hits:
        ordered = sorted(hits[name], key=lambda hit: (hit[1].language != language, hit[1].rank, hit[0]))
        for column, _ in ordered:
            if column in taken:
                continue
            if not _agrees(cols, name, column):
                if name == "date" and "time" not in cols.index and time_share(cols.cells(column)) >= AGREE:
                    cols.index["time"] = column  # 交易时间 holding times only: joined to the date
                    taken.add(column)
                continue
            taken.add(column)
            if name == "date":  # the first date is the transaction's, a second one the posting's
                cols.index.setdefault("post_date" if "date" in cols.index else "date", column)
            elif name == "amount":
                cols.amounts.append(column)
                cols.index.setdefault("amount", column)
            elif name == "description":
                cols.descriptions.append(column)
            elif name == "counterparty":
                cols.counterparties.append(column)
            else:
                cols.index[name] = column
                break
    cols.descriptions.sort()
    if "debit" in cols.index and "credit" in cols.index:
        cols.index.pop("amount", None)
        cols.amounts.clear()
    if "date" not in cols.index or not ({"amount", "debit", "credit"} & set(cols.index)):
        return None
    return cols


def _agrees(cols: Columns, name: str, column: int) -> bool:
    """Do the cells under a header word hold what the word promises?"""
    cells = cols.cells(column)
    if name == "date":
        return date_share(cells, cols.date_order) >= AGREE
    if name in _FIELDS_BY_CONTENT:
        if not filled(cells):  # a debit column with no debit in the first rows is still one
            return name in ("debit", "credit", "fee")
        return money_share(cells, cols.decimal_comma) >= AGREE
    if name == "currency":
        return currency_share(cells) >= AGREE
    if name == "id":
        return unique_ids(cells)
    return True


def _script(names: Sequence[str]) -> str:
    """The language of header words the vocabulary lacks, from their script alone."""
    text = "".join(names)
    if re.search(r"[\u3040-\u30ff]", text):
        return "ja"
    return "zh" if re.search(r"[\u4e00-\u9fff]", text) else "en"


def survey_headerless(rows: Sequence[RawRow]) -> Columns | None:
    """Columns typed by content alone: ``"01/15/2024","-12.50","*","","GROCERY STORE"``.

    A first row of text only is taken for a header in words the vocabulary does not know: its
    cells name the columns, and the data starts below it.
    """
    body = [r for r in rows if not r.is_blank() and not is_footer(r)]
    if len(body) < 2:
        return None
    width = Counter(len(r.cells) for r in body).most_common(1)[0][0]
    if width < 2:
        return None
    body = [r for r in body if len(r.cells) == width]
    named = not any(looks_like_money([c]) or date_share([c], "mdy") for c in body[0].cells)
    header = rows.index(body[0]) if named else None
    names = list(body[0].cells) if named else []
    cols = Columns(header, names, width, _script(names), data=body[1:] if named else body, from_header=False)
    if not cols.data:
        return None
    # lines above the first row of the table's width are a title or an account line, not data
    cols.skip = rows.index(cols.data[0])
    cols.preamble = list(rows[: header if header is not None else cols.skip])
    every = [c for r in cols.data for c in r.cells]
    cols.date_order, cols.date_order_decided = date_order_of(every, "mdy")
    cols.decimal_comma = decimal_comma_of(every)
    date = next((i for i in range(width) if date_share(cols.cells(i), cols.date_order) >= AGREE_HEADERLESS),
                None)
    if date is None:
        return None
    cols.index["date"] = date
    money = [i for i in range(width) if i != date and looks_like_money(cols.cells(i))
             and money_share(cols.cells(i), cols.decimal_comma) >= AGREE_HEADERLESS]
    if not money:
        return None
    amount, balance = _amount_and_balance(cols, money)
    cols.amounts = [amount]
    cols.index["amount"] = amount
    if balance is not None:
        cols.index["balance"] = balance
    texts = [i for i in range(width) if i != date and i not in money and filled(cols.cells(i))]
    if texts:
        cols.descriptions = [max(texts, key=lambda i: (text_length(cols.cells(i)), -i))]
    return cols


def _amount_and_balance(cols: Columns, money: list[int]) -> tuple[int, int | None]:
    """Among the amount-like columns of a headerless file, the (amount, balance) pair whose running
    balance follows row after row; else the first column is the amount and there is no balance."""
    def values(column: int) -> list[int | None]:
        found: list[int | None] = []
        for text in cols.cells(column):
            try:
                found.append(parse_amount(text, "USD", decimal_comma=cols.decimal_comma))
            except HuikuanError:
                found.append(None)
        return found

    parsed = {column: values(column) for column in money}
    best: tuple[int, int, int] = (0, money[0], -1)
    for amount in money:
        for balance in money:
            if amount == balance:
                continue
            if not any(parsed[amount]):  # zeros (a coupon column) fit any constant balance
                continue
            for sign in (1, -1):
                series = [v * sign if v is not None else None for v in parsed[amount]]
                result = fit(series, parsed[balance])
                if result.agreeing >= 2 and result.share >= 0.8 and result.agreeing > best[0]:
                    best = (result.agreeing, amount, balance)
    return best[1], (best[2] if best[2] >= 0 else None)
