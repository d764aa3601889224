"""The backend interface: load Arrow tables, materialise SELECTs, fetch results as Arrow."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

import pyarrow as pa

from huikuan.domain.errors import BackendError, HuikuanError

log = logging.getLogger("huikuan.engine")


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


@contextmanager
def running(backend: str, statement: str) -> Iterator[None]:
    """Log ``statement`` at debug level and turn the backend's own exception into a
    :class:`BackendError` that keeps the statement (``.sql``): a raw DuckDB or Spark traceback
    says neither which statement failed nor why a clerk should care."""
    log.debug("%s: %s", backend, statement)
    try:
        yield
    except HuikuanError:
        raise
    except Exception as exc:
        lines = str(exc).strip().splitlines()
        raise BackendError(backend, statement, lines[0] if lines else type(exc).__name__) from exc


@contextmanager
def naming_rule(rule: str) -> Iterator[None]:
    """Name the rule whose statement failed, so that the error points at a line of the rules file."""
    try:
        yield
    except BackendError as exc:
        if exc.rule is not None:
            raise
        log.debug("rule %r failed on %s; its statement:\n%s", rule, exc.backend, exc.sql)
        raise BackendError(exc.backend, exc.sql, exc.problem, rule=rule) from exc
