"""Rows read so far in the file being read, for a progress display: a 1 GB export takes most of a
minute, and a count that moves says the program is at work. The reader of a file does not know
who listens; whoever starts the reading installs a listener with :func:`rows_reported` and hears
the running count of the file about every :data:`EVERY` rows (the final count comes with the
file's result)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

EVERY = 50_000

Listener = Callable[[int], None]
_LISTENER: ContextVar[Listener | None] = ContextVar("huikuan_rows_listener", default=None)


@contextmanager
def rows_reported(listener: Listener | None) -> Iterator[None]:
    """Within the block, every file read reports its running row count to ``listener``."""
    token = _LISTENER.set(listener)
    try:
        yield
    finally:
        _LISTENER.reset(token)


class RowCounter:
    """A file's count of rows read; tells the listener when it passes the next multiple of
    :data:`EVERY` (a block of the column-wise reader may pass several at once: one call)."""

    __slots__ = ("_listener", "_next", "count")

    def __init__(self) -> None:
        self.count = 0
        self._listener = _LISTENER.get()
        self._next = EVERY

    def set(self, count: int) -> None:
        self.count = count
        if self._listener is not None and count >= self._next:
            self._next = (count // EVERY + 1) * EVERY
            self._listener(count)
