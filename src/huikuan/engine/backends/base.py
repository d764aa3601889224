"""The backend interface: load Arrow tables, materialise SELECTs, fetch results as Arrow."""

from __future__ import annotations

from typing import Protocol

import pyarrow as pa


class Backend(Protocol):
    """Statements are written in DuckDB's dialect; a backend translates them if it must."""

    name: str

    def load(self, name: str, table: pa.Table) -> None:
        """Make ``table`` available to statements under ``name``."""

    def materialise(self, name: str, select: str) -> int:
        """Run ``select`` and keep its result as table ``name``; returns its row count."""

    def view(self, name: str, select: str) -> None:
        """Name ``select`` without running it (evaluated where it is used)."""

    def fetch(self, select: str) -> pa.Table:
        """Run ``select`` and return its result."""

    def drop(self, name: str) -> None:
        """Forget table ``name``."""

    def close(self) -> None:
        """Release everything the backend holds."""
