"""Builders of hostile and damaged files, written by hand so each test says exactly what it feeds
huikuan: a workbook is a few XML parts in a zip, a camt file a deep nest of elements."""

from __future__ import annotations

import zipfile
from pathlib import Path

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>")
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
_SHEET_OPEN = ('<?xml version="1.0" encoding="UTF-8"?>'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def xlsx(path: Path, cells: dict[str, str], dimension: str | None = None) -> Path:
    """A one-sheet workbook holding ``cells`` (reference -> inline text)."""
    rows: dict[int, list[str]] = {}
    for ref, value in cells.items():
        number = int("".join(ch for ch in ref if ch.isdigit()))
        rows.setdefault(number, []).append(
            f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
    body = "".join(f'<row r="{n}">{"".join(c)}</row>' for n, c in sorted(rows.items()))
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = f"{_SHEET_OPEN}{dim}<sheetData>{body}</sheetData></worksheet>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        _frame(book)
        book.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def xlsx_with_huge_cell(path: Path, megabytes: int) -> Path:
    """A workbook whose one cell holds ``megabytes`` MB of text: tiny compressed, huge expanded."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        _frame(book)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(f'{_SHEET_OPEN}<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'.encode())
            block = b"A" * (1 << 20)
            for _ in range(megabytes):
                part.write(block)
            part.write(b"</t></is></c></row></sheetData></worksheet>")
    return path


def _frame(book: zipfile.ZipFile) -> None:
    book.writestr("[Content_Types].xml", _CONTENT_TYPES)
    book.writestr("_rels/.rels", _RELS)
    book.writestr("xl/workbook.xml", _WORKBOOK)
    book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)


def nested_camt(path: Path, depth: int) -> Path:
    """A camt.053 whose one entry holds ``depth`` nested elements (about 7.5 KB at 1 000)."""
    nest = "<A>" * depth + "x" + "</A>" * depth
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt>'
        "<Id>1</Id><Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id></Acct>"
        '<Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2024-01-02</Dt></BookgDt>'
        f"<NtryDtls>{nest}</NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>\n",
        encoding="utf-8")
    return path


def nested_ofx(path: Path, depth: int) -> Path:
    """An OFX statement whose transaction list holds ``depth`` nested elements."""
    nest = "<A>" * depth + "x" + "</A>" * depth
    path.write_text(
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS>"
        f"<CURDEF>USD<BANKTRANLIST>{nest}</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n",
        encoding="ascii")
    return path
