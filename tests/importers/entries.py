"""Look up what an importer produced, by record id (ids are unique within a file)."""

from __future__ import annotations

from typing import Any

from huikuan.importers.base import ImportResult


def entries_by_id(result: ImportResult) -> dict[str, dict[str, Any]]:
    """Every entry by its record id."""
    rows = result.entries.to_pylist()
    found = {e["record_id"]: e for e in rows}
    assert len(found) == len(rows), "record ids repeat within the file"
    return found


def entry(result: ImportResult, record_id: str) -> dict[str, Any]:
    """The one entry with ``record_id``."""
    rows = [e for e in result.entries.to_pylist() if e["record_id"] == record_id]
    assert len(rows) == 1, f"{record_id}: {len(rows)} entries"
    return rows[0]
