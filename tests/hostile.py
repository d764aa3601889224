"""A hostile month: the synth exports with every user-controlled text field starting with a
character that makes a spreadsheet run it (``= + - @``, tab, CR and the fullwidth ``＝ ＋ － ＠``),
and the scan that every export of it must pass (docs/RESULTS.md, formula guard).

The payload goes *before* the original text, so that the importers still classify the rows and
the engine still matches them: the exports hold the same records as a clean month, each text cell
now an attack. Files are rewritten through the csv module in their own encoding (GBK)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from huikuan.synth import SynthFiles, generate_files

#: what makes a cell a formula, or one keystroke from one (domain.formula.FORMULA_STARTS, spelled
#: out again here so that the test does not trust the code it checks)
STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
#: the body of every payload: a formula that runs a command, then the original text (no /: the
#: report downloads still name a temporary file after the title, issue 18 §1)
BODY = "SUM(1+1)*cmd|' calc'!A0 "
#: the file's columns that a merchant's own data fills (ids, amounts and dates are not text)
TEXT_COLUMNS = {
    "orders": ("买家会员名", "宝贝标题 ", "宝贝标题", "订单备注", "买家留言", "收货人姓名"),
    "alipay": ("商品名称", "对方账号", "备注"),
    "cmb": ("摘要", "用途", "收/付方名称", "业务摘要"),
}


def payload(n: int, text: str = "") -> str:
    """The ``n``-th attack: one of :data:`STARTS` in turn, the command, then ``text``."""
    return STARTS[n % len(STARTS)] + BODY + text


@dataclass
class HostileMonth:
    files: SynthFiles
    #: one file per kind, renamed so that its name is an attack too
    left: list[Path] = field(default_factory=list)
    alipay: list[Path] = field(default_factory=list)
    bank: list[Path] = field(default_factory=list)


def hostile_month(folder: Path, orders: int = 60, seed: int = 18) -> HostileMonth:
    """A synth month with every text field and every file name turned into an attack."""
    files = generate_files(folder / "clean", orders=orders, seed=seed)
    out = folder / "hostile"
    out.mkdir()
    month = HostileMonth(files)
    n = 0
    for kind, paths, target in (("orders", files.orders, month.left), ("alipay", files.alipay, month.alipay),
                                ("cmb", files.bank, month.bank)):
        for path in paths:
            # a name that is an attack, and still says what the file is (tab and CR excluded:
            # the upload form and the shell never carry them in a file name)
            name = "=＋-@"[n % 4] + path.name
            n += 1
            text, rows = _rewrite(path.read_bytes().decode("gbk"), TEXT_COLUMNS[kind], n)
            assert rows, f"{path.name}: no row rewritten"
            (out / name).write_bytes(text.encode("gbk"))
            target.append(out / name)
    return month


def _rewrite(text: str, columns: tuple[str, ...], seed: int) -> tuple[str, int]:
    """``text`` with each non-empty field of ``columns`` prefixed by a payload; rows rewritten."""
    lines = text.splitlines(keepends=True)
    header_at = next(i for i, line in enumerate(lines) if any(f"{c}," in line for c in columns))
    header = next(csv.reader([lines[header_at]]))
    where = [i for i, name in enumerate(header) if name in columns]
    rewritten = 0
    for i in range(header_at + 1, len(lines)):
        line = lines[i]
        if line.startswith("#") or not line.strip():
            continue
        row = next(csv.reader([line]))
        if len(row) < len(header):
            continue
        for j in where:
            if row[j].strip():
                row[j] = payload(seed + i + j, row[j])
                rewritten += 1
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator=line[len(line.rstrip("\r\n")):] or "\n").writerow(row)
        lines[i] = buffer.getvalue()
    return "".join(lines), rewritten


# ---- the scan ----------------------------------------------------------------------------------


@dataclass
class Scan:
    """What one exported file holds: every text cell, and those that are attacks left armed."""

    name: str
    cells: list[str] = field(default_factory=list)
    armed: list[str] = field(default_factory=list)

    def guarded(self) -> list[str]:
        """The cells that carry an attack behind the guard's ``'``."""
        return [c for c in self.cells if c.startswith("'") and c[1:2] in STARTS]


#: a CSV cell that is a plain decimal is a number to every spreadsheet, never a formula: an amount
#: ``-12.50`` stays as the contract writes it (a memo ``-5`` would be guarded, but no payload is one)
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _check(scan: Scan, where: str, value: str, *, csv_cell: bool = False) -> None:
    scan.cells.append(value)
    if value.startswith(STARTS) and not (csv_cell and NUMBER.fullmatch(value)):
        scan.armed.append(f"{where}: {value!r}")


def scan_csv(data: bytes, name: str) -> Scan:
    """Every cell of a CSV export (UTF-8 with or without a BOM)."""
    scan = Scan(name)
    for r, row in enumerate(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")), 1):
        for c, value in enumerate(row, 1):
            _check(scan, f"{name} row {r} col {c}", value, csv_cell=True)
    return scan


def scan_xlsx(data: bytes, name: str) -> Scan:
    """Every cell of every sheet of an xlsx export, read as written (formulas as formulas)."""
    assert zipfile.is_zipfile(io.BytesIO(data)), f"{name}: not an xlsx file"
    scan = Scan(name)
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                where = f"{name}!{sheet.title}!{cell.coordinate}"
                if cell.data_type == "f":
                    scan.armed.append(f"{where}: a formula {cell.value!r}")
                if isinstance(cell.value, str):
                    _check(scan, where, cell.value)
    return scan


def scan_file(path: Path) -> Scan:
    data = path.read_bytes()
    return scan_xlsx(data, path.name) if path.suffix == ".xlsx" else scan_csv(data, path.name)
