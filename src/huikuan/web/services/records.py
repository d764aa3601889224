"""A record's original row as the clerk knows the file: each cell under its column header.

The header comes from the kept original through the importers' own reader and header finder
(the same ones that read the file at import), so the cells line up exactly as they were read."""

from __future__ import annotations

from pathlib import Path

from huikuan.domain.errors import HuikuanError
from huikuan.importers.base import TableImporter
from huikuan.importers.registry import detect
from huikuan.web.models import Import
from huikuan.web.storage import original_path


def original_of(record: Import) -> Path:
    return original_path(record.company, record.content_hash, Path(record.file_name).suffix)


def header_and_cells(record: Import, line: int) -> list[tuple[str, str]]:
    """[(column header, cell)] of the row starting on physical ``line`` of the import's original;
    empty when the file has no header row the importer recognises or no such line."""
    try:
        importer, _confidence, source = detect(original_of(record))
        header = importer.find_header(source.head_rows()) if isinstance(importer, TableImporter) else None
        if header is None:
            return []
        names = source.head_rows()[header.position].cells
        for row in source.rows():
            if row.line == line:
                width = max(len(names), len(row.cells))
                names = names + [f"#{i + 1}" for i in range(len(names), width)]
                cells = row.cells + [""] * (width - len(row.cells))
                return list(zip(names, cells, strict=True))
            if row.line > line:
                break
    except (HuikuanError, OSError, IndexError):
        return []
    return []
