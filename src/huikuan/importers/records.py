"""Records of a text table: CSV text split into rows of cleaned cells, each with the physical
lines it came from and its original text, so that every row error and every entry can name its
line even when a quoted cell runs over several lines.
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from huikuan.importers.cells import clean_cell

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

_DELIMITERS = (",", "\t", ";", "|")


@dataclass(slots=True)
class RawRow:
    """One record of a tabular file: cleaned cells, its first physical line, the original text."""

    line: int
    cells: list[str]
    raw: str
    last_line: int = 0

    def is_blank(self) -> bool:
        return not any(self.cells)


def sniff_delimiter(lines: list[str]) -> str:
    """Pick the delimiter that gives the most lines the same number (>1) of fields.

    Tabs that only pad a value before a comma (``value\\t,`` as Alipay writes, ``"value\\t",`` as
    ICBC writes) do not count.
    """
    best, best_score = ",", 0
    for delimiter in _DELIMITERS:
        widths: dict[int, int] = {}
        for line in lines:
            n = len(re.findall(r"\t(?![\t ]*\"?,)", line)) if delimiter == "\t" else line.count(delimiter)
            if n:
                widths[n] = widths.get(n, 0) + 1
        if not widths:
            continue
        width, count = max(widths.items(), key=lambda kv: (kv[1] * min(kv[0], 12), kv[0]))
        score = count * min(width, 12)
        if score > best_score:
            best, best_score = delimiter, score
    return best


class _LineFeed:
    """Feeds physical lines to csv.reader while remembering them, so each record keeps its
    original text and the number of its first line."""

    __slots__ = ("buffer", "lines", "number")

    def __init__(self, stream: Iterable[str], first_line: int = 1) -> None:
        self.lines = iter(stream)
        self.buffer: list[str] = []
        self.number = first_line - 1

    def __iter__(self) -> _LineFeed:
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.number += 1
        self.buffer.append(line)
        return line


def parse_csv(stream: Iterable[str], delimiter: str, first_line: int = 1) -> Iterator[RawRow]:
    """Records of CSV text given as lines with their breaks; ``first_line`` numbers the first."""
    feed = _LineFeed(stream, first_line)
    reader = csv.reader(feed, delimiter=delimiter, strict=False)
    while True:
        start = feed.number + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # e.g. NUL byte: one record unreadable, the rest go on
            raw = "".join(feed.buffer)
            feed.buffer.clear()
            yield RawRow(start, ["\ufffd" + f"csv: {exc}"], raw, feed.number)
            continue
        raw = "".join(feed.buffer).rstrip("\r\n")
        feed.buffer.clear()
        yield RawRow(start, [clean_cell(f) for f in fields], raw, feed.number)
