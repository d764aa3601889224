"""Typed column declarations: each field of a table export names the header texts it goes by and
what its cells hold, and is read by the one parser for that kind of cell.

A format declares ``columns = fields(time=When("发生时间", "入账时间"), income=Amount("收入金额"),
serial=Id("账务流水号"), memo=Text("备注"))``; in :meth:`~huikuan.importers.base.TableImporter.
parse_row` it asks ``row.amount("income")``, ``row.when("time")``, ``row.id("serial")``, and for a
pair of unsigned money-in / money-out columns ``row.in_minus_out("income", "expense")``. The kind
is checked when a cell is read that way, so a declaration cannot drift from its use (beangulp's
``csvbase`` has typed columns in the same spirit).

A declaration is a tuple of header texts, in order of preference: finding the header row looks
only at those texts, whatever the kind.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Self


class Column(tuple[str, ...]):
    """A field's accepted header texts, compared after ``normalise_header``; the first one that
    is present wins. A plain Column holds text."""

    __slots__ = ()

    def __new__(cls, *headers: str) -> Self:
        return super().__new__(cls, headers)

    def __repr__(self) -> str:
        return f"{type(self).__name__}{tuple(self)!r}"

    @property
    def label(self) -> str:
        """The name row errors call the field by: its first header text."""
        return self[0] if self else ""


class Text(Column):
    """Free text: a memo, a name, a status or type word (read with ``row["name"]``)."""

    __slots__ = ()


class Id(Column):
    """An identifier kept as exact text (``row.id``): an id Excel cut to 15 digits is caught."""

    __slots__ = ()


class Amount(Column):
    """Money, read by the one money parser in the format's currency and decimal mark
    (``row.amount``, or two of them by ``row.in_minus_out``)."""

    __slots__ = ()


class When(Column):
    """A date or a timestamp, read by the one date parser in the format's zone and date order
    (``row.when``)."""

    __slots__ = ()


def fields(**declared: Column) -> Mapping[str, Column]:
    """A format's columns, by field name; read-only, since the class shares them with every file."""
    return MappingProxyType(declared)


_PLACEHOLDER = re.compile(r"[-—]+")
_LEADING_DASHES = re.compile(r"^-{5,}\s*")
_ZERO = re.compile(r"[+-]?0+(?:\.0+)?")


def in_minus_out(money_in: str, money_out: str, read: Callable[[str], int],
                 names: tuple[str, str] = ("money in", "money out")) -> int:
    """The signed amount of a row that writes money in and money out in two columns: in
    positive, out negative.

    One rule for every format: a side that is blank, a placeholder (``-``, ``--``, ``——``) or
    zero did not move; a row where both sides moved, or neither did, is refused (a row error
    naming both columns), never guessed as zero or as one side. ``read`` is the format's money
    parser; ``names`` the columns as the clerk knows them.
    """
    into, out = _side(money_in, read), _side(money_out, read)
    if into and out:
        raise ValueError(f"both {names[0]} ({money_in}) and {names[1]} ({money_out}) are filled")
    if not into and not out:
        raise ValueError(f"neither {names[0]} nor {names[1]} is filled")
    return into if into else -abs(out)


def _side(cell: str, read: Callable[[str], int]) -> int:
    text = cell.strip()
    if _PLACEHOLDER.fullmatch(text):
        return 0
    text = _LEADING_DASHES.sub("", text)  # BOC writes "------- " before some values
    return 0 if not text or _ZERO.fullmatch(text) else read(text)


__all__ = ["Amount", "Column", "Id", "Text", "When", "fields", "in_minus_out"]
