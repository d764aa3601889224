"""DuckDB backend: embedded, vectorised, the default."""

from __future__ import annotations

import os

import duckdb
import pyarrow as pa

from huikuan.engine.backends.base import running


class DuckDBBackend:
    name = "duckdb"

    def __init__(self, threads: int | None = None, memory_limit: str | None = None) -> None:
        self.con = duckdb.connect(":memory:")
        self.con.execute(f"SET threads = {threads or os.cpu_count() or 1}")
        self.con.execute("SET preserve_insertion_order = false")
        if memory_limit:
            self.con.execute(f"SET memory_limit = '{memory_limit}'")
        self._arrow: dict[str, pa.Table] = {}
        self._views: set[str] = set()

    def load(self, name: str, table: pa.Table) -> None:
        self._arrow[name] = table  # DuckDB scans the Arrow table in place; keep it alive
        self.con.register(name, table)

    def materialise(self, name: str, select: str) -> int:
        statement = f"CREATE OR REPLACE TEMP TABLE {name} AS {select}"
        with running(self.name, statement):
            self.con.execute(statement)
        rows = self.con.execute(f"SELECT COUNT(*) FROM {name}").fetchall()
        return int(rows[0][0])

    def view(self, name: str, select: str) -> None:
        statement = f"CREATE OR REPLACE TEMP VIEW {name} AS {select}"
        with running(self.name, statement):
            self.con.execute(statement)
        self._views.add(name)

    def fetch(self, select: str) -> pa.Table:
        with running(self.name, select):
            return self.con.sql(select).to_arrow_table()

    def drop(self, name: str) -> None:
        if name in self._arrow:
            self.con.unregister(name)
            del self._arrow[name]
        elif name in self._views:
            self.con.execute(f"DROP VIEW IF EXISTS {name}")
            self._views.discard(name)
        else:
            self.con.execute(f"DROP TABLE IF EXISTS {name}")

    def close(self) -> None:
        self.con.close()
        self._arrow.clear()
