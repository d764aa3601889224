"""Backends run the engine's statements; they hold no matching logic of their own."""

from __future__ import annotations

from huikuan.engine.backends.base import Backend


def open_backend(name: str) -> Backend:
    """``duckdb`` (default, embedded) or ``spark`` (PySpark, local or a cluster)."""
    if name == "duckdb":
        from huikuan.engine.backends.duckdb import DuckDBBackend

        return DuckDBBackend()
    if name == "spark":
        from huikuan.engine.backends.spark import SparkBackend

        return SparkBackend()
    raise ValueError(f"unknown backend {name!r}; use duckdb or spark")


__all__ = ["Backend", "open_backend"]
